import { createHash } from 'node:crypto'
import { closeSync, constants, openSync } from 'node:fs'
import { join } from 'node:path'
import { StoreError } from './store-errors'
import { lockBinding, waitForLock, type LockBinding } from './lock-binding'
import { Abandoned, Interest, KeyedQueues, WaitQueue } from './wait-queue'

/** The one lock file of a DATA_DIR. Never deleted: deleting a lock file that others may hold would split them. */
export const LOCK_FILE = '.jsondock.lock'

/** How long a write waits for another holder before answering 503 (lock-timeout), by default. */
export const LOCK_TIMEOUT_MS = 10_000

/**
 * Each kind of lock has its own region of the lock file, so that a hash
 * collision can only make two locks of one kind one lock (slower, never
 * wrong) and never create a wait cycle between kinds.
 */
const REGION = { document: 1, gate: 2, turnstile: 3, stage: 4 } as const
const REGION_SIZE = 2 ** 48

const offsets = new Map<string, number>()

export function lockOffset (kind: keyof typeof REGION, key: string): number {
  const name = `${kind}:${key}`
  let offset = offsets.get(name)
  if (offset === undefined) {
    offset = REGION[kind] * REGION_SIZE + createHash('sha256').update(key).digest().readUIntBE(0, 6)
    if (offsets.size >= 10_000) offsets.clear()
    offsets.set(name, offset)
  }
  return offset
}

/** Open descriptions of the lock file kept for reuse: one whose locks are all released holds nothing, and saves an open and a close. */
const SPARE_DESCRIPTIONS = 64

/**
 * What a claim does, in order: queue inside this process for a lock
 * (`queue`), take a kernel lock (`lock`), or let go of one already passed
 * (`pass`: the kernel lock and its queue place, e.g. a turnstile).
 */
type Op =
  | { op: 'queue', offset: number }
  | { op: 'lock', offset: number, exclusive: boolean }
  | { op: 'pass', offset: number }

/** A document write: its own place first, then through the turnstile to the gate (shared), then the document. */
function documentOps (collection: string, name: string): Op[] {
  const doc = lockOffset('document', `${collection}/${name}`)
  const turnstile = lockOffset('turnstile', collection)
  return [
    { op: 'queue', offset: doc },
    { op: 'queue', offset: turnstile },
    { op: 'lock', offset: turnstile, exclusive: true },
    { op: 'lock', offset: lockOffset('gate', collection), exclusive: false },
    { op: 'pass', offset: turnstile },
    { op: 'lock', offset: doc, exclusive: true }
  ]
}

/** Whole collections: turnstile and gate of each, kept, in one global order (by gate offset) so that two such claims never wait on each other in a cycle. */
function collectionOps (collections: string[]): Op[] {
  const gates = [...new Set(collections)].map((c) => ({ c, gate: lockOffset('gate', c) })).sort((a, b) => a.gate - b.gate)
  const seen = new Set<number>()
  const ops: Op[] = []
  for (const { c, gate } of gates) {
    if (seen.has(gate)) continue // two names, one hashed gate: already ours (locking it twice on one description would merge)
    seen.add(gate)
    const turnstile = lockOffset('turnstile', c)
    ops.push({ op: 'queue', offset: turnstile }, { op: 'lock', offset: turnstile, exclusive: true }, { op: 'lock', offset: gate, exclusive: true })
  }
  return ops
}

function stageOps (stage: string): Op[] {
  const offset = lockOffset('stage', stage)
  return [{ op: 'queue', offset }, { op: 'lock', offset, exclusive: true }]
}

/** Locks held through one open file description; closing it releases them all, and so does its holder's death. */
export interface HeldLock { release: () => void }

/**
 * Writers sharing a volume — threads of this process, other processes, other
 * containers — are ordered by kernel advisory locks (fcntl open-file-
 * description locks) on byte ranges of one file, `<DATA_DIR>/.jsondock.lock`:
 *
 * - a document's lock: one byte per (collection, file name), exclusive;
 * - a collection's gate: shared by every document write of the collection,
 *   exclusive for a change to the whole collection (schema, import, delete);
 * - a turnstile in front of each gate, which both sides pass exclusively, so
 *   a stream of writers cannot starve an exclusive holder (Linux lets readers
 *   overtake a waiting writer);
 * - an import staging folder's lock, held while the folder exists.
 *
 * Every claim has its own open file description (reused once all its locks
 * are released), so claims conflict with each other in the kernel even
 * inside one process; a holder's death closes them and releases all. The kernel releases them when the holder dies and never
 * while it lives, however long it is paused: nothing here breaks a lock on
 * a timer. A waiter is woken by the kernel when the lock is freed; the only
 * timer is the waiter's own deadline (lock-timeout, 503).
 *
 * Inside the process, exclusive steps queue per lock first, so a process
 * has at most one kernel wait per lock; kernel waits each take a thread-pool
 * worker, so at most half the pool waits at once and file I/O — the holders'
 * writes — always has workers.
 */
export class VolumeLocks {
  readonly #file: string
  readonly #timeoutMs: number
  readonly #binding: LockBinding
  readonly #local = new KeyedQueues()
  readonly #kernelWaits: WaitQueue
  readonly #spare: number[] = []

  constructor (dataDir: string, options: { timeoutMs?: number } = {}) {
    this.#file = join(dataDir, LOCK_FILE)
    this.#timeoutMs = options.timeoutMs ?? LOCK_TIMEOUT_MS
    this.#binding = lockBinding()
    const pool = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
    this.#kernelWaits = new WaitQueue(Math.max(1, Math.floor((Number.isFinite(pool) && pool > 0 ? pool : 4) / 2)))
  }

  /** Takes and drops one lock: refuses, at start, a volume whose file system has no working fcntl locks. */
  check (): void {
    const held = this.#try([{ op: 'lock', offset: 0, exclusive: false }])
    held?.release()
  }

  /** Runs `task` holding the document's lock and its collection's gate (shared). */
  async withDocument<T> (collection: string, name: string, task: () => Promise<T>): Promise<T> {
    return await this.#with(documentOps(collection, name), `"${name}" of "${collection}" is being written`, task)
  }

  /** Runs `task` holding the gates of every collection named, exclusively. */
  async withCollections<T> (collections: string[], task: () => Promise<T>): Promise<T> {
    return await this.#with(collectionOps(collections), `a change to ${collections.map((c) => `"${c}"`).join(', ')} waits for its writes`, task)
  }

  /** Runs `task` holding an import staging folder's lock (taken before the folder is made, released after it is gone). */
  async withStage<T> (stage: string, task: () => Promise<T>): Promise<T> {
    return await this.#with(stageOps(stage), 'an import is being staged', task)
  }

  /** The document's lock if no one holds it now (start-up recovery: a temp file whose writer is gone). */
  tryDocument (collection: string, name: string): HeldLock | undefined {
    return this.#try([{ op: 'lock', offset: lockOffset('document', `${collection}/${name}`), exclusive: true }])
  }

  /** The collection's gate, exclusively, if no one holds it now. */
  tryCollection (collection: string): HeldLock | undefined {
    return this.#try(collectionOps([collection]))
  }

  /** An import staging folder's lock if no live process holds it. */
  tryStage (stage: string): HeldLock | undefined {
    return this.#try(stageOps(stage))
  }

  async #with<T> (ops: Op[], what: string, task: () => Promise<T>): Promise<T> {
    const interest = new Interest()
    const claim = this.#claim(ops, interest)
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        interest.abandon()
        reject(new StoreError('lock-timeout', `${what} by another request or process for over ${this.#timeoutMs / 1000} s; try again.`))
      }, this.#timeoutMs)
    })
    let held: HeldLock
    try {
      held = await Promise.race([claim, deadline])
    } finally {
      clearTimeout(timer)
      claim.catch(() => {})
    }
    try {
      return await task()
    } finally {
      held.release()
    }
  }

  #open (): number {
    return this.#spare.pop() ?? openSync(this.#file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644)
  }

  /** Lets go of every lock `fd` took (`taken`), then keeps it for the next claim, or closes it. */
  #close (fd: number, taken: Set<number>): void {
    try {
      for (const offset of taken) this.#binding.unlock(fd, offset, 1)
    } catch {
      closeSync(fd) // closing releases them all in any case
      return
    }
    if (this.#spare.length < SPARE_DESCRIPTIONS) this.#spare.push(fd)
    else closeSync(fd)
  }

  /**
   * Runs the ops on one new file description, waiting as needed. A caller
   * that gave up meanwhile (its interest abandoned) leaves every queue at
   * once; a kernel wait already under way cannot be called off, so it runs
   * to its end and the claim then lets go of everything.
   */
  async #claim (ops: Op[], interest: Interest): Promise<HeldLock> {
    const queued = new Map<number, () => void>()
    const taken = new Set<number>()
    const fd = this.#open()
    let open = true
    const release = (): void => {
      if (open) this.#close(fd, taken)
      open = false
      for (const leave of [...queued.values()].reverse()) leave()
      queued.clear()
    }
    try {
      for (const step of ops) {
        if (interest.abandoned) throw new Abandoned()
        if (step.op === 'queue') {
          queued.set(step.offset, await this.#local.acquire(step.offset, interest))
        } else if (step.op === 'pass') {
          this.#binding.unlock(fd, step.offset, 1)
          taken.delete(step.offset)
          queued.get(step.offset)?.()
          queued.delete(step.offset)
        } else if (this.#tryLock(fd, step.offset, step.exclusive)) {
          taken.add(step.offset)
        } else {
          const slot = await this.#kernelWaits.acquire(interest)
          try {
            await waitForLock(this.#binding, fd, step.offset, step.exclusive)
            taken.add(step.offset)
          } finally {
            slot()
          }
        }
      }
      if (interest.abandoned) throw new Abandoned()
      return { release }
    } catch (err) {
      release()
      throw err
    }
  }

  #tryLock (fd: number, offset: number, exclusive: boolean): boolean {
    try {
      this.#binding.tryLock(fd, offset, 1, exclusive)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return false
      throw err
    }
  }

  /** Takes the ops' kernel locks now or not at all (no queue, no wait). */
  #try (ops: Op[]): HeldLock | undefined {
    const fd = this.#open()
    const taken = new Set<number>()
    let open = true
    const release = (): void => { if (open) this.#close(fd, taken); open = false }
    try {
      for (const step of ops) {
        if (step.op === 'lock') {
          if (!this.#tryLock(fd, step.offset, step.exclusive)) {
            release()
            return undefined
          }
          taken.add(step.offset)
        }
        if (step.op === 'pass') {
          this.#binding.unlock(fd, step.offset, 1)
          taken.delete(step.offset)
        }
      }
    } catch (err) {
      release()
      throw err
    }
    return { release }
  }
}
