import { Type } from '@sinclair/typebox'
import { Document, ETagHeader, EXAMPLE_DOCUMENT_ID, LastModifiedHeader } from './common'

/**
 * Every key that is not one of these options filters on a field (a top-level
 * name or a dotted path): `field=value`, `field[ne|gt|gte|lt|lte]=value`, `field[in]=a,b`.
 * Examples sit in the descriptions, not in `examples`: Swagger UI would pre-fill
 * them into "Try it out" and change the answer (plugins/openapi.ts moves any there).
 */
/** Page size when `limit` is not given. */
export const DEFAULT_PAGE_SIZE = 20

/** The longest field name a sort key or a filter may name. */
export const MAX_FIELD_NAME_LENGTH = 128
/** `sort=` takes at most this many keys: more order nothing a person can follow, and each costs every comparison. */
export const MAX_SORT_KEYS = 8

export const ListDocumentsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_PAGE_SIZE, description: 'Page size (at most 1000).' })),
  cursor: Type.Optional(Type.String({ maxLength: 4096, description: 'The `nextCursor` of the previous page.' })),
  sort: Type.Optional(Type.String({
    maxLength: MAX_SORT_KEYS * (MAX_FIELD_NAME_LENGTH + 2) - 1, // each key a sign and its field, and the commas between them
    description: `Fields to sort on, comma-separated and applied in turn (at most ${MAX_SORT_KEYS}); \`-field\` for descending; dotted paths allowed. ` +
      'Ties are broken by id. A field that no document has (nor the schema declares) is a 400. Default: id (creation order).',
    examples: ['-year,title']
  })),
  q: Type.Optional(Type.String({ maxLength: 256, description: 'Case-insensitive text to find in any string value, e.g. `dune`.' })),
  count: Type.Optional(Type.Boolean({ description: 'Also return `total`, the number of matching documents on all pages.' })),
  fields: Type.Optional(Type.String({
    maxLength: 1024,
    pattern: '^[^,\\[\\]]+(,[^,\\[\\]]+)*$',
    description: 'Comma-separated fields to return (dotted paths allowed), e.g. `title,author.name`; the id is always included.'
  }))
}, {
  additionalProperties: Type.String({
    maxLength: 1024,
    description:
      'Field filters, one query key each (a top-level field or a dotted path such as `author.name`): `field=value`, ' +
      '`field[ne]=v`, `field[gt]=v`, `field[gte]=v`, `field[lt]=v`, `field[lte]=v`, `field[in]=a,b`; all must hold. ' +
      'Values are compared as the type of each document\'s value (numbers numerically). ' +
      'E.g. `{"year[gte]": "1960", "author.name": "Frank Herbert"}` sends `?year[gte]=1960&author.name=Frank%20Herbert`. ' +
      'In Swagger UI: replace the pre-filled `{}` with such an object (keys in quotes, values as text), or leave `{}` for no filter.'
  })
})

export const DocumentPage = Type.Object({
  items: Type.Array(Type.Ref(Document)),
  total: Type.Optional(Type.Integer({ minimum: 0, description: 'With `count=true`: matching documents on all pages.' })),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  unreadable: Type.Optional(Type.Array(Type.Object({
    id: Type.String({ description: 'The id its file name gives.' }),
    file: Type.String({ description: 'The file, relative to DATA_DIR.', examples: ['books/dune.json'] }),
    detail: Type.String({ description: 'Why it cannot be served.', examples: ['books/dune.json is not valid JSON.'] })
  }), {
    description: 'Present when some `<id>.json` files of the collection are not valid documents (edited by hand, say): ' +
      'they are counted but cannot be listed. Fix each file, replace it with PUT, or remove it with DELETE.'
  }))
})

// No example: Swagger UI would pre-fill it into "Try it out", and a made-up tag in If-Match is a 412.
const EntityTags = Type.String({ description: 'One or more entity tags, such as the ETag of an earlier answer, or `*`.' })

export const ReadHeaders = Type.Object({
  'if-none-match': Type.Optional(EntityTags)
})

export const WriteHeaders = Type.Object({
  'if-match': Type.Optional(EntityTags),
  'if-none-match': Type.Optional(EntityTags)
})

/** The headers of a write that can only replace or remove a version (PATCH, DELETE). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(EntityTags)
})

/** RFC 7396: an object whose null members delete fields. */
export const MergePatch = Type.Object({}, {
  additionalProperties: true,
  description: 'JSON Merge Patch (RFC 7396): members replace fields, null removes them.',
  examples: [{ year: 1966, tags: null }]
})

/** The operations of RFC 6902. */
export const PATCH_OPERATIONS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const

/** RFC 6902: a list of operations applied in order, all or nothing; other members of an operation are ignored (§4). */
export const JsonPatch = Type.Array(Type.Object({
  // One enum, not a union of literals: a wrong op is then one error, not one per operation name.
  op: Type.Unsafe<typeof PATCH_OPERATIONS[number]>({ type: 'string', enum: [...PATCH_OPERATIONS] }),
  path: Type.String({ examples: ['/year'] }),
  from: Type.Optional(Type.String()),
  value: Type.Optional(Type.Unknown())
}, { additionalProperties: true }), {
  maxItems: 1000,
  description: 'JSON Patch (RFC 6902).',
  examples: [[{ op: 'test', path: '/year', value: 1965 }, { op: 'replace', path: '/year', value: 1966 }]]
})

export const documentHeaders = { ETag: ETagHeader, 'Last-Modified': LastModifiedHeader }

export const NextPageHeader = Type.String({ description: 'URL of the next page, `rel="next"`; absent on the last page.' })

/**
 * A create's body: any document, as `Document`, with an example that holds the
 * example id, so the defaults chain in Swagger UI: "Execute" on POST creates the
 * document that GET, PUT, PATCH and DELETE name by default (a second POST is a
 * 409 that says the id is taken).
 */
export const NewDocument = Type.Object(Document.properties, {
  additionalProperties: true,
  description: 'Any JSON object. Without `id`, the server makes a time-ordered one.',
  examples: [{ id: EXAMPLE_DOCUMENT_ID, title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969, tags: ['sf'] }]
})
