import type { BigIntStats } from 'node:fs'
import { Worker } from 'node:worker_threads'

/** What the index keeps of a file's stats: enough to tell this version of it from the next. */
export type FileStats = Pick<BigIntStats, 'ino' | 'size' | 'mtimeMs' | 'mtimeNs' | 'ctimeNs'>

/** A file read whole by the prefetch worker; undefined for anything unusual, which the caller reads itself. */
export interface Prefetched { bytes: Buffer, stats: FileStats }

/** Below this many files, a worker costs more to start (~30 ms) than it saves. */
export const PREFETCH_MIN_FILES = 2000

/** Files per message: large enough to amortise the message, small enough to keep both threads busy. */
const BATCH = 256

/**
 * The worker's whole program (plain JS, so the single-file bundle needs no
 * second entry): for each name, what the index's own read does — open with
 * O_NOFOLLOW | O_NONBLOCK, fstat, read exactly that size, close — and the
 * batch's bytes go back in one transferred buffer. Whatever is not a plain
 * file read whole at once (a symlink, a FIFO, an error, a file that shrank)
 * comes back as null, and the main thread reads it itself, as it would have.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const fs = require('node:fs')
const { join } = require('node:path')
const FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK
parentPort.on('message', ({ dir, names }) => {
  const items = []
  const chunks = []
  let total = 0
  for (const name of names) {
    let fd
    try { fd = fs.openSync(join(dir, name), FLAGS) } catch { items.push(null); continue }
    try {
      const st = fs.fstatSync(fd, { bigint: true })
      const size = Number(st.size)
      if (!st.isFile() || size > 64 * 1024 * 1024) { items.push(null); continue }
      const bytes = Buffer.allocUnsafe(size)
      let got = 0
      while (got < size) { const n = fs.readSync(fd, bytes, got, size - got, got); if (n === 0) break; got += n }
      if (got < size) { items.push(null); continue }
      items.push({ offset: total, size, ino: st.ino, mtimeMs: st.mtimeMs, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs })
      chunks.push(bytes)
      total += size
    } catch { items.push(null) } finally { try { fs.closeSync(fd) } catch {} }
  }
  const all = Buffer.concat(chunks, total)
  const buffer = all.byteOffset === 0 && all.byteLength === all.buffer.byteLength ? all.buffer : all.buffer.slice(all.byteOffset, all.byteOffset + total)
  parentPort.postMessage({ items, buffer }, [buffer])
})
`

interface WorkerItem { offset: number, size: number, ino: bigint, mtimeMs: bigint, mtimeNs: bigint, ctimeNs: bigint }
type Reply = Array<Prefetched | undefined> | undefined

/**
 * Reads many files of one folder in a worker thread, a batch ahead of the
 * caller, so that the system calls of a large first load (open, fstat, read,
 * close: about half of its time, docs/performance.md) run on the second core
 * while the main thread parses what came before. Yields, in order, one batch
 * of (name, prefetched-or-undefined) at a time. A worker that cannot start or
 * fails yields undefined for the rest: the caller then reads those files
 * itself, so the prefetch can only make the load faster, never different.
 */
export async function * prefetchFiles (dir: string, names: string[]): AsyncGenerator<Array<[string, Prefetched | undefined]>> {
  const reader = new PrefetchWorker()
  const batches: string[][] = []
  for (let i = 0; i < names.length; i += BATCH) batches.push(names.slice(i, i + BATCH))
  const replies: Array<Promise<Reply>> = []
  const ask = (i: number): void => {
    const batch = batches[i]
    if (batch !== undefined) replies[i] = reader.read(dir, batch)
  }
  try {
    // One batch in flight beyond the one being worked on: the worker reads while the caller parses.
    ask(0)
    ask(1)
    for (let i = 0; i < batches.length; i++) {
      const got = await replies[i]
      ask(i + 2)
      yield (batches[i] as string[]).map((name, j) => [name, got?.[j]])
    }
  } finally {
    reader.stop()
  }
}

/** The worker, answering batches in the order they were sent. */
class PrefetchWorker {
  #worker: Worker | undefined
  readonly #pending: Array<(reply: Reply) => void> = []

  constructor () {
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true })
      worker.unref()
      worker.on('message', ({ items, buffer }: { items: Array<WorkerItem | null>, buffer: ArrayBuffer }) => {
        this.#pending.shift()?.(items.map((item) => item === null ? undefined : {
          bytes: Buffer.from(buffer, item.offset, item.size),
          stats: { ino: item.ino, size: BigInt(item.size), mtimeMs: item.mtimeMs, mtimeNs: item.mtimeNs, ctimeNs: item.ctimeNs }
        }))
      })
      // A failed worker answers nothing more: every batch still waiting is read by the caller.
      const fail = (): void => this.stop()
      worker.on('error', fail)
      worker.on('exit', fail)
      this.#worker = worker
    } catch {
      this.#worker = undefined
    }
  }

  async read (dir: string, names: string[]): Promise<Reply> {
    if (this.#worker === undefined) return undefined
    const reply = new Promise<Reply>((resolve) => this.#pending.push(resolve))
    this.#worker.postMessage({ dir, names })
    return await reply
  }

  stop (): void {
    const worker = this.#worker
    this.#worker = undefined
    for (const resolve of this.#pending.splice(0)) resolve(undefined)
    void worker?.terminate()
  }
}
