import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

/** The checkout whose sources are built (JSONDOCK_ROOT: a deliberately broken copy, to see a suite fail). */
const repoRoot = process.env.JSONDOCK_ROOT ?? join(__dirname, '..', '..')

let bundled: Promise<string> | undefined

/**
 * The service bundle, built once per test process by `npm run build` itself,
 * but into a private temp folder (BUILD_DIR), so that suites running in
 * parallel never overwrite each other's bundle or the checkout's `dist/`.
 * The folder holds just `server.js` and Swagger UI's `static/`.
 */
export async function serviceBundle (): Promise<string> {
  const given = process.env.JSONDOCK_BUNDLE
  if (given !== undefined && given !== '') return given
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jsondock-bundle-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: repoRoot, env: { ...process.env, BUILD_DIR: dir } })
    return join(dir, 'server.js')
  })()
  return await bundled
}

export interface RunningServer {
  child: ChildProcess
  url: string
  /** Every stdout line so far (JSON log lines). */
  stdout: string[]
  stderr: string[]
  /** Sends a signal and resolves with the exit code and how long the exit took. */
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null, signal: NodeJS.Signals | null, ms: number }>
}

/**
 * Starts `node <script>` with PORT=0 and resolves once it logs the address it
 * listens on. Stopped on teardown if the test didn't stop it. With `prefix`,
 * runs `<prefix…> node <script>` instead (e.g. under strace).
 */
export async function startServer (
  t: { teardown: (fn: () => unknown) => void },
  script: string,
  env: Record<string, string>,
  cwd?: string,
  prefix: string[] = []
): Promise<RunningServer> {
  const [command = process.execPath, ...args] = [...prefix, process.execPath, script]
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: string[] = []
  const stderr: string[] = []
  let buffered = ''
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        stdout.push(line)
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
        if (match !== null) resolve(match[1] as string)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
    child.once('exit', (code) => reject(new Error(`server exited with ${String(code)} before listening: ${stderr.join('')}`)))
  })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const url = await listening
  return {
    child,
    url,
    stdout,
    stderr,
    stop: async (signal = 'SIGTERM') => {
      const started = Date.now()
      child.kill(signal)
      const [code, sig] = await exited
      return { code, signal: sig, ms: Date.now() - started }
    }
  }
}

/** Runs `node <script>` to completion (for start-up failures). */
export async function runToExit (script: string, env: Record<string, string>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}
