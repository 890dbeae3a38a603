import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { requireMediaType } from '../../plugins/json-body'
import jsonServerHttp, { sendAnswer } from '../../plugins/json-server-http'
import { CollectionParams, DocumentParams, ETagHeader, LocationHeader, NoQuery, problemResponses } from '../../schemas/common'
import {
  JsonServerCreateBody, JsonServerDatabase, JsonServerDocument, JsonServerListQuery, JsonServerNotFound, JsonServerOneQuery,
  JsonServerRoutes, JsonServerSingular, JsonServerUpdateBody, JsonServerWriteQuery, NestedParams, totalCountHeaders
} from '../../schemas/json-server'
import { createAnswer, createNestedAnswer, deleteAnswer, patchAnswer, replaceAnswer, showAnswer } from '../json-server/documents'
import { foreignKeyOf } from '../json-server/inflection'
import { notFound, ok } from '../json-server/answer'
import { listAnswer } from '../json-server/list'
import type { JsonServerOptions } from '../json-server/options'
import { createSingular, databaseAnswer, hasSingular, showSingular, updateSingular } from '../json-server/singulars'

/*
 * json-server 0.17 compatible routes, on the same store as the v1 API (same
 * files, same durable writes). Each route declares itself and calls one
 * function of app/json-server/; docs/json-server.md lists every difference.
 */

const TAGS = ['json-server']
const BODY_TYPES = requireMediaType('application/json', 'application/x-www-form-urlencoded')
const notFoundResponse = { 404: { description: 'Not found: `{}`, as json-server answers.', content: { 'application/json': { schema: JsonServerNotFound } } } }

const listResponses = {
  200: { description: 'The matching documents: a plain array', headers: totalCountHeaders, content: { 'application/json': { schema: Type.Array(JsonServerDocument) } } },
  ...problemResponses(400),
  ...notFoundResponse
}

const oneResponse = (description: string, extra: Record<string, unknown> = {}): unknown => ({
  description,
  headers: { ETag: ETagHeader, ...extra },
  content: { 'application/json': { schema: JsonServerDocument } }
})

const created = oneResponse('Created', { Location: LocationHeader })

/** The request's own URL, as json-server's getFullURL makes it (Link rewrites it). */
function fullUrl (request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url}`
}

/** The request's URL without its query string: Location starts from it. */
function pathUrl (request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url.split('?')[0] ?? ''}`
}

const jsonServerRoutes: FastifyPluginAsyncTypebox<JsonServerOptions> = async (app, options) => {
  const store = app.store
  await app.register(jsonServerHttp)

  app.get('/__rules', {
    schema: {
      operationId: 'jsonServerRules', tags: TAGS, summary: 'json-server: the rewrite rules (JSON_SERVER_ROUTES)',
      description: 'The routes.json that JSON_SERVER_ROUTES names, as json-server\'s `GET /__rules` answers it; 404 `{}` when there is none.',
      response: { 200: JsonServerRoutes, ...notFoundResponse }
    }
  }, async (_request, reply) => sendAnswer(reply, options.routes === undefined ? notFound() : ok(options.routes)))

  app.get('/db', {
    schema: { operationId: 'jsonServerDatabase', tags: TAGS, summary: 'json-server: the whole database', description: 'Every collection (an array) and singular resource (an object), as a db.json.', querystring: NoQuery, response: { 200: JsonServerDatabase, ...problemResponses(400) } }
  }, async (_request, reply) => sendAnswer(reply, await databaseAnswer(store)))

  app.get('/:collection', {
    schema: {
      operationId: 'jsonServerList',
      tags: TAGS,
      summary: 'json-server: list, filter, search, sort and page a collection (or read a singular resource)',
      description:
        'A plain JSON array, as json-server 0.17 answers. Every other query key filters: `field=value` (repeat the key for OR; ' +
        'dotted paths like `author.name`; compared as text), `field_gte`, `field_lte`, `field_ne`, `field_like` (case-insensitive ' +
        'regular expression); a plain filter on a field no document has is ignored. `X-Total-Count` comes with `_page`, `_limit` or ' +
        '`_end`. A singular resource (an object in the db.json) answers its object. See docs/json-server.md.',
      params: CollectionParams,
      querystring: JsonServerListQuery,
      response: listResponses
    }
  }, async (request, reply) => {
    const { collection } = request.params
    const answer = await listAnswer(store, collection, request.query, fullUrl(request), options)
    return sendAnswer(reply, answer.status === 404 ? await showSingular(store, collection) : answer)
  })

  app.post('/:collection', {
    onRequest: BODY_TYPES,
    schema: {
      operationId: 'jsonServerCreate',
      tags: TAGS,
      summary: 'json-server: create a document (id from the body, or max + 1), or set a singular resource',
      description:
        'Without an id, a collection whose ids are all numbers (or an empty one) gets max + 1; any other a time-ordered string id. ' +
        'A duplicate id is a 409 (json-server answers 500). A first write creates the collection. JSON or form fields.',
      params: CollectionParams,
      querystring: JsonServerWriteQuery,
      body: JsonServerCreateBody,
      response: { 201: created, ...problemResponses(400, 401, 405, 409, 413, 415, 422, 507) }
    }
  }, async (request, reply) => {
    const { collection } = request.params
    if (await hasSingular(store, collection)) return sendAnswer(reply, await createSingular(store, collection, request.body, pathUrl(request)))
    return sendAnswer(reply, await createAnswer(store, collection, request.body, pathUrl(request)))
  })

  for (const method of ['put', 'patch'] as const) {
    app[method]('/:collection', {
      onRequest: BODY_TYPES,
      schema: {
        operationId: method === 'put' ? 'jsonServerReplaceSingular' : 'jsonServerUpdateSingular',
        tags: TAGS,
        description: method === 'put' ? 'The body becomes the whole resource.' : 'Top-level fields of the body replace the resource\'s.',
        summary: method === 'put' ? 'json-server: replace a singular resource' : 'json-server: update some fields of a singular resource',
        params: CollectionParams,
        querystring: JsonServerWriteQuery,
        body: JsonServerUpdateBody,
        response: { 200: { description: 'The resource', content: { 'application/json': { schema: JsonServerSingular } } }, ...problemResponses(400, 401, 405, 412, 413, 415, 507), ...notFoundResponse }
      }
    }, async (request, reply) => sendAnswer(reply, await updateSingular(store, request.params.collection, request.body, method === 'patch')))
  }

  app.get('/:collection/:id', {
    schema: {
      operationId: 'jsonServerGet',
      tags: TAGS,
      summary: 'json-server: read a document, with _embed and _expand',
      description: 'The document as json-server answers it; `_embed` adds its children, `_expand` its parents. If-None-Match with its ETag answers 304.',
      params: DocumentParams,
      querystring: JsonServerOneQuery,
      response: { 200: oneResponse('The document'), 304: { description: 'Not modified: the ETag still matches.', type: 'null' }, ...problemResponses(400), ...notFoundResponse }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    return sendAnswer(reply, await showAnswer(store, collection, id, request.query, request.headers['if-none-match'], options))
  })

  // PUT and PATCH on one document differ only in what they do to the body.
  const updateSchema = (operationId: string, answered: string, summary: string, description: string) => ({
    onRequest: BODY_TYPES,
    schema: {
      operationId,
      tags: TAGS,
      summary,
      description,
      params: DocumentParams,
      querystring: JsonServerWriteQuery,
      body: JsonServerUpdateBody,
      response: { 200: oneResponse(answered), ...problemResponses(400, 401, 405, 413, 415, 422, 507), ...notFoundResponse }
    }
  })

  app.put('/:collection/:id', updateSchema('jsonServerReplace', 'Replaced', 'json-server: replace a document (its id stays)',
    'The body becomes the whole document; the id stays what it was (a number stays a number). An unknown id is a 404 `{}`.'),
  async (request, reply) => sendAnswer(reply, await replaceAnswer(store, request.params.collection, request.params.id, request.body)))

  app.patch('/:collection/:id', updateSchema('jsonServerUpdate', 'Updated', 'json-server: update some fields (a shallow merge)',
    'Top-level fields of the body replace the document\'s (`null` sets null; nested objects are replaced whole). The id never changes.'),
  async (request, reply) => sendAnswer(reply, await patchAnswer(store, request.params.collection, request.params.id, request.body)))

  app.delete('/:collection/:id', {
    schema: {
      operationId: 'jsonServerDelete',
      tags: TAGS,
      summary: 'json-server: delete a document and the documents that point at it',
      description: 'Answers `{}`, as json-server does. The documents of any collection whose `<singular of collection>Id` is this id are deleted too (JSON_SERVER_DELETE_DEPENDENTS=false turns that off); orphans that were already there are left alone.',
      params: DocumentParams,
      querystring: JsonServerWriteQuery,
      response: { 200: { description: 'Deleted: `{}`', content: { 'application/json': { schema: JsonServerNotFound } } }, ...problemResponses(400, 401, 405), ...notFoundResponse }
    }
  }, async (request, reply) => {
    const { dependents, ...answer } = await deleteAnswer(store, request.params.collection, request.params.id, options)
    // Never silent: each document removed with its parent is named in the log.
    if (dependents.length > 0) request.log.info({ dependents }, `json-server DELETE also removed ${dependents.length} dependent document(s)`)
    return sendAnswer(reply, answer)
  })

  app.get('/:parent/:id/:collection', {
    schema: {
      operationId: 'jsonServerListChildren',
      tags: TAGS,
      summary: 'json-server: list the children of a document (/posts/1/comments)',
      description: 'The same as `GET /{collection}?<singular of parent>Id={id}`, with every query parameter of a list.',
      params: NestedParams,
      querystring: JsonServerListQuery,
      response: listResponses
    }
  }, async (request, reply) => {
    const { parent, id, collection } = request.params
    const query = { ...request.query, [foreignKeyOf(parent, options.foreignKeySuffix)]: id }
    return sendAnswer(reply, await listAnswer(store, collection, query, fullUrl(request), options))
  })

  app.post('/:parent/:id/:collection', {
    onRequest: BODY_TYPES,
    schema: {
      operationId: 'jsonServerCreateChild',
      tags: TAGS,
      summary: 'json-server: create a child of a document (/posts/1/comments)',
      description: 'The same as `POST /{collection}` with `<singular of parent>Id` set to the id as the URL gives it (text), as json-server does.',
      params: NestedParams,
      querystring: JsonServerWriteQuery,
      body: JsonServerCreateBody,
      response: { 201: created, ...problemResponses(400, 401, 405, 409, 413, 415, 422, 507) }
    }
  }, async (request, reply) => {
    const { parent, id, collection } = request.params
    const location = `${request.protocol}://${request.host}${app.prefix}/${collection}`
    return sendAnswer(reply, await createNestedAnswer(store, parent, id, collection, request.body, location, options))
  })
}

export default jsonServerRoutes
