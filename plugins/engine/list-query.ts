/** What a listing asks the engine for: a page of a collection's documents, filtered, sorted and searched. */
export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

export interface Filter {
  field: string
  op: FilterOperator
  /** The value(s) as text (as a query string gives them); compared after coercion to each document's value type. */
  values: string[]
}

export interface SortSpec {
  field: string
  descending: boolean
}

/** The order of a listing that asks for none: by id (creation order for the ids the server makes). */
export const ID_ORDER: SortSpec = Object.freeze({ field: 'id', descending: false })

export interface PageQuery {
  limit: number
  cursor?: string | undefined
  /** Default: ID_ORDER. */
  sort?: SortSpec | undefined
  q?: string | undefined
  filters: Filter[]
  /** Also count every matching document (all pages): O(n) when filtering. */
  count?: boolean | undefined
  /** Return only these fields (and the id). */
  fields?: string[] | undefined
}
