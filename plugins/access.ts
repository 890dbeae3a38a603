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
/** Always open: probes must work without credentials, and Swagger UI must load to offer its Authorize button. */
const OPEN_PATHS = /^\/(health\/|docs(\/|$|\?))/

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

  app.addHook('onRequest', async (request) => {
    const isWrite = !SAFE_METHODS.has(request.method)
    if (isWrite && options.readOnly) {
      throw new HttpProblem(405, 'read-only', 'The service runs with READ_ONLY=true: only GET and HEAD are allowed.', { allow: 'GET, HEAD' })
    }
    if (allowed.length === 0 || request.method === 'OPTIONS') return
    if (!isWrite && (!options.authReads || OPEN_PATHS.test(request.url))) return
    if (!authorized(request)) {
      const given = request.headers.authorization !== undefined
      throw new HttpProblem(401, 'unauthorized',
        `${isWrite ? 'Writes need' : 'This service requires'} a valid token: send "Authorization: Bearer <token>".`,
        { 'www-authenticate': `Bearer realm="jsondock"${given ? ', error="invalid_token"' : ''}` })
    }
  })
}

// fastify-plugin: the hook must guard the routes registered beside this plugin.
export default fp(accessPlugin, { name: 'access', fastify: '5.x' })
