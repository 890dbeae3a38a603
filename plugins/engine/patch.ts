import fastJsonPatch, { type Operation } from 'fast-json-patch'
import { RESERVED_KEYS } from './json-shape'
import { StoreError } from './store-errors'
import type { JsonObject, JsonValue } from './json-types'

const { applyOperation, JsonPatchError } = fastJsonPatch


function isObject (value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * JSON Merge Patch, RFC 7396 §2, written out because it is ten lines; values
 * are defined as own properties so no key can reach an object prototype.
 */
function applyMergePatch (target: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return patch
  const result: JsonObject = isObject(target) ? target : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key]
    } else {
      const merged = applyMergePatch(Object.hasOwn(result, key) ? result[key] as JsonValue : null, value)
      Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true })
    }
  }
  return result
}

/** Merge-patches a document; the result must still be an object. */
function mergePatchDocument (doc: JsonObject, patch: JsonObject): JsonObject {
  return applyMergePatch(doc, patch) as JsonObject
}

/** Each fast-json-patch error, as the RFC 6902 rule the operation broke. */
const PATCH_RULES: Record<string, string> = {
  OPERATION_NOT_AN_OBJECT: 'an operation must be a JSON object',
  OPERATION_OP_INVALID: '"op" must be one of add, remove, replace, move, copy, test',
  OPERATION_PATH_INVALID: '"path" must be a JSON Pointer: empty, or starting with "/"',
  OPERATION_FROM_REQUIRED: '"from" is required for move and copy',
  OPERATION_VALUE_REQUIRED: '"value" is required for add, replace and test',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: '"value" must be JSON',
  OPERATION_PATH_CANNOT_ADD: 'the parent of "path" does not exist',
  OPERATION_PATH_UNRESOLVABLE: '"path" names nothing in the document',
  OPERATION_FROM_UNRESOLVABLE: '"from" names nothing in the document',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'an array index must be digits without leading zeros (or "-" to append)',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'the array index is past the end of the array'
}

/** The members RFC 6902 defines; any other member of an operation is ignored (§4). */
function knownMembers (operation: unknown): unknown {
  if (!isObject(operation)) return operation
  const kept: JsonObject = {}
  for (const key of ['op', 'path', 'from', 'value']) {
    if (Object.hasOwn(operation, key)) kept[key] = operation[key] as JsonValue
  }
  return kept
}

function describe (index: number, operation: unknown): string {
  const op = isObject(operation) && typeof operation.op === 'string' ? ` (${operation.op.slice(0, 20)})` : ''
  return `Operation ${index}${op}`
}

/** Refusals fast-json-patch does not make (it would throw a TypeError for the first). */
function ruleBroken (operation: unknown): string | undefined {
  if (!isObject(operation)) return undefined
  const { op, path, from } = operation
  for (const [name, pointer] of [['path', path], ['from', from]] as const) {
    const reserved = typeof pointer === 'string' ? pointer.split('/').find((token) => RESERVED_KEYS.has(token)) : undefined
    if (reserved !== undefined) return `"${name}" names the reserved key "${reserved}"`
  }
  if (op === 'move' && typeof from === 'string' && typeof path === 'string' && path.startsWith(`${from}/`)) {
    return `"path" lies inside "from" (RFC 6902 §4.4: a value cannot be moved into one of its children)`
  }
  return undefined
}

/**
 * JSON Patch, RFC 6902, through fast-json-patch: one operation at a time, so
 * every refusal names the operation and the rule it broke, in one sentence.
 * The store hands us a copy, so a refusal part-way changes nothing. A failed
 * `test` is a 409; an operation that cannot apply is a 422.
 */
function jsonPatchDocument (doc: JsonObject, operations: unknown[]): JsonObject {
  let result: unknown = doc
  for (const [index, given] of operations.entries()) {
    const operation = knownMembers(given)
    const broken = ruleBroken(operation)
    if (broken !== undefined) throw new StoreError('patch-unprocessable', `${describe(index, operation)} cannot be applied: ${broken}.`)
    try {
      result = applyOperation(result, operation as Operation, true, true, true, index).newDocument
    } catch (err) {
      if (err instanceof JsonPatchError && err.name === 'TEST_OPERATION_FAILED') {
        throw new StoreError('patch-conflict', `${describe(index, operation)} failed: the value at "${String((operation as JsonObject).path)}" is not the one given (the document has changed).`)
      }
      const rule = err instanceof JsonPatchError ? PATCH_RULES[err.name] : undefined
      throw new StoreError('patch-unprocessable', `${describe(index, operation)} cannot be applied: ${rule ?? 'it does not fit the document'}.`)
    }
  }
  if (!isObject(result)) throw new StoreError('patch-unprocessable', 'The patch would replace the document with a non-object.')
  return result
}

/**
 * Applies a patch body: an array is a JSON Patch, an object a merge patch (the
 * HTTP layer checks each against its media type's schema before it gets here).
 */
export function applyPatchBody (doc: JsonObject, patch: unknown): JsonObject {
  if (Array.isArray(patch)) return jsonPatchDocument(doc, patch)
  if (isObject(patch)) return mergePatchDocument(doc, patch)
  throw new StoreError('patch-unprocessable', 'A patch is a JSON Patch (an array of operations) or a merge patch (an object).')
}
