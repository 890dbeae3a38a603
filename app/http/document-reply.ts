import type { FastifyReply } from 'fastify'
import type { StoredDocument } from '../../plugins/engine'

/** The media type of every JSON answer the service sends itself (documents, exports). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/**
 * Last-Modified of each cached document version, formatted once: the engine
 * caches a StoredDocument per file version (a changed file is a new object),
 * so the string cannot outlive the version it describes.
 */
const lastModified = new WeakMap<StoredDocument, string>()

function lastModifiedOf (stored: StoredDocument): string {
  let value = lastModified.get(stored)
  if (value === undefined) {
    value = stored.mtime.toUTCString()
    lastModified.set(stored, value)
  }
  return value
}

/** Sends a document file's exact bytes, with its validators (ETag, Last-Modified). */
export function sendDocument (reply: FastifyReply, stored: StoredDocument): FastifyReply {
  return reply
    .header('etag', stored.etag)
    .header('last-modified', lastModifiedOf(stored))
    .type(JSON_CONTENT_TYPE)
    .send(stored.bytes)
}
