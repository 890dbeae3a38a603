import { Type } from '@sinclair/typebox'
import { Document } from './common'

export const ListDocumentsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20, description: 'Page size (at most 1000).' }),
  cursor: Type.Optional(Type.String({ maxLength: 4096, description: 'The `nextCursor` of the previous page.' })),
  sort: Type.Optional(Type.String({
    maxLength: 129,
    description: 'Top-level field to sort on; `-field` for descending. Ties are broken by id. Default: id (creation order).',
    examples: ['-year']
  })),
  q: Type.Optional(Type.String({ maxLength: 256, description: 'Case-insensitive text to find in any string value.', examples: ['dune'] })),
  count: Type.Optional(Type.Boolean({ description: 'Also return `total`, the number of matching documents on all pages.' })),
  fields: Type.Optional(Type.String({
    maxLength: 1024,
    pattern: '^[^,\\[\\]]+(,[^,\\[\\]]+)*$',
    description: 'Comma-separated fields to return (dotted paths allowed); the id is always included.',
    examples: ['title,author.name']
  }))
}, {
  // Every other key is a filter: field=value, field[ne|gt|gte|lt|lte]=value, field[in]=a,b (dotted paths allowed)
  additionalProperties: Type.String({ maxLength: 1024 })
})

export const DocumentPage = Type.Object({
  items: Type.Array(Type.Ref(Document)),
  total: Type.Optional(Type.Integer({ minimum: 0, description: 'With `count=true`: matching documents on all pages.' })),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' })
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

/** RFC 6902: a list of operations applied in order, all or nothing. */
export const JsonPatch = Type.Array(Type.Object({
  op: Type.Union(['add', 'remove', 'replace', 'move', 'copy', 'test'].map((op) => Type.Literal(op))),
  path: Type.String({ examples: ['/year'] }),
  from: Type.Optional(Type.String()),
  value: Type.Optional(Type.Unknown())
}, { additionalProperties: false }), {
  maxItems: 1000,
  description: 'JSON Patch (RFC 6902).',
  examples: [[{ op: 'test', path: '/year', value: 1965 }, { op: 'replace', path: '/year', value: 1966 }]]
})

export const documentHeaders = {
  ETag: { schema: { type: 'string' }, description: 'Strong hash of the document file\'s bytes.' },
  'Last-Modified': { schema: { type: 'string' }, description: 'The file\'s modification time.' }
}
