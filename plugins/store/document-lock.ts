import { join } from 'node:path'
import lockfile from 'proper-lockfile'
import { StoreError, translateFsError } from './errors'
import { KeyedMutex } from './keyed-mutex'
import type { Logger } from './collection-index'

/** Prefix of lock folders beside the documents; never documents themselves. */
export const LOCK_PREFIX = '.lock-'

/**
 * A lock held this long without its heartbeat (the lock folder's mtime,
 * refreshed every second by its holder) belongs to a process that died: it
 * is taken over.
 */
const STALE_MS = 5_000

/**
 * Orders writes to one file across every process that shares the volume.
 * Inside a process a queue orders them first (cheap, fair); between
 * processes a lock folder, created atomically with mkdir(2) by
 * proper-lockfile, does — so writers are ordered by the file system, never by
 * one process's memory, and a crashed holder's lock goes stale and is
 * recovered.
 */
export class FileLocks {
  readonly #queue = new KeyedMutex()

  constructor (private readonly log: Logger) {}

  async withLock<T> (dir: string, name: string, task: () => Promise<T>): Promise<T> {
    return await this.#queue.run(join(dir, name), async () => {
      const release = await this.#acquire(dir, name)
      try {
        return await task()
      } finally {
        await release().catch(() => {})
      }
    })
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
        if (attempt >= 160) throw new StoreError('busy', `"${name}" is being written by another process; try again.`)
        await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50))
      }
    }
  }
}
