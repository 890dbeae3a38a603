import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { StoreObserver } from './engine'
import { BoundHistogram, CountOf, type Series } from './prebound-metrics'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry, storeObserver: StoreObserver }
  }
}

/**
 * Prometheus metrics (prom-client) on a registry of this app's own — no
 * process-wide default registry, so several apps (tests) never share counts.
 * HTTP requests by route and status, store operations and fsync latency
 * (timed by the engine through `storeObserver`), documents per collection
 * (counted on scrape), and Node's process metrics.
 */
async function metricsPlugin (app: FastifyInstance): Promise<void> {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  // Observed on every request: series bound once, no labels object per request (prebound-metrics.ts).
  const durations = new BoundHistogram('jsondock_http_request_duration_seconds',
    'Time to answer an HTTP request, by method, route pattern and status code.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registry)
  // eslint-disable-next-line no-new -- registered with the registry, which reads it on scrape
  new CountOf('jsondock_http_requests_total', 'HTTP requests answered, by method, route pattern and status code.', durations, registry)
  const operations = new BoundHistogram('jsondock_store_operation_duration_seconds',
    'Time of store operations (get, list, create, put, patch, delete), by outcome.',
    [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registry)
  const fsyncs = new Histogram({
    name: 'jsondock_fsync_duration_seconds',
    help: 'Time of each fsync of a document or of its folder.',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [registry]
  })
  // eslint-disable-next-line no-new -- registered with the registry, which reads it on scrape
  new Gauge({
    name: 'jsondock_documents',
    help: 'Documents per collection, counted on the volume when scraped.',
    labelNames: ['collection'] as const,
    registers: [registry],
    async collect () {
      this.reset()
      for (const { name, count } of await app.store.listCollections()) this.set({ collection: name }, count)
    }
  })

  app.decorate('metrics', {
    registry,
    storeObserver: {
      operation: (operation, seconds, outcome) => operations.series(`${operation} ${outcome}`, () => ({ operation, outcome })).observe(seconds),
      fsync: (seconds) => fsyncs.observe(seconds)
    }
  })

  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: label values stay few.
    const route = request.routeOptions.url ?? 'unmatched'
    const series: Series = durations.series(`${request.method} ${reply.statusCode} ${route}`,
      () => ({ method: request.method, route, status: String(reply.statusCode) }))
    series.observe(reply.elapsedTime / 1000)
    done()
  })
}

// fastify-plugin: the decoration is read by the store plugin and the /metrics route.
export default fp(metricsPlugin, { name: 'metrics', fastify: '5.x' })
