import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HttpProblem } from './errors'
import { problemResponses } from '../schemas/common'

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
      tags: ['health'],
      summary: 'Liveness: the process is up and answering',
      response: { 200: Status }
    }
  }, async () => ({ status: 'ok' }))

  app.get('/health/ready', {
    logLevel: 'warn',
    schema: {
      tags: ['health'],
      summary: 'Readiness: DATA_DIR is readable and writable (readable, with READ_ONLY=true)',
      response: { 200: Status, ...problemResponses(503) }
    }
  }, async () => {
    const { ready, reason } = await app.store.checkReady()
    if (!ready) throw new HttpProblem(503, 'not-ready', reason ?? 'not ready')
    return app.store.readOnly ? { status: 'ready', mode: 'read-only' as const } : { status: 'ready' }
  })
}

export default healthRoutes
