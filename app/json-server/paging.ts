import type { JsonObject } from '../../plugins/engine'

/*
 * Slicing a list as json-server 0.17 does: `_page` (with `_limit`, 10 by
 * default) wins over `_start`/`_end`, which win over `_start`/`_limit`;
 * `_start` alone slices nothing. X-Total-Count comes with `_page`, `_end` or
 * `_limit`, and `_page` adds Link (first, prev, next, last).
 */

export interface Slicing { _page?: number | undefined, _limit?: number | undefined, _start?: number | undefined, _end?: number | undefined }

export interface Sliced {
  items: JsonObject[]
  /** Matching documents before slicing, when json-server would send X-Total-Count. */
  total?: number
  /** Page numbers for Link, with `_page`, and the page asked for (the number its links replace). */
  pages?: { current?: number, first?: number, prev?: number, next?: number, last?: number }
}

/** json-server's utils.getPage. */
function getPage (docs: JsonObject[], page: number, perPage: number): { items: JsonObject[], pages: NonNullable<Sliced['pages']> } {
  const start = (page - 1) * perPage
  const end = page * perPage
  const items = docs.slice(start, end)
  const pages: NonNullable<Sliced['pages']> = {}
  if (items.length === 0) return { items, pages }
  if (page > 1) pages.prev = page - 1
  if (end < docs.length) pages.next = page + 1
  if (items.length !== docs.length) {
    pages.current = page
    pages.first = 1
    pages.last = Math.ceil(docs.length / perPage)
  }
  return { items, pages }
}

export function sliceDocuments (docs: JsonObject[], { _page, _limit, _start, _end }: Slicing): Sliced {
  const total = _page !== undefined || _end !== undefined || _limit !== undefined ? docs.length : undefined
  if (_page !== undefined) {
    const { items, pages } = getPage(docs, _page, _limit === undefined || _limit === 0 ? 10 : _limit)
    return { items, total: docs.length, pages }
  }
  const start = _start ?? 0
  if (_end !== undefined) return { items: docs.slice(start, _end), ...(total === undefined ? {} : { total }) }
  if (_limit !== undefined) return { items: docs.slice(start, start + _limit), ...(total === undefined ? {} : { total }) }
  return { items: docs }
}

/**
 * json-server's Link header: the request's full URL with its first
 * `page=<current>` replaced by each target page, in first, prev, next, last order.
 */
export function linkHeader (fullUrl: string, pages: NonNullable<Sliced['pages']>): string | undefined {
  const links: string[] = []
  for (const rel of ['first', 'prev', 'next', 'last'] as const) {
    const target = pages[rel]
    if (target !== undefined && pages.current !== undefined) links.push(`<${fullUrl.replace(`page=${pages.current}`, `page=${target}`)}>; rel="${rel}"`)
  }
  return links.length === 0 ? undefined : links.join(', ')
}
