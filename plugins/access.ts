import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { HttpProblem } from './errors'

export interface AccessOptions {
  /** Bearer tokens allowed to write; empty means writes are open. */
  tokens: string[]
  readOnly: boolean
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function digest (value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/**
 * Who may write, and whether anyone may. Reads are open; writes are refused
 * with 405 in read-only mode and need a bearer token when API_TOKENS is set.
 */
async function accessPlugin (app: FastifyInstance, options: AccessOptions): Promise<void> {
  // Compare fixed-length digests in constant time, and always against every token.
  const allowed = options.tokens.map(digest)

  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return
    if (options.readOnly) {
      throw new HttpProblem(405, 'read-only', 'The service runs with READ_ONLY=true: only GET and HEAD are allowed.', { allow: 'GET, HEAD' })
    }
    if (allowed.length === 0) return
    const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '')
    const given = digest(match?.[1] ?? '')
    let ok = false
    for (const token of allowed) ok = timingSafeEqual(token, given) || ok
    if (match === null || !ok) {
      throw new HttpProblem(401, 'unauthorized', 'Writes need a valid token: send "Authorization: Bearer <token>".', {
        'www-authenticate': `Bearer realm="jsondock"${match === null ? '' : ', error="invalid_token"'}`
      })
    }
  })
}

// fastify-plugin: the hook must guard the routes registered beside this plugin.
export default fp(accessPlugin, { name: 'access', fastify: '5.x' })
