import fastJsonPatch, { type Operation } from 'fast-json-patch'
import { RESERVED_KEYS } from './json-shape'
import { StoreError } from './store-errors'
import type { JsonObject, JsonValue } from './json-types'

const { applyPatch, JsonPatchError } = fastJsonPatch


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

/**
 * JSON Patch, RFC 6902, through fast-json-patch (validated, all or nothing,
 * prototype changes banned). A failed `test` is a 409; an operation that
 * cannot apply (a missing path, say) is a 422.
 */
function jsonPatchDocument (doc: JsonObject, operations: Operation[]): JsonObject {
  for (const operation of operations) {
    const paths = [operation.path, (operation as { from?: string }).from ?? '']
    if (paths.some((path) => path.split('/').some((token) => RESERVED_KEYS.has(token)))) {
      throw new StoreError('patch-unprocessable', `The patch path "${operation.path}" names a reserved key.`)
    }
  }
  try {
    const result = applyPatch(doc, operations, true, true, true).newDocument as unknown
    if (!isObject(result)) throw new StoreError('patch-unprocessable', 'The patch would replace the document with a non-object.')
    return result
  } catch (err) {
    if (err instanceof JsonPatchError) {
      if (err.name === 'TEST_OPERATION_FAILED') {
        throw new StoreError('patch-conflict', `The patch's test at "${err.operation?.path ?? ''}" failed: the document has changed.`)
      }
      throw new StoreError('patch-unprocessable', `The patch cannot be applied: ${err.message.split('\n')[0] ?? err.name}.`)
    }
    throw err
  }
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
