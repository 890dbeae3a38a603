import { StoreError } from './store-errors'
import type { JsonValue } from './json-types'
import type { SortSpec } from './list-query'

/** Where a page ends: the sort key and id of its last item. Opaque to clients. */
interface CursorPosition {
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
