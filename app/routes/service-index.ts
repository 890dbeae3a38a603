import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { version } from '../../package.json'
import { LocationHeader, NoQuery, problemResponses } from '../../schemas/common'
import { ServiceIndex } from '../../schemas/service-index'

/**
 * `GET /`, the address the README gives: a browser (one that prefers text/html)
 * is sent to Swagger UI; an API client gets the links as JSON.
 */
const serviceIndexRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const links = { docs: '/docs', openapi: '/docs/json', health: '/health/ready', collections: '/v1/collections' }

  app.get('/', {
    schema: {
      operationId: 'getServiceIndex',
      tags: ['index'],
      summary: 'Where to start: links to the docs, the OpenAPI document, health and the collections',
      description: 'A browser (`Accept` preferring `text/html`) is redirected to Swagger UI at `/docs`; any other client gets the links as JSON. Never needs a token.',
      querystring: NoQuery,
      response: {
        ...problemResponses(400),
        200: ServiceIndex,
        302: { description: 'To Swagger UI, for a browser.', headers: { Location: { ...LocationHeader, description: 'Swagger UI: `/docs`.' } }, type: 'null' }
      }
    }
  }, async (request, reply) => {
    reply.header('vary', 'accept')
    if (negotiate(request.headers.accept ?? '', ['application/json', 'text/html']) === 'text/html') return reply.redirect(links.docs, 302)
    return { name: 'jsondock' as const, version, links }
  })
}

export default serviceIndexRoutes
