/**
 * The disk's own ceiling for small durable writes, measured with the same
 * Node fs calls jsondock makes and nothing else: open a temp file, write
 * ~300 bytes, fsync, close, rename it to its final name, fsync the folder.
 *
 * Each run is its own process (`node disk-writer.js`, bundled by the runner
 * from this file), with `writers` loops writing new files concurrently into
 * one folder, as concurrent requests do in the service. That process gets a
 * libuv thread pool of 16, so that 10 writers really have 10 writes (and 10
 * fsyncs) in flight; with Node's default pool of 4, at most 4 would be.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { constants } from 'node:fs'
import { mkdir, open, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { round, type Probe, type RunStats } from './lib'

/** The thread pool the disk-ceiling process runs with. */
export const DISK_THREADPOOL = 16

async function fsyncDir (dir: string): Promise<void> {
  const folder = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}

async function durableWrite (dir: string, name: string, data: Buffer): Promise<void> {
  const temp = join(dir, `.tmp-${name}`)
  const file = await open(temp, 'wx', 0o644)
  try {
    await file.writeFile(data)
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temp, join(dir, `${name}.json`))
  await fsyncDir(dir)
}

/** One run, in this process: `writers` loops writing new files into `dir` for `seconds`. */
export async function diskRun (dir: string, writers: number, seconds: number, payload: Buffer): Promise<RunStats> {
  await mkdir(dir, { recursive: true })
  const latencies: number[] = []
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  let seq = 0
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    while (performance.now() < deadline) {
      const t0 = performance.now()
      await durableWrite(dir, `w${w}-${seq++}`, payload)
      latencies.push(performance.now() - t0)
    }
  }))
  const elapsed = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  // The files stay until the block's folder is removed: deleting them here
  // would leave metadata for the next run's fsyncs to commit.
  latencies.sort((a, b) => a - b)
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
  return {
    rps: round(latencies.length / elapsed, 1),
    p50: round(at(0.5), 2),
    p99: round(at(0.99), 2),
    total: latencies.length,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    seconds: round(elapsed, 2),
    cpuUsPerOp: latencies.length > 0 ? round((cpu.user + cpu.system) / latencies.length) : undefined
  }
}

let runCounter = 0

/** The disk ceiling as a probe for `roundRobin`: each run a fresh folder and process; its "rps" is durable writes per second. */
export function diskProbe (name: string, writerScript: string, root: string, writers: number, payload: Buffer): Probe {
  return {
    name,
    run: async (seconds) => {
      const dir = join(root, `run-${runCounter++}`)
      const child = spawn(process.execPath, [writerScript, dir, String(writers), String(seconds)], {
        env: { PATH: process.env.PATH ?? '', UV_THREADPOOL_SIZE: String(DISK_THREADPOOL) },
        stdio: ['pipe', 'pipe', 'pipe']
      })
      let out = ''
      let err = ''
      child.stdout.on('data', (c: Buffer) => { out += c.toString() })
      child.stderr.on('data', (c: Buffer) => { err += c.toString() })
      child.stdin.end(payload)
      // 'close', not 'exit': only then has all of the child's stdout arrived.
      const [code] = await once(child, 'close') as [number | null]
      if (code !== 0) throw new Error(`disk writer exited with ${String(code)}: ${err.slice(0, 500)}`)
      return JSON.parse(out) as RunStats
    }
  }
}
