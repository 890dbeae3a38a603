/** Raised inside a claim whose caller stopped waiting (its deadline passed). */
export class Abandoned extends Error {}

/** A caller's interest in a claim: set once its deadline passes, so queued steps drop out. */
export class Interest {
  abandoned = false
  readonly #listeners = new Set<() => void>()

  abandon (): void {
    this.abandoned = true
    for (const listener of this.#listeners) listener()
    this.#listeners.clear()
  }

  onAbandon (listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

interface Waiter { grant: () => void, drop: () => void }

/**
 * A FIFO of up to `capacity` holders. A waiter whose interest is abandoned
 * leaves the queue at once (rejecting with Abandoned), so a caller that gave
 * up leaves nothing behind but a claim already past this point.
 */
export class WaitQueue {
  #held = 0
  readonly #waiters: Waiter[] = []

  constructor (private readonly capacity: number) {}

  get idle (): boolean {
    return this.#held === 0 && this.#waiters.length === 0
  }

  /** How many wait behind the holders. */
  get waiting (): number {
    return this.#waiters.length
  }

  async acquire (interest: Interest): Promise<() => void> {
    if (interest.abandoned) throw new Abandoned()
    if (this.#held < this.capacity && this.#waiters.length === 0) {
      this.#held++
      return this.#releaser()
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => { stop(); resolve() },
        drop: () => {
          const at = this.#waiters.indexOf(waiter)
          if (at >= 0) this.#waiters.splice(at, 1)
          reject(new Abandoned())
        }
      }
      const stop = interest.onAbandon(waiter.drop)
      this.#waiters.push(waiter)
    })
    return this.#releaser()
  }

  #releaser (): () => void {
    let done = false
    return () => {
      if (done) return
      done = true
      const next = this.#waiters.shift()
      if (next === undefined) this.#held--
      else next.grant()
    }
  }
}

/** One WaitQueue of capacity 1 per key, dropped when idle. */
export class KeyedQueues {
  readonly #queues = new Map<number, WaitQueue>()

  async acquire (key: number, interest: Interest): Promise<() => void> {
    let queue = this.#queues.get(key)
    if (queue === undefined) {
      queue = new WaitQueue(1)
      this.#queues.set(key, queue)
    }
    const q = queue
    try {
      const release = await q.acquire(interest)
      return () => {
        release()
        if (q.idle) this.#queues.delete(key)
      }
    } catch (err) {
      if (q.idle) this.#queues.delete(key)
      throw err
    }
  }

  get size (): number {
    return this.#queues.size
  }

  /** How many wait for `key` behind its holder. */
  waiting (key: number): number {
    return this.#queues.get(key)?.waiting ?? 0
  }

  /** True while someone holds or waits for `key`. */
  busy (key: number): boolean {
    return this.#queues.has(key)
  }
}
