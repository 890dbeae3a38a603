/**
 * Runs tasks that share a key one after another, in arrival order, and tasks
 * with different keys concurrently. Orders writes to one document inside this
 * process; the file system (link/rename) arbitrates between processes.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>()

  async run<T> (key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const current = previous.then(task, task)
    const tail = current.catch(() => {})
    this.#tails.set(key, tail)
    try {
      return await current
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    }
  }

  get size (): number {
    return this.#tails.size
  }
}
