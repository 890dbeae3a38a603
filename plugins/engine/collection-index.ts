// Over 300 lines on purpose: one class, the cache and listing index of one collection folder, whose parts all share its entries and sort orders.
import { closeSync, constants, fstatSync, openSync, readSync, watch, type BigIntStats, type FSWatcher } from 'node:fs'
import { PREFETCH_MIN_FILES, prefetchFiles, type FileStats } from './file-prefetch'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { collectionNotFound, StoreError } from './store-errors'
import { withFileId } from './document-file'
import { etagOf, jsonFileBytes, parseDocument } from './json-file'
import type { JsonObject, JsonValue } from './json-types'
import { ID_ORDER, type PageQuery, type SortSpec } from './list-query'
import { DOCUMENT_FILE, documentFileName, idOfFileName, isDocumentId } from './names'
import type { Logger } from './observer'
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor'
import { buildPredicate, fieldOf, project, searchableText } from './query'
import { SortedOrders } from './sorted-orders'
import { checkQueryMeaning } from './query-checks'
import { isRacy, isRealFolderNow, lstatNow } from './stat-now'

/** The longest the index works through files without letting the event loop answer others. */
const SLICE_MS = 10

export interface StoredDocument {
  id: string
  /** What GET serves and the ETag hashes: the file's exact bytes (with the id its name gives, where the file has another or none). */
  bytes: Buffer
  doc: JsonObject
  etag: string
  mtime: Date
}

interface Entry extends StoredDocument {
  ino: bigint
  /** Changes on any write to the file, even one that restores size and mtime (cp -p, rsync -t). */
  ctimeNs: bigint
  size: bigint
  mtimeNs: bigint
  racy: boolean
  text?: string[]
}

/** A `<id>.json` file of the collection that cannot be served as a document (not JSON, not an object). */
export interface UnreadableFile {
  id: string
  file: string
  detail: string
}

/** What the index knows of a file that is not a valid document: why, and the stats of the version read (re-read only when they change). */
interface Unreadable {
  detail: string
  stats: FileStats
}

export interface Page {
  items: JsonObject[]
  nextCursor: string | null
  /** Every matching document, when the query asked for a count. */
  total?: number
  /** Files of the collection that are not valid documents: never silently left out. */
  unreadable?: UnreadableFile[]
}

function sameFile (entry: Pick<Entry, 'ino' | 'size' | 'mtimeNs' | 'ctimeNs' | 'racy'>, stats: FileStats): boolean {
  return entry.ino === stats.ino && entry.size === stats.size && entry.mtimeNs === stats.mtimeNs &&
    entry.ctimeNs === stats.ctimeNs && !entry.racy
}

/**
 * The in-memory view of one collection folder: a cache of parsed documents
 * that is always validated against the file system before it is trusted.
 *
 * - Reading one document costs one lstat; the bytes are re-read only when the
 *   file's inode, size or mtime changed (or its mtime is too recent to trust).
 * - Listing keeps every document in memory once loaded. An inotify watcher
 *   marks files changed by anyone (this process, another replica, the host's
 *   editor); the folder's mtime catches files added or removed when no event
 *   arrived; and every document a page returns is re-checked by lstat, so a
 *   page never serves a stale or deleted document.
 * - A file that is not a valid document is known as such (#unreadable) by
 *   whichever path read it first, a read by id or a listing: #readNow is the
 *   one place that decides, so no order of reads can make a listing or an
 *   export forget it. Every listing re-checks those files by lstat, so one
 *   fixed by hand is a document again at once.
 */
export class CollectionIndex {
  readonly #entries = new Map<string, Entry>()
  /** `<id>.json` files that are not valid documents, with why: reported by listings and exports. */
  readonly #unreadable = new Map<string, Unreadable>()
  /** The entries in each recently requested sort order, kept sorted as they change. */
  readonly #orders = new SortedOrders<Entry>(sortValueOf)
  #loaded = false
  #loading: Promise<void> | undefined
  #watcher: FSWatcher | null = null
  readonly #dirty = new Set<string>()
  #rescanAll = false
  #dirMtimeNs = -1n

  /** What join(dir, name) puts before a plain file name: a valid id's path is then one concatenation (fileOf runs on every read). */
  readonly #filePrefix: string

  constructor (
    readonly name: string,
    readonly dir: string,
    private readonly log: Logger
  ) {
    this.#filePrefix = join(dir, 'x').slice(0, -1)
  }

  fileOf (id: string): string {
    return isDocumentId(id) ? this.#filePrefix + documentFileName(id) : join(this.dir, documentFileName(id))
  }

  /**
   * The current document, validated against the file; undefined when there
   * is no such file, or when the collection folder is not a real folder: the
   * kernel follows a symlink in a path's middle even where O_NOFOLLOW and
   * lstat guard its end, so a symlink in the folder's place (to anywhere) is
   * checked here, before anything is looked up through it.
   */
  get (id: string): StoredDocument | undefined {
    return this.#getNow(id)
  }

  /**
   * get(), synchronously: an lstat, and a read only when the file changed.
   * Both are answered from the kernel's caches on a local file system (see
   * stat-now.ts for why the store does not send them through the thread pool).
   */
  #getNow (id: string, folderChecked = false): StoredDocument | undefined {
    if (!folderChecked && !isRealFolderNow(this.dir)) {
      this.#forget(id)
      return undefined
    }
    const stats = lstatNow(this.fileOf(id))
    if (stats === undefined || !stats.isFile()) {
      this.#forget(id)
      return undefined
    }
    const cached = this.#entries.get(id)
    if (cached !== undefined && sameFile(cached, stats)) return cached
    return this.#readNow(id)
  }

  /** Records what this process has just written durably, with the stats of the written file. */
  remember (id: string, bytes: Buffer, doc: JsonObject, stats: BigIntStats): StoredDocument {
    return this.#store(id, bytes, doc, stats)
  }

  forget (id: string): void {
    this.#forget(id)
  }

  /** Drops everything: used when the folder is deleted. */
  reset (): void {
    this.close()
    this.#entries.clear()
    this.#unreadable.clear()
    this.#orders.clear()
    this.#loaded = false
    this.#dirMtimeNs = -1n
  }

  close (): void {
    this.#watcher?.close()
    this.#watcher = null
  }

  /** Every document of the collection, brought up to date with the folder first. */
  async documents (): Promise<StoredDocument[]> {
    await this.#sync()
    return [...this.#entries.values()]
  }

  /** Every document and every file that is not one, from one look at the folder (exports: nothing may be left out unsaid). */
  async contents (): Promise<{ documents: StoredDocument[], unreadable: UnreadableFile[] }> {
    await this.#sync()
    return { documents: [...this.#entries.values()], unreadable: this.#unreadableNow() }
  }

  /** The collection's files that are not valid documents, brought up to date with the folder first. */
  async unreadable (): Promise<UnreadableFile[]> {
    await this.#sync()
    return this.#unreadableNow()
  }

  #unreadableNow (): UnreadableFile[] {
    return [...this.#unreadable].sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, { detail }]) => ({ id, file: `${this.name}/${id}.json`, detail }))
  }

  /**
   * A page of the listing. A sort key whose field no document has is refused
   * (a typo, most likely: it would order nothing) unless `declares` says the
   * collection's schema names it, or the collection is empty.
   */
  async list (query: PageQuery, declares: (field: string) => Promise<boolean>): Promise<Page> {
    const sort = query.sort ?? ID_ORDER
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort)
    // A page is re-checked file by file; if any file changed under it, the
    // index has now been updated and the page is computed again.
    for (let attempt = 0; ; attempt++) {
      await this.#sync()
      const missing = this.#orders.get(sort, () => this.#entries.values()).fieldNoEntryHas()
      if (missing !== undefined && !await declares(missing)) {
        throw new StoreError('invalid-query', `Cannot sort by "${missing}": no document of "${this.name}" has that field ` +
          '(nor does its schema declare it). Check its spelling: field names are case-sensitive; dotted paths (author.name) reach into objects.')
      }
      await checkQueryMeaning(this.name, () => this.#documentsNow(), query, declares)
      const { entries, nextCursor, total } = this.#page(query, sort, after)
      const fresh = entries.map((entry) => this.#getListableNow(entry.id))
      if (attempt < 3 && fresh.some((doc, i) => doc?.etag !== entries[i]?.etag)) continue
      const items: JsonObject[] = []
      for (const doc of fresh) {
        if (doc !== undefined) items.push(query.fields === undefined ? doc.doc : project(doc.doc, query.fields))
      }
      const unreadable = this.#unreadableNow()
      return { items, nextCursor, ...(total === undefined ? {} : { total }), ...(unreadable.length === 0 ? {} : { unreadable }) }
    }
  }

  * #documentsNow (): Iterable<JsonObject> {
    for (const entry of this.#entries.values()) yield entry.doc
  }

  #page (query: PageQuery, sort: SortSpec, after: CursorPosition | undefined): { entries: Entry[], nextCursor: string | null, total?: number } {
    const predicate = buildPredicate(query.filters, query.q, (id) => this.#textOf(id))
    const ordered = this.#orders.get(sort, () => this.#entries.values())
    // Walk the order from the cursor: O(log n + page) without filters, O(scanned) with.
    const entries: Entry[] = []
    let hasMore = false
    for (const entry of ordered.after(after)) {
      if (predicate !== undefined && !predicate(entry.id, entry.doc)) continue
      if (entries.length === query.limit) {
        hasMore = true
        break
      }
      entries.push(entry)
    }
    const last = entries[entries.length - 1]
    const nextCursor = hasMore && last !== undefined
      ? encodeCursor(sort, { values: this.#orders.valuesOf(sort, last), id: last.id })
      : null
    if (query.count !== true) return { entries, nextCursor }
    let total = this.#entries.size
    if (predicate !== undefined) {
      total = 0
      for (const entry of this.#entries.values()) if (predicate(entry.id, entry.doc)) total++
    }
    return { entries, nextCursor, total }
  }

  #textOf (id: string): string[] {
    const entry = this.#entries.get(id) as Entry
    entry.text ??= searchableText(entry.doc)
    return entry.text
  }

  /** Brings the index up to date with the folder. Loads everything on first use. */
  async #sync (): Promise<void> {
    if (!this.#loaded) {
      // Everyone who arrives during the first load waits for that one load (a
      // second one would read every file again), then checks the folder as usual.
      this.#loading ??= this.#load().finally(() => { this.#loading = undefined })
      await this.#loading
    }
    const dirStats = lstatNow(this.dir)
    // A symlink or a file in the folder's place is as good as gone: never listed through.
    if (dirStats === undefined || !dirStats.isDirectory()) {
      this.reset()
      throw collectionNotFound(this.name)
    }
    const dirChanged = dirStats.mtimeNs !== this.#dirMtimeNs || this.#watcher === null
    if (dirChanged || this.#rescanAll) {
      await this.#reconcile(dirStats)
    } else if (this.#dirty.size > 0) {
      const ids = [...this.#dirty]
      this.#dirty.clear()
      await this.#checkAll(ids)
    }
    this.#recheckUnreadable()
  }

  /**
   * The files known not to be documents, checked by lstat (they are few): one
   * fixed, replaced or removed by hand is seen by this listing, not only
   * after the watcher's event for it arrives.
   */
  #recheckUnreadable (): void {
    for (const [id, known] of [...this.#unreadable]) {
      const stats = lstatNow(this.fileOf(id))
      if (stats === undefined || !stats.isFile()) this.#forget(id)
      else if (!sameFile({ ...known.stats, racy: isRacy(known.stats.mtimeNs) }, stats)) this.#getListableNow(id, true)
    }
  }

  async #load (): Promise<void> {
    const dirStats = lstatNow(this.dir)
    // lstat, not stat: a symlink in the collection's place would list (and watch) a folder outside DATA_DIR.
    if (dirStats === undefined || !dirStats.isDirectory()) throw collectionNotFound(this.name)
    this.#watch()
    await this.#reconcile(dirStats)
    this.#loaded = true
  }

  /**
   * Compares the folder's file names with the index: new files are read,
   * vanished ones dropped, and (when no watcher reports changes) known ones
   * re-checked by lstat.
   */
  async #reconcile (dirStats: BigIntStats): Promise<void> {
    this.#rescanAll = false
    const dirty = new Set(this.#dirty)
    this.#dirty.clear()
    const present = new Set<string>()
    for (const name of await readdir(this.dir)) {
      if (DOCUMENT_FILE.test(name)) present.add(idOfFileName(name))
    }
    for (const id of this.#entries.keys()) if (!present.has(id)) this.#forget(id)
    for (const id of this.#unreadable.keys()) if (!present.has(id)) this.#unreadable.delete(id)
    const toCheck = [...present].filter((id) => !this.#entries.has(id) || dirty.has(id) || this.#watcher === null)
    await this.#checkAll(toCheck)
    this.#dirMtimeNs = dirStats.mtimeNs
  }

  /**
   * Brings these documents up to date, synchronously (an lstat each, a read
   * for the changed or new), in slices of at most SLICE_MS: loading 100,000
   * documents takes a few seconds of CPU, and the event loop must go on
   * answering other requests (health checks, reads) meanwhile.
   */
  async #checkAll (ids: string[]): Promise<void> {
    // The folder is checked once per slice rather than once per document; a
    // file not yet in the index is opened straight away (the open's own fstat
    // tells what it is), with no lstat before it.
    let folderOk = isRealFolderNow(this.dir)
    let sliceStarted = performance.now()
    const slice = async (): Promise<void> => {
      if (performance.now() - sliceStarted < SLICE_MS) return
      await new Promise((resolve) => setImmediate(resolve))
      folderOk = isRealFolderNow(this.dir)
      sliceStarted = performance.now()
    }
    const fresh = ids.filter((id) => !this.#entries.has(id))
    if (fresh.length >= PREFETCH_MIN_FILES) {
      // A large first load: a worker reads the new files a batch ahead (file-prefetch.ts).
      for await (const batch of prefetchFiles(this.dir, fresh.map(documentFileName))) {
        folderOk &&= isRealFolderNow(this.dir)
        for (const [name, read] of batch) {
          if (!folderOk) return
          const id = idOfFileName(name)
          if (read === undefined || this.#entries.has(id)) this.#getListableNow(id, true)
          else this.#listable(id, () => this.#accept(id, read.bytes, read.stats))
          await slice()
        }
      }
      const done = new Set(fresh)
      ids = ids.filter((id) => !done.has(id))
    }
    for (const id of ids) {
      if (!folderOk) return
      this.#getListableNow(id, true)
      await slice()
    }
  }

  #watch (): void {
    if (this.#watcher !== null) return
    try {
      const watcher = watch(this.dir, { persistent: false }, (_event, filename) => {
        if (typeof filename !== 'string') {
          this.#rescanAll = true
        } else if (DOCUMENT_FILE.test(filename)) {
          this.#dirty.add(idOfFileName(filename))
        }
      })
      watcher.on('error', () => {
        // The folder went away or the watch broke: fall back to lstat checks.
        watcher.close()
        if (this.#watcher === watcher) this.#watcher = null
      })
      this.#watcher = watcher
    } catch (err) {
      this.log.warn({ collection: this.name, err }, 'Cannot watch the collection folder; listings re-check every file instead.')
    }
  }

  /** Like get(), but a file that is not a valid document is left out (and logged) instead of failing the listing. */
  #getListableNow (id: string, folderChecked = false): StoredDocument | undefined {
    return this.#listable(id, () => folderChecked && !this.#entries.has(id) ? this.#readNow(id) : this.#getNow(id, folderChecked))
  }

  #listable (id: string, read: () => StoredDocument | undefined): StoredDocument | undefined {
    try {
      return read()
    } catch (err) {
      // #readNow has recorded it as unreadable already: a listing only logs it.
      if (!(err instanceof StoreError)) throw err
      this.log.warn({ collection: this.name, id }, err.message + ' Listings report it under "unreadable".')
      return undefined
    }
  }

  /** Reads and parses the file (O_NOFOLLOW: a symlink is never a document), and caches it with the stats of what was read. */
  #readNow (id: string, attempt = 0): StoredDocument | undefined {
    let fd: number
    try {
      // O_NONBLOCK: a FIFO planted as <id>.json must not block the open (for a file it changes nothing).
      fd = openSync(this.fileOf(id), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    } catch (err) {
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ELOOP') {
        this.#forget(id)
        return undefined
      }
      throw err
    }
    try {
      const stats = fstatSync(fd, { bigint: true })
      if (!stats.isFile()) {
        this.#forget(id)
        return undefined
      }
      // Exactly the size the stats say: bytes and stats then describe the same version (a file
      // that grows meanwhile has other stats on its next lstat, and is read again).
      const bytes = Buffer.allocUnsafe(Number(stats.size))
      let got = 0
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, got)
        if (n === 0) break
        got += n
      }
      if (got < bytes.length) {
        // Shrunk while read (rewritten in place on the host): read it again, a few times at most.
        if (attempt < 3) return this.#readNow(id, attempt + 1)
        throw this.#unreadableFound(id, new StoreError('corrupt-document', `${this.name}/${id}.json keeps changing while it is read.`), stats)
      }
      return this.#accept(id, bytes, stats)
    } finally {
      closeSync(fd)
    }
  }

  /** Parses a file's bytes, read whole with these stats, and caches it. */
  #accept (id: string, bytes: Buffer, stats: FileStats): StoredDocument {
    let doc: JsonObject
    try {
      doc = parseDocument(bytes, `${this.name}/${id}.json`)
    } catch (err) {
      throw err instanceof StoreError ? this.#unreadableFound(id, err, stats) : err
    }
    const served = withFileId(doc, id)
    // Served (and hashed for the ETag) as the API would have written it: what a GET returns can be PUT back.
    if (served !== undefined) return this.#store(id, jsonFileBytes(served), served, stats)
    return this.#store(id, bytes, doc, stats)
  }

  #store (id: string, bytes: Buffer, doc: JsonObject, stats: FileStats): Entry {
    // Cached documents are shared by every request and keyed in the sort
    // orders: frozen, so no caller can change them in place.
    deepFreeze(doc)
    const entry: Entry = {
      id,
      bytes,
      doc,
      etag: etagOf(bytes),
      mtime: new Date(Number(stats.mtimeMs)),
      ino: stats.ino,
      size: stats.size,
      mtimeNs: stats.mtimeNs,
      ctimeNs: stats.ctimeNs,
      racy: isRacy(stats.mtimeNs)
    }
    const previous = this.#entries.get(id)
    if (previous !== undefined) this.#orders.remove(previous)
    this.#unreadable.delete(id)
    this.#entries.set(id, entry)
    this.#orders.insert(entry)
    return entry
  }

  /**
   * Records that the file, read with these stats, is not a valid document:
   * the one place that decides it, whichever path read it (a read by id, a
   * listing, an export). The version before the breakage is never served again.
   */
  #unreadableFound (id: string, err: StoreError, stats: FileStats): StoreError {
    this.#forget(id)
    this.#unreadable.set(id, { detail: err.message, stats })
    return err
  }

  #forget (id: string): void {
    this.#unreadable.delete(id)
    const previous = this.#entries.get(id)
    if (previous === undefined) return
    this.#entries.delete(id)
    this.#orders.remove(previous)
  }
}

/**
 * What an entry sorts by: the field's value; for `id`, a numeric id's number
 * (so 9 sorts before 10), else the file's id.
 */
function sortValueOf (entry: Entry, field: string): JsonValue | undefined {
  if (field !== 'id') return fieldOf(entry.doc, field)
  return typeof entry.doc.id === 'number' ? entry.doc.id : entry.id
}

function deepFreeze (value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const child of Object.values(value)) deepFreeze(child)
}

function isMissing (err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
