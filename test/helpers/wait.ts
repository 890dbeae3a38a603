/**
 * Waiting for a state instead of sleeping for it (docs/testing.md): poll until
 * the state holds, with a deadline generous enough for a slow, busy machine,
 * and a message naming what was awaited and what was seen last.
 */

/** A deadline for states that take a moment on a quiet machine: a minute, not a few seconds. */
export const STATE_TIMEOUT_MS = 60_000

export const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Calls `probe` until it returns something other than undefined, and returns that. After
 * `timeoutMs` it throws, naming `what` was awaited and the last thing `probe` saw (its
 * `seen` note, or the last error it threw).
 */
export async function waitFor<T> (
  what: string,
  probe: (note: (seen: string) => void) => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number, intervalMs?: number } = {}
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? STATE_TIMEOUT_MS
  const started = Date.now()
  let seen = 'nothing yet'
  for (;;) {
    try {
      const value = await probe((s) => { seen = s })
      if (value !== undefined) return value
    } catch (err) {
      seen = `an error: ${(err as Error).message}`
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: awaited for ${timeoutMs / 1000} s; last seen ${seen}`)
    await sleep(options.intervalMs ?? 50)
  }
}

/** Waits until GET `url` answers 200 (a service that is up and ready). */
export async function waitForOk (url: string, what = `${url} answering 200`, timeoutMs = STATE_TIMEOUT_MS): Promise<void> {
  await waitFor(what, async (note) => {
    const res = await fetch(url)
    await res.arrayBuffer()
    note(`status ${res.status}`)
    return res.status === 200 ? true : undefined
  }, { timeoutMs, intervalMs: 100 })
}

/**
 * Runs `change` (an edit of `file` in `dir` behind the service's back) and waits until a watcher
 * of `dir` in this process has seen it, then one turn of the event loop more. libuv reads one
 * inotify descriptor per loop and hands each event to every watcher of that folder in the same
 * read, so the service's own watcher (collection-index.ts) has seen the edit too: the state a
 * listing needs, which a fixed sleep only stood in for.
 */
export async function changeSeenByWatchers (dir: string, file: string, change: () => Promise<void>): Promise<void> {
  const { watch } = await import('node:fs')
  let seen = false
  const watcher = watch(dir, { persistent: false }, (_event, name) => { if (name === file) seen = true })
  try {
    await change()
    await waitFor(`a watcher of ${dir} to see ${file} change`, () => seen ? true : undefined, { intervalMs: 5 })
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    watcher.close()
  }
}
