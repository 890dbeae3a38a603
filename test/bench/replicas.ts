/**
 * The replicas variant: 3 jsondock processes on one DATA_DIR, the load spread
 * over them (10 connections in all, as 4 + 3 + 3), next to the same load on
 * one process. Reads, writes to random documents, and every write to one hot
 * document (which the cross-process write lock serialises): the per-write
 * cost and the latency when several processes share a volume.
 */
import { cannonOnce, cpuSecondsOf, round, waitFor200, type CannonRequest, type Probe, type RunStats } from './lib'
import { requestsFor, type WorkloadId } from './workloads'

export interface Replica { url: string, pid: number }

/** One load split over several processes: req/s summed, the worst p50/p99, CPU of all of them per request. */
export function spreadProbe (name: string, replicas: Replica[], connections: number, requests: (i: number) => CannonRequest[], timeoutSec: number): Probe {
  return {
    name,
    run: async (seconds): Promise<RunStats> => {
      const before = replicas.map((r) => cpuSecondsOf(r.pid) ?? 0)
      const share = (i: number): number => Math.floor(connections / replicas.length) + (i < connections % replicas.length ? 1 : 0)
      const all = await Promise.all(replicas.map(async (r, i) => await cannonOnce({ url: r.url, connections: share(i), requests: requests(i) }, seconds, timeoutSec)))
      const cpu = replicas.reduce((sum, r, i) => sum + (cpuSecondsOf(r.pid) ?? 0) - (before[i] ?? 0), 0)
      const total = all.reduce((s, x) => s + x.total, 0)
      return {
        rps: round(all.reduce((s, x) => s + x.rps, 0), 1),
        p50: Math.max(...all.map((x) => x.p50)),
        p99: Math.max(...all.map((x) => x.p99)),
        total,
        non2xx: all.reduce((s, x) => s + x.non2xx, 0),
        errors: all.reduce((s, x) => s + x.errors, 0),
        timeouts: all.reduce((s, x) => s + x.timeouts, 0),
        seconds,
        ...(total > 0 ? { cpuUsPerOp: round(cpu * 1e6 / total) } : {})
      }
    },
    drain: async () => { for (const r of replicas) await waitFor200(r.url + '/health/live', 300_000, 20) }
  }
}

/** Every write to one document: a merge patch of its price. */
export function hotDocumentRequests (id: string, seed: number): CannonRequest[] {
  let price = seed
  return [{
    method: 'PATCH',
    path: `/v1/collections/items/documents/${id}`,
    headers: { 'content-type': 'application/merge-patch+json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ price: (price++ % 100_000) / 100 }) })
  }]
}

/** The probes of the variant: each workload on 3 processes and on 1 (the first of them). */
export function replicaProbes (replicas: Replica[], ids: string[], connections: number, timeoutSec: number): Probe[] {
  const hot = ids[0] as string
  const spread = (w: WorkloadId) => (i: number) => requestsFor('jsondock', w, ids, 100 + i)
  const one = replicas.slice(0, 1)
  return [
    spreadProbe('W1 ×3', replicas, connections, spread('W1'), timeoutSec),
    spreadProbe('W3 ×3', replicas, connections, spread('W3'), timeoutSec),
    spreadProbe('W3 ×1', one, connections, spread('W3'), timeoutSec),
    spreadProbe('hot ×3', replicas, connections, (i) => hotDocumentRequests(hot, 1000 * i), timeoutSec),
    spreadProbe('hot ×1', one, connections, (i) => hotDocumentRequests(hot, 1000 * i), timeoutSec)
  ]
}
