import { isUtf8 } from 'node:buffer'
import type { Socket } from 'node:net'
import { Transform, type TransformCallback } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import secureJson from 'secure-json-parse'
import { HttpProblem } from './errors'
import { jsonShapeProblem } from './engine'

export { MAX_JSON_DEPTH } from './engine'

/**
 * Parses a JSON request body strictly: valid UTF-8 only, no `__proto__` or
 * `constructor.prototype` keys, at most MAX_JSON_DEPTH levels, and only
 * finite numbers (JSON.parse turns 1e400 into Infinity, which would be
 * stored as null). Anything else is a 400 problem, and nothing is written.
 */
export function parseJsonBody (body: Buffer): unknown {
  if (body.length === 0) throw new HttpProblem(400, 'invalid-json', 'The body is empty; send a JSON value.')
  if (!isUtf8(body)) throw new HttpProblem(400, 'invalid-json', 'The body is not valid UTF-8.')
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    throw new HttpProblem(400, 'invalid-json', 'The body starts with a byte order mark; send plain UTF-8 JSON.')
  }
  let value: unknown
  try {
    value = secureJson.parse(body.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : 'it holds a "__proto__" or "constructor.prototype" key'
    throw new HttpProblem(400, 'invalid-json', `The body is not acceptable JSON: ${reason}.`)
  }
  const problem = jsonShapeProblem(value)
  if (problem !== undefined) throw new HttpProblem(400, 'invalid-json', `The body is not acceptable: ${problem}.`)
  return value
}

/** A content-type parser for any JSON media type, with the checks above. */
export function jsonBodyParser (_request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void): void {
  try {
    done(null, parseJsonBody(body))
  } catch (err) {
    done(err as Error)
  }
}

/**
 * An onRequest hook: only the listed media types may reach the handler;
 * anything else is a 415 before the body is read (Fastify would otherwise
 * skip validation for a media type the route's schema does not name).
 */
export function requireMediaType (...types: string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (!types.includes(type)) {
      const shown = type === '' ? '' : `, not ${type.slice(0, 100)}`
      throw new HttpProblem(415, 'unsupported-media-type', `Send the body as ${types.join(' or ')}${shown}.`,
        request.method === 'PATCH' ? { 'accept-patch': types.join(', ') } : {})
    }
  }
}

/** More chunks than this, averaging under 64 bytes, end the upload. */
const MAX_TINY_CHUNKS = 2048

/**
 * Re-chunks a request body into copies of at least 16 KiB. Node hands each
 * chunk of a chunked upload over as a slice of a large socket buffer: a
 * body sent one byte per chunk would otherwise keep thousands of those
 * buffers alive at once.
 */
export class Coalesce extends Transform {
  #parts: Buffer[] = []
  #size = 0
  #chunks = 0
  #bytes = 0

  override _transform (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    // Thousands of chunks averaging a few bytes are an attack on per-chunk overhead, not an upload.
    this.#chunks++
    this.#bytes += chunk.length
    if (this.#chunks > MAX_TINY_CHUNKS && this.#bytes / this.#chunks < 64) {
      done(new HttpProblem(400, 'too-many-chunks', 'The body arrives in thousands of chunks of a few bytes; send it in larger chunks.', { connection: 'close' }))
      return
    }
    this.#parts.push(chunk)
    this.#size += chunk.length
    if (this.#size >= 16 * 1024) this.#flushParts()
    done()
  }

  override _flush (done: TransformCallback): void {
    if (this.#size > 0) this.#flushParts()
    done()
  }

  #flushParts (): void {
    this.push(Buffer.concat(this.#parts, this.#size)) // a copy: the slices' backing buffers are released
    this.#parts = []
    this.#size = 0
  }
}

/** How long a connection answered before its body ended keeps reading, at most, before it is dropped. */
export const LINGER_MS = 2000

/**
 * An answer sent before the request body has fully arrived (a 413, a 415, a
 * 400 for a body in tiny chunks) must still reach the client. Node closes
 * such a connection the moment the answer is written; bytes the client is
 * still sending then meet a closed socket, the kernel answers them with a
 * reset, and a reset makes the client's TCP stack drop the answer it had not
 * yet read (curl says "connection reset" instead of showing the 413). So
 * close the way RFC 9112 §9.6 asks: send the answer and a FIN, keep reading
 * and discarding for a moment, then close.
 */
function lingerBeforeClose (socket: Socket, request: import('node:http').IncomingMessage): void {
  const lingering = socket as Socket & { jsondockLingers?: true }
  if (lingering.jsondockLingers === true) return
  lingering.jsondockLingers = true
  // Node's HTTP server closes a finished `Connection: close` exchange with destroySoon().
  socket.destroySoon = function lingerThenDestroy (this: Socket): void {
    this.end()
    const timer = setTimeout(() => this.destroy(), LINGER_MS)
    timer.unref()
    this.once('close', () => clearTimeout(timer))
    this.once('end', () => this.destroy())
    // Whatever of the body still comes is read and thrown away.
    request.resume()
  }
}

/** Replaces Fastify's application/json parser everywhere, and drops text/plain (bodies are JSON only). */
async function jsonBodyPlugin (app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser)
  // Callback-form hooks: they run on every request, and an async hook costs a promise and a microtask each.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (request.headers['transfer-encoding'] === undefined) {
      done(null, payload)
      return
    }
    const coalesced = payload.pipe(new Coalesce())
    payload.once('error', (err) => coalesced.destroy(err))
    done(null, coalesced)
  })
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (!request.raw.complete && request.raw.socket !== null) lingerBeforeClose(request.raw.socket, request.raw)
    done(null, payload)
  })
}

// fastify-plugin: the parser must apply to every route, not just this plugin's scope.
export default fp(jsonBodyPlugin, { name: 'json-body', fastify: '5.x' })
