/**
 * The five workloads, as autocannon request lists, for jsondock and for
 * json-server 0.17 (same data, same shapes of request).
 */
import { makeDoc } from './seed'
import { prng, type CannonRequest } from './lib'

export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5'] as const
export type WorkloadId = (typeof WORKLOADS)[number]

export const WORKLOAD_NAMES: Record<WorkloadId, string> = {
  W1: 'GET by id',
  W2: 'POST create',
  W3: 'PATCH one field',
  W4: 'GET first page of 20',
  W5: 'filtered + sorted page'
}

/** The order a block runs them in: reads first (W4 loads the index), then writes; W2 last, as it grows the collection. */
export const RUN_ORDER: WorkloadId[] = ['W4', 'W5', 'W1', 'W3', 'W2']

export type ServerKind = 'jsondock' | 'json-server'

interface Routes {
  one: (id: string) => string
  many: string
  firstPage: string
  filtered: string
  patchType: string
}

const ROUTES: Record<ServerKind, Routes> = {
  jsondock: {
    one: (id) => `/v1/collections/items/documents/${id}`,
    many: '/v1/collections/items/documents',
    firstPage: '/v1/collections/items/documents?limit=20',
    filtered: '/v1/collections/items/documents?category=c3&sort=-price&limit=20',
    patchType: 'application/merge-patch+json'
  },
  'json-server': {
    one: (id) => `/items/${id}`,
    many: '/items',
    firstPage: '/items?_page=1&_limit=20',
    filtered: '/items?category=c3&_sort=price&_order=desc&_limit=20',
    patchType: 'application/json'
  }
}

export function describeRequest (kind: ServerKind, workload: WorkloadId): string {
  const r = ROUTES[kind]
  switch (workload) {
    case 'W1': return `GET ${r.one(':id')}`
    case 'W2': return `POST ${r.many}`
    case 'W3': return `PATCH ${r.one(':id')} (${r.patchType})`
    case 'W4': return `GET ${r.firstPage}`
    case 'W5': return `GET ${r.filtered}`
  }
}

/** Requests for one workload; ids are drawn uniformly from `ids` (the seeded documents). */
export function requestsFor (kind: ServerKind, workload: WorkloadId, ids: string[], seed = 42): CannonRequest[] {
  const r = ROUTES[kind]
  const rand = prng(seed)
  const randomId = (): string => ids[Math.floor(rand() * ids.length)] as string
  switch (workload) {
    case 'W1':
      return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: r.one(randomId()) }) }]
    case 'W2': {
      let n = 10_000_000
      return [{
        method: 'POST',
        path: r.many,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(makeDoc(n++, rand, false)) })
      }]
    }
    case 'W3':
      return [{
        method: 'PATCH',
        headers: { 'content-type': r.patchType },
        setupRequest: (req) => ({
          ...req,
          path: r.one(randomId()),
          body: JSON.stringify({ price: Math.round(rand() * 100_000) / 100 })
        })
      }]
    case 'W4':
      return [{ method: 'GET', path: r.firstPage }]
    case 'W5':
      return [{ method: 'GET', path: r.filtered }]
  }
}

/** The bare-Fastify baseline: the same GET-by-id shape against a constant answer. */
export function bareRequests (ids: string[], seed = 42): CannonRequest[] {
  const rand = prng(seed)
  return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/doc/${ids[Math.floor(rand() * ids.length)] as string}` }) }]
}
