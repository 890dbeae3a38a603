import { constants, type BigIntStats } from 'node:fs'
import { access, lstat, mkdir, open, readdir, readFile, realpath, rename, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { v7 as uuidv7 } from 'uuid'
import { COLLECTION_NAME_PATTERN, DOCUMENT_ID_PATTERN } from '../../schemas/common'
import { CollectionIndex, parseDocument, type Logger, type Page, type StoredDocument } from './collection-index'
import { fsyncDir, mkdirDurable, rmDirDurable, sweepTempFiles, unlinkDurable, writeFileDurable, type WriteMode } from './durable-fs'
import { StoreError, translateFsError, type FieldProblem } from './errors'
import { FileLocks } from './document-lock'
import type { ImportItem } from './import-formats'
import { jsonShapeProblem } from './json-shape'
import { isRealFolderNow, lstatNow } from './stat-now'
import type { JsonObject, JsonValue, ListQuery } from './query'

export type { StoredDocument, Page } from './collection-index'
export type { JsonObject, JsonValue, ListQuery } from './query'

const COLLECTION_NAME = new RegExp(COLLECTION_NAME_PATTERN)
const DOCUMENT_ID = new RegExp(DOCUMENT_ID_PATTERN)
const SETTINGS_FILE = '.collection.json'
/** Imports are staged in `<DATA_DIR>/.import-*` folders; a `.commit` file in one means "move these in". */
const IMPORT_PREFIX = '.import-'
const IMPORT_COMMIT = '.commit'
/** Staged files written (and fsynced) at once. */
const IMPORT_BATCH = 64
const DOCUMENT_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}\.json$/

/** Receives timings for the metrics; the engine knows nothing of Prometheus. */
export interface StoreObserver {
  operation: (name: string, seconds: number, outcome: 'ok' | 'error') => void
  fsync: (seconds: number) => void
}

export interface StoreOptions {
  dataDir: string
  observer?: StoreObserver
  /** Skip the start-up write checks and the temp sweep: the volume may be mounted read-only. */
  readOnly?: boolean
  log?: Logger
}

/** Entity tags a write is conditional on, already parsed from If-Match / If-None-Match. */
export interface Preconditions {
  ifMatch?: string[] | '*' | undefined
  ifNoneMatch?: string[] | '*' | undefined
}

export interface CollectionSettings {
  /** JSON Schema (2020-12) every document of the collection must satisfy. */
  schema?: JsonObject
}

export interface ImportSummary {
  /** The collections imported completely, in order. */
  imported: Array<{ collection: string, documents: number }>
}

/** An import that failed part-way: the collections before the failing one are in; the failing one is not. */
export class ImportError extends StoreError {
  constructor (cause: StoreError, readonly collection: string, readonly summary: ImportSummary) {
    super(cause.code, `Import of "${collection}" failed, nothing of it was written: ${cause.message}`, cause.errors)
  }
}

export interface CollectionInfo extends CollectionSettings {
  name: string
  count: number
}

interface LoadedSettings {
  key: string
  settings: CollectionSettings
  validate?: ValidateFunction
}

const silentLog: Logger = { warn: () => {} }

/** Thrown by `open()` when the service cannot run on DATA_DIR; its message is the one line to print. */
export class StartupError extends Error {
  override readonly name = 'StartupError'
}

/**
 * The document store engine: collections are folders, documents are
 * pretty-printed JSON files, and every acknowledged write is durable.
 * It has no Fastify in it, so it can be tested and benchmarked alone.
 */
export class DocumentStore {
  #dataDir: string
  readonly #readOnly: boolean
  readonly #log: Logger
  readonly #indexes = new Map<string, CollectionIndex>()
  readonly #settings = new Map<string, LoadedSettings>()
  readonly #locks: FileLocks
  #closed = false
  readonly #observer: StoreObserver | undefined
  readonly #fsyncTimer: ((seconds: number) => void) | undefined
  readonly #ajv: Ajv2020

  constructor (options: StoreOptions) {
    this.#dataDir = resolve(options.dataDir)
    this.#readOnly = options.readOnly ?? false
    this.#log = options.log ?? silentLog
    this.#locks = new FileLocks(this.#log)
    this.#observer = options.observer
    this.#fsyncTimer = options.observer === undefined ? undefined : (seconds) => options.observer?.fsync(seconds)
    this.#ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats(this.#ajv)
  }

  /** DATA_DIR as an absolute path; once open() has run, its real path (no symlink in it). */
  get dataDir (): string {
    return this.#dataDir
  }

  /** Checks DATA_DIR and sweeps the temp files a crash may have left. */
  async open (): Promise<void> {
    if (!this.#readOnly) await mkdir(this.#dataDir, { recursive: true }).catch(() => {})
    // DATA_DIR itself may be a symlink (an alias of the mounted folder): it is
    // the operator's choice, so it is resolved once, here. Every path below it
    // is then checked with lstat, and no other symlink is ever followed.
    const real = await realpath(this.#dataDir).catch(() => undefined)
    const stats = real === undefined ? undefined : await lstat(real).catch(() => undefined)
    if (real === undefined || stats === undefined || !stats.isDirectory()) {
      throw new StartupError(`DATA_DIR ${this.#dataDir} is not a folder: create it, or point DATA_DIR at one.`)
    }
    this.#dataDir = real
    if (this.#readOnly) return
    try {
      await access(this.dataDir, constants.R_OK | constants.W_OK | constants.X_OK)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EROFS') {
        // A read-only mount: serve reads; writes answer 503 and readiness says why.
        this.#log.warn({ dataDir: this.dataDir }, 'DATA_DIR is on a read-only mount: serving reads only.')
        return
      }
      const uid = process.getuid?.() ?? '?'
      const gid = process.getgid?.() ?? '?'
      throw new StartupError(
        `DATA_DIR ${this.dataDir} is not writable by uid ${uid} (gid ${gid}): ` +
        `on the host run "sudo chown -R ${uid}:${gid} <the mounted folder>", ` +
        'or run the container as the folder\'s owner (compose "user:" / docker run --user), or set READ_ONLY=true.'
      )
    }
    for (const name of await this.#collectionNames()) {
      const removed = await sweepTempFiles(join(this.dataDir, name))
      if (removed > 0) this.#log.warn({ collection: name, removed }, 'Removed temp files left by an interrupted write.')
    }
    await this.#recoverImports()
  }

  /**
   * Builds every collection's listing index, in the background after start,
   * so the first listing does not pay for it. Never rejects: a collection
   * that cannot be loaded now is loaded (or reported) on first use.
   */
  async warmUp (): Promise<{ collections: number, documents: number, ms: number }> {
    const started = Date.now()
    let documents = 0
    const names = await this.#collectionNames().catch(() => [])
    for (const name of names) {
      if (this.#closed) break
      documents += await this.#index(name).documents().then((docs) => docs.length, () => 0)
    }
    return { collections: names.length, documents, ms: Date.now() - started }
  }

  /** True when the store was opened read-only (READ_ONLY=true). */
  get readOnly (): boolean {
    return this.#readOnly
  }

  async close (): Promise<void> {
    this.#closed = true
    for (const index of this.#indexes.values()) index.close()
    this.#indexes.clear()
  }

  /** Ready when DATA_DIR can be read, and written unless the store is read-only. */
  async checkReady (): Promise<{ ready: boolean, reason?: string }> {
    const mode = constants.R_OK | (this.#readOnly ? 0 : constants.W_OK)
    try {
      await access(this.dataDir, mode)
      return { ready: true }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error'
      const why = code === 'EROFS' ? ': the volume is mounted read-only (set READ_ONLY=true to serve reads only)' : ''
      return { ready: false, reason: `DATA_DIR ${this.dataDir} is not ${this.#readOnly ? 'readable' : 'readable and writable'} (${code})${why}.` }
    }
  }

  // ---- collections ---------------------------------------------------------------------------

  async listCollections (): Promise<CollectionInfo[]> {
    const names = await this.#collectionNames()
    return await Promise.all(names.sort().map(async (name) => ({ name, count: await this.#count(name) })))
  }

  async getCollection (name: string): Promise<CollectionInfo> {
    const dir = this.#collectionDir(name)
    if (!isRealFolderNow(dir)) throw collectionNotFound(name)
    const { settings } = await this.#loadSettings(name)
    return { name, count: await this.#count(name), ...settings }
  }

  /** Creates the collection or replaces its settings. Existing documents must satisfy a new schema. */
  async putCollection (name: string, settings: CollectionSettings): Promise<{ created: boolean, info: CollectionInfo }> {
    const dir = this.#collectionDir(name)
    const validate = settings.schema === undefined ? undefined : this.#compile(settings.schema)
    const created = await this.#makeCollectionDir(name, dir)
    // Exclusive: every document write validates under its own lock, which
    // waits while this one is held, and this one waits until those held are
    // released. So each write is either in the scan below or sees the new
    // settings: none validated against the old schema lands after the scan.
    return await this.#locks.withExclusive(dir, SETTINGS_FILE, async () => {
      // Scanned even when we made the folder: a first write may have added a document since.
      if (validate !== undefined) {
        const violations: FieldProblem[] = []
        for (const stored of await this.#index(name).documents()) {
          if (!validate(stored.doc)) {
            for (const problem of fieldProblems(validate.errors)) {
              violations.push({ pointer: `/${stored.id}${problem.pointer}`, message: problem.message })
            }
          }
          if (violations.length >= 50) break
        }
        if (violations.length > 0) {
          throw new StoreError('schema-violation', `Existing documents of "${name}" do not satisfy the new schema; fix or delete them first.`, violations)
        }
      }
      const bytes = Buffer.from(JSON.stringify(settings, null, 2) + '\n')
      await writeFileDurable(dir, SETTINGS_FILE, bytes, 'replace').catch(translateFsError)
      this.#settings.delete(name)
      return { created, info: { name, count: await this.#count(name), ...settings } }
    })
  }

  async deleteCollection (name: string, options: { force?: boolean } = {}): Promise<void> {
    const dir = this.#collectionDir(name)
    if (!isRealFolderNow(dir)) throw collectionNotFound(name)
    const count = await this.#count(name)
    if (count > 0 && options.force !== true) {
      throw new StoreError('collection-not-empty', `Collection "${name}" holds ${count} document(s); add ?force=true to delete them too.`)
    }
    await rmDirDurable(dir).catch(translateFsError)
    this.#indexes.get(name)?.reset()
    this.#indexes.delete(name)
    this.#settings.delete(name)
  }

  // ---- documents -----------------------------------------------------------------------------

  async getDocument (collection: string, id: string): Promise<StoredDocument> {
    return await this.#timed('get', async () => {
      const index = this.#index(collection)
      this.#checkId(id)
      const stored = await index.get(id)
      if (stored === undefined) throw await this.#notFound(collection, id)
      return stored
    })
  }

  /** Every document of a collection, in id order (export; json-server's whole-collection queries). */
  async allDocuments (collection: string): Promise<JsonObject[]> {
    const stored = await this.#index(collection).documents()
    return stored.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((s) => s.doc)
  }

  async listDocuments (collection: string, query: ListQuery): Promise<Page> {
    return await this.#timed('list', async () => {
      return await this.#index(collection).list(query)
    })
  }

  /** Creates a document; its id comes from the body or is a new time-ordered UUIDv7. A first write creates the collection. */
  async createDocument (collection: string, body: JsonObject): Promise<StoredDocument> {
    return await this.#timed('create', async () => {
      const index = this.#index(collection)
      const id = body.id === undefined ? uuidv7() : this.#idOf(body.id)
      const doc = { id, ...body }
      await this.#makeCollectionDir(collection, index.dir)
      // link(2) makes the create exclusive, across processes too. The lock
      // (taken for a server-made id too) orders it with PUTs of that id and
      // with schema changes: the schema is read and checked inside it.
      return await this.#withDocumentLock(index, id, async () => {
        await this.#validate(collection, doc)
        return await this.#write(index, id, doc, 'create')
      })
    })
  }

  /** Creates or replaces a document. */
  async putDocument (
    collection: string,
    id: string,
    body: JsonObject,
    preconditions: Preconditions = {}
  ): Promise<{ created: boolean, stored: StoredDocument }> {
    return await this.#timed('put', async () => {
      const index = this.#index(collection)
      this.#checkId(id)
      if (body.id !== undefined && !sameId(body.id, id)) {
        throw new StoreError('invalid-document', `The body's id "${String(body.id)}" differs from the id in the path, "${id}".`)
      }
      const doc = { id, ...body }
      if (!isRealFolderNow(index.dir)) {
        // No collection, so no document: a conditional replace fails before anything is created.
        checkPreconditions(undefined, preconditions)
        await this.#makeCollectionDir(collection, index.dir)
      }
      return await this.#withDocumentLock(index, id, async () => {
        // Inside the lock, so a concurrent schema change is either seen here or waits for this write.
        await this.#validate(collection, doc)
        const current = await index.get(id)
        checkPreconditions(current, preconditions)
        if (current !== undefined) return { created: false, stored: await this.#write(index, id, doc, 'replace') }
        try {
          return { created: true, stored: await this.#write(index, id, doc, 'create') }
        } catch (err) {
          // Created meanwhile by a writer outside our locks (the host, say): an upsert replaces it.
          if (!(err instanceof StoreError) || err.code !== 'already-exists' || preconditions.ifNoneMatch !== undefined) throw err
          checkPreconditions(await index.get(id), preconditions)
          return { created: false, stored: await this.#write(index, id, doc, 'replace') }
        }
      })
    })
  }

  /** Applies `patch` to the current document, atomically with respect to other writes of it. */
  async patchDocument (
    collection: string,
    id: string,
    patch: (current: JsonObject) => JsonObject,
    preconditions: Preconditions = {}
  ): Promise<StoredDocument> {
    return await this.#timed('patch', async () => {
      const index = this.#index(collection)
      this.#checkId(id)
      return await this.#withExistingLock(index, id, async () => {
        const current = await index.get(id)
        if (current === undefined) throw await this.#notFound(collection, id)
        checkPreconditions(current, preconditions)
        const next = patch(structuredClone(current.doc))
        if (!sameId(next.id, id)) {
          throw new StoreError('patch-unprocessable', `A patch cannot change or remove the id ("${id}").`)
        }
        await this.#validate(collection, next)
        return await this.#write(index, id, next, 'replace')
      })
    })
  }

  async deleteDocument (collection: string, id: string, preconditions: Preconditions = {}): Promise<void> {
    return await this.#timed('delete', async () => {
      const index = this.#index(collection)
      this.#checkId(id)
      await this.#withExistingLock(index, id, async () => {
        const current = await index.get(id)
        if (current === undefined) throw await this.#notFound(collection, id)
        checkPreconditions(current, preconditions)
        try {
          await unlinkDurable(index.fileOf(id), this.#fsyncTimer)
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') translateFsError(err)
        }
        index.forget(id)
      })
    })
  }

  // ---- import ----------------------------------------------------------------------------------

  /**
   * Imports documents, all or nothing per collection: each collection's
   * documents are validated (ids, JSON shape, the collection's schema) and
   * written durably to a staging folder beside the collections; only when the
   * whole collection is staged is a commit marker written and the files moved
   * in. A crash before the marker leaves nothing; after it, the next start
   * finishes the move. Documents replace same-id documents, as a PUT would;
   * others are kept.
   */
  async importDocuments (items: AsyncIterable<ImportItem>, onProgress?: (collection: string, documents: number) => void): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: [] }
    let current: { name: string, stage: string, ids: Set<string>, settingsKey: string, validate?: ValidateFunction | undefined, batch: Array<Promise<void>> } | undefined
    const finish = async (): Promise<void> => {
      if (current === undefined) return
      await Promise.all(current.batch)
      await this.#moveImportIn(current.stage, current.name, { commit: true, settingsKey: current.settingsKey })
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
            await this.#makeCollectionDir(item.collection, this.#collectionDir(item.collection))
            summary.imported.push({ collection: item.collection, documents: 0 })
          }
          continue
        }
        if (current?.name !== item.collection) {
          await finish()
          // Refused before anything is staged: the move in would refuse it anyway.
          await this.#checkCollectionDir(item.collection)
          const stage = join(this.dataDir, `${IMPORT_PREFIX}${item.collection}-${uuidv7()}`)
          await mkdir(stage).catch(translateFsError)
          const settings = await this.#loadSettings(item.collection)
          current = { name: item.collection, stage, ids: new Set(), settingsKey: settings.key, validate: settings.validate, batch: [] }
        }
        const staged = current
        const { id, doc } = this.#importedDocument(item, staged.ids)
        if (staged.validate !== undefined && !staged.validate(doc)) {
          const errors = fieldProblems(staged.validate.errors).map((p) => ({ pointer: `/${id}${p.pointer}`, message: p.message }))
          throw new StoreError('schema-violation', `Document "${id}" does not satisfy the schema of "${staged.name}".`, errors)
        }
        staged.ids.add(id)
        staged.batch.push(writeStaged(join(staged.stage, `${id}.json`), Buffer.from(JSON.stringify(doc, null, 2) + '\n')))
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

  #importedDocument (item: ImportItem, seen: Set<string>): { id: string, doc: JsonObject } {
    const body = item.doc
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new StoreError('invalid-document', `Every document of "${item.collection}" must be a JSON object.`)
    }
    const problem = jsonShapeProblem(body)
    if (problem !== undefined) throw new StoreError('invalid-document', `A document of "${item.collection}" is not acceptable: ${problem}.`)
    const given = (body as JsonObject).id ?? item.key
    const idValue: JsonValue = given ?? uuidv7()
    const id = this.#idOf(idValue)
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
  async #moveImportIn (stage: string, name: string, options: { commit: boolean, settingsKey?: string }): Promise<void> {
    const dir = this.#collectionDir(name)
    await this.#makeCollectionDir(name, dir)
    await this.#locks.withExclusive(dir, SETTINGS_FILE, async () => {
      const { key, validate } = await this.#loadSettings(name)
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
    await fsyncDir(this.dataDir)
  }

  /** At start: finish imports whose commit marker was written, drop the others. */
  async #recoverImports (): Promise<void> {
    for (const entry of await readdir(this.dataDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.startsWith(IMPORT_PREFIX)) continue
      const stage = join(this.dataDir, entry.name)
      const committed = await readFile(join(stage, IMPORT_COMMIT)).then(() => true, () => false)
      if (committed) {
        const name = entry.name.slice(IMPORT_PREFIX.length).replace(/-[0-9a-f-]{36}$/, '')
        try {
          await this.#moveImportIn(stage, name, { commit: false })
        } catch (err) {
          if (!(err instanceof StoreError)) throw err
          // Committed, so not ours to drop; not acceptable now, so not ours to move in either.
          this.#log.warn({ stage: entry.name, reason: err.message, errors: err.errors },
            'Kept an import interrupted after its commit: it cannot be moved in now. Fix the collection (or its schema) and restart, or remove the folder.')
          continue
        }
        this.#log.warn({ stage: entry.name }, 'Finished an import that was interrupted after its commit.')
      } else {
        await rm(stage, { recursive: true, force: true })
        this.#log.warn({ stage: entry.name }, 'Dropped an import that was interrupted before its commit.')
      }
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  async #timed<T> (operation: string, task: () => Promise<T>): Promise<T> {
    if (this.#observer === undefined) return await task()
    const started = process.hrtime.bigint()
    let outcome: 'ok' | 'error' = 'error'
    try {
      const result = await task()
      outcome = 'ok'
      return result
    } finally {
      this.#observer.operation(operation, Number(process.hrtime.bigint() - started) / 1e9, outcome)
    }
  }

  /** Locks a document of a collection that must already exist (patch, delete). */
  async #withExistingLock<T> (index: CollectionIndex, id: string, task: () => Promise<T>): Promise<T> {
    // No collection folder (or a symlink in its place), so no place for a lock: the document cannot exist.
    if (!isRealFolderNow(index.dir)) throw collectionNotFound(index.name)
    return await this.#withDocumentLock(index, id, task)
  }

  /**
   * A document's write lock. Every document write takes it, and it waits
   * while the collection's settings are locked exclusively (a schema change,
   * an import moving in), so a write's own checks — schema, If-Match — stay
   * true until its file is in place.
   */
  async #withDocumentLock<T> (index: CollectionIndex, id: string, task: () => Promise<T>): Promise<T> {
    return await this.#locks.withLock(index.dir, `${id}.json`, task, SETTINGS_FILE)
  }

  /**
   * Creates a collection's folder when it is missing. A name held by a
   * symlink (to a folder anywhere) or a file is refused, never written
   * through: nothing leaves DATA_DIR, and reads treat it as absent.
   */
  async #makeCollectionDir (name: string, dir: string): Promise<boolean> {
    // The common case, a folder that is there, costs one cached lstat rather than a failing mkdir.
    if (isRealFolderNow(dir)) return false
    try {
      return await mkdirDurable(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw notARealFolder(name)
      translateFsError(err)
    }
  }

  /** Refuses a collection whose name is held by something other than a real folder (which a first write would create). */
  async #checkCollectionDir (name: string): Promise<void> {
    const stats = lstatNow(this.#collectionDir(name))
    if (stats !== undefined && !stats.isDirectory()) throw notARealFolder(name)
  }

  async #write (index: CollectionIndex, id: string, doc: JsonObject, mode: WriteMode): Promise<StoredDocument> {
    const bytes = Buffer.from(JSON.stringify(doc, null, 2) + '\n')
    let stats: BigIntStats
    try {
      stats = await writeFileDurable(index.dir, `${id}.json`, bytes, mode, this.#fsyncTimer)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new StoreError('already-exists', `Document "${id}" already exists in "${index.name}".`)
      }
      translateFsError(err)
    }
    return index.remember(id, bytes, doc, stats)
  }

  #collectionDir (name: string): string {
    if (!COLLECTION_NAME.test(name)) {
      throw new StoreError('invalid-name', `"${name}" is not a collection name: use ${COLLECTION_NAME_PATTERN}.`)
    }
    return join(this.dataDir, name)
  }

  #index (name: string): CollectionIndex {
    let index = this.#indexes.get(name)
    if (index === undefined) {
      index = new CollectionIndex(name, this.#collectionDir(name), this.#log)
      this.#indexes.set(name, index)
    }
    return index
  }

  #checkId (id: string): void {
    if (!DOCUMENT_ID.test(id)) {
      throw new StoreError('invalid-name', `"${id}" is not a document id: use ${DOCUMENT_ID_PATTERN}.`)
    }
  }

  /**
   * The file name a body's id gives: a string matching the id pattern, or a
   * non-negative integer (json-server's numeric ids, kept numeric inside the
   * document and named by their decimal digits on disk).
   */
  #idOf (value: unknown): string {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
    if (typeof value !== 'string' || !DOCUMENT_ID.test(value)) {
      throw new StoreError('invalid-document', `The body's id must be a string matching ${DOCUMENT_ID_PATTERN}, or a non-negative integer.`)
    }
    return value
  }

  async #notFound (collection: string, id: string): Promise<StoreError> {
    if (!isRealFolderNow(join(this.dataDir, collection))) return collectionNotFound(collection)
    return new StoreError('document-not-found', `Document "${id}" does not exist in collection "${collection}".`)
  }

  async #collectionNames (): Promise<string[]> {
    const entries = await readdir(this.dataDir, { withFileTypes: true })
    return entries.filter((e) => e.isDirectory() && COLLECTION_NAME.test(e.name)).map((e) => e.name)
  }

  async #count (name: string): Promise<number> {
    let count = 0
    for (const entry of await readdir(join(this.dataDir, name), { withFileTypes: true })) {
      if (entry.isFile() && DOCUMENT_FILE.test(entry.name)) count++
    }
    return count
  }

  #compile (schema: JsonObject): ValidateFunction {
    try {
      return this.#ajv.compile(schema)
    } catch (err) {
      throw new StoreError('invalid-schema', `The collection schema is not a valid JSON Schema: ${(err as Error).message}`)
    } finally {
      // Schemas are compiled per settings file; don't let Ajv's registry grow with every $id.
      if (typeof schema.$id === 'string') this.#ajv.removeSchema(schema.$id)
    }
  }

  /** The collection's settings, re-read whenever `.collection.json` changed on disk. */
  async #loadSettings (name: string): Promise<LoadedSettings> {
    const dir = this.#collectionDir(name)
    const file = join(dir, SETTINGS_FILE)
    // The folder is checked too: O_NOFOLLOW below guards only the file, not a symlink in the folder's place.
    const stats = isRealFolderNow(dir) ? lstatNow(file) : undefined
    if (stats === undefined || !stats.isFile()) return { key: 'none', settings: {} }
    const key = `${stats.ino}:${stats.size}:${stats.mtimeNs}`
    const cached = this.#settings.get(name)
    const racy = BigInt(Date.now()) * 1_000_000n - stats.mtimeNs < 2_000_000_000n
    if (cached !== undefined && cached.key === key && !racy) return cached
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW)
    const bytes = await handle.readFile().finally(async () => await handle.close())
    const settings = parseDocument(bytes, `${name}/${SETTINGS_FILE}`) as CollectionSettings
    const schema = settings.schema
    const loaded: LoadedSettings = {
      key,
      settings,
      ...(schema !== undefined && typeof schema === 'object' ? { validate: this.#compile(schema) } : {})
    }
    this.#settings.set(name, loaded)
    return loaded
  }

  async #validate (collection: string, doc: JsonObject): Promise<void> {
    const { validate } = await this.#loadSettings(collection)
    if (validate !== undefined && !validate(doc)) {
      throw new StoreError('schema-violation', `The document does not satisfy the schema of collection "${collection}".`, fieldProblems(validate.errors))
    }
  }
}

/** Ajv errors as JSON pointers to the failing fields (the missing or unexpected one, where Ajv names it). */
export function fieldProblems (errors: Array<Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'>> | null | undefined): FieldProblem[] {
  return (errors ?? []).map((e) => {
    const params = e.params as { missingProperty?: string, additionalProperty?: string }
    const name = e.keyword === 'required' ? params.missingProperty : e.keyword === 'additionalProperties' ? params.additionalProperty : undefined
    const pointer = e.instancePath + (name === undefined ? '' : `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    return { pointer, message: e.message ?? e.keyword }
  })
}

/** Checks staged documents against a collection's schema, one file at a time. */
async function checkStaged (stage: string, name: string, validate: ValidateFunction): Promise<void> {
  for (const file of await readdir(stage)) {
    if (!DOCUMENT_FILE.test(file)) continue
    const id = file.slice(0, -'.json'.length)
    if (!validate(parseDocument(await readFile(join(stage, file)), `${name}/${file}`))) {
      const errors = fieldProblems(validate.errors).map((p) => ({ pointer: `/${id}${p.pointer}`, message: p.message }))
      throw new StoreError('schema-violation', `Document "${id}" does not satisfy the schema of "${name}", which changed while the import was read.`, errors)
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

/** A document's own id equals the file's id: the same string, or the integer the digits spell. */
function sameId (value: unknown, id: string): boolean {
  return value === id || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && String(value) === id)
}

function checkPreconditions (current: StoredDocument | undefined, pre: Preconditions): void {
  if (pre.ifMatch !== undefined) {
    if (current === undefined) {
      throw new StoreError('precondition-failed', 'If-Match was given but the document does not exist.')
    }
    if (pre.ifMatch !== '*' && !pre.ifMatch.includes(current.etag)) {
      throw new StoreError('precondition-failed', `If-Match does not match the current ETag ${current.etag}.`)
    }
  }
  if (pre.ifNoneMatch !== undefined && current !== undefined) {
    if (pre.ifNoneMatch === '*') {
      throw new StoreError('precondition-failed', 'If-None-Match: * was given but the document already exists.')
    }
    if (pre.ifNoneMatch.some((tag) => tag.replace(/^W\//, '') === current.etag)) {
      throw new StoreError('precondition-failed', `If-None-Match matches the current ETag ${current.etag}.`)
    }
  }
}

/** 409: the name is taken, by something that is not a collection. */
function notARealFolder (name: string): StoreError {
  return new StoreError('already-exists',
    `"${name}" in DATA_DIR is not a real folder (a symlink or a file), so it is not used as a collection and nothing is written through it: replace it with a folder on the volume.`)
}

function collectionNotFound (name: string): StoreError {
  return new StoreError('collection-not-found', `Collection "${name}" does not exist.`)
}


