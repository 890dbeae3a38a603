import { StoreError } from './store-errors'
import type { JsonValue } from './json-types'
import { sortName, type SortSpec } from './list-query'

/** Where a page ends: the sort keys' values and the id of its last item. */
export interface CursorPosition {
  values: Array<JsonValue | undefined>
  id: string
}

// Opaque to clients: base64url of {s: sort, v: [[value] or [] when the field is missing, …], i: id}.
export function encodeCursor (sort: SortSpec, position: CursorPosition): string {
  const payload = { s: sortName(sort), v: position.values.map((value) => value === undefined ? [] : [value]), i: position.id }
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

export function decodeCursor (cursor: string, sort: SortSpec): CursorPosition {
  const name = sortName(sort)
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    payload = undefined
  }
  const p = payload as { s?: unknown, v?: unknown, i?: unknown } | undefined
  const values = p?.v
  if (typeof p !== 'object' || p === null || typeof p.s !== 'string' || typeof p.i !== 'string' ||
    !Array.isArray(values) || !values.every((v) => Array.isArray(v) && v.length <= 1)) {
    throw new StoreError('invalid-query', 'The cursor is not one this service made; start again without it.')
  }
  if (p.s !== name || values.length !== sort.length) {
    throw new StoreError('invalid-query', `The cursor was made for sort "${p.s}", not "${name}"; start again without it.`)
  }
  return { values: (values as JsonValue[][]).map((v) => v.length === 0 ? undefined : v[0]), id: p.i }
}
