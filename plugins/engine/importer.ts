import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import { v7 as uuidv7 } from 'uuid'
import { checkCollectionDir, makeCollectionDir } from './collection-folders'
import { SETTINGS_FILE, type SettingsCache } from './collection-settings'
import type { FileLocks } from './document-lock'
import { fsyncDir } from './durable-fs'
import { ImportError, StoreError, translateFsError, type ImportSummary } from './errors'
import { fieldProblemsOf } from './field-problems'
import type { ImportItem } from './import-formats'
import { jsonFileBytes, parseDocument } from './json-file'
import type { JsonObject, JsonValue } from './json-types'
import { jsonShapeProblem } from './json-shape'
import { DOCUMENT_FILE, documentFileName, fileIdOf, idOfFileName } from './names'
import type { Logger } from './observer'

/** Imports are staged in `<DATA_DIR>/.import-*` folders; a `.commit` file in one means "move these in". */
const IMPORT_PREFIX = '.import-'
const IMPORT_COMMIT = '.commit'
/** Staged files written (and fsynced) at once. */
const IMPORT_BATCH = 64

/** What the importer needs of the store it imports into. */
export interface ImportTarget {
  readonly dataDir: string
  readonly locks: FileLocks
  readonly settings: SettingsCache
  readonly log: Logger
  /** The folder of a collection; throws invalid-name for a name that is not one. */
  collectionDir: (name: string) => string
}

interface Staging {
  name: string
  stage: string
  ids: Set<string>
  settingsKey: string
  validate?: ValidateFunction | undefined
  batch: Array<Promise<void>>
}

/**
 * Imports documents, all or nothing per collection: each collection's
 * documents are validated (ids, JSON shape, the collection's schema) and
 * written durably to a staging folder beside the collections; only when the
 * whole collection is staged is a commit marker written and the files moved
 * in. A crash before the marker leaves nothing; after it, the next start
 * finishes the move (recoverImports). Documents replace same-id documents,
 * as a PUT would; others are kept.
 */
export async function importDocuments (
  target: ImportTarget,
  items: AsyncIterable<ImportItem>,
  onProgress?: (collection: string, documents: number) => void
): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: [] }
  let current: Staging | undefined
  const finish = async (): Promise<void> => {
    if (current === undefined) return
    await Promise.all(current.batch)
    await moveImportIn(target, current.stage, current.name, { commit: true, settingsKey: current.settingsKey })
    summary.imported.push({ collection: current.name, documents: current.ids.size })
    onProgress?.(current.name, current.ids.size)
    current = undefined
  }
  try {
    for await (const item of items) {
      if (item.end === true) {
        if (current?.name === item.collection) {
          await finish()
        } else {
          // An empty collection in a db.json still becomes a (empty) collection.
          await makeCollectionDir(item.collection, target.collectionDir(item.collection))
          summary.imported.push({ collection: item.collection, documents: 0 })
        }
        continue
      }
      if (current?.name !== item.collection) {
        await finish()
        // Refused before anything is staged: the move in would refuse it anyway.
        const dir = target.collectionDir(item.collection)
        checkCollectionDir(item.collection, dir)
        const stage = join(target.dataDir, `${IMPORT_PREFIX}${item.collection}-${uuidv7()}`)
        await mkdir(stage).catch(translateFsError)
        const settings = await target.settings.load(item.collection, dir)
        current = { name: item.collection, stage, ids: new Set(), settingsKey: settings.key, validate: settings.validate, batch: [] }
      }
      const staged = current
      const { id, doc } = importedDocument(item, staged.ids)
      if (staged.validate !== undefined && !staged.validate(doc)) {
        throw new StoreError('schema-violation', `Document "${id}" does not satisfy the schema of "${staged.name}".`, fieldProblemsOf(id, staged.validate.errors))
      }
      staged.ids.add(id)
      staged.batch.push(writeStaged(join(staged.stage, documentFileName(id)), jsonFileBytes(doc)))
      if (staged.batch.length >= IMPORT_BATCH) {
        await Promise.all(staged.batch)
        staged.batch = []
        if (staged.ids.size % 1000 < IMPORT_BATCH) onProgress?.(staged.name, staged.ids.size)
      }
    }
    await finish()
  } catch (err) {
    const failed = current
    if (failed !== undefined) {
      await Promise.allSettled(failed.batch)
      await rm(failed.stage, { recursive: true, force: true })
    }
    if (err instanceof StoreError && failed !== undefined) throw new ImportError(err, failed.name, summary)
    if (err instanceof StoreError) throw err
    translateFsError(err)
  }
  return summary
}

/** At start: finish imports whose commit marker was written, drop the others. */
export async function recoverImports (target: ImportTarget): Promise<void> {
  for (const entry of await readdir(target.dataDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(IMPORT_PREFIX)) continue
    const stage = join(target.dataDir, entry.name)
    const committed = await readFile(join(stage, IMPORT_COMMIT)).then(() => true, () => false)
    if (committed) {
      const name = entry.name.slice(IMPORT_PREFIX.length).replace(/-[0-9a-f-]{36}$/, '')
      try {
        await moveImportIn(target, stage, name, { commit: false })
      } catch (err) {
        if (!(err instanceof StoreError)) throw err
        // Committed, so not ours to drop; not acceptable now, so not ours to move in either.
        target.log.warn({ stage: entry.name, reason: err.message, errors: err.errors },
          'Kept an import interrupted after its commit: it cannot be moved in now. Fix the collection (or its schema) and restart, or remove the folder.')
        continue
      }
      target.log.warn({ stage: entry.name }, 'Finished an import that was interrupted after its commit.')
    } else {
      await rm(stage, { recursive: true, force: true })
      target.log.warn({ stage: entry.name }, 'Dropped an import that was interrupted before its commit.')
    }
  }
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

/**
 * Moves a staged import in — after marking it complete (durably), when
 * `commit` — holding the collection's settings lock exclusively: once every
 * document write of the collection in flight, in any process, has released
 * its lock, and while new ones wait (FileLocks.withExclusive). So no writer
 * can check an If-Match against a version a rename here then replaces, and
 * the schema cannot change between the check here and the move. One lock
 * for the folder rather than one per document: the same ordering against
 * every writer, without two lock folders made and removed per file.
 */
async function moveImportIn (target: ImportTarget, stage: string, name: string, options: { commit: boolean, settingsKey?: string }): Promise<void> {
  const dir = target.collectionDir(name)
  await makeCollectionDir(name, dir)
  await target.locks.withExclusive(dir, SETTINGS_FILE, async () => {
    const { key, validate } = await target.settings.load(name, dir)
    // The settings changed since the documents were checked (or, after a crash, are not known): check them again.
    if (validate !== undefined && key !== options.settingsKey) await checkStaged(stage, name, validate)
    if (options.commit) {
      await fsyncDir(stage)
      await writeStaged(join(stage, IMPORT_COMMIT), Buffer.from(''))
      await fsyncDir(stage)
    }
    for (const file of await readdir(stage)) {
      if (file !== IMPORT_COMMIT) await rename(join(stage, file), join(dir, file))
    }
    await fsyncDir(dir)
  })
  await rm(stage, { recursive: true, force: true })
  await fsyncDir(target.dataDir)
}

/** Checks staged documents against a collection's schema, one file at a time. */
async function checkStaged (stage: string, name: string, validate: ValidateFunction): Promise<void> {
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
