/** What a listing asks the engine for: a page of a collection's documents, filtered, sorted and searched. */
export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

export interface Filter {
  field: string
  op: FilterOperator
  /** The raw query-string value(s); compared after coercion to each document's value type. */
  values: string[]
}

export interface SortSpec {
  field: string
  descending: boolean
}

export interface ListQuery {
  limit: number
  cursor?: string | undefined
  sort?: string | undefined
  q?: string | undefined
  filters: Filter[]
  /** Also count every matching document (all pages): O(n) when filtering. */
  count?: boolean | undefined
  /** Return only these fields (and the id). */
  fields?: string[] | undefined
}
