import type { Static } from '@sinclair/typebox'
import { HttpProblem } from '../../plugins/errors'
import { FILTER_OPERATORS, type Filter, type FilterOperator, type PageQuery, type SortKey, type SortSpec } from '../../plugins/engine'
import { DEFAULT_PAGE_SIZE, ListDocumentsQuery, MAX_FIELD_NAME_LENGTH, MAX_SORT_KEYS } from '../../schemas/documents'

/** Query-string keys that are not filters: the ones the schema names. */
const RESERVED_QUERY_KEYS: ReadonlySet<string> = new Set(Object.keys(ListDocumentsQuery.properties))

const FILTER_KEY = new RegExp(`^([^[\\]]{1,${MAX_FIELD_NAME_LENGTH}})(?:\\[([a-z]+)\\])?$`)

// Brackets are the filter operators' syntax; control characters and spaces at a key's ends are typing accidents.
const BAD_SORT_CHARACTER = /[[\]\u0000-\u001f\u007f]/
const SORT_ALLOWED = 'Allowed: sort=field, or sort=-field for descending; several keys comma-separated, applied in turn ' +
  `(sort=-year,title), at most ${MAX_SORT_KEYS}; each a field name or dotted path (author.name) of 1 to ${MAX_FIELD_NAME_LENGTH} ` +
  'characters, without brackets, control characters or spaces at its ends. Ties are broken by id.'

function invalidQuery (detail: string): HttpProblem {
  return new HttpProblem(400, 'invalid-query', detail)
}

/** The v1 listing's query string (`limit`, `cursor`, `sort=-year,title`, `q`, `count`, `fields=a,b`, filters) as the engine's typed query. */
export function pageQueryOf (query: Static<typeof ListDocumentsQuery>): PageQuery {
  const { limit, cursor, sort, q, count, fields } = query
  return { limit: limit ?? DEFAULT_PAGE_SIZE, cursor, sort: parseSort(sort), q, count, fields: fields?.split(','), filters: parseFilters(query) }
}

/** Reads `field=value` and `field[op]=value` pairs out of the query string: every key the schema does not name. */
function parseFilters (query: Record<string, unknown>): Filter[] {
  const filters: Filter[] = []
  for (const [key, raw] of Object.entries(query)) {
    if (RESERVED_QUERY_KEYS.has(key)) continue
    const match = FILTER_KEY.exec(key)
    const op = (match?.[2] ?? 'eq') as FilterOperator
    if (match === null || !FILTER_OPERATORS.includes(op)) {
      throw invalidQuery(`Unknown filter "${key}": use field=value or field[op]=value with op one of ${FILTER_OPERATORS.join(', ')}.`)
    }
    if (typeof raw !== 'string') {
      throw invalidQuery(`Filter "${key}" is given more than once; use ${match[1]}[in]=a,b.`)
    }
    filters.push({ field: match[1] as string, op, values: op === 'in' ? raw.split(',') : [raw] })
  }
  return filters
}

/** The keys of `sort=-year,title`, each `field` or `-field` (descending); absent: the engine's id order. */
function parseSort (sort: string | undefined): SortSpec | undefined {
  if (sort === undefined) return undefined
  const parts = sort.split(',')
  const refuse = (why: string): never => {
    throw invalidQuery(`Cannot sort by "${sort}": ${why}. ${SORT_ALLOWED}`)
  }
  // An empty sort= is a form's field left blank or a typo: it cannot mean an order, so it is named rather than read as none.
  if (sort === '') throw invalidQuery(`sort= is empty: leave it out for id order (creation order for server-made ids), or name a field. ${SORT_ALLOWED}`)
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
    if (field.length > MAX_FIELD_NAME_LENGTH) refuse(`${which} is longer than ${MAX_FIELD_NAME_LENGTH} characters`)
    if (BAD_SORT_CHARACTER.test(field)) refuse(`${which} holds a bracket or a control character`)
    if (keys.some((key) => key.field === field)) refuse(`"${field}" is given twice`)
    keys.push({ field, descending })
  })
  return keys
}
