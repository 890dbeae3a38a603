import { Type } from '@sinclair/typebox'

const Link = (description: string, example: string) => Type.String({ description, examples: [example] })

/** `GET /` for an API client: where everything is. */
export const ServiceIndex = Type.Object({
  name: Type.Literal('jsondock'),
  version: Type.String({ examples: ['0.1.0'] }),
  links: Type.Object({
    docs: Link('Swagger UI.', '/docs'),
    openapi: Link('This OpenAPI document.', '/docs/json'),
    health: Link('Readiness: 200 when DATA_DIR can be used.', '/health/ready'),
    collections: Link('The collections, with their document counts.', '/v1/collections')
  })
}, { description: 'Links to the API docs, the OpenAPI document, health and the collections.' })
