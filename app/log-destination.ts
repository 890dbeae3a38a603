import pino from 'pino'

/** Where log lines go: anything with pino's `write(line)`. */
export interface LogDestination {
  write: (line: string) => void
}

/**
 * JSON log lines to stdout, written once per turn of the event loop instead
 * of once per line. With LOG_LEVEL=info every request logs two lines; one
 * write(2) for each cost a fifth of the throughput of a GET by id in the
 * benchmark (docs/performance.md), on top of waking whoever reads the pipe
 * (the container runtime, `docker logs`) twice per request. The lines of one
 * turn go out together as soon as the turn ends, so nothing waits for a
 * buffer to fill or a timer; pino's own sonic-boom does the writing (partial
 * writes, EAGAIN on a full pipe). What is pending when the process exits is
 * written synchronously on the way out; only a SIGKILL can lose the lines of
 * the last turn.
 */
export function stdoutLogDestination (stdout: { write: (text: string) => unknown } = pino.destination({ dest: 1, sync: true })): LogDestination {
  let pending: string[] = []
  let scheduled = false
  const flush = (): void => {
    scheduled = false
    if (pending.length === 0) return
    const text = pending.join('')
    pending = []
    stdout.write(text)
  }
  process.once('exit', flush)
  return {
    write (line) {
      pending.push(line)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    }
  }
}
