/** fsyncs one folder; resolves when the kernel says its entries are durable. */
export type SyncFolder = (dir: string) => Promise<void>

interface Round {
  /** Settles when this round's fsync has finished. */
  done: Promise<void>
  /** Starts this round's fsync (once). */
  start: () => void
}

/**
 * Group commit of folder fsyncs. Writes that renamed (or linked, or
 * unlinked) a file in the same folder at about the same time share one
 * fsync of it: the kernel makes every entry of the folder durable in one
 * call, so one fsync can stand for all of them — but only for the entries
 * that were in place when it *started*.
 *
 * Hence the rule: `sync(dir)` is called once the caller's rename has
 * completed, and resolves only after an fsync of `dir` that started after
 * that call. If none is running, one starts now. If one is running, it may
 * have started before the rename, so it does not count: the caller waits
 * for the next one, which starts as soon as the running one ends, and which
 * every caller that arrives meanwhile shares. At most one fsync per folder
 * runs at a time, with at most one waiting behind it; a failed fsync fails
 * every write that waited on it (none is acknowledged).
 */
export class FolderSyncs {
  readonly #running = new Map<string, Round>()
  readonly #next = new Map<string, Round>()

  constructor (private readonly syncFolder: SyncFolder) {}

  async sync (dir: string): Promise<void> {
    if (!this.#running.has(dir)) {
      const round = this.#round(dir)
      this.#running.set(dir, round)
      round.start()
      return await round.done
    }
    let next = this.#next.get(dir)
    if (next === undefined) {
      next = this.#round(dir)
      this.#next.set(dir, next)
    }
    return await next.done
  }

  #round (dir: string): Round {
    let start!: () => void
    const started = new Promise<void>((resolve) => { start = resolve })
    const done = started.then(async () => await this.syncFolder(dir))
    const round: Round = { done, start }
    // When it ends, the next round (whose callers all arrived after this one started) starts.
    const advance = (): void => {
      if (this.#running.get(dir) !== round) return
      const next = this.#next.get(dir)
      this.#next.delete(dir)
      if (next === undefined) {
        this.#running.delete(dir)
        return
      }
      this.#running.set(dir, next)
      next.start()
    }
    done.then(advance, advance)
    return round
  }
}
