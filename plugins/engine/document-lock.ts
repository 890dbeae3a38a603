import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import lockfile from 'proper-lockfile'
import { StoreError, translateFsError } from './errors'
import { KeyedMutex } from './keyed-mutex'
import type { Logger } from './observer'
import { lstatNow } from './stat-now'

/** Prefix of lock folders beside the documents; never documents themselves. */
export const LOCK_PREFIX = '.lock-'

/**
 * A lock held this long without its heartbeat (the lock folder's mtime,
 * refreshed every second by its holder) belongs to a process that died: it
 * is taken over.
 */
const STALE_MS = 5_000

/** How many times a writer steps aside for an exclusive holder, or an exclusive holder waits for writers (~8 s in all). */
const WAIT_ATTEMPTS = 160

/**
 * Orders writes to one file across every process that shares the volume.
 * Inside a process a queue orders them first (cheap, fair); between
 * processes a lock folder, created atomically with mkdir(2) by
 * proper-lockfile, does — so writers are ordered by the file system, never by
 * one process's memory, and a crashed holder's lock goes stale and is
 * recovered.
 *
 * A folder can also be locked as a whole (withExclusive: a schema change, an
 * import moving in) against every withLock() that names the same `gate`.
 * Both sides create their own lock folder first and look for the other's
 * second, so whichever order two processes run in, at least one of them
 * sees the other: the writer steps aside, or the exclusive holder waits for
 * it to finish. No reader-writer lock in memory could order two replicas.
 */
export class FileLocks {
  readonly #queue = new KeyedMutex()

  constructor (private readonly log: Logger) {}

  /**
   * Runs `task` holding the lock of `dir/name`. With `gate`, also only while
   * no one holds `dir`'s exclusive lock of that name: the task may rely on
   * what the exclusive holder guards (the collection's settings) not
   * changing until it is done.
   */
  async withLock<T> (dir: string, name: string, task: () => Promise<T>, gate?: string): Promise<T> {
    return await this.#queue.run(join(dir, name), async () => {
      let waited = 0
      for (;;) {
        const release = await this.#acquire(dir, name)
        if (gate === undefined || !this.#held(dir, gate)) {
          try {
            return await task()
          } finally {
            await release().catch(() => {})
          }
        }
        // Step aside, lock and all: the exclusive holder is waiting for our
        // lock to go. Wait for it without the lock, so as not to keep making
        // lock folders that it would have to wait out again.
        await release().catch(() => {})
        do {
          if (++waited > WAIT_ATTEMPTS) throw new StoreError('lock-timeout', `"${name}" waits on a change to the whole collection; try again.`)
          await pause()
        } while (this.#held(dir, gate))
      }
    })
  }

  /**
   * Runs `task` holding the lock of `dir/gate` once no other lock of `dir` is
   * held; every withLock(dir, …, gate) waits meanwhile.
   */
  async withExclusive<T> (dir: string, gate: string, task: () => Promise<T>): Promise<T> {
    return await this.#queue.run(join(dir, gate), async () => {
      const release = await this.#acquire(dir, gate)
      try {
        await this.#drain(dir, gate)
        return await task()
      } finally {
        await release().catch(() => {})
      }
    })
  }

  /** True while a live (not stale) holder has `dir/gate` locked. */
  #held (dir: string, gate: string): boolean {
    return live(join(dir, `${LOCK_PREFIX}${gate}`))
  }

  /** Waits until every lock of `dir` but `gate` is released (or stale: its holder died mid-write). */
  async #drain (dir: string, gate: string): Promise<void> {
    const own = `${LOCK_PREFIX}${gate}`
    for (let attempt = 0; ; attempt++) {
      const others = (await readdir(dir)).filter((entry) => entry.startsWith(LOCK_PREFIX) && entry !== own)
      if (!others.some((entry) => live(join(dir, entry)))) return
      if (attempt >= WAIT_ATTEMPTS) throw new StoreError('lock-timeout', 'Documents of the collection are being written; try again.')
      await pause()
    }
  }

  /**
   * Takes the lock folder, waiting while another process holds it (up to
   * ~8 s: longer than a dead holder's lock takes to go stale). Any other
   * failure — a read-only or full volume — is answered at once.
   */
  async #acquire (dir: string, name: string): Promise<() => Promise<void>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await lockfile.lock(join(dir, name), {
          realpath: false,
          lockfilePath: join(dir, `${LOCK_PREFIX}${name}`),
          stale: STALE_MS,
          update: 1_000,
          retries: 0,
          onCompromised: (err) => this.log.warn({ err, file: join(dir, name) }, 'A write lock was taken over while held.')
        })
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') translateFsError(err)
        if (attempt >= WAIT_ATTEMPTS) throw new StoreError('lock-timeout', `"${name}" is being written by another process; try again.`)
        await pause()
      }
    }
  }
}

async function pause (): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50))
}

/** A lock folder whose holder is alive: proper-lockfile refreshes its mtime every second, and calls it stale after STALE_MS. */
function live (lockDir: string): boolean {
  const stats = lstatNow(lockDir)
  return stats !== undefined && Date.now() - Number(stats.mtimeMs) < STALE_MS
}
