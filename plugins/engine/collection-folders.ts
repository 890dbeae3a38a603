import { readdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { refuseCaseTwin, undoIfCaseTwin } from './collection-names'
import { SETTINGS_FILE } from './collection-settings'
import { mkdirDurable, TEMP_PREFIX } from './durable-fs'
import { StoreError, notARealFolder, translateFsError } from './store-errors'
import { DOCUMENT_FILE, isCollectionName } from './names'
import { isRealFolderNow, lstatNow } from './stat-now'

/** Lock folders of versions before kernel locks (proper-lockfile): the service's, never a user's file. */
const LEGACY_LOCK_PREFIX = '.lock-'

/** The collections in DATA_DIR: its real folders whose names are collection names. */
export async function collectionNames (dataDir: string): Promise<string[]> {
  const entries = await readdir(dataDir, { withFileTypes: true })
  return entries.filter((e) => e.isDirectory() && isCollectionName(e.name)).map((e) => e.name)
}

/** The documents in a collection folder, counted by their file names. */
export async function countDocuments (dir: string): Promise<number> {
  let count = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && DOCUMENT_FILE.test(entry.name)) count++
  }
  return count
}

/** What else a collection folder holds, put there by hand (a README.txt, a sub-folder): never the service's to delete unasked. */
export async function filesNotDocuments (dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((file) => !DOCUMENT_FILE.test(file) && file !== SETTINGS_FILE &&
    !file.startsWith(TEMP_PREFIX) && !file.startsWith(LEGACY_LOCK_PREFIX)).sort()
}

/**
 * Creates a collection's folder when it is missing; true when it made it. A
 * name held by a symlink (to a folder anywhere) or a file is refused, never
 * written through: nothing leaves DATA_DIR, and reads treat it as absent.
 * So is a name that differs from an existing collection's only by case.
 */
export async function makeCollectionDir (name: string, dir: string): Promise<boolean> {
  // The common case, a folder that is there, costs one cached lstat rather than a failing mkdir.
  if (isRealFolderNow(dir)) return false
  const dataDir = dirname(dir)
  try {
    await refuseCaseTwin(dataDir, name)
    const made = await mkdirDurable(dir)
    if (made) await undoIfCaseTwin(dataDir, name)
    return made
  } catch (err) {
    if (err instanceof StoreError) throw err
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw notARealFolder(name)
    translateFsError(err)
  }
}

/** Refuses a collection whose name is held by something other than a real folder (which a first write would create). */
export function checkCollectionDir (name: string, dir: string): void {
  const stats = lstatNow(dir)
  if (stats !== undefined && !stats.isDirectory()) throw notARealFolder(name)
}

