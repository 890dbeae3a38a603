import { existsSync } from 'node:fs'
import { join } from 'node:path'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sharedSchemas } from '../schemas/common'
import { documentRoute, type AccessFacts } from './openapi-transform'

export interface OpenApiOptions {
  version: string
  /** What this deployment enforces: the document (and so Swagger UI's padlocks) shows exactly that. */
  access: AccessFacts
  /** API_CONTACT: an email address or a URL where this deployment's operators are reached; empty if none. */
  contact: string
}

/** info.contact: whoever runs the deployment is its contact (jsondock is self-hosted), reached as API_CONTACT says. */
function contactOf (contact: string): { name: string, url?: string, email?: string } {
  const name = 'The operators of this jsondock deployment'
  if (contact === '') return { name }
  return /^https?:\/\//.test(contact) ? { name, url: contact } : { name, email: contact }
}

/**
 * The OpenAPI document, built from the routes' TypeBox schemas, at /docs/json,
 * and Swagger UI at /docs. Shared schemas ($id) become components. It describes
 * the running configuration: operations carry `security` only where this
 * deployment asks for a token, so Swagger UI's padlocks never claim more or less
 * (docs/openapi.json is the one the defaults serve: no API_TOKENS).
 */
async function openApiPlugin (app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  for (const schema of sharedSchemas) app.addSchema(schema)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'jsondock',
        version: options.version,
        license: { name: 'MIT', identifier: 'MIT' },
        contact: contactOf(options.contact),
        description:
          'JSON documents stored as plain files. Every error is `application/problem+json` (RFC 9457). ' +
          'Writes are durable before they are acknowledged; use ETags with If-Match for safe concurrent edits.'
      },
      tags: [
        { name: 'index', description: 'Where to start: `GET /`' },
        { name: 'collections', description: 'Folders of documents, with optional JSON Schema' },
        { name: 'documents', description: 'JSON documents, one file each' },
        { name: 'transfer', description: 'Import a json-server db.json or NDJSON; export' },
        { name: 'json-server', description: 'json-server 0.17 compatible routes (JSON_SERVER_PREFIX); see docs/json-server.md' },
        { name: 'health', description: 'Liveness, readiness and metrics' }
      ],
      // Relative: the API is served by the origin that serves this document.
      servers: [{ url: '/', description: 'This service' }],
      ...(options.access.tokens
        ? {
            components: {
              securitySchemes: {
                bearerAuth: {
                  type: 'http',
                  scheme: 'bearer',
                  description: `One of API_TOKENS: needed for writes${options.access.authReads ? ' and, with AUTH_READS=true, for reads' : ''}.`
                }
              }
            }
          }
        : {})
    },
    transform: (route) => documentRoute(route, options.access),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`)
    }
  })

  // In the one-file bundle, Swagger UI's static files sit in a `static` folder beside it.
  const bundledStatic = join(__dirname, 'static')
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    ...(existsSync(join(bundledStatic, 'index.html')) ? { baseDir: bundledStatic } : {}),
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
    theme: { title: 'jsondock API' }
  })
}

export default fp(openApiPlugin, { name: 'openapi', fastify: '5.x' })
