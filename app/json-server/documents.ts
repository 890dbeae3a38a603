import { StoreError, type DocumentStore, type JsonObject, type JsonValue, type StoredDocument } from '../../plugins/engine'
import { notModified } from '../http/entity-tags'
import { notFound, ok, type Answer } from './answer'
import { isMissing, readCollection } from './collection-read'
import { foreignKeyOf } from './inflection'
import { deleteDependents, type Dependent } from './dependents'
import type { JsonServerOptions } from './options'
import { embed, expand } from './relations'

/*
 * One document of a collection, as json-server's plural router reads and
 * writes it (lodash-id's getById, insert, replaceById, updateById, removeById),
 * on the engine's durable, ETagged files.
 */

const MAX_ID_ATTEMPTS = 100

function fileAnswer (stored: StoredDocument, status = 200, headers: Record<string, string> = {}): Answer {
  return { status, body: stored.bytes, headers: { etag: stored.etag, ...headers } }
}

async function found<T> (task: () => Promise<T>): Promise<T | undefined> {
  try {
    return await task()
  } catch (err) {
    if (isMissing(err, 'document-not-found')) return undefined
    throw err
  }
}

/** GET /{collection}/{id}, with `_embed` and `_expand`; 304 when If-None-Match still matches. */
export async function showAnswer (
  store: DocumentStore, collection: string, id: string,
  query: { _embed?: string[] | undefined, _expand?: string[] | undefined }, ifNoneMatch: string | undefined, options: JsonServerOptions
): Promise<Answer> {
  const stored = await found(async () => await store.getDocument(collection, id))
  if (stored === undefined) return notFound()
  if (query._embed === undefined && query._expand === undefined) {
    return notModified(ifNoneMatch, stored.etag) ? { status: 304, body: undefined, headers: { etag: stored.etag } } : fileAnswer(stored)
  }
  const result = [structuredClone(stored.doc)]
  if (query._embed !== undefined) await embed(store, collection, result, query._embed, options)
  if (query._expand !== undefined) await expand(store, result, query._expand, options)
  return ok(result[0])
}

/** A falsy id (absent, null, 0, "", false) asks for a new one, as lodash-id's insert does. */
function givenId (body: JsonObject): JsonValue | undefined {
  return body.id === undefined || body.id === null || body.id === 0 || body.id === '' || body.id === false ? undefined : body.id
}

/**
 * POST /{collection}: the id from the body, else max + 1 when every id is a
 * number (json-server's createId), else a time-ordered string. A first write
 * creates the collection. `location` is the collection's URL.
 */
export async function createAnswer (store: DocumentStore, collection: string, body: JsonObject, location: string): Promise<Answer> {
  const { id: _ignored, ...rest } = body
  const id = givenId(body)
  let stored: StoredDocument
  if (id !== undefined) {
    stored = await store.createDocument(collection, { ...rest, id })
  } else {
    const all = await readCollection(store, collection) ?? []
    const ids = all.map((doc) => doc.id).filter((value) => value !== undefined)
    const numeric = ids.filter((value): value is number => typeof value === 'number')
    if (numeric.length !== ids.length) {
      stored = await store.createDocument(collection, rest)
    } else {
      let next = numeric.reduce((max, value) => Math.max(max, value), 0) + 1
      for (let attempt = 1; ; attempt++, next++) {
        try {
          stored = await store.createDocument(collection, { ...rest, id: next })
          break
        } catch (err) {
          // Another writer took this id between our read and our exclusive create: take the next one.
          if (!(err instanceof StoreError && err.code === 'already-exists') || attempt >= MAX_ID_ATTEMPTS) throw err
        }
      }
    }
  }
  return fileAnswer(stored, 201, { location: `${location}/${stored.id}`, 'access-control-expose-headers': 'Location' })
}

/** POST /{parent}/{id}/{collection}: json-server sets `<singular of parent><suffix>` to the id as the URL gives it (text). */
export async function createNestedAnswer (
  store: DocumentStore, parent: string, parentId: string, collection: string, body: JsonObject, location: string, options: JsonServerOptions
): Promise<Answer> {
  return await createAnswer(store, collection, { ...body, [foreignKeyOf(parent, options.foreignKeySuffix)]: parentId }, location)
}

/** PUT /{collection}/{id}: the body becomes the document; its id stays what it was. Never creates one. */
export async function replaceAnswer (store: DocumentStore, collection: string, id: string, body: JsonObject): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const current = await found(async () => await store.getDocument(collection, id))
    if (current === undefined) return notFound()
    try {
      // Only over the version whose id we keep: if it changed in between, read it again.
      const { stored } = await store.putDocument(collection, id, { ...body, id: current.doc.id ?? id }, { ifMatch: [current.etag] })
      return fileAnswer(stored)
    } catch (err) {
      if (!(err instanceof StoreError && err.code === 'precondition-failed') || attempt >= 5) throw err
    }
  }
}

/** PATCH /{collection}/{id}: a shallow merge (lodash's assign); the id never changes. */
export async function patchAnswer (store: DocumentStore, collection: string, id: string, body: JsonObject): Promise<Answer> {
  const stored = await found(async () => await store.patchDocument(collection, id, (current) => ({ ...current, ...body, id: current.id ?? id })))
  return stored === undefined ? notFound() : fileAnswer(stored)
}

/**
 * DELETE /{collection}/{id}: `{}`, as json-server answers. With
 * `deleteDependents`, the documents that point at it go first (each a durable
 * delete), then the document: an interrupted DELETE can be sent again.
 */
export async function deleteAnswer (store: DocumentStore, collection: string, id: string, options: JsonServerOptions): Promise<Answer & { dependents: Dependent[] }> {
  const current = await found(async () => await store.getDocument(collection, id))
  if (current === undefined) return { ...notFound(), dependents: [] }
  const dependents = options.deleteDependents ? await deleteDependents(store, collection, String(current.doc.id ?? id), options) : []
  const gone = await found(async () => { await store.deleteDocument(collection, id); return true })
  return { ...(gone === undefined ? notFound() : ok({})), dependents }
}
