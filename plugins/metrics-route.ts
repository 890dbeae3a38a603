import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

/** GET /metrics: what the metrics plugin counts, in the Prometheus text format. */
const metricsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', {
    schema: {
      tags: ['health'],
      summary: 'Metrics in the Prometheus text format',
      response: {
        200: { description: 'Prometheus exposition format', content: { 'text/plain': { schema: { type: 'string' } } } }
      }
    }
  }, async (_request, reply) => {
    reply.type(app.metrics.registry.contentType)
    return await app.metrics.registry.metrics()
  })
}

export default metricsRoute
