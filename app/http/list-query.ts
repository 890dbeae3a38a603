import type { Static } from '@sinclair/typebox'
import { HttpProblem } from '../../plugins/errors'
import { FILTER_OPERATORS, type Filter, type FilterOperator, type PageQuery, type SortSpec } from '../../plugins/engine'
import { ListDocumentsQuery } from '../../schemas/documents'

/** Query-string keys that are not filters: the ones the schema names. */
const RESERVED_QUERY_KEYS: ReadonlySet<string> = new Set(Object.keys(ListDocumentsQuery.properties))

const FIELD_PATTERN = /^[^[\]]{1,128}$/
const FILTER_KEY = /^([^[\]]{1,128})(?:\[([a-z]+)\])?$/

function invalidQuery (detail: string): HttpProblem {
  return new HttpProblem(400, 'invalid-query', detail)
}

/** The v1 listing's query string (`limit`, `cursor`, `sort=-field`, `q`, `count`, `fields=a,b`, filters) as the engine's typed query. */
export function pageQueryOf (query: Static<typeof ListDocumentsQuery>): PageQuery {
  const { limit, cursor, sort, q, count, fields } = query
  return { limit, cursor, sort: parseSort(sort), q, count, fields: fields?.split(','), filters: parseFilters(query) }
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

/** `field` or `-field` (descending); none: the id order. */
function parseSort (sort: string | undefined): SortSpec | undefined {
  if (sort === undefined || sort === '') return undefined
  const descending = sort.startsWith('-')
  const field = descending ? sort.slice(1) : sort
  if (!FIELD_PATTERN.test(field)) {
    throw invalidQuery(`Cannot sort on "${sort}": give a top-level field name, or -field for descending.`)
  }
  return { field, descending }
}
