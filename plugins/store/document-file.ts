import type { JsonObject } from './query'

/** A document file's bytes: pretty-printed with 2 spaces and a trailing newline, so it reads and diffs well by hand. */
export function documentBytes (doc: unknown): Buffer {
  return Buffer.from(JSON.stringify(doc, null, 2) + '\n')
}

/** A document's own id equals the file's id: the same string, or the integer the digits spell. */
export function sameId (value: unknown, id: string): boolean {
  return value === id || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && String(value) === id)
}

/**
 * The file name is the document's id. A file written by hand without an
 * `"id"`, or with another one, is served with the id its name gives, first
 * (where the API writes it), so that every route finds, lists and patches it
 * by that id; the file itself is left as it is until the next write.
 */
export function withFileId (doc: JsonObject, id: string): JsonObject | undefined {
  if (sameId(doc.id, id)) return undefined
  const { id: _ignored, ...rest } = doc
  return { id, ...rest }
}
