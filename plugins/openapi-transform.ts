import type { TSchema } from '@sinclair/typebox'
import type { FastifySchema, RouteOptions } from 'fastify'
import { problemResponses } from '../schemas/common'
import { guardFor, type Guard } from './access'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A request body for the OpenAPI document only, for a route that streams its body unvalidated. */
    documentedBody?: unknown
  }
}

/** What the running configuration enforces: the OpenAPI document describes this deployment. */
export interface AccessFacts {
  /** API_TOKENS is set. */
  tokens: boolean
  authReads: boolean
  readOnly: boolean
}

export function needsToken (guard: Guard, access: AccessFacts): boolean {
  return access.tokens && (guard === 'write' || (guard === 'read' && access.authReads))
}

type Schema = Record<string, unknown>

/**
 * An optional parameter's `examples` become words in its description: Swagger UI
 * pre-fills an example into "Try it out", and an optional filter filled in for the
 * user changes the answer (`q=dune` lists one document of two).
 */
function examplesIntoDescriptions (object: Schema): Schema {
  const properties = object.properties as Record<string, Schema> | undefined
  if (properties === undefined) return object
  const required = new Set((object.required as string[] | undefined) ?? [])
  const moved: Record<string, Schema> = {}
  for (const [name, property] of Object.entries(properties)) {
    const { examples, ...rest } = property
    if (required.has(name) || !Array.isArray(examples) || examples.length === 0) {
      moved[name] = property
      continue
    }
    const shown = examples.map((e) => `\`${typeof e === 'string' ? e : JSON.stringify(e)}\``).join(', ')
    const description = typeof rest.description === 'string' ? rest.description.replace(/\.?$/, '.') : ''
    moved[name] = { ...rest, description: `${description} Example: ${shown}.`.trim() }
  }
  return { ...object, properties: moved }
}

/**
 * Query keys beyond the declared ones (`additionalProperties`) are field filters.
 * OpenAPI says so with one free-form object parameter, `filters`, serialized as
 * `style: form, explode: true`: each of its keys is a query key of its own
 * (`{"year[gte]": "1960"}` → `?year[gte]=1960`). Its example `{}` is what Swagger UI
 * pre-fills, instead of a made-up filter it would generate from the schema.
 */
function withFiltersParameter (query: Schema): Schema {
  const extra = query.additionalProperties
  if (extra === undefined || extra === false) return query
  const value = typeof extra === 'object' ? extra as Schema : { type: 'string' }
  const { description, ...valueSchema } = value
  const filters = {
    type: 'object',
    additionalProperties: valueSchema,
    description: typeof description === 'string'
      ? description
      : 'Field filters, one query key each, as the operation\'s description lists them.',
    examples: [{}]
  }
  return { ...query, properties: { ...(query.properties as Schema), filters }, style: 'form', explode: true }
}

/**
 * 401 is documented where this configuration asks for a token, 405 where it
 * refuses writes (READ_ONLY), and nowhere else: whatever the route lists.
 */
function accessResponses (responses: Schema, guard: Guard, access: AccessFacts): Schema {
  const { 401: _unauthorized, 405: _readOnly, ...rest } = responses
  return {
    ...rest,
    ...(needsToken(guard, access) ? problemResponses(401) : {}),
    ...(guard === 'write' && access.readOnly ? problemResponses(405) : {})
  }
}

interface TransformInput {
  schema: FastifySchema
  url: string
  route: Pick<RouteOptions, 'method' | 'config'>
}

/**
 * Rewrites each route's schema for the OpenAPI document only (validation never
 * sees this copy): `security` and the access responses by what plugins/access.ts
 * enforces in this configuration, Swagger UI-safe parameters, documented bodies.
 * Done here for every route at once, so a route cannot forget it.
 */
export function documentRoute ({ schema: routeSchema, url, route }: TransformInput, access: AccessFacts): { schema: FastifySchema, url: string } {
  const schema = routeSchema as Schema
  const guards = [route.method].flat().map((method) => guardFor(method, url))
  const guard: Guard = guards.includes('write') ? 'write' : guards.includes('read') ? 'read' : 'open'
  const documented: Schema = { ...schema, security: needsToken(guard, access) ? [{ bearerAuth: [] }] : [] }
  if (schema.querystring !== undefined) documented.querystring = withFiltersParameter(examplesIntoDescriptions(schema.querystring as Schema))
  if (schema.headers !== undefined) documented.headers = examplesIntoDescriptions(schema.headers as Schema)
  if (schema.response !== undefined) documented.response = accessResponses(schema.response as Schema, guard, access)
  if (route.config?.documentedBody !== undefined) documented.body = route.config.documentedBody as TSchema
  return { schema: documented, url }
}
