import type { IncomingMessage, ServerResponse } from 'node:http'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import { HttpProblem } from './errors'

export interface ProtectionOptions {
  /** Requests per minute per client address; 0 = off. */
  rateLimit: number
  /** Event-loop delay (ms) above which requests are shed with 503; 0 = off. */
  maxEventLoopDelayMs: number
}

/**
 * Security headers (helmet's, with a Content-Security-Policy that lets Swagger
 * UI's own scripts and styles run), optional per-client rate limiting, load
 * shedding while the process is overloaded, and a problem+json 503 for
 * requests that arrive while the service shuts down.
 */
/**
 * The security headers helmet sets for these options, computed once. They do
 * not depend on the request (no CSP nonces: Swagger UI's inline code is
 * allowed by hash), so there is nothing to recompute per request.
 * @fastify/helmet calls helmet(options) — parsing every option and building
 * the CSP string anew — on each request: 11 % of the CPU of a GET by id in
 * the benchmark's profile (docs/performance.md).
 */
function helmetHeaders (options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const collector = {
    setHeader: (name: string, value: string | number | readonly string[]) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: () => {}
  }
  helmet(options)({} as IncomingMessage, collector as unknown as ServerResponse, (err?: unknown) => { if (err !== undefined && err !== null) throw err })
  return headers
}

async function protectionPlugin (app: FastifyInstance, options: ProtectionOptions): Promise<void> {
  // Set by @fastify/swagger-ui: the hashes of its inline script and style.
  const swaggerCSP = (app as FastifyInstance & { swaggerCSP?: { script: string[], style: string[] } }).swaggerCSP ?? { script: [], style: [] }
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...swaggerCSP.script],
        // Swagger UI (React) sets inline style attributes; scripts stay strictly 'self'.
        styleSrc: ["'self'", "'unsafe-inline'", ...swaggerCSP.style],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Not upgrade-insecure-requests: over plain HTTP on any address but
        // localhost it would send Swagger UI's own assets to https and break it.
        upgradeInsecureRequests: null
      }
    }
  })
  // Callback-form hooks (here and below): an async hook costs a promise and a microtask on every request.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders)
    done()
  })

  if (options.rateLimit > 0) {
    await app.register(rateLimit, {
      max: options.rateLimit,
      timeWindow: '1 minute',
      // Probes must not be starved by a busy client.
      allowList: (request) => request.url.startsWith('/health/'),
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(429, 'rate-limited', `More than ${context.max} requests a minute from this address; retry in ${context.after}.`)
    })
  }

  if (options.maxEventLoopDelayMs > 0) {
    // Samples taken while routes compile at start-up describe start-up, not load.
    let measuringSince = Number.POSITIVE_INFINITY
    app.addHook('onReady', async () => { measuringSince = Date.now() + 1500 })
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      // One sample a second: a window with no sample at all (reported as an infinite
      // delay) then means the loop stalled a whole second, not one slow request.
      sampleInterval: 1000,
      pressureHandler: async (request, _reply, type, value) => {
        // Liveness must stay green under load, or an orchestrator would restart a busy but healthy process.
        if (request.url.startsWith('/health/live') || Date.now() < measuringSince) return
        throw new HttpProblem(503, 'overloaded', `The service is overloaded (${type}: ${Math.round(Number(value))}); retry shortly.`, { 'retry-after': '2' })
      }
    })
  }

  // Shutting down (Fastify's own closing answer is off: it is not problem+json):
  // new requests get a 503 problem, every answer closes its connection, and
  // keep-alive connections are closed as soon as they fall idle, so that
  // close() finishes when the in-flight requests do, not at the grace deadline.
  let closing = false
  let reaper: NodeJS.Timeout | undefined
  app.addHook('preClose', async () => {
    closing = true
    reaper = setInterval(() => app.server.closeIdleConnections(), 50)
    reaper.unref()
  })
  app.addHook('onClose', async () => { clearInterval(reaper) })
  app.addHook('onRequest', (_request, _reply, done) => {
    if (closing) {
      done(new HttpProblem(503, 'shutting-down', 'The service is shutting down; retry shortly.', { 'retry-after': '1', connection: 'close' }))
      return
    }
    done()
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })
}

// fastify-plugin: headers and hooks must apply to every route.
export default fp(protectionPlugin, { name: 'protection', fastify: '5.x', dependencies: ['openapi'] })
