import { StoreError } from './errors'
import type { JsonValue } from './json-types'
import type { SortKey, SortSpec } from './list-query'

/** More keys than this order nothing a person can follow, and each costs every comparison. */
export const MAX_SORT_KEYS = 8

const MAX_FIELD_LENGTH = 128
// Brackets are the filter operators' syntax; control characters and spaces at a key's ends are typing accidents.
const BAD_CHARACTER = /[[\]\u0000-\u001f\u007f]/
const ALLOWED = `Allowed: sort=field, or sort=-field for descending; several keys comma-separated, applied in turn ` +
  `(sort=-year,title), at most ${MAX_SORT_KEYS}; each a field name or dotted path (author.name) of 1 to ${MAX_FIELD_LENGTH} ` +
  'characters, without brackets, control characters or spaces at its ends. Ties are broken by id.'

const BY_ID: SortSpec = [{ field: 'id', descending: false }]

/** The keys of a `sort` query parameter; absent or empty: by id. */
export function parseSort (sort: string | undefined): SortSpec {
  if (sort === undefined || sort === '') return BY_ID
  const parts = sort.split(',')
  const refuse = (why: string): never => {
    throw new StoreError('invalid-query', `Cannot sort by "${sort}": ${why}. ${ALLOWED}`)
  }
  if (parts.length > MAX_SORT_KEYS) refuse(`it has ${parts.length} keys`)
  const keys: SortKey[] = []
  parts.forEach((part, i) => {
    const which = parts.length === 1 ? 'the key' : `key ${i + 1} ("${part}")`
    if (part === '') refuse(`${which.replace(' ("")', '')} is empty`)
    if (part.trim() !== part) refuse(`${which} has a space at its start or end (in a URL a + is a space: ascending needs no sign)`)
    const descending = part.startsWith('-')
    const field = descending ? part.slice(1) : part
    if (field === '') refuse(`${which} is a - without a field`)
    if (field.startsWith('-') || field.startsWith('+')) refuse(`${which} has more than one sign`)
    if (field.length > MAX_FIELD_LENGTH) refuse(`${which} is longer than ${MAX_FIELD_LENGTH} characters`)
    if (BAD_CHARACTER.test(field)) refuse(`${which} holds a bracket or a control character`)
    if (keys.some((key) => key.field === field)) refuse(`"${field}" is given twice`)
    keys.push({ field, descending })
  })
  return keys
}

/** The sort as written canonically: names its kept order and the cursors made for it. */
export function sortName (sort: SortSpec): string {
  return sort.map((key) => (key.descending ? '-' : '') + key.field).join(',')
}

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
