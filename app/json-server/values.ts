import type { JsonObject, JsonValue } from '../../plugins/engine'

/*
 * JSON values compared the way json-server 0.17 compares them: lodash's
 * `_.get`, JavaScript's own `<=`, lodash's compareAscending, its deepQuery.
 */

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

/** lodash's `_.has`: whether the path leads to a property (even a null one). */
export function hasPath (doc: JsonObject, path: string): boolean {
  if (Object.hasOwn(doc, path)) return true
  const parts = path.match(/[^.[\]]+/g)
  if (parts === null) return false
  let value: JsonValue | undefined = doc
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return false
    value = (value as Record<string, JsonValue>)[part]
  }
  return true
}

/** JavaScript's own `<=` between a query string and a document value, as json-server compares them. */
export function lessOrEqual (a: JsonValue, b: JsonValue): boolean {
  // Deliberately JavaScript's loose relational comparison: numbers numerically, strings as text.
  return (a as number) <= (b as number)
}

/** JavaScript's own `<`, as lodash's orderBy applies it. */
function lessThan (a: JsonValue, b: JsonValue): boolean {
  return (a as number) < (b as number)
}

/** lodash's compareAscending for JSON values: undefined and null sort after everything else. */
export function compareAscending (value: JsonValue | undefined, other: JsonValue | undefined): number {
  if (value === other) return 0
  if (value === undefined || (value === null && other !== undefined) || (other !== null && other !== undefined && lessThan(other, value))) return 1
  if (other === undefined || (other === null) || (value !== null && lessThan(value, other))) return -1
  return 0
}

/** json-server's deepQuery: any truthy scalar, nested in arrays and objects, whose text holds `q`. */
export function deepQuery (value: JsonValue | undefined, q: string): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.some((v) => deepQuery(v, q))
  if (typeof value === 'object') return Object.values(value).some((v) => deepQuery(v, q))
  return String(value).toLowerCase().includes(q)
}
