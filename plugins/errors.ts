import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { ProblemBody } from '../schemas/common'
import { ConfigSchema } from '../schemas/config'
import { fieldProblems, ImportError, StoreError, type StoreErrorCode } from './engine'
import { validationDetail } from './validation-messages'

/**
 * An error raised by the HTTP layer itself (auth, read-only, media types),
 * carrying everything its problem+json answer needs.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem'
  constructor (
    readonly status: number,
    readonly slug: string,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

const storeStatus: Record<StoreErrorCode, number> = {
  'invalid-name': 400,
  'invalid-document': 400,
  'document-too-large': 413,
  'invalid-query': 400,
  'invalid-schema': 400,
  'collection-not-found': 404,
  'document-not-found': 404,
  'already-exists': 409,
  'collection-not-empty': 409,
  'patch-conflict': 409,
  'precondition-failed': 412,
  'schema-violation': 422,
  'patch-unprocessable': 422,
  'corrupt-document': 500,
  'storage-read-only': 503,
  'storage-not-writable': 503,
  'lock-timeout': 503,
  'insufficient-storage': 507
}

/** Fastify's own client errors, named by their codes. */
const fastifySlugs: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_BAD_URL: 'invalid-url',
  FST_ERR_MAX_PARAM_LENGTH: 'invalid-url'
}

function slugOf (status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

/** The media type of every error answer. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** The `instance` of a problem: the request's id (also its `x-request-id` header). */
function instanceOf (requestId: string): string {
  return `urn:jsondock:request:${requestId}`
}

/** RFC 9457 problem details: the one place their fields are put together. */
export function problemBody (status: number, slug: string, detail: string, requestId: string): ProblemBody {
  return { type: `/problems/${slug}`, title: STATUS_CODES[status] ?? 'Error', status, detail, instance: instanceOf(requestId) }
}

/** Maps any error to RFC 9457 problem details. Internal errors keep their detail in the log only. */
function toProblem (error: FastifyError | Error, request: FastifyRequest): ProblemBody & { headers?: Record<string, string> } {
  const base = (status: number, slug: string, detail: string): ProblemBody => problemBody(status, slug, detail, request.id)
  if (error instanceof StoreError) {
    const status = storeStatus[error.code]
    if (status >= 500 && error.code === 'corrupt-document') {
      return base(status, error.code, `${error.message} Fix the file on the volume, replace it with PUT, or remove it with DELETE.`)
    }
    return {
      ...base(status, error.code, error.message),
      ...(error.errors === undefined ? {} : { errors: error.errors }),
      ...(error instanceof ImportError ? { collection: error.collection, imported: error.summary.imported } : {}),
      ...(error.code === 'lock-timeout' ? { headers: { 'retry-after': '1' } } : {})
    }
  }
  if (error instanceof HttpProblem) {
    return { ...base(error.status, error.slug, error.message), headers: error.headers }
  }
  const fastifyError = error as FastifyError
  if (fastifyError.validation !== undefined) {
    const where = fastifyError.validationContext ?? 'body'
    return {
      ...base(400, 'validation', validationDetail(where, fastifyError.validation)),
      errors: fieldProblems(fastifyError.validation).map((problem) => ({ in: where, ...problem }))
    }
  }
  const status = fastifyError.statusCode
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit
    return base(413, 'body-too-large', `The request body is larger than BODY_LIMIT, ${limit} bytes. Send less, or raise BODY_LIMIT (at most ${ConfigSchema.properties.BODY_LIMIT.maximum ?? ''}).`)
  }
  if (status !== undefined && status >= 400 && status < 500) {
    const slug = fastifySlugs[fastifyError.code] ?? (error instanceof SyntaxError ? 'invalid-json' : slugOf(status))
    return base(status, slug, error.message.slice(0, 300))
  }
  return base(500, 'internal', 'An internal error occurred; the service log has the details under this request id.')
}

/**
 * Fastify's own errors that happen before a route is found (a URL that cannot
 * be decoded, an over-long parameter): answered as problem+json too.
 */
export function frameworkErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { headers, ...problem } = toProblem(error, request)
  void reply.code(problem.status).headers(headers ?? {}).type(PROBLEM_CONTENT_TYPE).send(problem)
}

/**
 * Requests Node's HTTP parser rejects (malformed request line, headers too
 * large, timeouts) never reach Fastify; answer them with problem+json on the
 * raw socket, then close it.
 */
export function clientErrorHandler (err: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const detail = status === 431 ? 'The request headers are too large.' : status === 408 ? 'The request took too long to arrive.' : 'The request is not valid HTTP.'
  const problem = problemBody(status, slugOf(status), detail, randomUUID())
  const body = JSON.stringify(problem)
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${problem.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}

/** An `Expect` header the service does not know: 417 as problem+json (Node's own answer has no body). */
export function expectationFailedHandler (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): void {
  const detail = `The expectation "${String(request.headers.expect).slice(0, 100)}" is not supported; only 100-continue is.`
  const body = JSON.stringify(problemBody(417, 'expectation-failed', detail, randomUUID()))
  response.writeHead(417, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), connection: 'close' })
  response.end(body)
}

/** The one way an error becomes an answer: its problem+json, logged when it is the service's fault. */
export function replyProblem (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): ProblemBody {
  const { headers, ...problem } = toProblem(error, request)
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
  reply.code(problem.status).headers(headers ?? {}).type(PROBLEM_CONTENT_TYPE)
  return problem
}

async function errorsPlugin (app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (error: FastifyError, request, reply: FastifyReply) => replyProblem(error, request, reply))

  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404).type(PROBLEM_CONTENT_TYPE)
    return problemBody(404, 'no-route', `No route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}. The API is described at /docs.`, request.id)
  })
}

export default fp(errorsPlugin, { name: 'errors', fastify: '5.x' })
