import { parse as parseForm } from 'node:querystring'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { StoreError } from './engine'
import { HttpProblem, replyProblem } from './errors'
import { parseJsonBody } from './json-body'

/*
 * What json-server 0.17's Express stack does around its routes, for the
 * json-server scope only: no-cache headers (its "for IE" trio), form-encoded
 * bodies, `_delay`, and `{}` for anything not found. Other errors stay
 * problem+json. (Its CORS: plugins/cors-policy.ts.)
 */

/** What a json-server route answers (app/json-server/ builds it, knowing no HTTP; sendAnswer sends it). */
export interface Answer {
  status: number
  /** A value sent as JSON, or the exact bytes of a file (already JSON). */
  body: unknown
  headers: Record<string, string>
}

/** Longest `_delay`, in milliseconds (the schemas say the same to clients). */
const MAX_DELAY_MS = 60_000

/** Sends an answer of app/json-server: a file's bytes as they are, anything else as JSON. */
export function sendAnswer (reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).headers(answer.headers)
  if (answer.body === undefined) return reply.send()
  reply.type('application/json; charset=utf-8')
  return reply.send(Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body))
}

function delayOf (url: string): number | undefined {
  const query = url.split('?')[1]
  if (query === undefined || !query.includes('_delay')) return undefined
  const delay = Number.parseFloat(new URLSearchParams(query).get('_delay') ?? '')
  return Number.isNaN(delay) ? undefined : delay
}

async function jsonServerHttp (app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-cache').header('pragma', 'no-cache').header('expires', '-1')
    return payload
  })

  // _delay holds the answer back (a timer, never the event loop), as json-server's connect-pause does.
  app.addHook('preHandler', async (request) => {
    const delay = delayOf(request.url)
    if (delay === undefined || delay <= 0) return
    if (delay > MAX_DELAY_MS) throw new HttpProblem(400, 'invalid-query', `_delay is at most ${MAX_DELAY_MS} milliseconds.`)
    await new Promise((resolve) => setTimeout(resolve, delay))
  })

  // Form fields as json-server's body-parser reads them (extended: false): every value a string, repeated keys an array.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseJsonBody(Buffer.from(JSON.stringify({ ...parseForm(body.toString('utf8')) }))))
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)))
    }
  })

  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof StoreError && (error.code === 'collection-not-found' || error.code === 'document-not-found')) {
      return sendAnswer(reply, { status: 404, body: {}, headers: {} })
    }
    return replyProblem(error instanceof Error ? error : new Error(String(error)), request, reply)
  })
  app.setNotFoundHandler(async (_request, reply) => sendAnswer(reply, { status: 404, body: {}, headers: {} }))
}

// fastify-plugin: the hooks and handlers belong to the json-server scope that registers this, not to this plugin alone.
export default fp(jsonServerHttp, { name: 'json-server-http', fastify: '5.x' })
