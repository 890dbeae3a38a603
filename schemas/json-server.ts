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

/** POST body: the id is optional (absent or null: the server makes one, `max + 1` for numeric collections). */
export const JsonServerCreateBody = Type.Object({
  id: Type.Optional(Type.Union([JsonServerId, Type.Null()]))
}, {
  additionalProperties: true,
  description: 'The new document. Without an id (or with `"id": null`), a numeric collection gets max + 1, any other a time-ordered string id.',
  examples: [{ title: 'json-server', author: 'typicode' }]
})

/** PUT and PATCH bodies: any object; an id in it is ignored, as json-server does (the id never changes). */
export const JsonServerUpdateBody = Type.Object({}, {
  additionalProperties: true,
  description: 'PUT: the whole new document. PATCH: the fields to set (a shallow merge). An `id` in the body is ignored.',
  examples: [{ title: 'json-server 0.17' }]
})

const Repeatable = (description: string) => Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16, description })

/** Query string of `GET /{collection}`. Every other key is a field filter. */
export const JsonServerListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 256, description: 'Full-text search: case-insensitive, over every string, number and `true` value, nested ones too.', examples: ['typicode'] })),
  _sort: Type.Optional(Type.String({ maxLength: 1024, description: 'Comma-separated fields (dotted paths allowed) to sort on.', examples: ['views,title'] })),
  _order: Type.Optional(Type.String({ maxLength: 512, description: 'Comma-separated `asc`/`desc` (any case), one per `_sort` field; missing ones are `asc`.', examples: ['desc,asc'] })),
  _page: Type.Optional(Type.Integer({ minimum: 1, description: 'Page number (from 1); the page size is `_limit`, 10 by default. Sets `X-Total-Count` and `Link`.' })),
  _limit: Type.Optional(Type.Integer({ minimum: 0, description: 'Page size with `_page`; otherwise at most this many items from `_start`.' })),
  _start: Type.Optional(Type.Integer({ description: 'First item of a slice (from 0), with `_end` or `_limit`.' })),
  _end: Type.Optional(Type.Integer({ description: 'End of a slice (exclusive).' })),
  _embed: Type.Optional(Repeatable('Collection(s) of children to include: those whose `<singular of this collection>Id` equals the id.')),
  _expand: Type.Optional(Repeatable('Parent(s) to include, by singular name: `_expand=post` includes the `posts` document whose id is `postId`.'))
}, {
  // field=value (repeat for OR), field_gte, field_lte, field_ne (repeat: none of them), field_like (regex); dotted paths
  additionalProperties: true
})

/** Query string of `GET /{collection}/{id}`. */
export const JsonServerOneQuery = Type.Object({
  _embed: Type.Optional(Repeatable('Collection(s) of children to include.')),
  _expand: Type.Optional(Repeatable('Parent(s) to include, by singular name.'))
}, { additionalProperties: true })

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
  'Access-Control-Expose-Headers': Type.String({ description: 'Lets browser clients read X-Total-Count and Link.' })
}
