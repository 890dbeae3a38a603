import { StoreError } from './errors'
import type { JsonObject, JsonValue } from './json-types'
import { FILTER_OPERATORS, type Filter, type FilterOperator, type SortSpec } from './list-query'

/** Query-string keys that are not filters. */
export const RESERVED_QUERY_KEYS = new Set(['limit', 'cursor', 'sort', 'q', 'count', 'fields'])

const FIELD_PATTERN = /^[^[\]]{1,128}$/
const FILTER_KEY = /^([^[\]]{1,128})(?:\[([a-z]+)\])?$/

/** Reads `field=value` and `field[op]=value` pairs out of a query string object. */
export function parseFilters (query: Record<string, unknown>): Filter[] {
  const filters: Filter[] = []
  for (const [key, raw] of Object.entries(query)) {
    if (RESERVED_QUERY_KEYS.has(key)) continue
    const match = FILTER_KEY.exec(key)
    const op = (match?.[2] ?? 'eq') as FilterOperator
    if (match === null || !FILTER_OPERATORS.includes(op)) {
      throw new StoreError(
        'invalid-query',
        `Unknown filter "${key}": use field=value or field[op]=value with op one of ${FILTER_OPERATORS.join(', ')}.`
      )
    }
    if (typeof raw !== 'string') {
      throw new StoreError('invalid-query', `Filter "${key}" is given more than once; use ${match[1]}[in]=a,b.`)
    }
    filters.push({ field: match[1] as string, op, values: op === 'in' ? raw.split(',') : [raw] })
  }
  return filters
}

export function parseSort (sort: string | undefined): SortSpec {
  if (sort === undefined || sort === '') return { field: 'id', descending: false }
  const descending = sort.startsWith('-')
  const field = descending ? sort.slice(1) : sort
  if (!FIELD_PATTERN.test(field)) {
    throw new StoreError('invalid-query', `Cannot sort on "${sort}": give a top-level field name, or -field for descending.`)
  }
  return { field, descending }
}

/**
 * A document's field: a top-level key, or a dotted path (`author.name`) into
 * nested objects when no top-level key has that exact name. Own properties
 * only: never reads through the prototype chain.
 */
export function fieldOf (doc: JsonObject, field: string): JsonValue | undefined {
  if (Object.hasOwn(doc, field)) return doc[field]
  if (!field.includes('.')) return undefined
  let value: JsonValue | undefined = doc
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined
    value = value[part]
  }
  return value
}

/** The document reduced to `fields` (dotted paths make nested objects); its id is always kept. */
export function project (doc: JsonObject, fields: string[]): JsonObject {
  const result: JsonObject = {}
  for (const field of ['id', ...fields]) {
    const value = fieldOf(doc, field)
    if (value === undefined) continue
    const parts = Object.hasOwn(doc, field) ? [field] : field.split('.')
    let target = result
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(target, part) ? target[part] : undefined
      if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        const created: JsonObject = {}
        Object.defineProperty(target, part, { value: created, enumerable: true, writable: true, configurable: true })
        target = created
      } else {
        target = next
      }
    }
    Object.defineProperty(target, parts[parts.length - 1] as string, { value, enumerable: true, writable: true, configurable: true })
  }
  return result
}

/** Rank of a value's type in the total order used for sorting: missing < null < boolean < number < string < other. */
function typeRank (value: JsonValue | undefined): number {
  if (value === undefined) return 0
  if (value === null) return 1
  switch (typeof value) {
    case 'boolean': return 2
    case 'number': return 3
    case 'string': return 4
    default: return 5
  }
}

/** Total order over JSON values, so that documents of mixed shapes still sort deterministically. */
export function compareValues (a: JsonValue | undefined, b: JsonValue | undefined): number {
  const rankA = typeRank(a)
  const rankB = typeRank(b)
  if (rankA !== rankB) return rankA - rankB
  if (rankA <= 1) return 0
  if (rankA === 5) {
    const sa = JSON.stringify(a)
    const sb = JSON.stringify(b)
    return sa < sb ? -1 : sa > sb ? 1 : 0
  }
  return (a as number | string | boolean) < (b as number | string | boolean)
    ? -1
    : (a as number | string | boolean) > (b as number | string | boolean) ? 1 : 0
}

/** Coerces a query-string value to the type of the document's value, or undefined when it can't be. */
function coerceLike (sample: JsonValue, raw: string): JsonValue | undefined {
  switch (typeof sample) {
    case 'number': {
      if (raw.trim() === '') return undefined
      const n = Number(raw)
      return Number.isNaN(n) ? undefined : n
    }
    case 'boolean': return raw === 'true' ? true : raw === 'false' ? false : undefined
    case 'string': return raw
    default: return sample === null && raw === 'null' ? null : undefined
  }
}

function matchesFilter (doc: JsonObject, filter: Filter): boolean {
  const value = fieldOf(doc, filter.field)
  const equalsAny = (): boolean =>
    value !== undefined && filter.values.some((raw) => {
      const wanted = coerceLike(value, raw)
      return wanted !== undefined && compareValues(value, wanted) === 0
    })
  switch (filter.op) {
    case 'eq':
    case 'in':
      return equalsAny()
    case 'ne':
      return !equalsAny()
    default: {
      if (value === undefined || value === null || typeof value === 'object') return false
      const bound = coerceLike(value, filter.values[0] as string)
      if (bound === undefined) return false
      const order = compareValues(value, bound)
      switch (filter.op) {
        case 'gt': return order > 0
        case 'gte': return order >= 0
        case 'lt': return order < 0
        default: return order <= 0
      }
    }
  }
}

/** Every string value in the document, lower-cased, for `q`: a match never spans two values. */
export function searchableText (value: JsonValue, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value.toLowerCase())
  else if (value !== null && typeof value === 'object') {
    for (const child of Array.isArray(value) ? value : Object.values(value)) searchableText(child, into)
  }
  return into
}

/** Builds the predicate a listing applies to each document. Returns undefined when nothing filters. */
export function buildPredicate (
  filters: Filter[],
  q: string | undefined,
  textOf: (id: string, doc: JsonObject) => string[]
): ((id: string, doc: JsonObject) => boolean) | undefined {
  const needle = q === undefined || q === '' ? undefined : q.toLowerCase()
  if (filters.length === 0 && needle === undefined) return undefined
  return (id, doc) => {
    for (const filter of filters) {
      const subject = filter.field === 'id' && !Object.hasOwn(doc, 'id') ? { ...doc, id } : doc
      if (!matchesFilter(subject, filter)) return false
    }
    return needle === undefined || textOf(id, doc).some((text) => text.includes(needle))
  }
}

/** Where a page ends: the sort key and id of its last item. Opaque to clients. */
export interface CursorPosition {
  sort: string
  value: JsonValue | undefined
  id: string
}

export function encodeCursor (position: CursorPosition): string {
  const payload = { s: position.sort, v: position.value, i: position.id }
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

export function decodeCursor (cursor: string, sort: SortSpec): CursorPosition {
  const sortKey = (sort.descending ? '-' : '') + sort.field
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    payload = undefined
  }
  const p = payload as { s?: unknown, v?: JsonValue, i?: unknown } | undefined
  if (typeof p !== 'object' || p === null || typeof p.s !== 'string' || typeof p.i !== 'string') {
    throw new StoreError('invalid-query', 'The cursor is not one this service made; start again without it.')
  }
  if (p.s !== sortKey) {
    throw new StoreError('invalid-query', `The cursor was made for sort "${p.s}", not "${sortKey}".`)
  }
  return { sort: p.s, value: p.v, id: p.i }
}
