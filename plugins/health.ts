import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HttpProblem } from './errors'
import { NoQuery, problemResponses } from '../schemas/common'

const Status = Type.Object({
  status: Type.String({ examples: ['ok'] }),
  mode: Type.Optional(Type.Literal('read-only', { description: 'Present when the service runs with READ_ONLY=true.' }))
})

/** Liveness (the process answers) and readiness (DATA_DIR can be used). */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Probes come every few seconds: their request lines are not logged (warnings still are).
  app.get('/health/live', {
    logLevel: 'warn',
    schema: {
      operationId: 'getLiveness',
      tags: ['health'],
      summary: 'Liveness: the process is up and answering',
      description: 'Always 200 while the process runs, even when it sheds load: for an orchestrator\'s liveness probe. Never needs a token.',
      querystring: NoQuery,
      response: { 200: Status, ...problemResponses(400) }
    }
  }, async () => ({ status: 'ok' }))

  app.get('/health/ready', {
    logLevel: 'warn',
    schema: {
      operationId: 'getReadiness',
      tags: ['health'],
      summary: 'Readiness: DATA_DIR is readable and writable (readable, with READ_ONLY=true)',
      description: '200 when DATA_DIR can be used, 503 (a problem naming the reason) when it cannot: for a readiness probe. Never needs a token.',
      querystring: NoQuery,
      response: { 200: Status, ...problemResponses(400, 503) }
    }
  }, async () => {
    const { ready, reason } = await app.store.checkReady()
    if (!ready) throw new HttpProblem(503, 'not-ready', reason ?? 'not ready')
    return app.store.readOnly ? { status: 'ready', mode: 'read-only' as const } : { status: 'ready' }
  })
}

export default healthRoutes
