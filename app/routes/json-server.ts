import { isDeepStrictEqual } from 'node:util'
import vm from 'node:vm'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem } from '../../plugins/errors'
import { requireMediaType } from '../../plugins/json-body'
import { StoreError, type DocumentStore, type JsonObject, type JsonValue, type StoredDocument } from '../../plugins/engine'
import { CollectionParams, DocumentParams, problemResponses } from '../../schemas/common'
import {
  JsonServerCreateBody, JsonServerDocument, JsonServerListQuery, JsonServerOneQuery, JsonServerUpdateBody,
  NestedParams, totalCountHeaders
} from '../../schemas/json-server'

/*
 * json-server 0.17 compatible routes, on top of the same store as the v1 API
 * (same files, same durable writes). Behaviour follows json-server's own code
 * (lib/server/router/plural.js, lodash-id, lodash's orderBy) unless
 * docs/json-server.md lists a difference.
 *
 * json-server keeps the whole database in memory and answers every list by
 * scanning it; so does this layer, over the engine's in-memory index of the
 * collection (brought up to date with the folder first). It filters, sorts
 * and slices that, then checks every document it is about to send against its
 * file, and starts again if one changed: a list never returns a document that
 * is no longer on disk, nor an old version of one.
 */

/** Longest `_like` pattern accepted. */
export const MAX_LIKE_PATTERN = 256
/** CPU time all `_like` patterns of one request may use; beyond it the request is a 400. */
export const LIKE_TIMEOUT_MS = 250
/** Page size when reading children for _embed through the engine's listing. */
const PAGE = 1000

/** Query keys that are not filters. `_`, `callback` and `_delay` are ignored, as json-server does. */
const RESERVED = new Set(['q', '_sort', '_order', '_page', '_limit', '_start', '_end', '_embed', '_expand', '_', 'callback', '_delay'])

// ---- names: simple English rules (documented in docs/json-server.md) ----------------------------

const IRREGULAR: Record<string, string> = {
  people: 'person', children: 'child', men: 'man', women: 'woman', mice: 'mouse', geese: 'goose', feet: 'foot', teeth: 'tooth',
  movies: 'movie', cookies: 'cookie'
}
const IRREGULAR_PLURAL = Object.fromEntries(Object.entries(IRREGULAR).map(([plural, singular]) => [singular, plural]))

/** posts → post, categories → category, boxes → box, addresses → address, people → person; status, news stay. */
export function singular (word: string): string {
  const irregular = IRREGULAR[word]
  if (irregular !== undefined) return irregular
  if (/[^aeiou]ies$/.test(word)) return word.slice(0, -3) + 'y'
  if (/(sses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2)
  if (/(ss|us|is)$/.test(word)) return word
  if (word.length > 1 && word.endsWith('s')) return word.slice(0, -1)
  return word
}

/** post → posts, category → categories, box → boxes, person → people. */
export function plural (word: string): string {
  const irregular = IRREGULAR_PLURAL[word]
  if (irregular !== undefined) return irregular
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies'
  if (/(s|x|z|ch|sh)$/.test(word)) return word + 'es'
  return word + 's'
}

// ---- values -------------------------------------------------------------------------------------

/** lodash's `_.get` on own properties: a literal key first, else a path (`a.b`, `a[0].b`). */
export function valueAt (doc: JsonObject, path: string): JsonValue | undefined {
  if (Object.hasOwn(doc, path)) return doc[path]
  const parts = path.match(/[^.[\]]+/g)
  if (parts === null) return undefined
  let value: JsonValue | undefined = doc
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined
    value = (value as Record<string, JsonValue>)[part]
  }
  return value
}

/** JavaScript's own `<=` between a query string and a document value, as json-server compares them. */
function lessOrEqual (a: unknown, b: unknown): boolean {
  return (a as number) <= (b as number)
}

/** lodash's compareAscending for JSON values: undefined and null sort after everything else. */
function compareAscending (value: unknown, other: unknown): number {
  if (value !== other) {
    if ((other !== null && (value as number) > (other as number)) || (value === null && other !== undefined) || value === undefined) return 1
    if ((value !== null && (value as number) < (other as number)) || (other === null && value !== undefined) || other === undefined) return -1
  }
  return 0
}

function idRank (id: JsonValue | undefined): number {
  return typeof id === 'number' ? 0 : typeof id === 'string' ? 1 : 2
}

/** Default order: numeric ids numerically, then string ids (time-ordered ones in creation order), then documents without one. */
function compareIds (a: JsonObject, b: JsonObject): number {
  const x = a.id
  const y = b.id
  const rank = idRank(x) - idRank(y)
  if (rank !== 0) return rank
  if (typeof x === 'number' && typeof y === 'number') return x - y
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0
  return 0
}

/** Sorts by compareIds, fast for large collections: numbers and strings apart, each with a plain comparison. */
function sortById (docs: JsonObject[]): JsonObject[] {
  const numbers: JsonObject[] = []
  const strings: JsonObject[] = []
  const others: JsonObject[] = []
  for (const doc of docs) (typeof doc.id === 'number' ? numbers : typeof doc.id === 'string' ? strings : others).push(doc)
  numbers.sort((a, b) => (a.id as number) - (b.id as number))
  strings.sort((a, b) => (a.id as string) < (b.id as string) ? -1 : (a.id as string) > (b.id as string) ? 1 : 0)
  return numbers.concat(strings, others)
}

/** json-server's deepQuery: any truthy scalar, nested in arrays and objects, whose text holds `q`. */
function deepQuery (value: JsonValue | undefined, q: string): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.some((v) => deepQuery(v, q))
  if (typeof value === 'object') return Object.values(value).some((v) => deepQuery(v, q))
  return String(value).toLowerCase().includes(q)
}

// ---- reading collections ------------------------------------------------------------------------

/**
 * Every document of a collection, in json-server's default order (numeric ids
 * numerically, then string ids); undefined when the collection does not exist.
 * The engine's index is brought up to date with the folder first; documents a
 * list returns are then re-checked one by one (see `revalidate`).
 */
export async function readCollection (store: DocumentStore, collection: string): Promise<JsonObject[] | undefined> {
  try {
    return sortById(await store.allDocuments(collection))
  } catch (err) {
    if (err instanceof StoreError && (err.code === 'collection-not-found' || err.code === 'invalid-name')) return undefined
    throw err
  }
}

/**
 * The current version of each document about to be sent, checked against its
 * file (one lstat each, a read only when it changed), as every v1 page is:
 * `changed` when any was edited or removed since the collection was read.
 */
async function revalidate (store: DocumentStore, collection: string, docs: JsonObject[]): Promise<{ fresh: JsonObject[], changed: boolean }> {
  let changed = false
  const fresh = await mapLimit(docs, 32, async (doc) => {
    const id = doc.id
    if (typeof id !== 'number' && typeof id !== 'string') return doc
    try {
      const stored = await store.getDocument(collection, String(id))
      if (stored.doc !== doc && !isDeepStrictEqual(stored.doc, doc)) changed = true
      return stored.doc
    } catch (err) {
      if (!(err instanceof StoreError && (err.code === 'document-not-found' || err.code === 'collection-not-found' || err.code === 'invalid-name'))) throw err
      changed = true
      return undefined
    }
  })
  return { fresh: fresh.filter((doc): doc is JsonObject => doc !== undefined), changed }
}

async function mapLimit<T, R> (items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

// ---- filters ------------------------------------------------------------------------------------

type FilterKind = 'eq' | 'ne' | 'gte' | 'lte' | 'like'

interface FieldFilter {
  path: string
  kind: FilterKind
  values: string[]
}

function parseFilters (query: Record<string, unknown>): FieldFilter[] {
  const filters: FieldFilter[] = []
  for (const [key, raw] of Object.entries(query)) {
    if (RESERVED.has(key)) continue
    const values = (Array.isArray(raw) ? raw : [raw]).map(String)
    const suffix = /_(lte|gte|ne|like)$/.exec(key)
    const kind = (suffix?.[1] ?? 'eq') as FilterKind
    filters.push({ path: suffix === null ? key : key.slice(0, suffix.index), kind, values })
  }
  return filters
}

/** One value of one filter against one document, exactly as json-server's list() does it. */
function matchesValue (filter: FieldFilter, element: JsonValue | undefined, value: string): boolean {
  if (element === undefined || element === null) return false
  switch (filter.kind) {
    case 'gte': return lessOrEqual(value, element)
    case 'lte': return lessOrEqual(element, value)
    case 'ne': return value !== String(element)
    default: return value === String(element)
  }
}

function matchesFilter (doc: JsonObject, filter: FieldFilter): boolean {
  const element = valueAt(doc, filter.path)
  // Several values: any of them (for _ne: none of them).
  return filter.kind === 'ne'
    ? filter.values.every((v) => matchesValue(filter, element, v))
    : filter.values.some((v) => matchesValue(filter, element, v))
}

let likeContext: vm.Context | undefined
const likeScript = new vm.Script(
  '(() => { const out = []; for (const t of tasks) { const re = new RegExp(t.pattern, "i"); const hits = [];' +
  ' for (const s of t.subjects) hits.push(s !== null && re.test(s)); out.push(hits) } return out })()'
)

/**
 * Applies `_like` filters (case-insensitive regular expressions, as json-server).
 * A regex can backtrack for ages, so each pattern is length-capped and checked,
 * and all matching runs in a separate V8 context with a hard CPU timeout.
 */
function applyLikeFilters (docs: JsonObject[], filters: FieldFilter[]): JsonObject[] {
  if (filters.length === 0 || docs.length === 0) return docs
  const tasks: Array<{ pattern: string, subjects: Array<string | null> }> = []
  for (const filter of filters) {
    const subjects = docs.map((doc) => {
      const element = valueAt(doc, filter.path)
      return element === undefined || element === null ? null : String(element)
    })
    for (const pattern of filter.values) tasks.push({ pattern, subjects })
  }
  likeContext ??= vm.createContext(Object.create(null))
  likeContext.tasks = tasks
  let hits: boolean[][]
  try {
    hits = likeScript.runInContext(likeContext, { timeout: LIKE_TIMEOUT_MS }) as boolean[][]
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new HttpProblem(400, 'invalid-query', `A _like pattern took longer than ${LIKE_TIMEOUT_MS} ms to match: simplify it (avoid nested repetition such as (a+)+).`)
    }
    throw err
  } finally {
    likeContext.tasks = undefined
  }
  let t = 0
  const keep = docs.map(() => true)
  for (const filter of filters) {
    const any = docs.map(() => false)
    for (let v = 0; v < filter.values.length; v++, t++) {
      const row = hits[t] as boolean[]
      for (let i = 0; i < docs.length; i++) if (row[i] === true) any[i] = true
    }
    for (let i = 0; i < docs.length; i++) if (!any[i]) keep[i] = false
  }
  return docs.filter((_, i) => keep[i])
}

function checkLikePatterns (filters: FieldFilter[]): void {
  for (const filter of filters) {
    for (const pattern of filter.values) {
      if (pattern.length > MAX_LIKE_PATTERN) {
        throw new HttpProblem(400, 'invalid-query', `The ${filter.path}_like pattern is longer than ${MAX_LIKE_PATTERN} characters.`)
      }
      try {
        // eslint-disable-next-line no-new
        new RegExp(pattern, 'i')
      } catch (err) {
        throw new HttpProblem(400, 'invalid-query', `The ${filter.path}_like pattern is not a valid regular expression: ${(err as Error).message}.`)
      }
    }
  }
}

// ---- sorting and slicing ------------------------------------------------------------------------

function sortDocuments (docs: JsonObject[], sort: string, order: string | undefined): JsonObject[] {
  const fields = sort.split(',')
  const orders = (order ?? '').split(',').map((o) => o.trim().toLowerCase())
  for (const o of orders) {
    if (o !== '' && o !== 'asc' && o !== 'desc') {
      throw new HttpProblem(400, 'invalid-query', `_order takes asc or desc (one per _sort field), not "${o.slice(0, 20)}".`)
    }
  }
  // lodash's orderBy: criteria in turn, then the original position (a stable sort).
  const keyed = docs.map((doc, index) => ({ doc, index, criteria: fields.map((f) => valueAt(doc, f)) }))
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const result = compareAscending(a.criteria[i], b.criteria[i])
      if (result !== 0) return orders[i] === 'desc' ? -result : result
    }
    return a.index - b.index
  })
  return keyed.map((k) => k.doc)
}

interface PageInfo { items: JsonObject[], first?: number, prev?: number, next?: number, last?: number, current?: number }

/** json-server's utils.getPage. */
function getPage (docs: JsonObject[], page: number, perPage: number): PageInfo {
  const start = (page - 1) * perPage
  const end = page * perPage
  const info: PageInfo = { items: docs.slice(start, end) }
  if (info.items.length === 0) return info
  if (page > 1) info.prev = page - 1
  if (end < docs.length) info.next = page + 1
  if (info.items.length !== docs.length) {
    info.current = page
    info.first = 1
    info.last = Math.ceil(docs.length / perPage)
  }
  return info
}

function origin (request: FastifyRequest): string {
  const host = request.host as string | undefined
  return host === undefined || host === '' ? '' : `${request.protocol}://${host}`
}

/** The request's own URL with `_page` set to `page`, the rest of its query string untouched. */
function pageUrl (request: FastifyRequest, page: number): string {
  const [path, query = ''] = request.url.split(/\?(.*)/s) as [string, string?]
  const parts = query.split('&').map((part) => {
    const key = part.split('=')[0] ?? ''
    return decodeURIComponentSafe(key) === '_page' ? `${key}=${page}` : part
  })
  return `${origin(request)}${path}?${parts.join('&')}`
}

function decodeURIComponentSafe (text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

function exposeHeaders (reply: FastifyReply, ...names: string[]): void {
  const existing = reply.getHeader('access-control-expose-headers')
  const list = typeof existing === 'string' && existing !== '' ? existing.split(',').map((s) => s.trim()) : []
  for (const name of names) if (!list.some((h) => h.toLowerCase() === name.toLowerCase())) list.push(name)
  reply.header('access-control-expose-headers', list.join(', '))
}

function sendJson (reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value))
}

// ---- embed and expand ---------------------------------------------------------------------------

/** Adds `resource[name]` = the children of `name` whose `<singular>Id` is strictly the resource's id (lodash `filter` by object). */
async function embed (store: DocumentStore, collection: string, resources: JsonObject[], names: string[]): Promise<void> {
  const foreignKey = `${singular(collection)}Id`
  for (const name of names) {
    const byId = new Map<string, JsonObject[]>()
    const ids = [...new Set(resources.map((r) => r.id).filter((id) => typeof id === 'number' || typeof id === 'string').map(String))]
    try {
      // The engine's `in` filter is looser (it coerces "1" and 1); the strict check follows.
      for (let i = 0; i < ids.length; i += 500) {
        let cursor: string | undefined
        do {
          const page = await store.listDocuments(name, { limit: PAGE, cursor, filters: [{ field: foreignKey, op: 'in', values: ids.slice(i, i + 500) }] })
          for (const child of page.items) {
            const key = child[foreignKey]
            if (typeof key !== 'number' && typeof key !== 'string') continue
            const tag = `${typeof key}:${String(key)}`
            const siblings = byId.get(tag)
            if (siblings === undefined) byId.set(tag, [child])
            else siblings.push(child)
          }
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
      }
    } catch (err) {
      if (!(err instanceof StoreError && (err.code === 'collection-not-found' || err.code === 'invalid-name'))) throw err
    }
    for (const resource of resources) {
      const children = byId.get(`${typeof resource.id}:${String(resource.id)}`) ?? []
      resource[name] = [...children].sort(compareIds)
    }
  }
}

/** Adds `resource[name]` = the document of `plural(name)` whose id is `resource[name + "Id"]` (compared as text). */
async function expand (store: DocumentStore, resources: JsonObject[], names: string[]): Promise<void> {
  for (const name of names) {
    const parents = plural(name)
    const wanted = [...new Set(resources.map((r) => r[`${name}Id`]).filter((v) => v !== undefined && v !== null).map(String))]
    const found = new Map<string, JsonObject>()
    await mapLimit(wanted, 16, async (id) => {
      try {
        found.set(id, (await store.getDocument(parents, id)).doc)
      } catch (err) {
        // No such parent, or no such collection (json-server then adds nothing either).
        if (!(err instanceof StoreError && ['document-not-found', 'collection-not-found', 'invalid-name'].includes(err.code))) throw err
      }
    })
    for (const resource of resources) {
      const key = resource[`${name}Id`]
      const parent = key === undefined || key === null ? undefined : found.get(String(key))
      if (parent !== undefined) resource[name] = parent
    }
  }
}

// ---- the routes ---------------------------------------------------------------------------------

type ListQuery = Record<string, unknown> & {
  q?: string, _sort?: string, _order?: string, _page?: number, _limit?: number, _start?: number, _end?: number,
  _embed?: string[], _expand?: string[]
}

const listResponses = {
  200: {
    description: 'The matching documents: a plain array',
    headers: totalCountHeaders,
    content: { 'application/json': { schema: Type.Array(JsonServerDocument) } }
  },
  ...problemResponses(400, 404)
}

const oneResponse = (description: string, extra: Record<string, unknown> = {}): unknown => ({
  description,
  headers: { ETag: { schema: { type: 'string' }, description: 'Strong hash of the file\'s bytes.' }, ...extra },
  content: { 'application/json': { schema: JsonServerDocument } }
})

const jsonServerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const store = app.store

  // As json-server: clients revalidate every answer (GET one has an ETag, so that is a cheap 304).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache')
    return payload
  })

  /** GET /{collection}: filter, search, sort, slice, embed, expand — json-server's list(). */
  async function list (request: FastifyRequest, reply: FastifyReply, collection: string, query: ListQuery, extra: FieldFilter[] = []): Promise<FastifyReply> {
    const filters = [...parseFilters(query), ...extra]
    const likes = filters.filter((f) => f.kind === 'like')
    checkLikePatterns(likes)
    const plain = filters.filter((f) => f.kind !== 'like')
    const q = query.q === undefined || query.q === '' ? undefined : query.q.toLowerCase()
    const { _page, _limit, _start, _end } = query

    let result: { docs: JsonObject[], total: number, links: string[] }
    for (let attempt = 1; ; attempt++) {
      const all = await readCollection(store, collection)
      if (all === undefined) throw new StoreError('collection-not-found', `Collection "${collection}" does not exist.`)
      let docs = all.filter((doc) => (q === undefined || deepQuery(doc, q)) && plain.every((f) => matchesFilter(doc, f)))
      docs = applyLikeFilters(docs, likes)
      if (query._sort !== undefined && query._sort !== '') docs = sortDocuments(docs, query._sort, query._order)
      const total = docs.length
      const links: string[] = []
      if (_page !== undefined) {
        const page = getPage(docs, _page, _limit === undefined || _limit === 0 ? 10 : _limit)
        for (const rel of ['first', 'prev', 'next', 'last'] as const) {
          const target = page[rel]
          if (target !== undefined) links.push(`<${pageUrl(request, target)}>; rel="${rel}"`)
        }
        docs = page.items
      } else if (_end !== undefined) {
        docs = docs.slice(_start ?? 0, _end)
      } else if (_limit !== undefined) {
        docs = docs.slice(_start ?? 0, (_start ?? 0) + _limit)
      } else if (_start !== undefined) {
        docs = docs.slice(_start)
      }
      // Never send a document that changed or vanished on disk since the read: compute again (as v1 pages do).
      const { fresh, changed } = await revalidate(store, collection, docs)
      if (changed && attempt < 3) continue
      result = { docs: fresh, total, links }
      break
    }

    if (_page !== undefined || _limit !== undefined || _start !== undefined || _end !== undefined) {
      reply.header('x-total-count', String(result.total))
    }
    exposeHeaders(reply, 'X-Total-Count', 'Link')
    if (result.links.length > 0) reply.header('link', result.links.join(', '))
    const items = result.docs.map((doc) => ({ ...doc }))
    if (query._embed !== undefined) await embed(store, collection, items, query._embed)
    if (query._expand !== undefined) await expand(store, items, query._expand)
    return sendJson(reply, items)
  }

  /** POST /{collection}: the id from the body, else max + 1 (numeric collections) or a time-ordered string. */
  async function create (request: FastifyRequest, reply: FastifyReply, collection: string, body: JsonObject): Promise<FastifyReply> {
    let stored: StoredDocument
    if (body.id !== undefined && body.id !== null) {
      stored = await store.createDocument(collection, body)
    } else {
      const { id: _ignored, ...rest } = body
      const all = await store.allDocuments(collection).catch((err: unknown) => {
        if (err instanceof StoreError && err.code === 'collection-not-found') return []
        throw err
      })
      const ids = all.map((doc) => doc.id).filter((id) => id !== undefined)
      const numeric = ids.every((id) => typeof id === 'number')
      if (!numeric) {
        stored = await store.createDocument(collection, rest)
      } else {
        let next = ids.reduce<number>((max, id) => Math.max(max, id as number), 0) + 1
        for (let attempt = 1; ; attempt++, next++) {
          try {
            stored = await store.createDocument(collection, { ...rest, id: next })
            break
          } catch (err) {
            // Another writer took this id between our read and our exclusive create: take the next one.
            if (!(err instanceof StoreError && err.code === 'already-exists') || attempt >= 100) throw err
          }
        }
      }
    }
    exposeHeaders(reply, 'Location')
    return reply.code(201)
      .header('location', `${origin(request)}${app.prefix}/${collection}/${stored.id}`)
      .header('etag', stored.etag)
      .type('application/json; charset=utf-8')
      .send(stored.bytes)
  }

  const notFoundInstead = (collection: string, id: string) => (err: unknown): never => {
    if (err instanceof StoreError && err.code === 'precondition-failed') {
      throw new StoreError('document-not-found', `Document "${id}" does not exist in collection "${collection}".`)
    }
    throw err
  }

  app.get('/:collection', {
    schema: {
      tags: ['json-server'],
      summary: 'json-server: list, filter, search, sort and page a collection',
      description:
        'A plain JSON array, as json-server 0.17 answers. Every other query key filters: `field=value` (repeat the key for OR; ' +
        'dotted paths like `author.name`; compared as text, as json-server does), `field_gte`, `field_lte`, `field_ne`, ' +
        '`field_like` (case-insensitive regular expression). `X-Total-Count` is set with `_page`, `_limit`, `_start` or `_end`. ' +
        'See docs/json-server.md for every difference from json-server.',
      params: CollectionParams,
      querystring: JsonServerListQuery,
      response: listResponses
    }
  }, async (request, reply) => await list(request, reply, request.params.collection, request.query as ListQuery))

  app.post('/:collection', {
    onRequest: requireMediaType('application/json'),
    schema: {
      tags: ['json-server'],
      summary: 'json-server: create a document (id from the body, or max + 1)',
      description:
        'Without an id, a collection whose ids are all numbers (or an empty one) gets max + 1; any other a time-ordered string id. ' +
        'A duplicate id is a 409 (json-server answers 500). A first write creates the collection.',
      params: CollectionParams,
      body: JsonServerCreateBody,
      response: {
        201: oneResponse('Created', { Location: { schema: { type: 'string' }, description: 'URL of the new document.' } }),
        ...problemResponses(400, 401, 405, 409, 413, 415, 422, 507)
      }
    }
  }, async (request, reply) => await create(request, reply, request.params.collection, request.body as JsonObject))

  app.get('/:collection/:id', {
    schema: {
      tags: ['json-server'],
      summary: 'json-server: read a document, with _embed and _expand',
      params: DocumentParams,
      querystring: JsonServerOneQuery,
      response: {
        200: oneResponse('The document'),
        304: { description: 'Not modified: the ETag still matches.', type: 'null' },
        ...problemResponses(400, 404)
      }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    const stored = await store.getDocument(collection, id)
    const { _embed, _expand } = request.query as ListQuery
    if (_embed === undefined && _expand === undefined) {
      const ifNoneMatch = request.headers['if-none-match']
      if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === stored.etag)) {
        return reply.code(304).header('etag', stored.etag).send()
      }
      return reply.header('etag', stored.etag).type('application/json; charset=utf-8').send(stored.bytes)
    }
    const result = [{ ...stored.doc }]
    if (_embed !== undefined) await embed(store, collection, result, _embed)
    if (_expand !== undefined) await expand(store, result, _expand)
    return sendJson(reply, result[0])
  })

  app.put('/:collection/:id', {
    onRequest: requireMediaType('application/json'),
    schema: {
      tags: ['json-server'],
      summary: 'json-server: replace a document (its id stays)',
      description: 'The body becomes the whole document; the id stays what it was (a number stays a number). An unknown id is a 404.',
      params: DocumentParams,
      body: JsonServerUpdateBody,
      response: { 200: oneResponse('Replaced'), ...problemResponses(400, 401, 404, 405, 413, 415, 422, 507) }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    const current = await store.getDocument(collection, id)
    const doc = { ...(request.body as JsonObject), id: current.doc.id ?? id }
    // If-Match: * — replace only a document that still exists, never create one.
    const { stored } = await store.putDocument(collection, id, doc, { ifMatch: '*' }).catch(notFoundInstead(collection, id))
    return reply.header('etag', stored.etag).type('application/json; charset=utf-8').send(stored.bytes)
  })

  app.patch('/:collection/:id', {
    onRequest: requireMediaType('application/json'),
    schema: {
      tags: ['json-server'],
      summary: 'json-server: update some fields (a shallow merge)',
      description: 'Top-level fields of the body replace the document\'s (`null` sets null; nested objects are replaced whole). The id never changes.',
      params: DocumentParams,
      body: JsonServerUpdateBody,
      response: { 200: oneResponse('Updated'), ...problemResponses(400, 401, 404, 405, 413, 415, 422, 507) }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    const body = request.body as JsonObject
    const stored = await store.patchDocument(collection, id, (current) => ({ ...current, ...body, id: current.id ?? id }))
    return reply.header('etag', stored.etag).type('application/json; charset=utf-8').send(stored.bytes)
  })

  app.delete('/:collection/:id', {
    schema: {
      tags: ['json-server'],
      summary: 'json-server: delete one document (never its dependents)',
      description: 'Answers the deleted document. Unlike json-server, documents that refer to it are left alone.',
      params: DocumentParams,
      response: { 200: oneResponse('Deleted: the document as it was'), ...problemResponses(400, 401, 404, 405) }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    for (let attempt = 1; ; attempt++) {
      const stored = await store.getDocument(collection, id)
      try {
        // Only the version we answer with: if it changed in between, read it again.
        await store.deleteDocument(collection, id, { ifMatch: [stored.etag] })
        return reply.type('application/json; charset=utf-8').send(stored.bytes)
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'precondition-failed') || attempt >= 5) throw err
      }
    }
  })

  app.get('/:parent/:id/:collection', {
    schema: {
      tags: ['json-server'],
      summary: 'json-server: list the children of a document (/posts/1/comments)',
      description: 'The same as `GET /{collection}?<singular of parent>Id={id}`, with every query parameter of a list.',
      params: NestedParams,
      querystring: JsonServerListQuery,
      response: listResponses
    }
  }, async (request, reply) => {
    const { parent, id, collection } = request.params
    const query = { ...(request.query as ListQuery) }
    const foreignKey = `${singular(parent)}Id`
    delete query[foreignKey]
    return await list(request, reply, collection, query, [{ path: foreignKey, kind: 'eq', values: [id] }])
  })

  app.post('/:parent/:id/:collection', {
    onRequest: requireMediaType('application/json'),
    schema: {
      tags: ['json-server'],
      summary: 'json-server: create a child of a document (/posts/1/comments)',
      description: 'The same as `POST /{collection}` with `<singular of parent>Id` set to the parent\'s id (a number stays a number). The parent must exist.',
      params: NestedParams,
      body: JsonServerCreateBody,
      response: {
        201: oneResponse('Created', { Location: { schema: { type: 'string' } } }),
        ...problemResponses(400, 401, 404, 405, 409, 413, 415, 422, 507)
      }
    }
  }, async (request, reply) => {
    const { parent, id, collection } = request.params
    const parentDoc = await store.getDocument(parent, id)
    const body = { ...(request.body as JsonObject), [`${singular(parent)}Id`]: parentDoc.doc.id ?? id }
    return await create(request, reply, collection, body)
  })
}

export default jsonServerRoutes
