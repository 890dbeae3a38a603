import { randomUUID } from 'node:crypto'
import cors from '@fastify/cors'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { version } from '../package.json'
import access from '../plugins/access'
import { corsDelegator, refusedPreflight } from '../plugins/cors-policy'
import errors, { clientErrorHandler, expectationFailedHandler, frameworkErrorHandler, HttpProblem } from '../plugins/errors'
import health from '../plugins/health'
import jsonBody from '../plugins/json-body'
import metrics from '../plugins/metrics'
import metricsRoute from '../plugins/metrics-route'
import openapi from '../plugins/openapi'
import protection from '../plugins/protection'
import store from '../plugins/store'
import type { KnownSchema } from '../plugins/engine'
import validation from '../plugins/validation'
import { AccessLog } from './access-log'
import { apiTokens, ConfigError, type AppConfig } from './config'
import { loadRoutes, rewriterFor, type Routes } from './json-server/rewriter'
import { stdoutLogDestination } from './log-destination'
import collectionRoutes from './routes/collections'
import documentRoutes from './routes/documents'
import jsonServerRoutes from './routes/json-server'
import serviceIndexRoutes from './routes/service-index'
import transferRoutes from './routes/transfer'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export interface BuildOptions {
  /** Overrides the logger (tests pass `false` or a stream). Default: JSON lines on stdout at LOG_LEVEL. */
  logger?: FastifyServerOptions['logger']
  /**
   * Schemas that collection schemas may `$ref` by URI, preloaded (nothing is
   * ever fetched). Not settable from the environment: the conformance suite
   * uses it for the suite's remotes.
   */
  knownSchemas?: readonly KnownSchema[]
}

/**
 * Builds the whole service from a validated configuration. Plugins are
 * registered explicitly, in a fixed order (no autoload, so esbuild can make
 * one file): infrastructure → store → routes.
 */
export async function buildApp (config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const routes = await jsonServerRoutesOf(config)
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL, redact: ['req.headers.authorization'], stream: stdoutLogDestination() },
    bodyLimit: config.BODY_LIMIT,
    // One access-log line per request instead of Fastify's two (app/access-log.ts).
    logController: new AccessLog(),
    // A caller's X-Request-Id is kept when it is short and plain; otherwise we make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    // `…/documents/` is the listing, not a document with an empty id.
    routerOptions: { maxParamLength: 256, ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // plugins/protection.ts answers requests that arrive while closing, as problem+json.
    return503OnClosing: false,
    // Node would answer a missing Host with an empty 400; we answer it with a problem.
    http: { requireHostHeader: false },
    // json-server's --routes: its rules rewrite URLs under the json-server prefix before routing.
    ...(routes === undefined ? {} : { rewriteUrl: rewriterFor(config.JSON_SERVER_PREFIX, routes) })
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.server.on('checkExpectation', expectationFailedHandler)
  // Hooks on every request take Fastify's callback form: an async hook costs a promise and a microtask per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      done(new HttpProblem(400, 'bad-request', 'An HTTP/1.1 request needs a Host header.'))
      return
    }
    done()
  })
  // infrastructure
  await app.register(errors)
  await app.register(jsonBody)
  await app.register(validation)
  const corsPolicy = { corsOrigin: config.CORS_ORIGIN, jsonServerPrefix: config.JSON_SERVER_PREFIX }
  await app.register(cors, { delegator: corsDelegator(corsPolicy) })
  app.addHook('onRequest', refusedPreflight(corsPolicy))
  await app.register(access, { tokens: apiTokens(config), authReads: config.AUTH_READS, readOnly: config.READ_ONLY })
  await app.register(openapi, { version, contact: config.API_CONTACT, access: { tokens: apiTokens(config).length > 0, authReads: config.AUTH_READS, readOnly: config.READ_ONLY } })
  await app.register(protection, { rateLimit: config.RATE_LIMIT, maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS })
  await app.register(metrics)
  await app.register(store, { dataDir: config.DATA_DIR, dataDirOnHost: config.DATA_DIR_ON_HOST, readOnly: config.READ_ONLY, maxDocumentBytes: config.BODY_LIMIT, observer: app.metrics.storeObserver, ...(options.knownSchemas === undefined ? {} : { knownSchemas: options.knownSchemas }) })

  // routes
  await app.register(serviceIndexRoutes)
  await app.register(health)
  await app.register(metricsRoute)
  await app.register(collectionRoutes)
  await app.register(documentRoutes)
  await app.register(transferRoutes)
  if (config.JSON_SERVER_PREFIX !== '') {
    await app.register(jsonServerRoutes, {
      prefix: config.JSON_SERVER_PREFIX,
      foreignKeySuffix: config.JSON_SERVER_FOREIGN_KEY_SUFFIX,
      deleteDependents: config.JSON_SERVER_DELETE_DEPENDENTS,
      routes
    })
  }

  return app
}

/** The rules of JSON_SERVER_ROUTES, read once at start; a file that cannot be used stops the start, naming it. */
async function jsonServerRoutesOf (config: AppConfig): Promise<Routes | undefined> {
  if (config.JSON_SERVER_ROUTES === '' || config.JSON_SERVER_PREFIX === '') return undefined
  try {
    return await loadRoutes(config.JSON_SERVER_ROUTES)
  } catch (err) {
    throw new ConfigError(`Invalid configuration: JSON_SERVER_ROUTES=${JSON.stringify(config.JSON_SERVER_ROUTES)}: ${(err as Error).message}.`)
  }
}
