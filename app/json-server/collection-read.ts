import { isDeepStrictEqual } from 'node:util'
import { StoreError, type DocumentStore, type JsonObject } from '../../plugins/engine'
import { sortById } from './order'

/*
 * json-server keeps the whole database in memory and answers every list by
 * scanning it; so does this layer, over the engine's in-memory index of the
 * collection (brought up to date with the folder first). Documents about to
 * be sent are then checked against their files (see `revalidate`).
 */

/** The engine's answer for a collection that is not there, or cannot be (a bad name). */
export function isMissing (err: unknown, ...codes: Array<'document-not-found'>): boolean {
  return err instanceof StoreError && (err.code === 'collection-not-found' || err.code === 'invalid-name' || codes.includes(err.code as 'document-not-found'))
}

/** Every document of a collection in json-server's default order; undefined when there is no such collection. */
export async function readCollection (store: DocumentStore, collection: string): Promise<JsonObject[] | undefined> {
  try {
    return sortById(await store.allDocuments(collection))
  } catch (err) {
    if (isMissing(err)) return undefined
    throw err
  }
}

export async function mapLimit<T, R> (items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * The current version of each document about to be sent, checked against its
 * file (one lstat each, a read only when it changed), as every v1 page is:
 * `changed` when any was edited or removed since the collection was read.
 */
export async function revalidate (store: DocumentStore, collection: string, docs: JsonObject[]): Promise<{ fresh: JsonObject[], changed: boolean }> {
  let changed = false
  const fresh = await mapLimit(docs, 32, async (doc) => {
    const id = doc.id
    if (typeof id !== 'number' && typeof id !== 'string') return doc
    try {
      const stored = await store.getDocument(collection, String(id))
      if (stored.doc !== doc && !isDeepStrictEqual(stored.doc, doc)) changed = true
      return stored.doc
    } catch (err) {
      if (!isMissing(err, 'document-not-found')) throw err
      changed = true
      return undefined
    }
  })
  return { fresh: fresh.filter((doc): doc is JsonObject => doc !== undefined), changed }
}
