import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireMediaType } from '../../plugins/json-body'
import { CollectionParams, problemResponses } from '../../schemas/common'
import { CollectionInfo, CollectionList, CollectionSettingsBody, DeleteCollectionQuery } from '../../schemas/collections'

const collectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/collections', {
    schema: {
      tags: ['collections'],
      summary: 'List collections with their document counts',
      response: { 200: CollectionList }
    }
  }, async () => ({ items: await app.store.listCollections() }))

  app.put('/v1/collections/:collection', {
    onRequest: requireMediaType('application/json'),
    schema: {
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
    const settings = request.body.schema === undefined ? {} : { schema: request.body.schema }
    const { created, info } = await app.store.putCollection(request.params.collection, settings)
    reply.code(created ? 201 : 200)
    return info
  })

  app.get('/v1/collections/:collection', {
    schema: {
      tags: ['collections'],
      summary: 'Read a collection\'s settings and document count',
      params: CollectionParams,
      response: { 200: CollectionInfo, ...problemResponses(400, 404) }
    }
  }, async (request) => await app.store.getCollection(request.params.collection))

  app.delete('/v1/collections/:collection', {
    schema: {
      tags: ['collections'],
      summary: 'Delete a collection',
      description: 'A collection that still holds documents is deleted only with `?force=true` (409 otherwise).',
      params: CollectionParams,
      querystring: DeleteCollectionQuery,
      response: { 204: { description: 'Deleted', type: 'null' }, ...problemResponses(400, 401, 404, 405, 409) }
    }
  }, async (request, reply) => {
    await app.store.deleteCollection(request.params.collection, { force: request.query.force })
    return reply.code(204).send()
  })
}

export default collectionRoutes
