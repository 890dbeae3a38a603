import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HttpProblem } from './errors'
import { problemResponses } from '../schemas/common'

const Status = Type.Object({ status: Type.String({ examples: ['ok'] }) })

/** Liveness (the process answers), readiness (DATA_DIR can be used) and the Prometheus metrics. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health/live', {
    schema: {
      tags: ['health'],
      summary: 'Liveness: the process is up and answering',
      response: { 200: Status }
    }
  }, async () => ({ status: 'ok' }))

  app.get('/health/ready', {
    schema: {
      tags: ['health'],
      summary: 'Readiness: DATA_DIR is readable and writable',
      response: { 200: Status, ...problemResponses(503) }
    }
  }, async () => {
    const { ready, reason } = await app.store.checkReady()
    if (!ready) throw new HttpProblem(503, 'not-ready', reason ?? 'not ready')
    return { status: 'ready' }
  })

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

export default healthRoutes
