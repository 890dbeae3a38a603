import { Type } from '@sinclair/typebox'
import { CollectionName, DOCUMENT_ID_PATTERN, DocumentId } from './common'

/**
 * Schemas of the json-server 0.17 compatible routes (app/routes/json-server.ts).
 * json-server ids are numbers or strings: a non-negative integer id is kept a
 * number inside the document (its file is `<digits>.json`).
 */

/** A json-server id: a non-negative integer or a string id. */
export const JsonServerId = Type.Union([
  Type.String({ pattern: DOCUMENT_ID_PATTERN }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
], { description: 'A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`.' })

/** A document as json-server clients send and receive it. */
export const JsonServerDocument = Type.Object({
  id: Type.Optional(JsonServerId)
}, {
  additionalProperties: true,
  description: 'Any JSON object; `id` is a number or a string.',
  examples: [{ id: 1, title: 'json-server', author: 'typicode' }]
})

/** POST body: without an id (or with a falsy one: `null`, `0`, `""`, `false`), the server makes one, as json-server does. */
export const JsonServerCreateBody = Type.Object({
  id: Type.Optional(Type.Union([JsonServerId, Type.Null(), Type.Literal(''), Type.Literal(false)]))
}, {
  additionalProperties: true,
  description: 'The new document, as JSON or form fields. Without an id (or with a falsy one), a numeric collection gets max + 1, any other a time-ordered string id.',
  examples: [{ title: 'json-server', author: 'typicode' }]
})

/** PUT and PATCH bodies, JSON or form fields: any object; an id in it is ignored, as json-server does (the id never changes). */
export const JsonServerUpdateBody = Type.Object({}, {
  additionalProperties: true,
  description: 'PUT: the whole new document. PATCH: the fields to set (a shallow merge). An `id` in the body is ignored.',
  examples: [{ title: 'json-server 0.17' }]
})

const Repeatable = (description: string) => Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16, description })

/** What every json-server route takes: `_delay` (ms) holds the answer back, as json-server's does. */
const Delay = Type.Optional(Type.Number({ minimum: 0, maximum: 60_000, description: 'Milliseconds to wait before answering (at most 60000).' }))

/** A filter value: one string, or several when the key is repeated (`id=1&id=2`). */
const FilterValues = Type.Union([Type.String(), Type.Array(Type.String())])

/** Query string of `GET /{collection}`. Every other key is a field filter. */
export const JsonServerListQuery = Type.Object({
  q: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Array(Type.String({ maxLength: 256 }))], {
    description: 'Full-text search: case-insensitive, over every string, number and `true` value, nested ones too. Repeated: the first counts.', examples: ['typicode']
  })),
  _sort: Type.Optional(Type.String({ maxLength: 1024, description: 'Comma-separated fields (dotted paths allowed) to sort on.', examples: ['views,title'] })),
  _order: Type.Optional(Type.String({ maxLength: 512, description: 'Comma-separated orders, one per `_sort` field: `desc` (any case) reverses, anything else is ascending.', examples: ['desc,asc'] })),
  _page: Type.Optional(Type.Integer({ minimum: 1, description: 'Page number (from 1); the page size is `_limit`, 10 by default. Sets `X-Total-Count` and `Link`.' })),
  _limit: Type.Optional(Type.Integer({ minimum: 0, description: 'Page size with `_page`; otherwise at most this many items from `_start`. Sets `X-Total-Count`.' })),
  _start: Type.Optional(Type.Integer({ description: 'First item of a slice (from 0), with `_end` or `_limit`.' })),
  _end: Type.Optional(Type.Integer({ description: 'End of a slice (exclusive). Sets `X-Total-Count`.' })),
  _embed: Type.Optional(Repeatable('Collection(s) of children to include: those whose `<singular of this collection>Id` equals the id.')),
  _expand: Type.Optional(Repeatable('Parent(s) to include, by singular name: `_expand=post` includes the `posts` document whose id is `postId`.')),
  _delay: Delay
}, {
  // field=value (repeat for OR), field_gte, field_lte, field_ne (repeat: none of them), field_like (regex); dotted paths
  additionalProperties: FilterValues
})

/** Query string of `GET /{collection}/{id}`. */
export const JsonServerOneQuery = Type.Object({
  _embed: Type.Optional(Repeatable('Collection(s) of children to include.')),
  _expand: Type.Optional(Repeatable('Parent(s) to include, by singular name.')),
  _delay: Delay
}, { additionalProperties: FilterValues })

/** Query string of the writes and of singular resources: only `_delay` means something. */
export const JsonServerWriteQuery = Type.Object({ _delay: Delay }, { additionalProperties: FilterValues })

export const NestedParams = Type.Object({
  parent: CollectionName,
  id: DocumentId,
  collection: CollectionName
})

export const NestedListQuery = JsonServerListQuery

/** Response headers, each its own schema (see ETagHeader in ./common). */
export const totalCountHeaders = {
  'X-Total-Count': Type.Integer({ minimum: 0, description: 'Matching documents on all pages (with `_page`, `_limit`, `_start` or `_end`).' }),
  Link: Type.String({ description: 'With `_page`: URLs of the first, prev, next and last pages.' }),
  'Access-Control-Expose-Headers': Type.String({ description: 'As json-server: `X-Total-Count` with `_end` or `_limit`, `X-Total-Count, Link` with `_page`.' })
}

/** A singular resource (`"profile": {…}` in a db.json) as json-server serves it: any object. */
export const JsonServerSingular = Type.Object({}, {
  additionalProperties: true,
  description: 'The whole object of a singular resource.',
  examples: [{ name: 'typicode' }]
})

/** `GET /db`: every collection (an array) and singular resource (an object), by name. */
export const JsonServerDatabase = Type.Record(Type.String(), Type.Union([Type.Array(JsonServerDocument), JsonServerSingular]), {
  description: 'The whole database, as a json-server db.json.'
})

/** json-server's answer for anything that is not there: an empty object. */
export const JsonServerNotFound = Type.Object({}, { additionalProperties: false, description: 'Not found: `{}`, as json-server answers.' })

/** A json-server routes.json (`--routes`, here JSON_SERVER_ROUTES): each URL pattern and what it becomes. */
export const JsonServerRoutes = Type.Record(Type.String({ pattern: '^/' }), Type.String({ pattern: '^/' }), {
  additionalProperties: false,
  description: 'The rewrite rules of JSON_SERVER_ROUTES, as json-server\'s `GET /__rules` answers them: `{"/api/*": "/$1"}`.',
  examples: [{ '/api/*': '/$1', '/blog/posts/:id/show': '/posts/:id' }]
})
