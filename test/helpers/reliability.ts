/**
 * Shared helpers of the reliability suites (test/reliability/*.test.ts).
 *
 * These suites run the real service — the esbuild bundle, as a separate
 * process — on real file systems: a folder under the OS temp dir, a size-limited
 * tmpfs, a read-only bind mount. Nothing here imports the app: what is tested is
 * exactly what ships.
 *
 * Environment knobs (for proving a test catches its breakage):
 * - JSONDOCK_ROOT: the checkout whose sources are bundled (default: this one);
 *   point it at a scratch copy with a guarantee broken on purpose.
 * - JSONDOCK_BUNDLE: a prebuilt server.js to run instead of bundling.
 */
import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { cp, mkdtemp, readFile, readdir, rm, rmdir } from 'node:fs/promises'
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { serviceBundle, startServer, type RunningServer } from './process'
import { prerequisiteTest } from './prerequisites'

const run = promisify(execFile)

export const repoRoot = process.env.JSONDOCK_ROOT ?? join(__dirname, '..', '..')

interface Teardown {
  teardown: (fn: () => unknown) => void
}

export const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

export function randomInt (min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1))
}

/** A fresh folder under the OS temp dir, removed on teardown. */
export async function scratchDir (t: Teardown, prefix = 'jsondock-rel-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(async () => await rm(dir, { recursive: true, force: true }))
  return dir
}

// ---- the service -------------------------------------------------------------------------------

/** Every service process these helpers started and that may still run. */
const services = new Set<RunningServer['child']>()

/** Starts the bundled service on DATA_DIR (PORT=0, logs at info: one JSON line per request). */
export async function startService (t: Teardown, env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer(t, await serviceBundle(), { LOG_LEVEL: 'info', ...env })
  services.add(server.child)
  server.child.once('exit', () => services.delete(server.child))
  return server
}

/** SIGKILLs the service processes started here that still run, and waits for them to exit (before an unmount). */
export async function killServices (): Promise<void> {
  await Promise.all([...services].map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }))
}

// ---- HTTP --------------------------------------------------------------------------------------

export interface Answer {
  status: number
  headers: Headers
  text: string
}

/** One HTTP exchange with fetch; the body is read completely (an unread body keeps a request in flight). */
export async function call (
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers }, ...(signal === undefined ? {} : { signal }) }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
  }
  const res = await fetch(url, init)
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/** A problem+json answer, parsed; undefined (and the reason) when the answer is not one. */
export function problemOf (answer: Answer): { type: string, title: string, status: number, detail: string } | string {
  const type = answer.headers.get('content-type') ?? ''
  if (!type.startsWith('application/problem+json')) return `content-type is "${type}", not application/problem+json; body ${answer.text.slice(0, 200)}`
  try {
    const problem = JSON.parse(answer.text) as { type: string, title: string, status: number, detail: string }
    if (typeof problem.type !== 'string' || problem.status !== answer.status || typeof problem.detail !== 'string') {
      return `not a complete problem (type, status = HTTP status, detail): ${answer.text.slice(0, 200)}`
    }
    return problem
  } catch {
    return `body is not JSON: ${answer.text.slice(0, 200)}`
  }
}

export interface RawAnswer {
  status: number
  headers: IncomingMessage['headers']
  text: string
}

/**
 * A request whose body is sent in two parts: `send()` writes the headers and
 * the first part and resolves once they are on the wire; `finish()` writes the
 * rest and resolves with the answer (or rejects with the connection error).
 * Without `agent` it has a fresh connection of its own, closed after the
 * answer; with a keep-alive `agent`, the connection stays open afterwards, idle,
 * as a browser or proxy keeps it.
 */
export function splitRequest (url: string, method: string, path: string, body: string, headers: Record<string, string>, agent?: Agent): {
  send: () => Promise<void>
  finish: () => Promise<RawAnswer>
} {
  const bytes = Buffer.from(body)
  const half = Math.floor(bytes.length / 2)
  const target = new URL(path, url)
  const req = httpRequest({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method,
    agent: agent ?? false,
    headers: { ...headers, 'content-length': String(bytes.length), ...(agent === undefined ? { connection: 'close' } : {}) }
  })
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    req.once('error', reject)
    req.once('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.once('error', reject)
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }))
    })
  })
  answer.catch(() => {}) // observed by finish()
  return {
    send: async () => {
      req.flushHeaders()
      const written = new Promise<void>((resolve, reject) => req.write(bytes.subarray(0, half), (err) => { if (err == null) resolve(); else reject(err) }))
      // A refused connection never calls the write back: the answer's rejection ends the wait.
      await Promise.race([written, answer.then(() => {})])
    },
    finish: async () => {
      req.end(bytes.subarray(half))
      return await answer
    }
  }
}

/**
 * Waits until the server's log has a line matching `test` (JSON log lines, parsed); rejects after
 * `ms` (a minute: a log line is a state, and a busy machine can take seconds), naming `what`.
 */
export async function waitForLog (server: RunningServer, test: (line: Record<string, unknown>) => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    for (const line of server.stdout) {
      try {
        if (test(JSON.parse(line) as Record<string, unknown>)) return
      } catch {}
    }
    if (Date.now() > deadline) throw new Error(`${what}: awaited in the service's log for ${ms / 1000} s; last lines: ${server.stdout.slice(-3).join(' | ')}`)
    await sleep(5)
  }
}

// ---- the volume --------------------------------------------------------------------------------

/** Every file under `dir` (relative paths), recursively; with `dirs`, folders too (ending in "/"). */
export async function listFiles (dir: string, dirs = false): Promise<string[]> {
  const out: string[] = []
  async function walk (current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name)
      if (entry.isDirectory()) {
        if (dirs) out.push(relative(dir, path) + '/')
        await walk(path)
      } else {
        out.push(relative(dir, path))
      }
    }
  }
  await walk(dir)
  return out.sort()
}

/** Relative path → SHA-256 of the bytes (and "dir" for folders), for before/after comparisons. */
export async function snapshotTree (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  async function walk (current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name)
      if (entry.isDirectory()) {
        out[relative(dir, path) + '/'] = 'dir'
        await walk(path)
      } else {
        out[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex')
      }
    }
  }
  await walk(dir)
  return out
}

/** The temp files of interrupted writes (`.tmp-*`) anywhere under `dir`. */
export async function tempFiles (dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter((path) => path.split('/').some((part) => part.startsWith('.tmp-')))
}

/** Reads a file, or undefined when it does not exist. */
export async function readIfExists (path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

// ---- mounts (root only) ------------------------------------------------------------------------

/**
 * Whether this process can mount file systems: it must be root, and a probe
 * tmpfs mount must succeed (a container without CAP_SYS_ADMIN cannot).
 * Returns the reason when it cannot.
 */
export function mountProbe (): string | undefined {
  if (process.platform !== 'linux') return `mounts need Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return `mounting a test file system needs root (running as uid ${String(process.getuid?.())})`
  const dir = join(tmpdir(), `jsondock-mount-probe-${process.pid}`)
  try {
    execFileSync('mkdir', ['-p', dir])
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' })
    execFileSync('umount', [dir], { stdio: 'pipe' })
    return undefined
  } catch (err) {
    return `this root process cannot mount (${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()})`
  } finally {
    try { execFileSync('rmdir', [dir]) } catch {}
  }
}

let probed: { reason: string | undefined } | undefined

/** Declares a test that needs to mount file systems (root): see prerequisiteTest. */
export function mountTest (tap: Test, name: string, fn: (t: Test) => Promise<void>): void {
  probed ??= { reason: mountProbe() }
  prerequisiteTest(tap, name, probed.reason === undefined ? undefined : `${probed.reason}; run as root to test this`, fn)
}

/** Unmounts, retrying while busy (a process still closing its files), lazily as a last resort. */
async function unmount (dir: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      await run('umount', [dir])
      return
    } catch {
      await sleep(100)
    }
  }
  await run('umount', ['-l', dir]).catch(() => {})
}

async function isMountPoint (dir: string): Promise<boolean> {
  try {
    await run('mountpoint', ['-q', dir])
    return true
  } catch {
    return false
  }
}

/** A fresh tmpfs of `size` (e.g. "2m"), unmounted and removed on teardown. */
export async function mountTmpfs (t: Teardown, size: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jsondock-tmpfs-'))
  await run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir])
  t.teardown(async () => {
    await killServices()
    if (await isMountPoint(dir)) await unmount(dir)
    await rmdir(dir).catch(() => {})
  })
  return dir
}

/**
 * A read-only view of `source` (a bind mount remounted read-only): writes
 * through it fail with EROFS, while `source` itself stays writable. Unmounted on teardown.
 */
export async function mountReadOnly (t: Teardown, source: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jsondock-ro-'))
  await run('mount', ['--bind', source, dir])
  t.teardown(async () => {
    await killServices()
    if (await isMountPoint(dir)) await unmount(dir)
    await rmdir(dir).catch(() => {})
  })
  await run('mount', ['-o', 'remount,bind,ro', dir])
  return dir
}
