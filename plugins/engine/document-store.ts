// Over 300 lines on purpose: the facade, every public operation of the store in one place, each a few lines that delegate to the files beside it.
import type { BigIntStats } from 'node:fs'
import { join, resolve } from 'node:path'
import { v7 as uuidv7 } from 'uuid'
import { CollectionIndex, type Page, type StoredDocument, type UnreadableFile } from './collection-index'
import { collectionNames, countDocuments, filesNotDocuments, makeCollectionDir } from './collection-folders'
import type { KnownSchema } from './schema-compiler'
import { SETTINGS_FILE, SettingsCache, schemaDeclares, type CollectionSettings } from './collection-settings'
import { checkDataDirReady, openDataDir } from './data-dir'
import { currentForWrite } from './document-file'
import { fsyncDir, rmDirDurable, sweepTempFiles, unlinkDurable, writeFileDurable, type WriteMode } from './durable-fs'
import { FolderHandles } from './folder-handles'
import { FolderSyncs, type SyncFolder } from './folder-sync'
import { collectionNotFound, documentNotFound, StoreError, translateFsError, type FieldProblem, type ImportSummary, StartupError } from './store-errors'
import { fieldProblemsOf } from './field-problems'
import type { ImportItem } from './import-formats'
import { hasPendingImport, importDocuments, recoverImports, settlePendingImport, type ImportTarget } from './importer'
import { checkStoredSize, jsonFileBytes } from './json-file'
import type { JsonObject } from './json-types'
import type { PageQuery } from './list-query'
import { checkCollectionName, checkDocumentId, DOCUMENT_FILE, documentFileName, fileIdOf, sameId } from './names'
import { silentLog, timed, timedNow, type Logger, type StoreObserver } from './observer'
import { checkPreconditions, type Preconditions } from './preconditions'
import { isRealFolderNow } from './stat-now'
import { UnwritableFolders } from './unwritable-folders'
import { VolumeLocks } from './volume-locks'

export interface StoreOptions {
  dataDir: string
  observer?: StoreObserver
  /** Skip the start-up write checks and the temp sweep: the volume may be mounted read-only. */
  readOnly?: boolean
  log?: Logger
  /** Schemas a collection schema's `$ref` may name by URI (nothing is ever fetched). */
  knownSchemas?: readonly KnownSchema[]
  /** Largest document file a write may make (BODY_LIMIT): whatever is served can then be sent back. */
  maxDocumentBytes?: number
  /** How the host names DATA_DIR (DATA_DIR_ON_HOST), for messages that tell the user to fix a folder. */
  dataDirOnHost?: string
}

/** What the start-up checks found that does not stop the start: the collection folders this uid cannot write. */
export interface StartupReport {
  /** False on a read-only store or mount: nothing is written, so nothing else was checked. */
  writable: boolean
  /** One line per collection folder this uid cannot write: its path, the uid and the fix. */
  unwritableCollections: string[]
}

export interface CollectionInfo extends CollectionSettings {
  name: string
  count: number
}

/**
 * The document store engine: collections are folders, documents are
 * pretty-printed JSON files, and every acknowledged write is durable.
 * It has no Fastify in it, so it can be tested and benchmarked alone.
 * This class is the facade: the CRUD of collections and documents with their
 * preconditions; the parts it delegates to each have their own file.
 */
export class DocumentStore {
  #dataDir: string
  readonly #readOnly: boolean
  readonly #maxDocumentBytes: number
  readonly #dataDirOnHost: string | undefined
  readonly #log: Logger
  readonly #indexes = new Map<string, CollectionIndex>()
  readonly #settings: SettingsCache
  #locks: VolumeLocks
  #closed = false
  readonly #observer: StoreObserver | undefined
  readonly #fsyncTimer: ((seconds: number) => void) | undefined
  /** Group commit: concurrent document writes to one folder share its fsyncs (folder-sync.ts). */
  readonly #syncFolder: SyncFolder
  /** The collection folders' open handles, which those fsyncs use. */
  readonly #folderHandles: FolderHandles
  /** Collection folders known unwritable (start-up scan, refused writes): what readiness re-checks. */
  readonly #unwritable = new UnwritableFolders()

  constructor (options: StoreOptions) {
    this.#dataDir = resolve(options.dataDir)
    this.#readOnly = options.readOnly ?? false
    this.#maxDocumentBytes = options.maxDocumentBytes ?? Number.POSITIVE_INFINITY
    this.#log = options.log ?? silentLog
    this.#dataDirOnHost = options.dataDirOnHost
    this.#locks = new VolumeLocks(this.#dataDir)
    this.#settings = new SettingsCache(options.knownSchemas)
    this.#observer = options.observer
    this.#fsyncTimer = options.observer === undefined ? undefined : (seconds) => options.observer?.fsync(seconds)
    this.#folderHandles = new FolderHandles(this.#fsyncTimer)
    const folderSyncs = new FolderSyncs(async (dir) => await this.#folderHandles.sync(dir))
    this.#syncFolder = async (dir) => await folderSyncs.sync(dir)
  }

  /** DATA_DIR as an absolute path; once open() has run, its real path (no symlink in it). */
  get dataDir (): string {
    return this.#dataDir
  }

  /** True when the store was opened read-only (READ_ONLY=true). */
  get readOnly (): boolean {
    return this.#readOnly
  }

  /**
   * The start-up checks, which change nothing on the volume: DATA_DIR is a
   * folder this uid can write (else StartupError), with working file locks,
   * and which of its collection folders this uid cannot write (readiness
   * reports those). open() runs them; so does `node server.js check`.
   */
  async check (): Promise<StartupReport> {
    const { dataDir, writable } = await openDataDir(this.#dataDir, this.#readOnly, this.#log, this.#dataDirOnHost)
    this.#dataDir = dataDir
    this.#locks = new VolumeLocks(dataDir)
    if (!writable) return { writable, unwritableCollections: [] }
    checkLocks(this.#locks, dataDir)
    const folders = (await collectionNames(dataDir)).sort().map((name) => join(dataDir, name))
    return { writable, unwritableCollections: this.#unwritable.scan(folders) }
  }

  /** Runs the start-up checks, sweeps the temp files a crash may have left and finishes (or drops) interrupted imports. */
  async open (): Promise<StartupReport> {
    const report = await this.check()
    if (!report.writable) return report
    for (const reason of report.unwritableCollections) this.#log.warn({}, reason)
    // Only what no live process holds: a temp file whose document's lock is free, an import whose stage lock is.
    for (const name of await collectionNames(this.dataDir)) {
      const removed = await sweepTempFiles(join(this.dataDir, name), (file) => DOCUMENT_FILE.test(file) ? this.#locks.tryDocument(name, file) : this.#locks.tryCollection(name))
      if (removed > 0) this.#log.warn({ collection: name, removed }, 'Removed temp files left by an interrupted write.')
    }
    await recoverImports(this.#importTarget())
    return report
  }

  /**
   * Builds every collection's listing index, in the background after start,
   * so the first listing does not pay for it. Never rejects: a collection
   * that cannot be loaded now is loaded (or reported) on first use.
   */
  async warmUp (): Promise<{ collections: number, documents: number, ms: number }> {
    const started = Date.now()
    let documents = 0
    const names = await collectionNames(this.dataDir).catch(() => [])
    for (const name of names) {
      if (this.#closed) break
      documents += await this.#index(name).documents().then((docs) => docs.length, () => 0)
    }
    return { collections: names.length, documents, ms: Date.now() - started }
  }

  close (): void {
    this.#closed = true
    for (const index of this.#indexes.values()) index.close()
    this.#indexes.clear()
    void this.#folderHandles.closeAll()
  }

  /**
   * Ready when DATA_DIR can be read, and written unless the store is
   * read-only, and no collection folder is known unwritable (a folder made by
   * another uid takes writes to it down while DATA_DIR itself is fine). Only
   * the folders already known so are re-checked: a probe costs the same for
   * 3 collections or 3000.
   */
  async checkReady (): Promise<{ ready: boolean, reason?: string }> {
    const dataDir = await checkDataDirReady(this.dataDir, this.#readOnly)
    if (!dataDir.ready || this.#readOnly) return dataDir
    const reason = this.#unwritable.recheck()
    return reason === undefined ? dataDir : { ready: false, reason }
  }

  // ---- collections ---------------------------------------------------------------------------

  async listCollections (): Promise<CollectionInfo[]> {
    const names = await collectionNames(this.dataDir)
    return await Promise.all(names.sort().map(async (name) => ({ name, count: await this.#count(name) })))
  }

  async getCollection (name: string): Promise<CollectionInfo> {
    const dir = this.#collectionDir(name)
    if (!isRealFolderNow(dir)) throw collectionNotFound(name)
    const { settings } = await this.#settings.load(name, dir)
    return { name, count: await this.#count(name), ...settings }
  }

  /** Creates the collection or replaces its settings. Existing documents must satisfy a new schema. */
  async putCollection (name: string, settings: CollectionSettings): Promise<{ created: boolean, info: CollectionInfo }> {
    const dir = this.#collectionDir(name)
    const validate = settings.schema === undefined ? undefined : this.#settings.compile(settings.schema)
    const created = await makeCollectionDir(name, dir)
    // Exclusive: every document write validates under its own lock, which
    // waits while this one is held, and this one waits until those held are
    // released. So each write is either in the scan below or sees the new
    // settings: none validated against the old schema lands after the scan.
    return await this.#withCollection(name, async () => {
      // Scanned even when we made the folder: a first write may have added a document since.
      if (validate !== undefined) {
        const violations: FieldProblem[] = []
        for (const stored of await this.#index(name).documents()) {
          if (!validate(stored.doc)) violations.push(...fieldProblemsOf(stored.id, validate.errors))
          if (violations.length >= 50) break
        }
        if (violations.length > 0) {
          throw new StoreError('schema-violation', `Existing documents of "${name}" do not satisfy the new schema; fix or delete them first.`, violations)
        }
      }
      await writeFileDurable(dir, SETTINGS_FILE, jsonFileBytes(settings), 'replace').catch((err) => translateFsError(this.#unwritable.refused(err, dir)))
      this.#settings.forget(name)
      return { created, info: { name, count: await this.#count(name), ...settings } }
    })
  }

  async deleteCollection (name: string, options: { force?: boolean } = {}): Promise<void> {
    const dir = this.#collectionDir(name)
    if (!isRealFolderNow(dir)) throw collectionNotFound(name)
    // Exclusive, like a schema change: writes in flight finish first, and later ones see the folder gone (and make it anew).
    await this.#withCollection(name, async () => {
      const count = await this.#count(name)
      if (count > 0 && options.force !== true) {
        throw new StoreError('collection-not-empty', `Collection "${name}" holds ${count} document(s); add ?force=true to delete them too.`)
      }
      const others = await filesNotDocuments(dir)
      if (others.length > 0 && options.force !== true) {
        const shown = others.slice(0, 10).map((file) => `"${file}"`).join(', ') + (others.length > 10 ? `, and ${others.length - 10} more` : '')
        throw new StoreError('collection-not-empty',
          `Collection "${name}" holds ${others.length} file(s) that are not documents: ${shown}. Move them out of ${dir}, or add ?force=true to delete them too.`)
      }
      await this.#folderHandles.forget(dir)
      await rmDirDurable(dir).catch((err) => translateFsError(this.#unwritable.refused(err, dir)))
      this.#indexes.get(name)?.reset()
      this.#indexes.delete(name)
      this.#settings.forget(name)
    })
  }

  // ---- documents -----------------------------------------------------------------------------

  async getDocument (collection: string, id: string): Promise<StoredDocument> {
    return timedNow(this.#observer, 'get', () => {
      const index = this.#index(collection)
      checkDocumentId(id)
      const stored = index.get(id)
      if (stored === undefined) throw this.#notFound(collection, id)
      return stored
    })
  }

  /**
   * Every document of a collection, in id order (json-server's whole-collection
   * queries). Refused (corrupt-document, naming the files) when a file of it
   * is not a valid document, so no answer leaves one out unsaid.
   */
  async allDocuments (collection: string): Promise<JsonObject[]> {
    return (await this.#allStored(this.#index(collection))).map((s) => s.doc)
  }

  /**
   * An export's documents, in id order, each checked against its file (an
   * lstat) as it is handed out: a file that breaks after checkExportable
   * passed, even mid-collection, fails the export (the HTTP answer is then
   * cut off, never completed without it). One removed meanwhile is left out.
   */
  async * exportDocuments (collection: string): AsyncGenerator<JsonObject> {
    const index = this.#index(collection)
    for (const { id } of await this.#allStored(index)) {
      let current: StoredDocument | undefined
      try {
        current = index.get(id)
      } catch (err) {
        if (!(err instanceof StoreError) || err.code !== 'corrupt-document') throw err
        throw filesLeftOut('Export broken off', await index.unreadable())
      }
      if (current !== undefined) yield current.doc
    }
  }

  async #allStored (index: CollectionIndex): Promise<StoredDocument[]> {
    const { documents, unreadable } = await index.contents()
    if (unreadable.length > 0) throw filesLeftOut('Refused', unreadable)
    return documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  /**
   * Refuses, before anything is sent, an export that would leave files out:
   * every `<id>.json` of these collections (all, by default) must be a valid document.
   */
  async checkExportable (collection?: string): Promise<void> {
    const names = collection === undefined ? await collectionNames(this.dataDir) : [collection]
    const unreadable: UnreadableFile[] = []
    for (const name of names.sort()) unreadable.push(...await this.#index(name).unreadable())
    if (unreadable.length > 0) throw filesLeftOut('Export refused', unreadable)
  }

  async listDocuments (collection: string, query: PageQuery): Promise<Page> {
    return await timed(this.#observer, 'list', async () => {
      const index = this.#index(collection)
      return await index.list(query, async (field) => schemaDeclares((await this.#settings.load(collection, index.dir)).settings.schema, field))
    })
  }

  /** Creates a document; its id comes from the body or is a new time-ordered UUIDv7. A first write creates the collection. */
  async createDocument (collection: string, body: JsonObject): Promise<StoredDocument> {
    return await timed(this.#observer, 'create', async () => {
      const index = this.#index(collection)
      const id = body.id === undefined ? uuidv7() : fileIdOf(body.id)
      const doc = { id, ...body }
      await makeCollectionDir(collection, index.dir)
      // link(2) makes the create exclusive, across processes too. The lock
      // (taken for a server-made id too) orders it with PUTs of that id and
      // with schema changes: the schema is read and checked inside it.
      return await this.#withDocumentLock(index, id, async () => {
        await this.#settings.validate(collection, index.dir, doc)
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
    return await timed(this.#observer, 'put', async () => {
      const index = this.#index(collection)
      checkDocumentId(id)
      if (body.id !== undefined && !sameId(body.id, id)) {
        throw new StoreError('invalid-document', `The body's id "${String(body.id)}" differs from the id in the path, "${id}".`)
      }
      const doc = { id, ...body }
      if (!isRealFolderNow(index.dir)) {
        // No collection, so no document: a conditional replace fails before anything is created.
        checkPreconditions(undefined, preconditions)
        await makeCollectionDir(collection, index.dir)
      }
      return await this.#withDocumentLock(index, id, async () => {
        // Inside the lock, so a concurrent schema change is either seen here or waits for this write.
        await this.#settings.validate(collection, index.dir, doc)
        const current = currentForWrite(index, id)
        checkPreconditions(current, preconditions)
        if (current !== undefined) return { created: false, stored: await this.#write(index, id, doc, 'replace') }
        try {
          return { created: true, stored: await this.#write(index, id, doc, 'create') }
        } catch (err) {
          // Created meanwhile by a writer outside our locks (the host, say): an upsert replaces it.
          if (!(err instanceof StoreError) || err.code !== 'already-exists' || preconditions.ifNoneMatch !== undefined) throw err
          checkPreconditions(currentForWrite(index, id), preconditions)
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
    return await timed(this.#observer, 'patch', async () => {
      const index = this.#index(collection)
      checkDocumentId(id)
      return await this.#withExistingLock(index, id, async () => {
        const current = index.get(id)
        if (current === undefined) throw this.#notFound(collection, id)
        checkPreconditions(current, preconditions)
        const next = patch(structuredClone(current.doc))
        if (!sameId(next.id, id)) {
          throw new StoreError('patch-unprocessable', `A patch cannot change or remove the id ("${id}").`)
        }
        await this.#settings.validate(collection, index.dir, next)
        return await this.#write(index, id, next, 'replace')
      })
    })
  }

  async deleteDocument (collection: string, id: string, preconditions: Preconditions = {}): Promise<void> {
    return await timed(this.#observer, 'delete', async () => {
      const index = this.#index(collection)
      checkDocumentId(id)
      await this.#withExistingLock(index, id, async () => {
        const current = currentForWrite(index, id)
        if (current === undefined) throw this.#notFound(collection, id)
        checkPreconditions(current, preconditions)
        try {
          await unlinkDurable(index.fileOf(id), this.#fsyncTimer, this.#syncFolder)
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') translateFsError(err)
        }
        index.forget(id)
      })
    })
  }

  /** Imports documents, all or nothing for the whole request (see importer.ts). */
  async importDocuments (items: AsyncIterable<ImportItem>, onProgress?: (collection: string, documents: number, phase: 'reading' | 'imported') => void): Promise<ImportSummary> {
    return await importDocuments(this.#importTarget(), items, onProgress)
  }

  // ---- internals -----------------------------------------------------------------------------

  #importTarget (): ImportTarget {
    return {
      dataDir: this.dataDir,
      locks: this.#locks,
      settings: this.#settings,
      log: this.#log,
      maxDocumentBytes: this.#maxDocumentBytes,
      collectionDir: (name) => this.#collectionDir(name)
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
    for (let attempt = 0; ; attempt++) {
      const settled = await this.#locks.withDocument(index.name, documentFileName(id), async () => {
        // An importer died while moving in: its documents go in first, or they would land over this write.
        if (hasPendingImport(index.dir)) return undefined
        try {
          const result = await task()
          this.#unwritable.wrote(index.dir)
          return { result }
        } catch (err) {
          throw this.#unwritable.refused(err, index.dir)
        }
      })
      if (settled !== undefined) return settled.result
      if (attempt >= 3) throw new StoreError('lock-timeout', `"${index.name}" is finishing an interrupted import; try again.`)
      await this.#withCollection(index.name, async () => {})
    }
  }

  /** The collection's exclusive lock (schema change, delete), after settling an import its dead importer left part-way. */
  async #withCollection<T> (name: string, task: () => Promise<T>): Promise<T> {
    return await this.#locks.withCollections([name], async () => {
      if (isRealFolderNow(this.#collectionDir(name))) await settlePendingImport(this.#importTarget(), name)
      return await task()
    })
  }

  async #write (index: CollectionIndex, id: string, doc: JsonObject, mode: WriteMode): Promise<StoredDocument> {
    // The collection may have been deleted while this write waited for its lock: a write makes it anew.
    await makeCollectionDir(index.name, index.dir)
    const bytes = jsonFileBytes(doc)
    checkStoredSize(bytes, this.#maxDocumentBytes)
    let stats: BigIntStats
    try {
      stats = await writeFileDurable(index.dir, documentFileName(id), bytes, mode, this.#fsyncTimer, this.#syncFolder)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new StoreError('already-exists', `Document "${id}" already exists in "${index.name}".`)
      }
      translateFsError(err)
    }
    return index.remember(id, bytes, doc, stats)
  }

  /** The folder of a collection; throws invalid-name before a path is built from anything else. */
  #collectionDir (name: string): string {
    checkCollectionName(name)
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

  #notFound (collection: string, id: string): StoreError {
    if (!isRealFolderNow(join(this.dataDir, collection))) return collectionNotFound(collection)
    return documentNotFound(collection, id)
  }

  async #count (name: string): Promise<number> {
    return await countDocuments(join(this.dataDir, name))
  }
}

/** The error of a read of whole collections that would leave out files that are not documents. */
function filesLeftOut (refused: string, unreadable: UnreadableFile[]): StoreError {
  const shown = unreadable.slice(0, 10).map((u) => u.detail).join(' ') + (unreadable.length > 10 ? ` And ${unreadable.length - 10} more.` : '')
  return new StoreError('corrupt-document',
    `${refused}: it would leave out ${unreadable.length} file(s) that are not valid documents (fix, replace or delete them): ${shown}`)
}

/** Refuses, at start, a volume whose file system gives no working fcntl locks (replicas could not be ordered on it). */
function checkLocks (locks: VolumeLocks, dataDir: string): void {
  try {
    locks.check()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new StartupError(`DATA_DIR ${dataDir} gives no working file locks (${code}): jsondock orders writers with fcntl locks; use a local volume, or NFSv4 / a volume with lock support.`)
  }
}
