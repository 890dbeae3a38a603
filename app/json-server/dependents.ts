import { SINGULAR_COLLECTION, StoreError, type DocumentStore, type JsonObject } from '../../plugins/engine'
import { isMissing, readCollection } from './collection-read'
import { plural, singular } from './inflection'
import type { JsonServerOptions } from './options'

/*
 * What json-server 0.17 deletes after DELETE /{collection}/{id} because it
 * pointed at the deleted document (its router's destroy + getRemovable): the
 * direct dependents, one level, in every collection. jsondock removes exactly
 * those, each with a durable delete of its own, and not the orphans that were
 * already there (json-server sweeps the whole database; docs/json-server.md).
 */

/** A document removed because it pointed at a deleted one. */
export interface Dependent {
  collection: string
  id: string
}

/**
 * The fields that point at `collection`: every `<name><suffix>` whose `name`
 * pluralize turns into `collection`, as getRemovable reads keys (posts: postId,
 * and postsId too, since pluralize keeps a plural plural).
 */
export function pointersTo (collection: string, suffix: string): string[] {
  return [...new Set([singular(collection), collection])].filter((name) => plural(name) === collection).map((name) => `${name}${suffix}`)
}

/** Compared as text, as lodash-id's getById does (`"1"`, from a nested POST, points at 1). */
function pointsAt (doc: JsonObject, keys: string[], id: string): boolean {
  return keys.some((key) => {
    const value = doc[key]
    return (typeof value === 'number' || typeof value === 'string') && String(value) === id
  })
}

/** Deletes one dependent, only while it still points at `id` (a concurrent edit that moved it keeps it). */
async function deleteIfStillPointing (store: DocumentStore, collection: string, docId: string, keys: string[], id: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await store.getDocument(collection, docId)
      if (!pointsAt(stored.doc, keys, id)) return false
      await store.deleteDocument(collection, docId, { ifMatch: [stored.etag] })
      return true
    } catch (err) {
      if (isMissing(err, 'document-not-found')) return false
      if (!(err instanceof StoreError && err.code === 'precondition-failed') || attempt >= 5) throw err
    }
  }
}

/** Deletes the documents of every collection that point at `collection`/`id`; returns what went. */
export async function deleteDependents (store: DocumentStore, collection: string, id: string, options: JsonServerOptions): Promise<Dependent[]> {
  const keys = pointersTo(collection, options.foreignKeySuffix)
  const removed: Dependent[] = []
  if (keys.length === 0) return removed
  for (const { name } of await store.listCollections()) {
    if (name === SINGULAR_COLLECTION) continue
    for (const doc of await readCollection(store, name) ?? []) {
      const docId = doc.id
      if ((typeof docId !== 'number' && typeof docId !== 'string') || !pointsAt(doc, keys, id)) continue
      if (name === collection && String(docId) === id) continue // the document itself: its own delete follows
      if (await deleteIfStillPointing(store, name, String(docId), keys, id)) removed.push({ collection: name, id: String(docId) })
    }
  }
  return removed
}
