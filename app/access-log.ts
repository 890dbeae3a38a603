import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'

/**
 * The access log: one line per request, "request completed" (or "request
 * errored") with the request (method, URL, host, client address), the status
 * and the time, in place of Fastify's two lines per request. Building and
 * writing the second line cost about a quarter of the CPU of a GET by id
 * (docs/performance.md). A request still unanswered when the event-loop turn
 * that received it ends (it waits for its body, the disk, a lock) also gets
 * Fastify's "incoming request" line, so a request that hangs, or that a
 * shutdown interrupts, is in the log from the moment it was accepted.
 * Fastify's other lines (errors, aborted streams) are unchanged, and routes
 * with their own logLevel (the health probes) follow it, as before.
 */
export class AccessLog extends LogController {
  #arrived: Array<{ request: FastifyRequest, reply: FastifyReply }> = []

  readonly #logUnanswered = (): void => {
    const turn = this.#arrived
    this.#arrived = []
    for (const { request, reply } of turn) {
      if (!reply.raw.writableEnded) request.log.info({ req: request }, 'incoming request')
    }
  }

  override incomingRequest (request: FastifyRequest, reply: FastifyReply): void {
    if (this.#arrived.length === 0) setImmediate(this.#logUnanswered)
    this.#arrived.push({ request, reply })
  }

  override requestCompleted (error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    if (error !== null && error !== undefined) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    } else {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    }
  }
}
