import { readFileSync } from 'node:fs'
import type { CollectionIndex, StoredDocument } from './collection-index'
import { StoreError } from './store-errors'
import { etagOf } from './json-file'
import type { JsonObject } from './json-types'
import { sameId } from './names'

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

/**
 * The current document, for a write that replaces or removes it: a file that
 * is not a valid document still exists (so it can be repaired by PUT or
 * removed by DELETE), and its ETag is the hash of its bytes as they are.
 */
export function currentForWrite (index: CollectionIndex, id: string): StoredDocument | undefined {
  try {
    return index.get(id)
  } catch (err) {
    if (!(err instanceof StoreError) || err.code !== 'corrupt-document') throw err
    const bytes = readFileSync(index.fileOf(id))
    return { id, bytes, doc: {}, etag: etagOf(bytes), mtime: new Date() }
  }
}
