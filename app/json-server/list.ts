import type { DocumentStore, JsonObject } from '../../plugins/engine'
import { notFound, ok, type Answer } from './answer'
import { readCollection, revalidate } from './collection-read'
import { filterDocuments } from './filters'
import { sortDocuments } from './order'
import { linkHeader, sliceDocuments, type Slicing } from './paging'
import type { JsonServerOptions } from './options'
import { embed, expand } from './relations'

/** The query of a list: slicing, sorting, relations, and every other key a filter. */
export type ListQuery = Slicing & Record<string, unknown> & {
  _sort?: string | undefined
  _order?: string | undefined
  _embed?: string[] | undefined
  _expand?: string[] | undefined
}

/**
 * GET /{collection}: json-server's list() — filter, search, sort, slice,
 * embed, expand. `fullUrl` is the request's own URL, which Link rewrites.
 * Documents about to be sent are checked against their files; if one changed
 * meanwhile, the list is computed again (a list never returns a document
 * that is no longer on disk, nor an old version of one).
 */
export async function listAnswer (store: DocumentStore, collection: string, query: ListQuery, fullUrl: string, options: JsonServerOptions): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const all = await readCollection(store, collection)
    if (all === undefined) return notFound()
    let docs = filterDocuments(all, query)
    if (query._sort !== undefined && query._sort !== '') {
      docs = sortDocuments(docs, query._sort.split(','), (query._order ?? '').split(',').map((o) => o.toLowerCase()))
    }
    const sliced = sliceDocuments(docs, query)
    const { fresh, changed } = await revalidate(store, collection, sliced.items)
    if (changed && attempt < 3) continue
    const headers: Record<string, string> = {}
    if (sliced.total !== undefined) {
      headers['x-total-count'] = String(sliced.total)
      headers['access-control-expose-headers'] = query._page === undefined ? 'X-Total-Count' : 'X-Total-Count, Link'
    }
    const link = sliced.pages === undefined ? undefined : linkHeader(fullUrl, sliced.pages)
    if (link !== undefined) headers.link = link
    const items: JsonObject[] = fresh.map((doc) => structuredClone(doc))
    if (query._embed !== undefined) await embed(store, collection, items, query._embed, options)
    if (query._expand !== undefined) await expand(store, items, query._expand, options)
    return ok(items, headers)
  }
}
