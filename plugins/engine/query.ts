// Filters, the sort order's comparison, full-text search and projection over documents in memory.
import type { JsonObject, JsonValue } from './json-types'
import type { Filter } from './list-query'

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
