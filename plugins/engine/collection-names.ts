import { readdir, rmdir } from 'node:fs/promises'
import { join } from 'node:path'
import { StoreError } from './store-errors'

/**
 * Where json-server's singular resources (`"profile": {…}` in a db.json) live:
 * the document `<name>.json` of this collection, as `{"id": name, "value": {…}}`.
 */
export const SINGULAR_COLLECTION = 'json-server-singular'

/**
 * Two collections whose names differ only by case (`blogPosts`, `blogposts`)
 * cannot both live on a macOS or Windows volume, so the second is refused on
 * every platform: data made on Linux must stay movable.
 */
export async function caseTwinOf (dataDir: string, name: string): Promise<string | undefined> {
  const folded = name.toLowerCase()
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (entry.name !== name && entry.name.toLowerCase() === folded && entry.isDirectory()) return entry.name
  }
  return undefined
}

function caseClash (name: string, twin: string): StoreError {
  return new StoreError('already-exists',
    `Collection "${twin}" already exists: "${name}" differs from it only by case, which macOS and Windows volumes cannot hold apart. Use "${twin}".`)
}

/** Refuses `name` when a case twin exists (before its folder is made). */
export async function refuseCaseTwin (dataDir: string, name: string): Promise<void> {
  const twin = await caseTwinOf(dataDir, name)
  if (twin !== undefined) throw caseClash(name, twin)
}

/** After making `name`'s folder: when a twin was made at the same moment, removes ours (still empty) and refuses. */
export async function undoIfCaseTwin (dataDir: string, name: string): Promise<void> {
  const twin = await caseTwinOf(dataDir, name)
  if (twin === undefined) return
  await rmdir(join(dataDir, name)).catch(() => {})
  throw caseClash(name, twin)
}
