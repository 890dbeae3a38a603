import { createHash } from 'node:crypto'
import secureJson from 'secure-json-parse'
import { StoreError } from './store-errors'
import type { JsonObject } from './json-types'

/** What a document (or a settings file) is on disk: pretty-printed JSON and a final newline, so diffs and editors stay friendly. */
export function jsonFileBytes (value: object): Buffer {
  return Buffer.from(JSON.stringify(value, null, 2) + '\n')
}

/** A file from the volume, parsed: `__proto__` and `constructor.prototype` are dropped, never followed. */
export function parseDocument (bytes: Buffer, where: string): JsonObject {
  let doc: unknown
  try {
    doc = secureJson.parse(bytes, undefined, { protoAction: 'remove', constructorAction: 'remove' })
  } catch {
    throw new StoreError('corrupt-document', `${where} is not valid JSON.`)
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StoreError('corrupt-document', `${where} does not hold a JSON object.`)
  }
  return doc as JsonObject
}

/** The strong entity tag of a file's exact bytes. */
export function etagOf (bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url')}"`
}
