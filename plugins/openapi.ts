import { existsSync } from 'node:fs'
import { join } from 'node:path'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sharedSchemas } from '../schemas/common'
import { guardFor, type Guard } from './access'

export interface OpenApiOptions {
  version: string
}

/**
 * Each operation's `security`, by what plugins/access.ts enforces. Swagger UI
 * sends the token from its Authorize dialog only to operations that list the
 * scheme, so reads must list it too; `{}` beside it marks it optional (reads
 * need it only with AUTH_READS=true), and `[]` says "never needed" (the probes).
 * The document is the same whatever the configuration, so docs/openapi.json
 * describes every deployment.
 */
const SECURITY: Record<Guard, Array<Record<string, string[]>>> = {
  open: [],
  read: [{ bearerAuth: [] }, {}],
  write: [{ bearerAuth: [] }]
}

/**
 * The OpenAPI document, built from the routes' TypeBox schemas, at /docs/json,
 * and Swagger UI at /docs. Shared schemas ($id) become components.
 */
async function openApiPlugin (app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  for (const schema of sharedSchemas) app.addSchema(schema)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'jsondock',
        version: options.version,
        description:
          'JSON documents stored as plain files. Every error is `application/problem+json` (RFC 9457). ' +
          'Writes are durable before they are acknowledged; use ETags with If-Match for safe concurrent edits.'
      },
      tags: [
        { name: 'collections', description: 'Folders of documents, with optional JSON Schema' },
        { name: 'documents', description: 'JSON documents, one file each' },
        { name: 'transfer', description: 'Import a json-server db.json or NDJSON; export' },
        { name: 'json-server', description: 'json-server 0.17 compatible routes (JSON_SERVER_PREFIX); see docs/json-server.md' },
        { name: 'health', description: 'Liveness, readiness and metrics' }
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'One of API_TOKENS: needed for writes when API_TOKENS is set, and for reads too with AUTH_READS=true.' }
        }
      }
    },
    // Declared here, for every route at once, rather than route by route: a route
    // that forgot it would silently get no token from Swagger UI.
    transform: ({ schema, url, route }) => {
      const guards = [route.method].flat().map((method) => guardFor(method, url))
      const guard: Guard = guards.includes('write') ? 'write' : guards.includes('read') ? 'read' : 'open'
      return { schema: { ...schema, security: SECURITY[guard] }, url }
    },
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
