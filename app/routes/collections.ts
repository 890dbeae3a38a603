import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireMediaType } from '../../plugins/json-body'
import type { JsonSchema } from '../../plugins/engine'
import { CollectionParams, NoQuery, problemResponses } from '../../schemas/common'
import { collectionsNamingSingulars } from '../json-server/singulars'
import { CollectionInfo, CollectionList, CollectionSettingsBody, DeleteCollectionQuery } from '../../schemas/collections'

const collectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/collections', {
    schema: {
      operationId: 'listCollections',
      tags: ['collections'],
      summary: 'List collections with their document counts',
      description: 'Every folder of DATA_DIR that is a collection, by name, with the number of documents in it.',
      querystring: NoQuery,
      response: { 200: CollectionList, ...problemResponses(400) }
    }
  }, async () => ({ items: await collectionsNamingSingulars(app.store) }))

  app.put('/v1/collections/:collection', {
    onRequest: requireMediaType('application/json'),
    schema: {
      operationId: 'putCollection',
      tags: ['collections'],
      summary: 'Create a collection or update its settings',
      description:
        'Settings are stored as `.collection.json` in the collection folder. With `schema`, every document ' +
        'created, replaced or patched afterwards must satisfy it (422 otherwise), and so must the documents already there.',
      params: CollectionParams,
      body: CollectionSettingsBody,
      response: {
        200: CollectionInfo,
        201: CollectionInfo,
        ...problemResponses(400, 401, 405, 413, 415, 422, 507)
      }
    }
  }, async (request, reply) => {
    const settings = request.body.schema === undefined ? {} : { schema: request.body.schema as JsonSchema }
    const { created, info } = await app.store.putCollection(request.params.collection, settings)
    reply.code(created ? 201 : 200)
    return info
  })

  app.get('/v1/collections/:collection', {
    schema: {
      operationId: 'getCollection',
      tags: ['collections'],
      summary: 'Read a collection\'s settings and document count',
      description: 'The settings of `.collection.json` (its JSON Schema, if any) and the number of documents.',
      params: CollectionParams,
      response: { 200: CollectionInfo, ...problemResponses(400, 404) }
    }
  }, async (request) => await app.store.getCollection(request.params.collection))

  app.delete('/v1/collections/:collection', {
    schema: {
      operationId: 'deleteCollection',
      tags: ['collections'],
      summary: 'Delete a collection',
      description: 'A collection that still holds documents is deleted only with `?force=true` (409 otherwise).',
      params: CollectionParams,
      querystring: DeleteCollectionQuery,
      response: { 204: { description: 'Deleted', type: 'null' }, ...problemResponses(400, 401, 404, 405, 409) }
    }
  }, async (request, reply) => {
    await app.store.deleteCollection(request.params.collection, { force: request.query.force === true })
    return reply.code(204).send()
  })
}

export default collectionRoutes
