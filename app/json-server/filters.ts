import type { JsonObject, JsonValue } from '../../plugins/engine'
import { checkLikePattern, runLikeTasks, type LikeTask } from './like-sandbox'
import { deepQuery, hasPath, lessOrEqual, valueAt } from './values'

/*
 * json-server 0.17's filter language, as its list() applies it: `field=value`
 * (repeat for OR), `field_gte`, `field_lte`, `field_ne` (repeat: none of
 * them), `field_like` (a case-insensitive regex), dotted paths, and `q`.
 */

/** Query keys that are never filters. `_` and `callback` are jQuery's and JSONP's, ignored as json-server does. */
export const NOT_FILTERS = new Set(['q', '_sort', '_order', '_page', '_limit', '_start', '_end', '_embed', '_expand', '_delay', '_', 'callback'])

type FilterKind = 'eq' | 'ne' | 'gte' | 'lte' | 'like'

interface FieldFilter { path: string, kind: FilterKind, values: string[] }

const SUFFIX = /_(lte|gte|ne|like)$/

function kindOf (suffix: string | undefined): FilterKind {
  return suffix === 'lte' || suffix === 'gte' || suffix === 'ne' || suffix === 'like' ? suffix : 'eq'
}

/** A query value as json-server's `[].concat(req.query[key])` sees it: one or more strings. */
export function textValues (raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined).map(String)
}

/**
 * The filters of a query. As json-server does, a plain `field=value` on a
 * field that no document has is dropped (a suffixed one is kept).
 */
function parseFilters (query: Record<string, unknown>, docs: JsonObject[]): FieldFilter[] {
  const filters: FieldFilter[] = []
  for (const [key, raw] of Object.entries(query)) {
    if (NOT_FILTERS.has(key) || raw === undefined) continue
    const suffix = SUFFIX.exec(key)
    if (suffix === null && !docs.some((doc) => hasPath(doc, key))) continue
    filters.push({ path: suffix === null ? key : key.slice(0, suffix.index), kind: kindOf(suffix?.[1]), values: textValues(raw) })
  }
  return filters
}

/** One value of one filter against one document value, exactly as json-server's list() does it. */
function matchesValue (kind: FilterKind, element: JsonValue, value: string): boolean {
  switch (kind) {
    case 'gte': return lessOrEqual(value, element)
    case 'lte': return lessOrEqual(element, value)
    case 'ne': return value !== String(element)
    default: return value === String(element)
  }
}

function matchesFilter (doc: JsonObject, filter: FieldFilter): boolean {
  const element = valueAt(doc, filter.path)
  if (element === undefined || element === null) return false
  return filter.kind === 'ne'
    ? filter.values.every((v) => matchesValue(filter.kind, element, v))
    : filter.values.some((v) => matchesValue(filter.kind, element, v))
}

/** Keeps the documents every `_like` filter matches (any of its patterns), matching in the sandbox. */
function applyLikeFilters (docs: JsonObject[], filters: FieldFilter[]): JsonObject[] {
  if (filters.length === 0 || docs.length === 0) return docs
  const tasks: LikeTask[] = []
  for (const filter of filters) {
    const subjects = docs.map((doc) => {
      const element = valueAt(doc, filter.path)
      return element === undefined || element === null ? null : String(element)
    })
    for (const pattern of filter.values) tasks.push({ pattern, subjects })
  }
  const hits = runLikeTasks(tasks)
  let task = 0
  const keep = docs.map(() => true)
  for (const filter of filters) {
    const any = docs.map(() => false)
    for (let v = 0; v < filter.values.length; v++, task++) {
      const row = hits[task] ?? []
      for (let i = 0; i < docs.length; i++) if (row[i] === true) any[i] = true
    }
    for (let i = 0; i < docs.length; i++) if (!any[i]) keep[i] = false
  }
  return docs.filter((_, i) => keep[i])
}

/** json-server's full-text search: only the first `q` counts, lower-cased; an empty one matches everything. */
function searchText (q: unknown): string | undefined {
  const first = textValues(q)[0]
  return first === undefined || first === '' ? undefined : first.toLowerCase()
}

/** The documents a query's `q` and filters keep, in their order. */
export function filterDocuments (docs: JsonObject[], query: Record<string, unknown>): JsonObject[] {
  const filters = parseFilters(query, docs)
  const likes = filters.filter((f) => f.kind === 'like')
  for (const like of likes) for (const pattern of like.values) checkLikePattern(like.path, pattern)
  const plain = filters.filter((f) => f.kind !== 'like')
  const q = searchText(query.q)
  const kept = docs.filter((doc) => (q === undefined || deepQuery(doc, q)) && plain.every((f) => matchesFilter(doc, f)))
  return applyLikeFilters(kept, likes)
}
