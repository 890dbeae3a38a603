import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { HttpProblem } from './errors'

export interface AccessOptions {
  /** Bearer tokens allowed to write; empty means writes are open. */
  tokens: string[]
  /** With tokens set, reads need one too (health and the API docs stay open). */
  authReads: boolean
  readOnly: boolean
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/**
 * Always open: probes must work without credentials, Swagger UI must load to offer
 * its Authorize button, and `/` (links only) must send a browser there.
 */
const OPEN_PATHS = /^\/($|\?|health\/|docs(\/|$|\?))/

/**
 * What a request needs, from its method and URL alone: `open` never needs a token,
 * `read` needs one when API_TOKENS and AUTH_READS are both set, `write` whenever
 * API_TOKENS is set. The OpenAPI document's `security` is derived from this same
 * function (plugins/openapi.ts), so what Swagger UI sends cannot drift from what
 * the hook below demands.
 */
export type Guard = 'open' | 'read' | 'write'

export function guardFor (method: string, url: string): Guard {
  // OPTIONS is a CORS preflight: browsers never send credentials with it.
  if (method === 'OPTIONS') return 'open'
  if (!SAFE_METHODS.has(method)) return 'write'
  return OPEN_PATHS.test(url) ? 'open' : 'read'
}

function digest (value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/**
 * Who may write (and, with AUTH_READS, read), and whether anyone may write.
 * Writes are refused with 405 in read-only mode and need a bearer token when
 * API_TOKENS is set. Tokens are compared as fixed-length digests in constant
 * time, always against every token; they are never logged.
 */
async function accessPlugin (app: FastifyInstance, options: AccessOptions): Promise<void> {
  const allowed = options.tokens.map(digest)

  const authorized = (request: FastifyRequest): boolean => {
    const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '')
    const given = digest(match?.[1] ?? '')
    let ok = false
    for (const token of allowed) ok = timingSafeEqual(token, given) || ok
    return match !== null && ok
  }

  const problemOf = (request: FastifyRequest): HttpProblem | undefined => {
    const guard = guardFor(request.method, request.url)
    const isWrite = guard === 'write'
    if (isWrite && options.readOnly) {
      return new HttpProblem(405, 'read-only', 'The service runs with READ_ONLY=true: only GET and HEAD are allowed.', { allow: 'GET, HEAD' })
    }
    if (allowed.length === 0 || guard === 'open') return undefined
    if (guard === 'read' && !options.authReads) return undefined
    if (authorized(request)) return undefined
    const given = request.headers.authorization !== undefined
    return new HttpProblem(401, 'unauthorized',
      `${isWrite ? 'Writes need' : 'This service requires'} a valid token: send "Authorization: Bearer <token>".`,
      { 'www-authenticate': `Bearer realm="jsondock"${given ? ', error="invalid_token"' : ''}` })
  }

  // With no tokens and writes allowed there is nothing to guard: no hook at all. Otherwise the
  // callback form, since it runs on every request and an async hook costs a promise and a microtask each.
  if (allowed.length === 0 && !options.readOnly) return
  app.addHook('onRequest', (request, _reply, done) => { done(problemOf(request)) })
}

// fastify-plugin: the hook must guard the routes registered beside this plugin.
export default fp(accessPlugin, { name: 'access', fastify: '5.x' })
