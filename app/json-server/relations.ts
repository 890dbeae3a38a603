import type { DocumentStore, JsonObject } from '../../plugins/engine'
import { isMissing, mapLimit, readCollection } from './collection-read'
import { foreignKeyOf, plural } from './inflection'
import type { JsonServerOptions } from './options'

/*
 * `_embed` (children) and `_expand` (parents), one level, as json-server's
 * plural router does them.
 */

/**
 * Adds `resource[name]` = the documents of `name` whose `<singular of collection><suffix>`
 * is strictly the resource's id (lodash `filter` by object); `[]` when `name` is no collection.
 */
export async function embed (store: DocumentStore, collection: string, resources: JsonObject[], names: string[], options: JsonServerOptions): Promise<void> {
  const foreignKey = foreignKeyOf(collection, options.foreignKeySuffix)
  for (const name of names) {
    const children = await readCollection(store, name) ?? []
    const byId = new Map<string, JsonObject[]>()
    for (const child of children) {
      const key = child[foreignKey]
      if (typeof key !== 'number' && typeof key !== 'string') continue
      const tag = `${typeof key}:${String(key)}`
      const siblings = byId.get(tag)
      if (siblings === undefined) byId.set(tag, [child])
      else siblings.push(child)
    }
    for (const resource of resources) resource[name] = byId.get(`${typeof resource.id}:${String(resource.id)}`) ?? []
  }
}

/** Adds `resource[name]` = the document of `plural(name)` whose id is `resource[name + suffix]` (compared as text). */
export async function expand (store: DocumentStore, resources: JsonObject[], names: string[], options: JsonServerOptions): Promise<void> {
  for (const name of names) {
    const parents = plural(name)
    const foreignKey = `${name}${options.foreignKeySuffix}`
    const wanted = [...new Set(resources.map((r) => r[foreignKey]).filter((v) => v !== undefined && v !== null).map(String))]
    const found = new Map<string, JsonObject>()
    await mapLimit(wanted, 16, async (id) => {
      try {
        found.set(id, (await store.getDocument(parents, id)).doc)
      } catch (err) {
        // No such parent, or no such collection: json-server then adds nothing either.
        if (!isMissing(err, 'document-not-found')) throw err
      }
    })
    for (const resource of resources) {
      const key = resource[foreignKey]
      const parent = key === undefined || key === null ? undefined : found.get(String(key))
      if (parent !== undefined) resource[name] = parent
    }
  }
}
