import { execFile, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, copyFile, mkdir, open, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { lockBinding } from '../../plugins/engine/lock-binding'
import { tempDir } from './app'

export const repoRoot = join(__dirname, '..', '..')
/** The tag compose.yaml gives the image. */
export const COMPOSE_IMAGE = 'jsondock:0.1.0'

const exec = promisify(execFile)

export interface CommandResult {
  code: number
  stdout: string
  stderr: string
  ms: number
}

/** Runs a command to completion; never throws on a non-zero exit (the caller asserts). */
export async function run (command: string, args: string[], options: { cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number } = {}): Promise<CommandResult> {
  const started = Date.now()
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 600_000,
      maxBuffer: 64 * 1024 * 1024
    })
    return { code: 0, stdout, stderr, ms: Date.now() - started }
  } catch (err) {
    const e = err as { code?: number | string, stdout?: string, stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err), ms: Date.now() - started }
  }
}

/**
 * Why the Docker suites cannot run here, or undefined when they can: a
 * reachable engine, Compose v2. Under CI=true a missing prerequisite is a
 * failure, not a skip (the caller decides).
 */
export function dockerUnavailable (): string | undefined {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' })
  if (info.error !== undefined || info.status !== 0) return 'no Docker engine answers `docker info` (start one, or see .ci/docker-setup.sh)'
  const compose = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' })
  if (compose.status !== 0 || !/^v?2\./.test(compose.stdout.trim())) return 'Docker Compose v2 is missing (`docker compose version`)'
  return undefined
}

/** True when the base image is the CI stand-in rather than the real node:*-alpine. */
export async function baseIsStandIn (image = 'node:26-alpine'): Promise<boolean> {
  const result = await run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "io.jsondock.ci.standin"}}', image])
  return result.code === 0 && result.stdout.trim() !== '' && result.stdout.trim() !== '<no value>'
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

/** How long a test process waits for another's turn (a Swarm run or an examples page holds one for minutes). */
const TURN_WAIT_MS = 15 * 60_000

/**
 * A wait for another suite's turn is not this suite's own time: while it waits, tap's per-file
 * timeout (package.json "timeout", TAP_TIMEOUT) is stretched to cover the wait, and once it has
 * the turn the file gets its whole budget again, from then. Without this, a suite that waited
 * four minutes for the examples' image turn had one minute left for its own work.
 */
function restartFileTimeout (extraMs: number): void {
  if (process.env.TAP !== '1' || fileBudgetMs <= 0) return
  // Loaded only under tap's runner: importing tap starts a test run (a script such as
  // `npx tsx test/helpers/docs.ts run <file>` uses these helpers too, and must not become one).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { t: root } = require('tap') as { t: { setTimeout: (ms: number) => void } }
  root.setTimeout(fileBudgetMs + extraMs)
}
let fileBudgetMs = Number(process.env.TAP_TIMEOUT ?? '0') * 1000

/**
 * For a suite whose own work can outlast tap's per-file timeout on a busy machine: its time
 * budget, from now, and again from each turn it has to wait for.
 */
export function setSuiteBudget (ms: number): void {
  fileBudgetMs = ms
  restartFileTimeout(0)
}

/**
 * A turn across test processes: a kernel lock (an open-file-description lock,
 * the product's own, plugins/engine/lock-binding.ts) on a file in the temp
 * folder. The kernel releases it the moment its holder dies, and never hands
 * it on while the holder lives, however slow or stopped that is; a lock
 * broken on a timer (proper-lockfile's stale mtime, as before) did both
 * wrong: a killed holder cost every waiter a minute, a busy one lost its turn.
 * Polled with tryLock (no thread-pool worker blocked for minutes); the file
 * names its holder, for the message of a waiter whose deadline passes.
 */
async function takeTurn (name: string): Promise<() => Promise<void>> {
  const path = join(tmpdir(), name)
  const file = await open(path, 'a+')
  const binding = lockBinding()
  const deadline = Date.now() + TURN_WAIT_MS
  for (let waited = false; ; waited = true) {
    try {
      binding.tryLock(file.fd, 0, 1, true)
      if (waited) restartFileTimeout(0)
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') { await file.close(); throw err }
    }
    if (!waited) restartFileTimeout(TURN_WAIT_MS)
    if (Date.now() > deadline) {
      await file.close()
      const holder = (await readFile(path, 'utf8').catch(() => '')).trim()
      throw new Error(`the turn ${path} awaited for ${TURN_WAIT_MS / 60_000} minutes; still held by ${holder === '' ? 'an unnamed process' : holder}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await file.truncate(0)
  await file.write(`pid ${process.pid} (${process.argv.slice(1).join(' ')}) since ${new Date().toISOString()}\n`)
  return async () => {
    binding.unlock(file.fd, 0, 1)
    await file.close()
  }
}

/**
 * Runs `task` while no other test process builds or re-tags jsondock:0.1.0.
 * The Docker suites run in parallel processes, and every build of that tag
 * takes the tag from the image before: two builds on a cold cache make two
 * different images, and `docker build` and `docker compose build` of the same
 * sources make different images too (compose adds its own labels). A
 * container started from the image before then shows an image id where the
 * docs show the tag. So builds take turns across processes, and so does a
 * page of examples that runs its own `docker build -t jsondock:0.1.0` and
 * then inspects its containers.
 */
export async function withImageLock<T> (task: () => Promise<T>): Promise<T> {
  const release = await takeTurn('jsondock-image-build.turn')
  try {
    return await task()
  } finally {
    await release()
  }
}

/**
 * Takes the engine's swarm turn and returns its release. `docker swarm init`
 * and `leave` rewrite the engine's networks and iptables rules, which cuts the
 * containers of a compose project running beside them (seen in CI: the docs
 * examples' service stopped answering the moment the Swarm suite left its
 * swarm). So the Swarm suite, from init to leave, and the documentation
 * examples, which keep one compose project up for minutes, take turns.
 */
export async function swarmTurn (): Promise<() => Promise<void>> {
  return await takeTurn('jsondock-swarm.turn')
}

/**
 * `docker compose build` in the repository: builds jsondock:0.1.0 as a user's
 * `docker compose up` would. After the first build of these sources, every
 * later one is a cache hit that yields the very same image.
 */
export async function buildComposeImage (): Promise<CommandResult> {
  return await withImageLock(async () => await composeBuild())
}

async function composeBuild (): Promise<CommandResult> {
  return await run('docker', ['compose', 'build', '--quiet', 'api'], { cwd: repoRoot })
}

/**
 * Builds jsondock:0.1.0 and runs `task` while no other test process can re-tag
 * it: for a test that needs this checkout's image (not one another worktree
 * built from its own sources on the same engine) until it ends.
 */
export async function withComposeImage<T> (task: (built: CommandResult) => Promise<T>): Promise<T> {
  return await withImageLock(async () => await task(await composeBuild()))
}

export interface ComposeProject {
  dir: string
  dataDir: string
  name: string
  port: number
  url: string
  compose: (...args: string[]) => Promise<CommandResult>
  /** The container id of a service. */
  containerId: (service?: string) => Promise<string>
}

/**
 * A throw-away compose project: a temp folder holding a copy of compose.yaml
 * and an empty `volumes/data` writable by the container's uid 1000, a unique
 * project name and a free port. `down -v` on teardown.
 */
export async function composeProject (t: { teardown: (fn: () => unknown) => void }): Promise<ComposeProject> {
  const dir = await tempDir(t, 'jsondock-compose-')
  await copyFile(join(repoRoot, 'compose.yaml'), join(dir, 'compose.yaml'))
  const dataDir = join(dir, 'volumes', 'data')
  await mkdir(dataDir, { recursive: true })
  // The container runs as uid 1000; the test may run as root or as anyone.
  await chmod(dataDir, 0o777)
  const name = `jsondock-test-${randomBytes(4).toString('hex')}`
  const port = await freePort()
  const env = { PORT: String(port), COMPOSE_PROJECT_NAME: name }
  const compose = async (...args: string[]): Promise<CommandResult> =>
    await run('docker', ['compose', '-p', name, ...args], { cwd: dir, env })
  t.teardown(async () => await compose('--profile', 'seed', 'down', '-v', '--remove-orphans', '--timeout', '5'))
  return {
    dir,
    dataDir,
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    compose,
    containerId: async (service = 'api') => (await compose('ps', '-a', '-q', service)).stdout.trim()
  }
}
