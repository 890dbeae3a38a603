import { constants, lstatSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { timedSync, type FsyncTimer } from './durable-fs'

interface Held {
  handle: FileHandle
  dev: number
  ino: number
}

/** How many folders keep a handle open; past it the least recently opened is closed. */
const MAX_OPEN = 64

/**
 * One open `O_DIRECTORY` handle per collection folder, for its fsyncs.
 *
 * Opening and closing the folder around every fsync cost two of a write's
 * round trips through libuv's thread pool; a kept handle leaves only the
 * fsync. A handle names an inode, not a path: before each fsync the folder
 * now at the path is compared with it (one lstat on this thread, as a read's
 * folder check), and a folder deleted and made again — by this process or
 * another replica — gets a new handle, so that the fsync always covers the
 * folder the caller renamed into. A failed fsync drops its handle: the next
 * one opens afresh rather than asking a file that just failed again.
 *
 * Callers (the group commit, folder-sync.ts) run one fsync per folder at a
 * time, so a handle is never closed under a running fsync of its own.
 */
export class FolderHandles {
  readonly #held = new Map<string, Held>()
  readonly #busy = new Set<string>()

  constructor (private readonly timer?: FsyncTimer) {}

  async sync (dir: string): Promise<void> {
    this.#busy.add(dir)
    try {
      const held = await this.#handleOf(dir)
      try {
        await timedSync(async () => await held.handle.sync(), this.timer)
      } catch (err) {
        await this.#drop(dir, held)
        throw err
      }
    } finally {
      this.#busy.delete(dir)
    }
  }

  /** Closes the handle of a folder about to be removed (it would keep the deleted inode alive). */
  async forget (dir: string): Promise<void> {
    const held = this.#held.get(dir)
    if (held !== undefined && !this.#busy.has(dir)) await this.#drop(dir, held)
  }

  /** Closes every handle (the store is closing). */
  async closeAll (): Promise<void> {
    await Promise.all([...this.#held].map(async ([dir, held]) => await this.#drop(dir, held)))
  }

  get size (): number {
    return this.#held.size
  }

  async #handleOf (dir: string): Promise<Held> {
    const held = this.#held.get(dir)
    if (held !== undefined) {
      const now = lstatSync(dir, { throwIfNoEntry: false })
      if (now !== undefined && now.isDirectory() && now.dev === held.dev && now.ino === held.ino) return held
      await this.#drop(dir, held)
    }
    // O_NOFOLLOW: a symlink put where the folder was is refused (ENOTDIR), never fsynced through.
    const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW)
    let fresh: Held
    try {
      const stats = await handle.stat()
      fresh = { handle, dev: stats.dev, ino: stats.ino }
    } catch (err) {
      await handle.close().catch(() => {})
      throw err
    }
    this.#held.set(dir, fresh)
    await this.#evict()
    return fresh
  }

  async #evict (): Promise<void> {
    const closing: Array<Promise<void>> = []
    for (const [dir, held] of this.#held) {
      if (this.#held.size <= MAX_OPEN) break
      if (!this.#busy.has(dir)) closing.push(this.#drop(dir, held))
    }
    await Promise.all(closing)
  }

  /** Forgets a handle and closes it; a failed close has nothing left to lose (the handle only fsyncs). */
  async #drop (dir: string, held: Held): Promise<void> {
    if (this.#held.get(dir) === held) this.#held.delete(dir)
    await held.handle.close().catch(() => {})
  }
}
