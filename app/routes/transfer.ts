import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HttpProblem } from '../../plugins/errors'
import { requireMediaType } from '../../plugins/json-body'
import { DEFAULT_MAX_DOCUMENT_BYTES, readDbJson, readNdjson, SINGULAR_COLLECTION, type DocumentStore, type JsonObject } from '../../plugins/engine'
import { CollectionParams, NoQuery, problemResponses } from '../../schemas/common'
import { JSON_CONTENT_TYPE } from '../http/document-reply'
import { DbJson, ImportBody, ImportQuery, ImportSummary } from '../../schemas/transfer'

const NDJSON = 'application/x-ndjson'

/** A stored singular resource as json-server holds it: `{"id": name, "value": {…}}` with nothing else, its name free. */
function singularOf (doc: JsonObject, collections: ReadonlySet<string>): { name: string, value: JsonObject } | undefined {
  const { id, value, ...rest } = doc
  if (typeof id !== 'string' || collections.has(id) || Object.keys(rest).length > 0) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return { name: id, value }
}

/**
 * The whole store as a json-server db.json, one document at a time: each
 * collection an array, and each singular resource (a document of
 * json-server-singular) a top-level object again, as it was imported, so the
 * export reads back into the same db.json. A document of that folder that is
 * not such a resource (made by hand, or named like a collection) stays in its
 * array: nothing is dropped.
 */
async function * exportDb (store: DocumentStore): AsyncGenerator<string> {
  yield '{'
  let first = true
  const member = (name: string): string => {
    const text = `${first ? '' : ','}\n  ${JSON.stringify(name)}: `
    first = false
    return text
  }
  const names = (await store.listCollections()).map((c) => c.name)
  const collections = new Set(names.filter((name) => name !== SINGULAR_COLLECTION))
  const singulars: Array<{ name: string, value: JsonObject }> = []
  for (const name of names) {
    let open = false // this collection's array has begun
    for await (const doc of store.exportDocuments(name)) {
      const singular = name === SINGULAR_COLLECTION ? singularOf(doc, collections) : undefined
      if (singular !== undefined) {
        singulars.push(singular)
        continue
      }
      yield `${open ? ',' : `${member(name)}[`}\n    ${JSON.stringify(doc)}`
      open = true
    }
    if (open) yield '\n  ]'
    else if (name !== SINGULAR_COLLECTION) yield `${member(name)}[]`
  }
  for (const { name, value } of singulars) yield `${member(name)}${JSON.stringify(value)}`
  yield '\n}\n'
}

async function * exportNdjson (store: DocumentStore, collection: string): AsyncGenerator<string> {
  for await (const doc of store.exportDocuments(collection)) yield JSON.stringify(doc) + '\n'
}

// Typed `unknown` for the handler: the answer is a stream (never serialized), which spells out DbJson.
const dbJsonResponse: unknown = { description: 'db.json, streamed', content: { 'application/json': { schema: DbJson } } }

/** The request body the import's content-type parser hands over unread: the stream itself. */
function bodyStream (body: unknown): Readable {
  if (!(body instanceof Readable)) throw new TypeError('The import route expects its body as a stream.')
  return body
}

/** Import (db.json or NDJSON, streamed) and export (db.json, or NDJSON per collection, streamed). */
const transferRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Imports are streamed: the body reaches the handler unread, so no import is
  // held in memory or bounded by BODY_LIMIT as a whole; each document still
  // is checked, and is bounded by BODY_LIMIT on its own.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(['application/json', NDJSON], (_request, payload, done) => { done(null, payload) })

  app.post('/v1/import', {
    onRequest: requireMediaType('application/json', NDJSON),
    // Documented only (plugins/openapi.ts): the body is a stream here, never validated as a whole.
    config: { documentedBody: ImportBody },
    schema: {
      operationId: 'importDocuments',
      tags: ['transfer'],
      summary: 'Import a json-server db.json, or NDJSON into one collection',
      description:
        'Send a db.json (`application/json`: `{"posts": [{…}], "users": {"1": {…}}}`) or NDJSON ' +
        `(\`${NDJSON}\`, one document per line, with \`?collection=\`). The body is streamed. The whole request is ` +
        'imported all or nothing: every document of every collection is validated (ids, the collection schema) and staged ' +
        'durably before any file moves in, and the answer comes once all are in place. Imported documents replace documents ' +
        'with the same id; others are kept. On failure nothing is written; the problem names the failing collection.',
      querystring: ImportQuery,
      response: { 200: ImportSummary, ...problemResponses(400, 401, 405, 415, 422, 507) }
    }
  }, async (request) => {
    const body = bodyStream(request.body)
    const ndjson = request.headers['content-type']?.toLowerCase().startsWith(NDJSON) === true
    const { collection } = request.query
    if (ndjson && collection === undefined) {
      body.resume()
      throw new HttpProblem(400, 'validation', 'An NDJSON import needs ?collection=<name>.')
    }
    // The body is unbounded, but each document in it is held whole: at most BODY_LIMIT, like any request body.
    const limits = { maxDocumentBytes: app.initialConfig.bodyLimit ?? DEFAULT_MAX_DOCUMENT_BYTES }
    const items = ndjson && collection !== undefined ? readNdjson(body, collection, limits) : readDbJson(body, limits)
    return await app.store.importDocuments(items)
  })

  app.get('/v1/export', {
    schema: {
      operationId: 'exportDatabase',
      tags: ['transfer'],
      summary: 'Export every collection as one json-server db.json',
      description: 'Every collection, by name, with its documents in id order: what `POST /v1/import` (or json-server) reads back.',
      querystring: NoQuery,
      response: { 200: dbJsonResponse, ...problemResponses(400, 500) }
    }
  }, async (_request, reply) => {
    await app.store.checkExportable() // a backup is complete, or it is refused before the first byte
    reply.type(JSON_CONTENT_TYPE).header('content-disposition', 'attachment; filename="db.json"')
    return Readable.from(exportDb(app.store))
  })

  app.get('/v1/collections/:collection/export', {
    schema: {
      operationId: 'exportCollection',
      tags: ['transfer'],
      summary: 'Export one collection as NDJSON, in id order',
      description: 'One document per line, as `POST /v1/import?collection=` reads it back.',
      params: CollectionParams,
      response: { 200: { description: 'One document per line, streamed', content: { [NDJSON]: { schema: { type: 'string' } } } }, ...problemResponses(400, 404, 500) }
    }
  }, async (request, reply) => {
    await app.store.getCollection(request.params.collection) // 404 before streaming starts
    await app.store.checkExportable(request.params.collection)
    reply.type(`${NDJSON}; charset=utf-8`).header('content-disposition', `attachment; filename="${request.params.collection}.ndjson"`)
    return Readable.from(exportNdjson(app.store, request.params.collection))
  })
}

export default transferRoutes
