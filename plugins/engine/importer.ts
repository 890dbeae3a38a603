import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { v7 as uuidv7 } from 'uuid'
import { checkCollectionDir, makeCollectionDir } from './collection-folders'
import type { SettingsCache } from './collection-settings'
import { fsyncDir, unlinkDurable, writeFileDurable } from './durable-fs'
import { ImportError, StoreError, translateFsError, type ImportSummary } from './store-errors'
import { SINGULAR_COLLECTION } from './collection-names'
import { fieldProblemsOf } from './field-problems'
import type { ImportItem } from './import-formats'
import type { SchemaValidator } from './schema-compiler'
import { checkStoredSize, jsonFileBytes, parseDocument } from './json-file'
import type { JsonObject, JsonValue } from './json-types'
import { jsonShapeProblem } from './json-shape'
import { DOCUMENT_FILE, documentFileName, fileIdOf, idOfFileName, isCollectionName } from './names'
import type { Logger } from './observer'
import { isRealFolderNow, lstatNow } from './stat-now'
import type { VolumeLocks } from './volume-locks'

/**
 * An import is staged in `<DATA_DIR>/.import-<uuid>/<collection>/`, one
 * folder per collection of the request; a `.commit` file in the stage means
 * "move all of these in". Its importer holds the stage's lock from before the
 * folder is made until it is gone, so start-up recovery touches only stages
 * whose importer died.
 */
const IMPORT_PREFIX = '.import-'
const IMPORT_COMMIT = '.commit'
/**
 * Left in each collection of a committed import until its documents are all
 * moved in; it names the stage. Written under the collection's exclusive
 * lock and removed before it is released, so a writer that finds it knows the
 * importer died part-way: it finishes that collection's move first, and no
 * write lands where the rest of the import would then overwrite it.
 */
export const IMPORT_PENDING = '.import-pending'
/** Staged files written (and fsynced) at once. */
const IMPORT_BATCH = 64

/** What the importer needs of the store it imports into. */
export interface ImportTarget {
  readonly dataDir: string
  readonly locks: VolumeLocks
  readonly settings: SettingsCache
  readonly log: Logger
  /** The largest a stored document's file may be (BODY_LIMIT), as for writes. */
  readonly maxDocumentBytes: number
  /** The folder of a collection; throws invalid-name for a name that is not one. */
  collectionDir: (name: string) => string
}

interface Staged {
  name: string
  /** Its folder inside the stage. */
  staged: string
  ids: Set<string>
  settingsKey?: string
  validate?: SchemaValidator | undefined
}

/**
 * Imports documents, all or nothing for the whole request: every document
 * of every collection is validated (ids, JSON shape, the collection's
 * schema) and written durably to the stage first; then, holding every
 * collection of the request exclusively, the commit marker is written and
 * the files are moved in. The answer comes only after all of it is durable.
 * A crash before the marker leaves nothing; after it, whoever comes next —
 * a writer of one of the collections, or a starting replica — finishes the
 * move. Documents replace same-id documents, as a PUT would; others are kept.
 */
export async function importDocuments (
  target: ImportTarget,
  items: AsyncIterable<ImportItem>,
  /** `reading`: a collection's documents staged so far (every 1000); `imported`: its final count, once, after all moved in. */
  onProgress?: (collection: string, documents: number, phase: 'reading' | 'imported') => void
): Promise<ImportSummary> {
  const stageName = `${IMPORT_PREFIX}${uuidv7()}`
  const stage = join(target.dataDir, stageName)
  return await target.locks.withStage(stageName, async () => {
    const collections = new Map<string, Staged>()
    let current: Staged | undefined
    let batch: Array<Promise<void>> = []
    let committed = false
    try {
      await mkdir(stage)
      for await (const item of items) {
        let staged = collections.get(item.collection)
        if (staged === undefined) {
          // Refused before anything is staged: the move in would refuse it anyway.
          const dir = target.collectionDir(item.collection)
          checkCollectionDir(item.collection, dir)
          const settings = await target.settings.load(item.collection, dir)
          staged = { name: item.collection, staged: join(stage, item.collection), ids: new Set(), settingsKey: settings.key, validate: settings.validate }
          await mkdir(staged.staged)
          collections.set(item.collection, staged)
        }
        current = staged
        // An empty collection in a db.json still becomes an (empty) collection.
        if (item.end === true) continue
        const { id, doc } = importedDocument(item, staged.ids)
        if (staged.validate !== undefined && !staged.validate(doc)) {
          throw new StoreError('schema-violation', `Document "${id}" does not satisfy the schema of "${staged.name}".`, fieldProblemsOf(id, staged.validate.errors))
        }
        const bytes = jsonFileBytes(doc)
        checkStoredSize(bytes, target.maxDocumentBytes, `document "${id}" of "${staged.name}"`)
        staged.ids.add(id)
        batch.push(writeStaged(join(staged.staged, documentFileName(id)), bytes))
        if (batch.length >= IMPORT_BATCH) {
          await Promise.all(batch)
          batch = []
          if (staged.ids.size % 1000 < IMPORT_BATCH) onProgress?.(staged.name, staged.ids.size, 'reading')
        }
      }
      await Promise.all(batch)
      const all = [...collections.values()]
      await target.locks.withCollections(all.map((c) => c.name), async () => {
        await commitStage(target, stageName, all)
        committed = true
        for (const c of all) await moveStagedIn(target, stageName, c.name)
      })
      for (const c of all) onProgress?.(c.name, c.ids.size, 'imported')
      await rm(stage, { recursive: true, force: true })
      await fsyncDir(target.dataDir)
      // The singular resources of a db.json are documents of one folder: the report names each of them.
      return { imported: all.map((c) => ({ collection: c.name, documents: c.ids.size, ...(c.name === SINGULAR_COLLECTION ? { singulars: [...c.ids] } : {}) })) }
    } catch (err) {
      await Promise.allSettled(batch)
      // Committed: not ours to drop any more; the next writer or start finishes it.
      if (!committed) await rm(stage, { recursive: true, force: true })
      if (err instanceof StoreError && current !== undefined && !committed) throw new ImportError(err, current.name, { imported: [] })
      if (err instanceof StoreError) throw err
      translateFsError(err)
    }
  })
}

/**
 * Under every collection's exclusive lock: finishes what a dead importer
 * left, checks the staged documents again if a schema changed since they
 * were read, marks each collection pending, then writes the commit marker.
 */
async function commitStage (target: ImportTarget, stageName: string, all: Staged[]): Promise<void> {
  const stage = join(target.dataDir, stageName)
  for (const c of all) {
    const dir = target.collectionDir(c.name)
    await makeCollectionDir(c.name, dir)
    await settlePendingImport(target, c.name)
    const { key, validate } = await target.settings.load(c.name, dir)
    if (validate !== undefined && key !== c.settingsKey) await checkStaged(c.staged, c.name, validate)
    await fsyncDir(c.staged)
  }
  await fsyncDir(stage)
  for (const c of all) await writeFileDurable(target.collectionDir(c.name), IMPORT_PENDING, Buffer.from(stageName), 'replace')
  await writeStaged(join(stage, IMPORT_COMMIT), Buffer.from(''))
  await fsyncDir(stage)
}

/** Moves a committed stage's documents of one collection in, then clears the collection's pending mark. Under its exclusive lock. */
async function moveStagedIn (target: ImportTarget, stageName: string, name: string): Promise<void> {
  const dir = target.collectionDir(name)
  const staged = join(target.dataDir, stageName, name)
  const files = await readdir(staged).catch(() => [])
  for (const file of files) await rename(join(staged, file), join(dir, file))
  if (files.length > 0) await fsyncDir(dir)
  if (await pendingStage(dir) === stageName) await unlinkDurable(join(dir, IMPORT_PENDING))
}

/** The stage a collection's pending mark names, if it has one. */
async function pendingStage (dir: string): Promise<string | undefined> {
  return await readFile(join(dir, IMPORT_PENDING), 'utf8').catch(() => undefined)
}

/** True when a collection is marked pending: a write must settle it first (settlePendingImport). */
export function hasPendingImport (dir: string): boolean {
  return lstatNow(join(dir, IMPORT_PENDING)) !== undefined
}

/**
 * Under the collection's exclusive lock: if a dead importer left it pending,
 * moves in the rest of that import's documents of it (when the import was
 * committed; an import that never committed is dropped by the next start)
 * and clears the mark. The mark is only ever left by a dead importer: a live
 * one clears it before it lets go of the lock we now hold.
 */
export async function settlePendingImport (target: ImportTarget, name: string): Promise<void> {
  const dir = target.collectionDir(name)
  const stageName = await pendingStage(dir)
  if (stageName === undefined) return
  const named = stageName.startsWith(IMPORT_PREFIX) && !stageName.includes('/')
  const committed = named && await isCommitted(join(target.dataDir, stageName))
  if (committed) await moveStagedIn(target, stageName, name)
  await unlinkDurable(join(dir, IMPORT_PENDING)).catch(() => {})
  target.log.warn({ stage: stageName, collection: name }, committed
    ? 'Finished moving in an import whose importer died after its commit.'
    : 'Cleared the mark of an import whose importer died before its commit.')
}

async function isCommitted (stage: string): Promise<boolean> {
  return await readFile(join(stage, IMPORT_COMMIT)).then(() => true, () => false)
}

/**
 * At start: finishes the committed imports and drops the others — only
 * those whose stage lock is free, so whose importer is dead. A live
 * importer's stage, or one another starting replica is recovering, is left
 * alone.
 */
export async function recoverImports (target: ImportTarget): Promise<void> {
  for (const entry of await readdir(target.dataDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(IMPORT_PREFIX)) continue
    const held = target.locks.tryStage(entry.name)
    if (held === undefined) continue
    try {
      // Listed while its live importer finished: removed before its lock was free, so nothing to recover.
      if (!isRealFolderNow(join(target.dataDir, entry.name))) continue
      await recoverStage(target, entry.name)
    } finally {
      held.release()
    }
  }
}

async function recoverStage (target: ImportTarget, stageName: string): Promise<void> {
  const stage = join(target.dataDir, stageName)
  if (!(await isCommitted(stage))) {
    await rm(stage, { recursive: true, force: true })
    target.log.warn({ stage: stageName }, 'Dropped an import that was interrupted before its commit.')
    return
  }
  await adoptLegacyStage(stage, stageName)
  const names = (await readdir(stage, { withFileTypes: true })).filter((e) => e.isDirectory() && isCollectionName(e.name)).map((e) => e.name)
  try {
    await target.locks.withCollections(names, async () => {
      for (const name of names) {
        const dir = target.collectionDir(name)
        await makeCollectionDir(name, dir)
        // A schema set by hand (or a stage from an older version) may refuse what was checked at the commit.
        const { validate } = await target.settings.load(name, dir)
        if (validate !== undefined) await checkStaged(join(stage, name), name, validate)
      }
      for (const name of names) await moveStagedIn(target, stageName, name)
    })
  } catch (err) {
    if (!(err instanceof StoreError)) throw err
    // Committed, so not ours to drop; not movable now (a schema it breaks, a lock held long, a name taken by a file).
    target.log.warn({ stage: stageName, reason: err.message, errors: err.errors },
      'Kept an import interrupted after its commit: it cannot be moved in now. Fix the collection (or its schema) and restart, or remove the folder.')
    return
  }
  await rm(stage, { recursive: true, force: true })
  await fsyncDir(target.dataDir)
  target.log.warn({ stage: stageName }, 'Finished an import that was interrupted after its commit.')
}

function importedDocument (item: ImportItem, seen: Set<string>): { id: string, doc: JsonObject } {
  const body = item.doc
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new StoreError('invalid-document', `Every document of "${item.collection}" must be a JSON object.`)
  }
  const problem = jsonShapeProblem(body)
  if (problem !== undefined) throw new StoreError('invalid-document', `A document of "${item.collection}" is not acceptable: ${problem}.`)
  const given = (body as JsonObject).id ?? item.key
  const idValue: JsonValue = given ?? uuidv7()
  const id = fileIdOf(idValue)
  if (seen.has(id)) throw new StoreError('invalid-document', `The id "${id}" appears twice in "${item.collection}".`)
  return { id, doc: { id: idValue, ...(body as JsonObject) } }
}

/** A stage from before whole-request imports, `.import-<collection>-<uuid>` with the documents in it: they move into a collection folder of the stage. */
async function adoptLegacyStage (stage: string, stageName: string): Promise<void> {
  const files = (await readdir(stage)).filter((file) => DOCUMENT_FILE.test(file))
  const name = stageName.slice(IMPORT_PREFIX.length).replace(/-[0-9a-f-]{36}$/, '')
  if (files.length === 0 || !isCollectionName(name)) return
  await mkdir(join(stage, name), { recursive: true })
  for (const file of files) await rename(join(stage, file), join(stage, name, file))
  await fsyncDir(join(stage, name))
  await fsyncDir(stage)
}

/** Checks staged documents against a collection's schema, one file at a time. */
async function checkStaged (stage: string, name: string, validate: SchemaValidator): Promise<void> {
  for (const file of await readdir(stage)) {
    if (!DOCUMENT_FILE.test(file)) continue
    const id = idOfFileName(file)
    if (!validate(parseDocument(await readFile(join(stage, file)), `${name}/${file}`))) {
      throw new StoreError('schema-violation', `Document "${id}" does not satisfy the schema of "${name}", which changed while the import was read.`, fieldProblemsOf(id, validate.errors))
    }
  }
}

/** Writes a new file and fsyncs it (staged imports: the folder is fsynced once, before the commit marker). */
async function writeStaged (path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'wx', 0o644)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}
