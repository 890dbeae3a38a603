import Ajv, { type Options } from 'ajv'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sharedSchemas } from '../schemas/common'

/**
 * Request validation with two Ajv instances. Query strings, params and
 * headers arrive as text, so their values are coerced (`limit=20` → 20).
 * Bodies are JSON and already typed: nothing is coerced there, so
 * `{"id": 42}` is a 400 rather than quietly becoming "42".
 */
async function validationPlugin (app: FastifyInstance): Promise<void> {
  // verbose: each error carries the value that failed, which the problem's detail shows (validation-messages.ts).
  const make = (coerceTypes: Options['coerceTypes']): Ajv => {
    const ajv = new Ajv({ allErrors: true, coerceTypes, useDefaults: true, removeAdditional: false, strict: false, verbose: true })
    for (const schema of sharedSchemas) ajv.addSchema(schema)
    return ajv
  }
  const bodies = make(false)
  const text = make('array')
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : text).compile(schema))
}

// fastify-plugin: the compiler must apply to every route.
export default fp(validationPlugin, { name: 'validation', fastify: '5.x' })
