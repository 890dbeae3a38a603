import { SINGULAR_COLLECTION, type DocumentStore, type JsonObject, type JsonValue } from '../../plugins/engine'
import { notFound, ok, type Answer } from './answer'
import { isMissing, readCollection } from './collection-read'

/*
 * json-server's singular resources (`"profile": {…}` in db.json, served at
 * GET/POST/PUT/PATCH /profile) and GET /db. A singular resource is the
 * document `<name>.json` of SINGULAR_COLLECTION, `{"id": name, "value": {…}}`:
 * the same durable files, locks and ETags as every document.
 */

function isObject (value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The current value of a singular resource, with its file's ETag; undefined when there is none. */
async function readSingular (store: DocumentStore, name: string): Promise<{ value: JsonObject, etag: string } | undefined> {
  try {
    const stored = await store.getDocument(SINGULAR_COLLECTION, name)
    return isObject(stored.doc.value) ? { value: stored.doc.value, etag: stored.etag } : undefined
  } catch (err) {
    if (isMissing(err, 'document-not-found')) return undefined
    throw err
  }
}

async function writeSingular (store: DocumentStore, name: string, value: JsonObject, ifMatch?: string): Promise<Answer> {
  const { stored } = await store.putDocument(SINGULAR_COLLECTION, name, { id: name, value }, ifMatch === undefined ? {} : { ifMatch: [ifMatch] })
  return ok(stored.doc.value, { etag: stored.etag })
}

export async function hasSingular (store: DocumentStore, name: string): Promise<boolean> {
  return await readSingular(store, name) !== undefined
}

/** GET /{name}: the object. */
export async function showSingular (store: DocumentStore, name: string): Promise<Answer> {
  const current = await readSingular(store, name)
  return current === undefined ? notFound() : ok(current.value, { etag: current.etag })
}

/** POST /{name}: the body becomes the object; 201 and Location, as json-server answers. */
export async function createSingular (store: DocumentStore, name: string, body: JsonObject, location: string): Promise<Answer> {
  const answer = await writeSingular(store, name, body)
  return { ...answer, status: 201, headers: { ...answer.headers, location, 'access-control-expose-headers': 'Location' } }
}

/** PUT /{name}: the body becomes the object. PATCH /{name}: its top-level fields are set (lodash's assign). */
export async function updateSingular (store: DocumentStore, name: string, body: JsonObject, merge: boolean): Promise<Answer> {
  const current = await readSingular(store, name)
  if (current === undefined) return notFound()
  // Over the version read: a concurrent write in between makes this a 412, never a lost update.
  return await writeSingular(store, name, merge ? { ...current.value, ...body } : body, current.etag)
}

/** GET /db: every collection (an array, in id order) and every singular resource (an object), by name. */
export async function databaseAnswer (store: DocumentStore): Promise<Answer> {
  const db: Record<string, JsonValue> = {}
  for (const { name } of await store.listCollections()) {
    if (name === SINGULAR_COLLECTION) continue
    db[name] = await readCollection(store, name) ?? []
  }
  for (const doc of await readCollection(store, SINGULAR_COLLECTION) ?? []) {
    if (typeof doc.id === 'string' && isObject(doc.value) && !Object.hasOwn(db, doc.id)) db[doc.id] = doc.value
  }
  return ok(db)
}

/**
 * GET /v1/collections: every collection with its count, and the folder of singular resources
 * listed for what it is, naming them (all of them, page by page).
 */
export async function collectionsNamingSingulars (store: DocumentStore): Promise<Array<{ name: string, count: number, singulars?: string[] }>> {
  const items: Array<{ name: string, count: number, singulars?: string[] }> = await store.listCollections()
  const singular = items.find((c) => c.name === SINGULAR_COLLECTION)
  if (singular === undefined) return items
  const names: string[] = []
  let cursor: string | undefined
  do {
    const page = await store.listDocuments(SINGULAR_COLLECTION, { limit: 1000, cursor, filters: [], fields: ['id'] })
    names.push(...page.items.map((doc) => String(doc.id)))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  singular.singulars = names
  return items
}
