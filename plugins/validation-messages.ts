import type { ErrorObject } from 'ajv'
import { COLLECTION_NAME_PATTERN, COLLECTION_NAME_RULE, DOCUMENT_ID_PATTERN, DOCUMENT_ID_RULE } from './engine'

/*
 * A request that fails its schema is answered in plain words, the way the
 * 412/413/415 answers are: which part of the request, what it held, and what
 * a valid one looks like, with an example; never the validator's own words
 * ("must match pattern "^[A-Za-z0-9]…"", "must match a schema in anyOf").
 * The problem's `errors` keep the validator's per-field list for programs.
 */

type AjvError = Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'> & { data?: unknown, parentSchema?: { description?: unknown } }

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a text',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a JSON array',
  null: 'null'
}

/** The request part and the field, as a user reads them: `the collection name`, `query parameter "limit"`, `body field "/id"`. */
function fieldLabel (where: string, path: string): string {
  const name = path.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~')
  switch (where) {
    case 'params':
      return name === 'collection' ? 'the collection name' : name === 'id' ? 'the document id' : `path parameter "${name}"`
    case 'querystring':
      return `query parameter "${name}"`
    case 'headers':
      return `header "${name}"`
    default:
      return path === '' ? 'the body' : `body field "${path}"`
  }
}

function shown (value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

/** One error's requirement in words: "must be a whole number", "must be at most 1000". */
function requirement (error: AjvError): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'type': {
      const types = String(params.type).split(',')
      return `must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(' or ')}`
    }
    case 'maximum': return `must be at most ${String(params.limit)}`
    case 'minimum': return `must be at least ${String(params.limit)}`
    case 'exclusiveMaximum': return `must be less than ${String(params.limit)}`
    case 'exclusiveMinimum': return `must be more than ${String(params.limit)}`
    case 'maxLength': return `must be at most ${String(params.limit)} characters long`
    case 'minLength': return Number(params.limit) === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`
    case 'maxItems': return `must have at most ${String(params.limit)} items`
    case 'minItems': return `must have at least ${String(params.limit)} items`
    case 'enum': return `must be one of ${(params.allowedValues as unknown[]).map(shown).join(', ')}`
    case 'const': return `must be ${shown(params.allowedValue)}`
    case 'required': return `needs the field "${String(params.missingProperty)}"`
    case 'additionalProperties': return `has a field it does not know, "${String(params.additionalProperty)}"`
    case 'format': return `must be a valid ${String(params.format)}`
    case 'pattern': {
      // The schema's own description says in words what the pattern says in symbols.
      const description = error.parentSchema?.description
      return typeof description === 'string' ? `is not of the expected form: ${description.replace(/\.$/, '')}` : `must match ${String(params.pattern)}`
    }
    default: return error.message ?? error.keyword
  }
}

/** The sentence for one field, from all of its errors (an anyOf's alternatives come as several). */
function sentence (where: string, path: string, errors: AjvError[]): string {
  // A query is flat: a parameter it does not know is named as such, not as a field of a field.
  if (where === 'querystring' && path === '' && errors.every((e) => e.keyword === 'additionalProperties')) {
    const names = errors.map((e) => `"${String((e.params as { additionalProperty: unknown }).additionalProperty)}"`)
    return `This operation takes no query parameter ${names.join(' or ')}: remove it, or check its spelling.`
  }
  const label = fieldLabel(where, path)
  const first = errors[0] as AjvError
  const value = first.data === undefined || typeof first.data === 'object' ? undefined : shown(first.data)
  const patterns = errors.filter((e) => e.keyword === 'pattern').map((e) => String((e.params as { pattern: unknown }).pattern))
  const alternatives = errors.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  const numericIdToo = alternatives && errors.some((e) => e.keyword === 'type' && String((e.params as { type: unknown }).type) === 'integer')
  // A path parameter is named by what it is; a body or query field by where it is.
  const named = (what: string): string => label.startsWith('the ') ? `${value ?? 'This'} is not ${what}` : `${capital(label)}: ${value ?? 'this'} is not ${what}`
  if (patterns.includes(COLLECTION_NAME_PATTERN)) return `${named('a collection name')}: ${COLLECTION_NAME_RULE}.`
  if (patterns.includes(DOCUMENT_ID_PATTERN) || (numericIdToo && path.endsWith('/id'))) {
    return `${named('a document id')}: ${DOCUMENT_ID_RULE}${numericIdToo ? '; or a whole number from 0' : ''}.`
  }
  const subject = value === undefined ? capital(label) : `${capital(label)} is ${value}: it`
  const own = [...new Set(errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf').map(requirement))]
  if (alternatives) {
    // Each alternative's type error says what the field may be: "must be a JSON object, or true or false".
    const types = errors.filter((e) => e.keyword === 'type').map((e) => TYPE_WORDS[String((e.params as { type: unknown }).type)] ?? String((e.params as { type: unknown }).type))
    if (types.length === own.length) return `${subject} must be ${[...new Set(types)].join(', or ')}.`
    return `${subject} must meet one of these: ${own.join('; or ')}.`
  }
  return `${subject} ${own.join(', and ')}.`
}

function capital (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The problem's detail for a request that failed validation: one sentence per failing field. */
export function validationDetail (where: string, errors: readonly AjvError[]): string {
  const byPath = new Map<string, AjvError[]>()
  for (const error of errors) {
    // A required/additional property error is about the named field, not the object holding it.
    const path = error.instancePath
    const group = byPath.get(path) ?? []
    group.push(error)
    byPath.set(path, group)
  }
  const sentences = [...byPath].slice(0, 5).map(([path, group]) => sentence(where, path, group))
  const more = byPath.size > 5 ? ` And ${byPath.size - 5} more (see "errors").` : ''
  return sentences.join(' ') + more
}
