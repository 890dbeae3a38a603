/**
 * Helpers shared by the benchmark runner and the profiler: child processes,
 * readiness, resident memory, autocannon runs and their medians.
 * The benchmark reports; it never asserts on timings.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

// autocannon ships no types; this is the small part of its API we use.
export interface CannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string | Buffer
  setupRequest?: (req: CannonRequest) => CannonRequest
}
interface CannonOptions {
  url: string
  connections: number
  duration: number
  timeout?: number
  requests?: CannonRequest[]
  method?: string
  headers?: Record<string, string>
  body?: string
}
interface CannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  '2xx': number
  latency: { p50: number, p90: number, p99: number, average: number, max: number }
  requests: { average: number, total: number }
  statusCodeStats?: Record<string, { count: number }>
}
type Autocannon = (opts: CannonOptions) => Promise<CannonResult>
/** Loaded on first use, so that the helper processes bundled from these modules do not carry it. */
let autocannonFn: Autocannon | undefined
function autocannon (opts: CannonOptions): Promise<CannonResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  autocannonFn ??= require('autocannon') as Autocannon
  return autocannonFn(opts)
}

export interface RunningProcess {
  child: ChildProcess
  pid: number
  url: string
  spawnedAt: number
  /** When it was seen listening (or answering `probe`). */
  readyAt: number
  stdout: string[]
  stderr: string[]
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop: (graceMs?: number) => Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

export interface SpawnOptions {
  args?: string[]
  nodeArgs?: string[]
  env?: Record<string, string>
  cwd?: string
  /** Resolve with the URL matched in a stdout line (group 1). */
  listening?: RegExp
  /** Or: the URL is known (a fixed port); resolve once `probe` answers 200. */
  url?: string
  probe?: string
  pollMs?: number
  timeoutMs?: number
  /** Called with every stdout line and when it arrived (performance.now()). */
  onLine?: (line: string, at: number) => void
}

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/

/** Starts `node [nodeArgs] script [args]` and resolves once it listens. */
export async function startNode (script: string, options: SpawnOptions = {}): Promise<RunningProcess> {
  const spawnedAt = performance.now()
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: string[] = []
  const stderr: string[] = []
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  let buffered = ''
  const pattern = options.listening ?? LISTENING
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (stdout.length < 200) stdout.push(line)
        options.onLine?.(line, performance.now())
        const match = pattern.exec(line)
        if (match !== null && options.url === undefined) resolve(match[1] as string)
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => { if (stderr.length < 200) stderr.push(chunk.toString()) })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)} before listening: ${stderr.join('').slice(0, 2000)}`)))
    if (options.url !== undefined) {
      const url = options.url
      void waitFor200(url + (options.probe ?? '/'), options.timeoutMs ?? 120_000, options.pollMs ?? 5,
        () => child.exitCode !== null || child.signalCode !== null).then(() => resolve(url), reject)
    }
  })
  const timeoutMs = options.timeoutMs ?? 120_000
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const stop = async (graceMs = 10_000): Promise<{ code: number | null, signal: NodeJS.Signals | null }> => {
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode }
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    const [code, signal] = await exited
    clearTimeout(killer)
    return { code, signal }
  }
  try {
    const url = await listening
    return { child, pid: child.pid as number, url, spawnedAt, readyAt: performance.now(), stdout, stderr, stop }
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  } finally {
    clearTimeout(timer)
  }
}

/** Polls `url` until it answers 200; resolves with the time that took. */
export async function waitFor200 (url: string, timeoutMs = 60_000, intervalMs = 5, gaveUp: () => boolean = () => false): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (gaveUp()) throw new Error(`stopped waiting for ${url}`)
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status === 200) return performance.now() - started
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
    await sleep(intervalMs)
  }
}

/** A TCP port that was free a moment ago (for servers that cannot listen on port 0 and tell us). */
export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Resident set size and its peak, in MB (10^6 bytes), from /proc/<pid>/status (Linux). */
export function memoryOf (pid: number): { rssMB: number, hwmMB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMB: round(kib('VmRSS') * 1024 / 1e6, 1), hwmMB: round(kib('VmHWM') * 1024 / 1e6, 1) }
  } catch {
    return undefined
  }
}

export interface RunStats {
  /** Successful (2xx) responses per second over the run. */
  rps: number
  p50: number
  p99: number
  total: number
  non2xx: number
  errors: number
  timeouts: number
  seconds: number
  /** Counts of the answers that were not 2xx, by status code. */
  otherStatus?: Record<string, number>
  /** CPU time (user + system, all threads) the measured process spent per completed request, in µs. */
  cpuUsPerOp?: number
}

export interface Measurement {
  /** Median over the counted runs. */
  rps: number
  p50: number
  p99: number
  /** (max - min) / median of the counted runs' rps: how noisy this figure is. */
  spread: number
  /** Median CPU µs the server process spent per request: a cost the noisy machine disturbs less than throughput. */
  cpuUsPerOp?: number
  runs: RunStats[]
  warmup: RunStats
  /** Anything the reader must know: failed requests, runs that did not complete. */
  notes: string[]
}

export interface LoadSpec {
  url: string
  connections: number
  requests: CannonRequest[]
}

export interface Schedule {
  warmupSec: number
  runSec: number
  runs: number
  /** Per-request timeout in seconds. */
  timeoutSec: number
}

export async function cannonOnce (spec: LoadSpec, seconds: number, timeoutSec: number): Promise<RunStats> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: seconds,
    timeout: timeoutSec,
    requests: spec.requests
  })
  const ok = result['2xx']
  const secs = result.duration > 0 ? result.duration : seconds
  const otherStatus: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) otherStatus[code] = stat.count
  }
  return {
    ...(Object.keys(otherStatus).length > 0 ? { otherStatus } : {}),
    rps: round(ok / secs, 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: secs
  }
}

/** Something measured in runs of a given length: an autocannon load, a disk write loop. */
export interface Probe {
  name: string
  run: (seconds: number) => Promise<RunStats>
  /** Called after every run: a slow server may still be working off requests sent before the run ended. */
  drain?: () => Promise<void>
}

const CLOCK_TICKS_PER_SEC = 100 // getconf CLK_TCK on Linux

/** CPU seconds (user + system, every thread, exited ones included) of a process so far, from /proc/<pid>/stat. */
export function cpuSecondsOf (pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC
  } catch {
    return undefined
  }
}

/** An autocannon load against a server; with `pid`, also the server's CPU time per request. */
export function httpProbe (name: string, spec: LoadSpec, timeoutSec: number, drainUrl?: string, pid?: number): Probe {
  return {
    name,
    run: async (seconds) => {
      const before = pid === undefined ? undefined : cpuSecondsOf(pid)
      const stats = await cannonOnce(spec, seconds, timeoutSec)
      const after = pid === undefined ? undefined : cpuSecondsOf(pid)
      if (before !== undefined && after !== undefined && stats.total > 0) stats.cpuUsPerOp = round((after - before) * 1e6 / stats.total)
      return stats
    },
    ...(drainUrl === undefined ? {} : { drain: async () => { await waitFor200(drainUrl, 300_000, 20) } })
  }
}

/**
 * Each probe's discarded warm-up, then `runs` rounds in which every probe
 * runs once, in turn; each probe's figure is the median of its counted runs.
 * Interleaving puts a workload and the baseline it is divided by side by
 * side in time, so a noisy neighbour moves both, not just one.
 */
export async function roundRobin (probes: Probe[], schedule: Schedule, onRun?: (probe: string, stats: RunStats, round: number) => void): Promise<Map<string, Measurement>> {
  const warmups = new Map<string, RunStats>()
  for (const probe of probes) {
    warmups.set(probe.name, await probe.run(schedule.warmupSec))
    await probe.drain?.()
  }
  const runs = new Map<string, RunStats[]>(probes.map((p) => [p.name, []]))
  for (let round = 0; round < schedule.runs; round++) {
    for (const probe of probes) {
      const stats = await probe.run(schedule.runSec)
      runs.get(probe.name)?.push(stats)
      onRun?.(probe.name, stats, round)
      await probe.drain?.()
    }
  }
  const out = new Map<string, Measurement>()
  for (const probe of probes) out.set(probe.name, summarize(runs.get(probe.name) ?? [], warmups.get(probe.name) as RunStats, schedule))
  return out
}

/** The median of the counted runs, their spread, and notes on anything that failed. */
export function summarize (runs: RunStats[], warmup: RunStats, schedule: Schedule): Measurement {
  const rps = median(runs.map((r) => r.rps))
  const notes: string[] = []
  const failed = runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0)
  const timeouts = runs.reduce((sum, r) => sum + r.timeouts, 0)
  if (failed > 0) {
    const codes = new Map<string, number>()
    for (const r of runs) for (const [code, count] of Object.entries(r.otherStatus ?? {})) codes.set(code, (codes.get(code) ?? 0) + count)
    const which = [...codes].map(([code, count]) => `${count} × ${code}`).join(', ')
    notes.push(`${failed} non-2xx responses or errors in the counted runs${which === '' ? '' : ` (${which})`}, not counted as throughput`)
  }
  if (timeouts > 0) notes.push(`${timeouts} requests timed out after ${schedule.timeoutSec} s`)
  const empty = runs.filter((r) => r.total === 0).length
  if (empty > 0) notes.push(`${empty} of ${runs.length} counted runs completed no request within their ${schedule.runSec} s`)
  return {
    rps,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    spread: rps > 0 ? round((Math.max(...runs.map((r) => r.rps)) - Math.min(...runs.map((r) => r.rps))) / rps, 3) : 0,
    ...(runs.every((r) => r.cpuUsPerOp !== undefined) && runs.length > 0 ? { cpuUsPerOp: median(runs.map((r) => r.cpuUsPerOp as number)) } : {}),
    runs,
    warmup,
    notes
  }
}

export function median (values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function round (value: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Seeded PRNG (mulberry32), so documents and request mixes are the same on every run. */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function log (message: string): void {
  const stamp = new Date().toISOString().slice(11, 19)
  process.stdout.write(`[bench ${stamp}] ${message}\n`)
}
