import type { JsonObject, JsonValue } from '../../plugins/engine'
import { compareAscending, valueAt } from './values'

/*
 * Orders of json-server lists: the default one (id order, which is db.json's
 * order for data json-server made) and lodash's orderBy for `_sort`/`_order`.
 */

function idRank (id: JsonValue | undefined): number {
  return typeof id === 'number' ? 0 : typeof id === 'string' ? 1 : 2
}

function compareText (x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0
}

/** Default order: numeric ids numerically, then string ids (time-ordered ones in creation order), then documents without one. */
export function compareIds (a: JsonObject, b: JsonObject): number {
  const x = a.id
  const y = b.id
  const rank = idRank(x) - idRank(y)
  if (rank !== 0) return rank
  if (typeof x === 'number' && typeof y === 'number') return x - y
  if (typeof x === 'string' && typeof y === 'string') return compareText(x, y)
  return 0
}

/** Sorts by compareIds, fast for large collections: numbers and strings apart, each with a plain comparison. */
export function sortById (docs: JsonObject[]): JsonObject[] {
  const numbers: Array<{ id: number, doc: JsonObject }> = []
  const strings: Array<{ id: string, doc: JsonObject }> = []
  const others: JsonObject[] = []
  for (const doc of docs) {
    if (typeof doc.id === 'number') numbers.push({ id: doc.id, doc })
    else if (typeof doc.id === 'string') strings.push({ id: doc.id, doc })
    else others.push(doc)
  }
  numbers.sort((a, b) => a.id - b.id)
  strings.sort((a, b) => compareText(a.id, b.id))
  return [...numbers.map((n) => n.doc), ...strings.map((s) => s.doc), ...others]
}

/**
 * lodash's orderBy(docs, fields, orders), as json-server calls it: criteria in
 * turn, `desc` (any case) reverses one, anything else is ascending; ties keep
 * their order (a stable sort).
 */
export function sortDocuments (docs: JsonObject[], fields: string[], orders: string[]): JsonObject[] {
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
