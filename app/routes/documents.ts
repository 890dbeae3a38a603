import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { jsonBodyParser, requireMediaType } from '../../plugins/json-body'
import { applyPatchBody } from '../../plugins/engine'
import { sendDocument } from '../http/document-reply'
import { notModified, preconditionsOf } from '../http/entity-tags'
import { pageQueryOf } from '../http/list-query'
import { CollectionParams, Document, DocumentParams, LocationHeader, problemResponses } from '../../schemas/common'
import {
  IfMatchHeaders, DocumentPage, documentHeaders, JsonPatch, ListDocumentsQuery, MergePatch, NewDocument, NextPageHeader, ReadHeaders, WriteHeaders
} from '../../schemas/documents'

const MERGE_PATCH = 'application/merge-patch+json'
const JSON_PATCH = 'application/json-patch+json'

function documentPath (collection: string, id: string): string {
  return `/v1/collections/${collection}/documents/${id}`
}

const documentResponse = (description: string, extraHeaders: Record<string, unknown> = {}): unknown => ({
  description,
  headers: { ...documentHeaders, ...extraHeaders },
  content: { 'application/json': { schema: Type.Ref(Document) } }
})

const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Patch bodies are JSON under their own media types, parsed with the same checks as application/json.
  app.addContentTypeParser([MERGE_PATCH, JSON_PATCH], { parseAs: 'buffer' }, jsonBodyParser)

  app.get('/v1/collections/:collection/documents', {
    schema: {
      operationId: 'listDocuments',
      tags: ['documents'],
      summary: 'List documents, a page at a time',
      description:
        'Every query parameter other than `limit`, `cursor`, `sort`, `q`, `count` and `fields` filters on a field ' +
        '(a top-level name, or a dotted path such as `author.name`): ' +
        '`field=value`, `field[ne]=v`, `field[gt]=v`, `field[gte]=v`, `field[lt]=v`, `field[lte]=v`, `field[in]=a,b`. ' +
        'Values are compared as the type of each document\'s value (numbers numerically). ' +
        'The `Link` header carries the URL of the next page.',
      params: CollectionParams,
      querystring: ListDocumentsQuery,
      response: {
        200: {
          description: 'A page of documents',
          headers: { Link: NextPageHeader },
          content: { 'application/json': { schema: DocumentPage } }
        },
        ...problemResponses(400, 404)
      }
    }
  }, async (request, reply) => {
    const page = await app.store.listDocuments(request.params.collection, pageQueryOf(request.query))
    if (page.nextCursor !== null) {
      const next = new URL(request.url, 'http://localhost')
      next.searchParams.set('cursor', page.nextCursor)
      reply.header('link', `<${next.pathname}${next.search}>; rel="next"`)
    }
    return page
  })

  app.post('/v1/collections/:collection/documents', {
    onRequest: requireMediaType('application/json'),
    schema: {
      operationId: 'createDocument',
      tags: ['documents'],
      summary: 'Create a document',
      description:
        'The id comes from the body or, when the body has none, is a new time-ordered UUIDv7 (creation order is id order). ' +
        'A first write creates the collection. 201 only once the file is durable on disk.',
      params: CollectionParams,
      body: NewDocument,
      response: {
        201: documentResponse('Created', { Location: LocationHeader }),
        ...problemResponses(400, 401, 405, 409, 413, 415, 422, 507)
      }
    }
  }, async (request, reply) => {
    const stored = await app.store.createDocument(request.params.collection, request.body)
    reply.code(201).header('location', documentPath(request.params.collection, stored.id))
    return sendDocument(reply, stored)
  })

  app.get('/v1/collections/:collection/documents/:id', {
    schema: {
      operationId: 'getDocument',
      tags: ['documents'],
      summary: 'Read a document',
      description: 'Serves the file\'s exact bytes. With If-None-Match holding the current ETag, answers 304.',
      params: DocumentParams,
      headers: ReadHeaders,
      response: {
        200: documentResponse('The document'),
        304: { description: 'Not modified: the ETag still matches.', type: 'null' },
        ...problemResponses(400, 404)
      }
    }
  }, async (request, reply) => {
    const stored = await app.store.getDocument(request.params.collection, request.params.id)
    if (notModified(request.headers['if-none-match'], stored.etag)) {
      return reply.code(304).header('etag', stored.etag).send()
    }
    return sendDocument(reply, stored)
  })

  app.put('/v1/collections/:collection/documents/:id', {
    onRequest: requireMediaType('application/json'),
    schema: {
      operationId: 'putDocument',
      tags: ['documents'],
      summary: 'Create or replace a document',
      description:
        'If-Match: <etag> replaces only that version (else 412); If-None-Match: * creates only (else 412). ' +
        'A body id, when given, must equal the path id.',
      params: DocumentParams,
      headers: WriteHeaders,
      body: Type.Ref(Document),
      response: {
        200: documentResponse('Replaced'),
        201: documentResponse('Created', { Location: LocationHeader }),
        ...problemResponses(400, 401, 405, 412, 413, 415, 422, 507)
      }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    const { created, stored } = await app.store.putDocument(collection, id, request.body, preconditionsOf(request.headers))
    if (created) reply.code(201).header('location', documentPath(collection, id))
    return sendDocument(reply, stored)
  })

  app.patch('/v1/collections/:collection/documents/:id', {
    onRequest: requireMediaType(MERGE_PATCH, JSON_PATCH, 'application/json'),
    schema: {
      operationId: 'patchDocument',
      tags: ['documents'],
      summary: 'Patch a document (merge patch or JSON Patch)',
      description:
        `\`${MERGE_PATCH}\` (RFC 7396) or \`${JSON_PATCH}\` (RFC 6902); \`application/json\` is a merge patch too. ` +
        'If-Match makes it conditional. ' +
        'A failed JSON Patch `test` is a 409; a patch that cannot apply is a 422. The id cannot change.',
      params: DocumentParams,
      headers: IfMatchHeaders,
      body: {
        content: {
          [MERGE_PATCH]: { schema: MergePatch },
          'application/json': { schema: MergePatch },
          [JSON_PATCH]: { schema: JsonPatch }
        }
      },
      response: {
        200: documentResponse('Patched'),
        ...problemResponses(400, 401, 404, 405, 409, 412, 413, 415, 422, 507)
      }
    }
  }, async (request, reply) => {
    const { collection, id } = request.params
    const stored = await app.store.patchDocument(collection, id, (current) => applyPatchBody(current, request.body), preconditionsOf(request.headers))
    return sendDocument(reply, stored)
  })

  app.delete('/v1/collections/:collection/documents/:id', {
    schema: {
      operationId: 'deleteDocument',
      tags: ['documents'],
      summary: 'Delete a document',
      description: 'If-Match makes it conditional. The removal is durable before the 204.',
      params: DocumentParams,
      headers: IfMatchHeaders,
      response: {
        204: { description: 'Deleted', type: 'null' },
        ...problemResponses(400, 401, 404, 405, 412)
      }
    }
  }, async (request, reply) => {
    await app.store.deleteDocument(request.params.collection, request.params.id, preconditionsOf(request.headers))
    return reply.code(204).send()
  })
}

export default documentRoutes
