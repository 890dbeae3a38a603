import type { FastifyReply } from 'fastify'
import type { StoredDocument } from '../../plugins/engine'

/** The media type of every JSON answer the service sends itself (documents, exports). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/** Sends a document file's exact bytes, with its validators (ETag, Last-Modified). */
export function sendDocument (reply: FastifyReply, stored: StoredDocument): FastifyReply {
  return reply
    .header('etag', stored.etag)
    .header('last-modified', stored.mtime.toUTCString())
    .type(JSON_CONTENT_TYPE)
    .send(stored.bytes)
}
