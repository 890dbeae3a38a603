import { randomUUID } from 'node:crypto'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { version } from '../package.json'
import access from '../plugins/access'
import errors from '../plugins/errors'
import health from '../plugins/health'
import openapi from '../plugins/openapi'
import store from '../plugins/store'
import { apiTokens, type AppConfig } from './config'
import collectionRoutes from './routes/collections'
import documentRoutes from './routes/documents'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export interface BuildOptions {
  /** Overrides the logger (tests pass `false` or a stream). Default: JSON lines on stdout at LOG_LEVEL. */
  logger?: FastifyServerOptions['logger']
}

/**
 * Builds the whole service from a validated configuration. Plugins are
 * registered explicitly, in a fixed order (no autoload, so esbuild can make
 * one file): infrastructure → store → routes.
 */
export async function buildApp (config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    bodyLimit: config.BODY_LIMIT,
    // A caller's X-Request-Id is kept when it is short and plain; otherwise we make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    routerOptions: { maxParamLength: 256 },
    // Unknown keys in a strict schema are a 400, not silently dropped.
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error'
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  // Bodies are JSON only: a text/plain body must be a 415, not an unvalidated string.
  app.removeContentTypeParser('text/plain')

  // infrastructure
  await app.register(errors)
  if (config.CORS_ORIGIN !== '') {
    await app.register(cors, {
      origin: config.CORS_ORIGIN === '*' ? '*' : config.CORS_ORIGIN.split(',').map((o) => o.trim()),
      exposedHeaders: ['etag', 'location', 'link', 'x-request-id']
    })
  }
  await app.register(access, { tokens: apiTokens(config), readOnly: config.READ_ONLY })
  await app.register(openapi, { version })
  await app.register(store, { dataDir: config.DATA_DIR, readOnly: config.READ_ONLY })

  // routes
  await app.register(health)
  await app.register(collectionRoutes)
  await app.register(documentRoutes)

  return app
}
