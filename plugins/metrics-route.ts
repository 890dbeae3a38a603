import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NoQuery, problemResponses } from '../schemas/common'

/** GET /metrics: what the metrics plugin counts, in the Prometheus text format. */
const metricsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', {
    schema: {
      operationId: 'getMetrics',
      tags: ['health'],
      summary: 'Metrics in the Prometheus text format',
      description: 'HTTP requests, store operations, fsync latency, documents per collection and process metrics (docs/operations.md).',
      querystring: NoQuery,
      response: {
        200: { description: 'Prometheus exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...problemResponses(400)
      }
    }
  }, async (_request, reply) => {
    reply.type(app.metrics.registry.contentType)
    return await app.metrics.registry.metrics()
  })
}

export default metricsRoute
