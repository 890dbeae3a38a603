/** Where the engine reports what the operator should know; the service passes its pino logger. */
export interface Logger {
  warn: (obj: object, msg: string) => void
}

export const silentLog: Logger = { warn: () => {} }

/** Receives timings for the metrics; the engine knows nothing of Prometheus. */
export interface StoreObserver {
  operation: (name: string, seconds: number, outcome: 'ok' | 'error') => void
  fsync: (seconds: number) => void
}

/**
 * timed() for a task that does not wait: no promise of its own. A read by id
 * is synchronous (stat-now.ts), and this runs on every one of them.
 */
export function timedNow<T> (observer: StoreObserver | undefined, operation: string, task: () => T): T {
  if (observer === undefined) return task()
  const started = process.hrtime.bigint()
  let outcome: 'ok' | 'error' = 'error'
  try {
    const result = task()
    outcome = 'ok'
    return result
  } finally {
    observer.operation(operation, Number(process.hrtime.bigint() - started) / 1e9, outcome)
  }
}

/** Runs `task`, reporting its duration and outcome to `observer` when there is one. */
export async function timed<T> (observer: StoreObserver | undefined, operation: string, task: () => T | Promise<T>): Promise<T> {
  if (observer === undefined) return await task()
  const started = process.hrtime.bigint()
  let outcome: 'ok' | 'error' = 'error'
  try {
    const result = await task()
    outcome = 'ok'
    return result
  } finally {
    observer.operation(operation, Number(process.hrtime.bigint() - started) / 1e9, outcome)
  }
}
