import Ajv, { type AnySchema, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import Ajv2019 from 'ajv/dist/2019.js'
import Ajv2020 from 'ajv/dist/2020.js'
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json'
import AjvDraft04 from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { StoreError, type FieldProblem } from './store-errors'
import { linearRegExp, PatternError } from './linear-regexp'
import type { JsonObject } from './json-types'

/** A JSON Schema: an object, or `true` / `false` (accept or refuse every document). */
export type JsonSchema = JsonObject | boolean

/** A schema that `$ref` may name by its URI without it being fetched (nothing ever is). */
export interface KnownSchema {
  uri: string
  schema: JsonSchema
}

/** A compiled collection schema: true when the document satisfies it, else `errors` says where. */
export interface SchemaValidator {
  (doc: unknown): boolean
  errors?: ErrorObject[] | null
}

export interface Dialect {
  name: string
  /** The `$schema` URI, as the specification writes it. */
  uri: string
}

/** The dialects a `$schema` may name; a schema without `$schema` is 2020-12. */
export const DIALECTS: readonly Dialect[] = [
  { name: 'draft-04', uri: 'http://json-schema.org/draft-04/schema#' },
  { name: 'draft-06', uri: 'http://json-schema.org/draft-06/schema#' },
  { name: 'draft-07', uri: 'http://json-schema.org/draft-07/schema#' },
  { name: '2019-09', uri: 'https://json-schema.org/draft/2019-09/schema' },
  { name: '2020-12', uri: 'https://json-schema.org/draft/2020-12/schema' }
]
const DEFAULT_DIALECT = DIALECTS[4] as Dialect

/**
 * Ajv keeps every schema it compiled reachable from its instance, and a new
 * instance costs tens of milliseconds, so each dialect's instance is
 * replaced after this many compilations (schemas change rarely).
 */
const COMPILES_PER_INSTANCE = 500

// The linear-time engine for `pattern` and `patternProperties` (format "regex" only compiles).
const regExp = Object.assign((pattern: string) => linearRegExp(pattern), { code: 'linearRegExp' })

const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  logger: false,
  // `required: ["toString"]` must not be met by Object.prototype.
  ownProperties: true,
  code: { regExp }
}

function newAjv (dialect: Dialect): Ajv {
  switch (dialect.name) {
    case 'draft-04': return new AjvDraft04(AJV_OPTIONS)
    case '2019-09': return new Ajv2019(AJV_OPTIONS)
    case '2020-12': return new Ajv2020(AJV_OPTIONS)
    default: {
      const ajv = new Ajv(AJV_OPTIONS)
      if (dialect.name === 'draft-06') ajv.addMetaSchema(draft06)
      return ajv
    }
  }
}

/** A URI without its empty fragment, as Ajv keys schemas. */
function bare (uri: string): string {
  return uri.replace(/#\/?$/, '')
}

/**
 * Compiles collection schemas: picks the dialect by `$schema`, runs patterns
 * on a linear-time engine, resolves `$ref` only within the schema, the
 * meta-schemas and the known schemas, and refuses, in plain words, what
 * cannot compile or run. A validator that still overflows the stack on some
 * document is answered as an unusable schema, never a crash.
 */
export class SchemaCompiler {
  readonly #known: readonly KnownSchema[]
  readonly #instances = new Map<string, { ajv: Ajv, compiles: number }>()

  constructor (options: { knownSchemas?: readonly KnownSchema[] } = {}) {
    this.#known = options.knownSchemas ?? []
  }

  /** The dialect a schema is written in; refuses a `$schema` this service does not know. */
  dialectOf (schema: JsonSchema, seen = new Set<string>()): Dialect {
    if (typeof schema === 'boolean' || schema.$schema === undefined) return DEFAULT_DIALECT
    const declared = schema.$schema
    if (typeof declared !== 'string') throw invalid('its "$schema" must be a URI string')
    const dialect = DIALECTS.find((d) => bare(d.uri) === bare(declared))
    if (dialect !== undefined) return dialect
    // A meta-schema of its own, among the known schemas: the dialect that one is written in.
    const meta = this.#known.find((k) => bare(k.uri) === bare(declared))
    if (meta !== undefined && !seen.has(declared)) return this.dialectOf(meta.schema, seen.add(declared))
    throw invalid(`its "$schema" is "${declared}", which is not a dialect this service knows: use one of ${DIALECTS.map((d) => `"${d.uri}"`).join(', ')}, or leave "$schema" out for 2020-12`)
  }

  /** Compiles `schema`, or throws an `invalid-schema` StoreError that says why it cannot be used. */
  compile (schema: JsonSchema): SchemaValidator {
    const dialect = this.dialectOf(schema)
    const ajv = this.#ajv(dialect)
    if (ajv.validateSchema(schema as AnySchema) !== true) {
      throw invalid(`it is not a valid ${dialect.name} schema`, schemaProblems(ajv.errors))
    }
    // A copy, so that what Ajv registers under the schema's $id is known to be ours to remove.
    const copy = typeof schema === 'boolean' ? schema : { ...schema }
    let validate: ValidateFunction
    try {
      validate = ajv.compile(copy)
    } catch (err) {
      throw invalid(compileFailure(err))
    } finally {
      // Schemas are compiled per settings file; an $id must not stay taken by an older version of it.
      const id = typeof copy === 'boolean' ? undefined : copy[dialect.name === 'draft-04' ? 'id' : '$id']
      const registered = typeof id === 'string' ? ajv.refs[bare(id)] : undefined
      if (typeof registered === 'object' && registered.schema === copy) ajv.removeSchema(copy)
    }
    const guarded: SchemaValidator = (doc) => {
      try {
        const valid = validate(doc)
        guarded.errors = validate.errors
        return valid
      } catch (err) {
        if (err instanceof RangeError) throw unusable()
        throw err
      }
    }
    // A validator that recurses without end does so on the simplest document: refuse it now, not at every write.
    try {
      guarded({})
    } catch (err) {
      if (err instanceof StoreError) throw invalid(RECURSION)
      throw err
    }
    return guarded
  }

  #ajv (dialect: Dialect): Ajv {
    let instance = this.#instances.get(dialect.name)
    if (instance === undefined || instance.compiles >= COMPILES_PER_INSTANCE) {
      const ajv = newAjv(dialect)
      addFormats(ajv)
      for (const known of this.#known) {
        // A known schema in another dialect is not for this instance.
        try { ajv.addSchema(known.schema as AnySchema, bare(known.uri)) } catch {}
      }
      instance = { ajv, compiles: 0 }
      this.#instances.set(dialect.name, instance)
    }
    instance.compiles++
    return instance.ajv
  }
}

const RECURSION = 'validating with it recurses without end (Ajv runs out of stack, as with some "$dynamicRef" and "unevaluatedProperties" combinations); simplify its references'

function invalid (reason: string, errors?: FieldProblem[]): StoreError {
  return new StoreError('invalid-schema', `The collection schema cannot be used: ${reason}.`, errors)
}

function unusable (): StoreError {
  return new StoreError('invalid-schema', `The collection's schema cannot check this document: ${RECURSION}. Replace it with PUT /v1/collections/{collection}.`)
}

function compileFailure (err: unknown): string {
  if (err instanceof PatternError) return err.message
  if (err instanceof RangeError) return 'its references loop without end (Ajv runs out of stack compiling it)'
  const message = (err as Error).message
  const ref = /can't resolve reference (\S+)/.exec(message)
  if (ref !== null) return `its "$ref" "${ref[1] ?? ''}" names no schema it contains, and schemas are never fetched from the network`
  const taken = /schema with key or id "(.*)" already exists/.exec(message)
  if (taken !== null) return `its "$id" "${taken[1] ?? ''}" is the URI of a meta-schema or a known schema; choose another`
  return message
}

/** Meta-schema errors as pointers into the schema. */
function schemaProblems (errors: ErrorObject[] | null | undefined): FieldProblem[] {
  return (errors ?? []).map((e) => ({ pointer: e.instancePath, message: e.message ?? e.keyword }))
}
