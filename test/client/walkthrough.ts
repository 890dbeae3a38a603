import createClient from 'openapi-fetch'
import type { paths } from './jsondock-api'

/** What the walkthrough asserts with: tap's `t` is one. */
export interface Checks {
  equal: (found: unknown, wanted: unknown, message: string) => unknown
  not: (found: unknown, notWanted: unknown, message: string) => unknown
  same: (found: unknown, wanted: unknown, message: string) => unknown
  match: (found: unknown, pattern: RegExp, message: string) => unknown
}

/**
 * A user's code with the typed client: openapi-typescript's types for
 * docs/openapi.json (./jsondock-api.ts) and openapi-fetch. It imports nothing
 * else of jsondock's, so test/client/generated-client.test.ts can compile it
 * alone under `tsc --strict`.
 */
export async function walkthrough (baseUrl: string, t: Checks): Promise<void> {
  // Filters are one `filters` object in the document, each key a query key of its own (form, exploded).
  const api = createClient<paths>({ baseUrl, querySerializer: { object: { style: 'form', explode: true } } })
  const collection = { collection: 'client-books' }

  const created = await api.POST('/v1/collections/{collection}/documents', {
    params: { path: collection },
    body: { id: 'dune', title: 'Dune', year: 1965 }
  })
  t.equal(created.response.status, 201, 'created')
  t.equal(created.response.headers.get('location'), '/v1/collections/client-books/documents/dune', 'with its Location')
  t.same(created.data, { id: 'dune', title: 'Dune', year: 1965 }, 'the stored document, typed')
  for (const [id, year] of [['neuromancer', 1984], ['emma', 1815]] as const) {
    const { response } = await api.PUT('/v1/collections/{collection}/documents/{id}', { params: { path: { ...collection, id } }, body: { title: id, year } })
    t.equal(response.status, 201, `${id} created with PUT`)
  }

  const read = await api.GET('/v1/collections/{collection}/documents/{id}', { params: { path: { ...collection, id: 'dune' } } })
  const etag = read.response.headers.get('etag')
  t.match(etag, /^"[^"]+"$/, 'read: a strong ETag')
  t.equal(read.data?.id, 'dune', 'the document')
  const notModified = await api.GET('/v1/collections/{collection}/documents/{id}', {
    params: { path: { ...collection, id: 'dune' }, header: { 'if-none-match': etag ?? '' } }
  })
  t.equal(notModified.response.status, 304, 'If-None-Match with it: 304')

  const patched = await api.PATCH('/v1/collections/{collection}/documents/{id}', {
    params: { path: { ...collection, id: 'dune' }, header: { 'if-match': etag ?? '' } },
    body: { year: 1966 },
    headers: { 'content-type': 'application/merge-patch+json' }
  })
  t.equal(patched.response.status, 200, 'If-Match with the current ETag: patched')
  t.equal(patched.data?.year, 1966, 'the patched document')
  t.not(patched.response.headers.get('etag'), etag, 'a new ETag')

  const stale = await api.PATCH('/v1/collections/{collection}/documents/{id}', {
    params: { path: { ...collection, id: 'dune' }, header: { 'if-match': etag ?? '' } },
    body: { year: 1967 },
    headers: { 'content-type': 'application/merge-patch+json' }
  })
  t.equal(stale.response.status, 412, 'the same ETag again is stale: 412')
  t.equal(stale.error?.type, '/problems/precondition-failed', 'a typed problem')
  t.equal(stale.data, undefined, 'and no data')

  // The plain list call the old document (limit required) made impossible under --strict.
  const all = await api.GET('/v1/collections/{collection}/documents', { params: { path: collection } })
  t.same(all.data?.items.map((doc) => doc.id), ['dune', 'emma', 'neuromancer'], 'a plain list: every document, in id order')

  const ids: string[] = []
  let cursor: string | undefined
  do {
    const page = await api.GET('/v1/collections/{collection}/documents', {
      params: { path: collection, query: { limit: 1, sort: '-year', filters: { 'year[gte]': '1900' }, ...(cursor === undefined ? {} : { cursor }) } }
    })
    t.equal(page.response.status, 200, 'a page')
    for (const doc of page.data?.items ?? []) ids.push(String(doc.id))
    cursor = page.data?.nextCursor ?? undefined
  } while (cursor !== undefined && ids.length < 10)
  t.same(ids, ['neuromancer', 'dune'], 'a filter (year[gte]=1900), sorted, one page at a time by cursor')

  const deleted = await api.DELETE('/v1/collections/{collection}/documents/{id}', { params: { path: { ...collection, id: 'dune' } } })
  t.equal(deleted.response.status, 204, 'deleted')
  const gone = await api.GET('/v1/collections/{collection}/documents/{id}', { params: { path: { ...collection, id: 'dune' } } })
  t.equal(gone.response.status, 404, 'and gone')
  t.equal(gone.error?.type, '/problems/document-not-found', 'a typed problem')
}
