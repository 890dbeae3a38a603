import { closeSync, constants, openSync } from 'node:fs'
import { join } from 'node:path'
import { StoreError, translateFsError } from './store-errors'
import { lockBinding, waitForLock, type LockBinding } from './lock-binding'
import { collectionOps, documentOps, lockOffset, stageOps, type Op } from './lock-layout'
import { Abandoned, Interest, KeyedQueues, WaitQueue } from './wait-queue'

/** The one lock file of a DATA_DIR. Never deleted: deleting a lock file that others may hold would split them. */
export const LOCK_FILE = '.jsondock.lock'

/** How long a write waits for another holder before answering 503 (lock-timeout), by default. */
export const LOCK_TIMEOUT_MS = 10_000

/** Open descriptions of the lock file kept for reuse: one whose locks are all released holds nothing, and saves an open and a close. */
const SPARE_DESCRIPTIONS = 64

/** Locks held through one open file description; closing it releases them all, and so does its holder's death. */
export interface HeldLock { release: () => void }

/** How many claims of one document in a row may take its locks from the one before, without letting go of them in the kernel. */
const MAX_PASSES = 32

/** A document claim's lock offsets, for handing its locks to the next claim of the same document. */
interface Handoff { key: number, gate: number, turnstile: number }

/** A claim's open file description and the kernel locks it holds on it. */
interface Holding {
  fd: number
  taken: Set<number>
  /** How many claims before this one held these same locks without a break. */
  passes: number
  /** Every step done: the locks are the claim's whole set. */
  complete?: boolean
  /** For a handed-over document lock: its collection's gate. */
  gate?: number
  released?: boolean
}

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
 * writes — always has workers. The next claim of a document queued here
 * takes its predecessor's kernel locks as they are (a few in a row at most),
 * rather than racing other processes for them after each write.
 */
export class VolumeLocks {
  readonly #file: string
  readonly #timeoutMs: number
  readonly #binding: LockBinding
  readonly #local = new KeyedQueues()
  readonly #kernelWaits: WaitQueue
  readonly #spare: number[] = []
  /** Document locks (by offset) handed by a claim to the next one of this process, until it takes them. */
  readonly #handedOver = new Map<number, Holding>()

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
    const doc = lockOffset('document', `${collection}/${name}`)
    const handoff = { key: doc, gate: lockOffset('gate', collection), turnstile: lockOffset('turnstile', collection) }
    return await this.#with(documentOps(collection, name), `"${name}" of "${collection}" is being written`, task, handoff)
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

  async #with<T> (ops: Op[], what: string, task: () => Promise<T>, handoff?: Handoff): Promise<T> {
    const interest = new Interest()
    const claim = this.#claim(ops, interest, handoff)
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

  /** A description of the lock file; on a volume that became read-only or full, the write's own clear refusal (503/507), not a 500. */
  #open (): number {
    const spare = this.#spare.pop()
    if (spare !== undefined) return spare
    try {
      return openSync(this.#file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644)
    } catch (err) {
      translateFsError(err)
    }
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
   * Runs the ops on one file description, waiting as needed. A caller
   * that gave up meanwhile (its interest abandoned) leaves every queue at
   * once; a kernel wait already under way cannot be called off, so it runs
   * to its end and the claim then lets go of everything.
   *
   * A document claim that finds its predecessor's locks handed over (see
   * #release) takes them as they are: its first step, the document's queue,
   * is then its only one.
   */
  async #claim (ops: Op[], interest: Interest, handoff?: Handoff): Promise<HeldLock> {
    const queued = new Map<number, () => void>()
    let holding: Holding | undefined
    const release = (): void => this.#release(holding ?? { fd: -1, taken: new Set(), passes: 0 }, queued, handoff)
    try {
      for (const step of ops) {
        if (step.op === 'queue') {
          if (interest.abandoned) throw new Abandoned()
          queued.set(step.offset, await this.#local.acquire(step.offset, interest))
          if (handoff !== undefined && step.offset === handoff.key) {
            holding = this.#handedOver.get(handoff.key)
            this.#handedOver.delete(handoff.key)
            if (holding?.gate === handoff.gate) break
            if (holding !== undefined) this.#close(holding.fd, holding.taken) // another collection's document, its offset hashed alike
            holding = undefined
          }
          continue
        }
        holding ??= { fd: this.#open(), taken: new Set(), passes: 0 }
        if (interest.abandoned) throw new Abandoned()
        if (step.op === 'pass') {
          this.#binding.unlock(holding.fd, step.offset, 1)
          holding.taken.delete(step.offset)
          queued.get(step.offset)?.()
          queued.delete(step.offset)
        } else if (this.#tryLock(holding.fd, step.offset, step.exclusive)) {
          holding.taken.add(step.offset)
        } else {
          const slot = await this.#kernelWaits.acquire(interest)
          try {
            await waitForLock(this.#binding, holding.fd, step.offset, step.exclusive)
            holding.taken.add(step.offset)
          } finally {
            slot()
          }
        }
      }
      if (interest.abandoned) throw new Abandoned()
      holding ??= { fd: this.#open(), taken: new Set(), passes: 0 }
      holding.complete = true
      return { release }
    } catch (err) {
      release()
      throw err
    }
  }

  /**
   * Lets go of a claim: its kernel locks, then its queue places. A
   * document's locks pass straight to the next claim of the same document
   * in this process, if one waits (its queue place is left last, and grants
   * it): a handoff between processes costs a wake-up of each (the waiter's
   * pool thread, then its event loop), which on a busy machine left the lock
   * idle for milliseconds at every write and halved the writes per second of
   * two replicas on one document. At most MAX_PASSES in a row, and never
   * while this process has a whole-collection change at the turnstile, so
   * other processes and exclusive claims still get their turn.
   */
  #release (holding: Holding, queued: Map<number, () => void>, handoff: Handoff | undefined): void {
    if (holding.fd >= 0 && !holding.released) {
      holding.released = true
      const next: Holding = { fd: holding.fd, taken: holding.taken, passes: holding.passes + 1, complete: true, gate: handoff?.gate }
      if (handoff !== undefined && holding.complete === true && next.passes <= MAX_PASSES && queued.has(handoff.key) &&
          this.#local.waiting(handoff.key) > 0 && !this.#local.busy(handoff.turnstile)) {
        this.#handedOver.set(handoff.key, next)
      } else {
        this.#close(holding.fd, holding.taken)
      }
    }
    for (const leave of [...queued.values()].reverse()) leave()
    queued.clear()
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
