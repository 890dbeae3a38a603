/**
 * The executable-docs harness: finds the runnable shell examples in the
 * Markdown docs, runs them in order in one bash session per file against a
 * real engine and a real service, and checks each one's output against the
 * expected output written under it. Also: the link and anchor checker, and
 * the configuration reference generated from the TypeBox config schema.
 *
 * The convention (also explained in docs/docker.md, "How to read the examples"):
 *
 *   ```sh runnable                  <- a runnable example; options may follow:
 *   curl -s localhost:3000/...         exit=N       the status the block must end with (default 0)
 *   ```                                timeout=S    seconds the block may take (default 60)
 *   ```text                            requires=R   run only when R holds (swarm-free), else skip visibly
 *   {"status":"ready"}              <- its expected output (optional; without it only the status is checked)
 *   ```
 *
 * Expected output is matched line by line, loosely:
 *  - trailing white space is ignored, and runs of white space inside a line count as one space
 *    (so `docker ps` columns may be padded differently); leading and trailing blank lines are ignored;
 *  - `…` inside a line matches any text on that line; a line that is only `…` matches any number of lines;
 *  - `{{etag}}`, `{{uuid}}`, `{{id}}` (a container or image id), `{{digest}}` (sha256:…), `{{date}}`
 *    (an HTTP date) and `{{n}}` (a number) match one such value; `{{/regex/}}` matches the regex;
 *    `{{~173MB}}` matches a size or number within 10 % of the one written.
 *
 * What the harness changes between the page and the machine, and back:
 *  - `localhost:3000` and `3000:3000` use a free port instead of 3000, and `:<port>` in the output
 *    reads `:3000` again;
 *  - names starting with `jsondock-demo` get a unique suffix (containers, volumes, networks, image
 *    tags, stacks), removed from the output again, and everything so named is removed afterwards;
 *  - the compose project gets a unique name (COMPOSE_PROJECT_NAME), shown as `jsondock` in the output,
 *    and `jsondock_default` / `jsondock-api-1` in commands name the real ones;
 *  - each file runs in its own throw-away checkout (a copy of the files the image is built from, with
 *    an empty `volumes/data` that uid 1000 may write), shown as `~/jsondock` in the output;
 *  - the terminal is not a TTY, so Docker and Compose print plain progress lines; stderr is merged
 *    into stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { chmod, chown, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { parse } from 'yaml'
import { ConfigSchema } from '../../schemas/config'
import { freePort, repoRoot, run, type CommandResult } from './docker'

export { repoRoot }

/** The files whose runnable examples are executed, in this order. */
export const EXAMPLE_FILES = ['README.md', 'docs/api.md', 'docs/docker.md', 'docs/operations.md']

// ---------------------------------------------------------------------------------------------
// Markdown: fenced blocks, runnable examples
// ---------------------------------------------------------------------------------------------

export interface FencedBlock {
  /** The info string after the opening fence, e.g. `sh runnable exit=1`. */
  info: string
  code: string
  /** 1-based line of the opening fence. */
  line: number
  /** 1-based line of the closing fence. */
  endLine: number
}

/** Every fenced code block of a Markdown text (``` or ~~~ fences, not indented more than 3 spaces). */
export function fencedBlocks (markdown: string): FencedBlock[] {
  const lines = markdown.split('\n')
  const blocks: FencedBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? '')
    if (open === null) continue
    const fence = open[1] as string
    const info = (open[2] ?? '').trim()
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] ?? ''
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(line)) break
      body.push(line)
    }
    blocks.push({ info, code: body.join('\n'), line: i + 1, endLine: j + 1 })
    i = j
  }
  return blocks
}

export interface RunnableExample {
  file: string
  /** 1-based line of the example's opening fence. */
  line: number
  code: string
  /** The expected output, when a ```text block follows the example. */
  expected?: string
  expectedLine?: number
  exit: number
  timeoutMs: number
  requires?: string
}

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console'])

/** The runnable examples of a Markdown text, in order, each with the expected output that follows it. */
export function runnableExamples (markdown: string, file: string): RunnableExample[] {
  const blocks = fencedBlocks(markdown)
  const lines = markdown.split('\n')
  const examples: RunnableExample[] = []
  blocks.forEach((block, index) => {
    const words = block.info.split(/\s+/)
    if (!SHELL_LANGUAGES.has(words[0] ?? '') || !words.includes('runnable')) return
    const options = new Map<string, string>()
    for (const word of words.slice(1)) {
      const match = /^([a-z]+)=(.+)$/.exec(word)
      if (match !== null) options.set(match[1] as string, match[2] as string)
      else if (word !== 'runnable') throw new Error(`${file}:${block.line}: unknown option "${word}" on a runnable example`)
    }
    for (const key of options.keys()) {
      if (!['exit', 'timeout', 'requires'].includes(key)) throw new Error(`${file}:${block.line}: unknown option "${key}="`)
    }
    const example: RunnableExample = {
      file,
      line: block.line,
      code: block.code,
      exit: Number(options.get('exit') ?? 0),
      timeoutMs: Number(options.get('timeout') ?? 60) * 1000
    }
    const requires = options.get('requires')
    if (requires !== undefined) example.requires = requires
    const next = blocks[index + 1]
    // The expected output is the next block when it is ```text and only blank lines separate them.
    if (next !== undefined && next.info.split(/\s+/)[0] === 'text' &&
        lines.slice(block.endLine, next.line - 1).every((l) => l.trim() === '')) {
      example.expected = next.code
      example.expectedLine = next.line
    }
    examples.push(example)
  })
  return examples
}

// ---------------------------------------------------------------------------------------------
// Matching expected output
// ---------------------------------------------------------------------------------------------

const PLACEHOLDERS: Record<string, string> = {
  etag: '"[A-Za-z0-9_-]{43}"',
  uuid: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  id: '[0-9a-f]{12,64}',
  digest: 'sha256:[0-9a-f]{64}',
  date: '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT',
  n: '\\d+(?:\\.\\d+)?'
}

/** Trailing white space dropped; runs of white space after the indentation become one space. */
function tidyLine (line: string): string {
  const trimmed = line.replace(/\r$/, '').replace(/\s+$/, '')
  const indent = /^\s*/.exec(trimmed)?.[0] ?? ''
  return indent + trimmed.slice(indent.length).replace(/\s+/g, ' ')
}

// eslint-disable-next-line no-control-regex -- ANSI colour and line codes
const ANSI_CODES = /\u001b\[[0-9;?]*[A-Za-z]/g

function tidyLines (text: string): string[] {
  const lines = text.replace(ANSI_CODES, '').split('\n').map(tidyLine)
  while (lines.length > 0 && lines[0] === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

interface LinePattern {
  regex: RegExp
  /** Approximate values: capture group index → the number written and its unit. */
  approx: Array<{ group: number, value: number, unit: string }>
}

const GAP = Symbol('gap')

function escapeRegex (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function compileLine (line: string): LinePattern {
  let source = ''
  const approx: LinePattern['approx'] = []
  let group = 0
  const token = /…|\{\{(.+?)\}\}/g
  let last = 0
  for (let m = token.exec(line); m !== null; m = token.exec(line)) {
    source += escapeRegex(line.slice(last, m.index))
    last = m.index + m[0].length
    if (m[0] === '…') { source += '.*'; continue }
    const name = m[1] as string
    if (name.startsWith('/') && name.endsWith('/') && name.length > 1) {
      source += `(?:${name.slice(1, -1)})`
    } else if (name.startsWith('~')) {
      const parsed = /^~(\d+(?:\.\d+)?)\s*([A-Za-z%]*)$/.exec(name)
      if (parsed === null) throw new Error(`bad approximate placeholder {{${name}}}`)
      group++
      approx.push({ group, value: Number(parsed[1]), unit: parsed[2] ?? '' })
      source += `(\\d+(?:\\.\\d+)?)\\s?${escapeRegex(parsed[2] ?? '')}`
    } else {
      const pattern = PLACEHOLDERS[name]
      if (pattern === undefined) throw new Error(`unknown placeholder {{${name}}}`)
      source += `(?:${pattern})`
    }
  }
  source += escapeRegex(line.slice(last))
  return { regex: new RegExp(`^${source}$`), approx }
}

function lineMatches (pattern: LinePattern, line: string): boolean {
  const m = pattern.regex.exec(line)
  if (m === null) return false
  return pattern.approx.every(({ group, value }) => {
    const actual = Number(m[group])
    return Math.abs(actual - value) <= value * 0.1
  })
}

export type MatchResult = { ok: true } | { ok: false, reason: string }

/** Matches an actual output against an expected output written with the placeholders above. */
export function matchOutput (expected: string, actual: string): MatchResult {
  const patterns = tidyLines(expected).map((line) => line.trim() === '…' ? GAP : compileLine(line))
  const lines = tidyLines(actual)
  const memo = new Map<string, boolean>()
  let furthest = 0
  const match = (i: number, j: number): boolean => {
    const key = `${i}:${j}`
    const known = memo.get(key)
    if (known !== undefined) return known
    let result: boolean
    const pattern = patterns[i]
    if (pattern === undefined) {
      result = j === lines.length
    } else if (pattern === GAP) {
      result = false
      for (let k = j; k <= lines.length && !result; k++) result = match(i + 1, k)
    } else {
      result = j < lines.length && lineMatches(pattern, lines[j] as string) && match(i + 1, j + 1)
    }
    if (!result && pattern !== undefined && pattern !== GAP && j < lines.length && lineMatches(pattern, lines[j] as string)) furthest = Math.max(furthest, i + 1)
    memo.set(key, result)
    return result
  }
  if (match(0, 0)) return { ok: true }
  const expectedLines = tidyLines(expected)
  const firstMiss = expectedLines.slice(furthest).find((l) => l.trim() !== '…') ?? '(end of the expected output)'
  return {
    ok: false,
    reason: `no match from expected line ${furthest + 1}: ${JSON.stringify(firstMiss)}\n--- actual output (as compared) ---\n${lines.join('\n')}\n--- end ---`
  }
}

// ---------------------------------------------------------------------------------------------
// A persistent bash session
// ---------------------------------------------------------------------------------------------

export interface BlockResult {
  output: string
  status: number
  /** Commands that failed inside the block (bash's ERR trap). */
  failedCommands: number
  timedOut: boolean
  ms: number
}

/**
 * One bash process that runs blocks one after the other, so that variables
 * (`ETAG=$(…)`) and the working folder carry over like in a reader's terminal.
 */
export class ShellSession {
  readonly #child: ChildProcessWithoutNullStreams
  readonly #sentinel = `__JSONDOCK_DOCS_${randomBytes(6).toString('hex')}__`
  #stdout = ''
  #stderr = ''
  #waiting: (() => void) | undefined
  #dead = false

  constructor (cwd: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn('bash', ['--noprofile', '--norc'], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child.stdout.on('data', (chunk: Buffer) => { this.#stdout += chunk.toString(); this.#waiting?.() })
    this.#child.stderr.on('data', (chunk: Buffer) => { this.#stderr += chunk.toString() })
    this.#child.on('exit', () => { this.#dead = true; this.#waiting?.() })
    this.#child.stdin.on('error', () => {})
    this.#child.stdin.write('set -E\n__docs_errors=0\ntrap \'__docs_errors=$((__docs_errors+1))\' ERR\n')
  }

  get dead (): boolean { return this.#dead }

  async run (code: string, timeoutMs: number): Promise<BlockResult> {
    const started = Date.now()
    if (this.#dead) return { output: 'the shell session has ended', status: -1, failedCommands: 0, timedOut: false, ms: 0 }
    this.#stdout = ''
    this.#stderr = ''
    const script = `__docs_errors=0\n{\n${code}\n} < /dev/null 2>&1\n__docs_status=$?\nprintf '\\n%s %s %s\\n' '${this.#sentinel}' "$__docs_status" "$__docs_errors"\n`
    const done = new RegExp(`\\n${this.#sentinel} (\\d+) (\\d+)\\n`)
    return await new Promise<BlockResult>((resolve) => {
      const timer = setTimeout(() => {
        this.kill()
        finish(true)
      }, timeoutMs)
      const finish = (timedOut: boolean): void => {
        clearTimeout(timer)
        this.#waiting = undefined
        const m = done.exec(this.#stdout)
        const output = (m === null ? this.#stdout : this.#stdout.slice(0, m.index)) + this.#stderr
        resolve({
          output,
          status: m === null ? -1 : Number(m[1]),
          failedCommands: m === null ? 0 : Number(m[2]),
          timedOut,
          ms: Date.now() - started
        })
      }
      this.#waiting = () => { if (done.test(this.#stdout) || this.#dead) finish(false) }
      this.#child.stdin.write(script)
    })
  }

  kill (): void {
    if (this.#dead || this.#child.pid === undefined) return
    try { process.kill(-this.#child.pid, 'SIGKILL') } catch { this.#child.kill('SIGKILL') }
  }

  async close (): Promise<void> {
    if (this.#dead) return
    this.#child.stdin.end('exit 0\n')
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { this.kill(); resolve() }, 5000)
      this.#child.once('exit', () => { clearTimeout(timer); resolve() })
    })
  }
}

// ---------------------------------------------------------------------------------------------
// The environment a file's examples run in
// ---------------------------------------------------------------------------------------------

/** What the examples need of a checkout: the files the image and compose.yaml are made from. */
const CHECKOUT_FILES = ['compose.yaml', 'Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'app', 'plugins', 'schemas', 'scripts']

export interface ExampleEnv {
  /** The throw-away checkout the examples run in (named `jsondock`). */
  dir: string
  port: number
  project: string
  suffix: string
  /** Whether the engine was in a swarm before the examples ran. */
  swarmBefore: boolean
  env: NodeJS.ProcessEnv
  toCommand: (code: string) => string
  toPage: (output: string) => string
  cleanup: () => Promise<string[]>
}

export async function swarmActive (): Promise<boolean> {
  const info = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'])
  return info.stdout.trim() === 'active'
}

/** A fresh checkout, a free port, a unique project and name suffix, and the cleanup of all of it. */
export async function prepareExampleEnv (): Promise<ExampleEnv> {
  const root = await mkdtemp(join(tmpdir(), 'jsondock-docs-'))
  const dir = join(root, 'jsondock')
  await mkdir(dir)
  for (const name of CHECKOUT_FILES) await cp(join(repoRoot, name), join(dir, name), { recursive: true })
  const dataDir = join(dir, 'volumes', 'data')
  await mkdir(dataDir, { recursive: true })
  await writeFile(join(dataDir, '.gitkeep'), '')
  // The container runs as uid 1000: give it the folder, as the README tells users to.
  if (process.getuid?.() === 0) await chown(dataDir, 1000, 1000)
  else await chmod(dataDir, 0o777)

  const suffix = randomBytes(3).toString('hex')
  const project = `jsondock-docs-${suffix}`
  const port = await freePort()
  const swarmBefore = await swarmActive()
  const gwbridgeBefore = (await run('docker', ['network', 'inspect', 'docker_gwbridge'])).code === 0
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COMPOSE_PROJECT_NAME: project,
    PORT: String(port),
    // The image the suite built under the image lock (buildComposeImage), never rebuilt (and re-tagged) by an example's `up`.
    JSONDOCK_PULL_POLICY: 'missing',
    // Plain, colourless, hint-free output, the same on every machine.
    NO_COLOR: '1',
    COMPOSE_ANSI: 'never',
    COMPOSE_PROGRESS: 'plain',
    BUILDKIT_PROGRESS: 'plain',
    DOCKER_CLI_HINTS: 'false',
    TERM: 'dumb',
    LC_ALL: 'C.UTF-8'
  }
  const demo = `jsondock-demo-${suffix}`

  // Only a swarm these examples started is theirs to leave: another suite (test/deploy/swarm.test.ts) may
  // start one on the same engine while they run, and leaving it would pull that suite's stack from under it.
  let startedSwarm = false
  const toCommand = (code: string): string => {
    if (/\bdocker swarm init\b/.test(code)) startedSwarm = true
    return commandOf(code)
  }
  const commandOf = (code: string): string => code
    .replace(/localhost:3000\b/g, `localhost:${port}`)
    .replace(/\b3000:3000\b/g, `${port}:3000`)
    .replace(/jsondock-demo/g, demo)
    .replace(/\bjsondock(?=[-_](?:default|api|seed)\b)/g, project)

  const toPage = (output: string): string => output
    .split(demo).join('jsondock-demo')
    .split(project).join('jsondock')
    .split(dir).join('~/jsondock')
    .replace(new RegExp(`:${port}\\b`, 'g'), ':3000')

  const cleanup = async (): Promise<string[]> => {
    const notes: string[] = []
    const docker = async (...args: string[]): Promise<string> => (await run('docker', args, { timeoutMs: 120_000 })).stdout.trim()
    await run('docker', ['compose', '-p', project, '--profile', 'seed', 'down', '-v', '--remove-orphans', '--timeout', '3'], { cwd: dir, env, timeoutMs: 120_000 })
    if (await swarmActive()) {
      const stacks = (await docker('stack', 'ls', '--format', '{{.Name}}')).split('\n').filter((s) => s.includes(suffix))
      for (const stack of stacks) { await docker('stack', 'rm', stack); notes.push(`removed stack ${stack}`) }
      if (!swarmBefore && startedSwarm) {
        await docker('swarm', 'leave', '--force')
        notes.push('left the swarm the examples started')
      }
    }
    const containers = (await docker('ps', '-aq', '--filter', `name=${suffix}`)).split('\n').filter(Boolean)
    if (containers.length > 0) { await docker('rm', '-f', ...containers); notes.push(`removed ${containers.length} container(s)`) }
    // Swarm tasks take a moment to go; wait for them before removing their networks.
    for (const started = Date.now(); Date.now() - started < 60_000 && (await docker('ps', '-aq', '--filter', `name=${suffix}`)) !== '';) await new Promise((resolve) => setTimeout(resolve, 500))
    const volumes = (await docker('volume', 'ls', '-q', '--filter', `name=${suffix}`)).split('\n').filter(Boolean)
    if (volumes.length > 0) { await docker('volume', 'rm', '-f', ...volumes); notes.push(`removed volume(s) ${volumes.join(', ')}`) }
    const networks = (await docker('network', 'ls', '--format', '{{.Name}}')).split('\n').filter((n) => n.includes(suffix))
    for (const network of networks) await docker('network', 'rm', network)
    // `docker swarm init` makes docker_gwbridge and `swarm leave` keeps it: remove it if the examples made it.
    if (startedSwarm && !gwbridgeBefore && !(await swarmActive()) && (await run('docker', ['network', 'rm', 'docker_gwbridge'])).code === 0) {
      notes.push('removed the docker_gwbridge network swarm init made')
    }
    // Registries the examples started (scripts/local-registry.sh keeps each in $TMPDIR/<name>) and did not stop.
    for (const name of (await readdir(tmpdir())).filter((n) => n.startsWith(demo) && existsSync(join(tmpdir(), n, 'config.yml')))) {
      await run('bash', [join(repoRoot, 'scripts', 'local-registry.sh'), 'stop', name])
      notes.push(`stopped registry ${name}`)
    }
    const images = (await docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')).split('\n').filter((i) => i.includes(suffix))
    if (images.length > 0) { await docker('image', 'rm', '-f', ...images); notes.push(`removed image tag(s) ${images.join(', ')}`) }
    // Files the container wrote belong to uid 1000; root removes them, anyone else asks the engine.
    await rm(root, { recursive: true, force: true }).catch(async () => {
      await run('docker', ['run', '--rm', '--user', '0', '-v', `${root}:/x`, '--entrypoint', 'rm', 'jsondock:0.1.0', '-rf', '/x/jsondock'])
      await rm(root, { recursive: true, force: true }).catch(() => notes.push(`could not remove ${root}`))
    })
    return notes
  }

  return { dir, port, project, suffix, swarmBefore, env, toCommand, toPage, cleanup }
}

/**
 * The pause before each block. A reader never starts the next block within a few milliseconds
 * of the last one; the harness would, and then meets a product bug a reader cannot: after a
 * request that keeps the event loop busy for ~100 ms (the first JSON Schema compiled by a fresh
 * process), @fastify/under-pressure may see an empty sample window, count it as an infinite
 * event-loop delay and answer the next requests within 100 ms with 503 /problems/overloaded
 * (plugins/protection.ts sampled every 100 ms then; it samples once a second now, so only a whole
 * second's stall empties a window). Commands inside one block still run back to back, as a pasted
 * block would.
 */
export const HUMAN_PAUSE_MS = 150

export interface ExampleOutcome {
  example: RunnableExample
  skipped?: string
  result?: BlockResult
  /** The output as the page shows it (port, names and paths put back). */
  output?: string
  problems: string[]
}

/**
 * What the page's service was doing when a block printed nothing (seen once on docs/api.md, not
 * reproduced since: `curl -s` is silent when no answer comes at all, so the block's own output
 * cannot say whether the container was restarting, gone, or not listening).
 */
async function serviceState (env: ExampleEnv): Promise<string> {
  const compose = async (...args: string[]): Promise<CommandResult> =>
    await run('docker', ['compose', '-p', env.project, ...args], { cwd: env.dir, env: env.env, timeoutMs: 30_000 })
  const ids = (await compose('ps', '-aq')).stdout.split('\n').filter(Boolean)
  const states = ids.length === 0
    ? 'no container of the project'
    : (await run('docker', ['inspect', '--format', '{{.Name}} {{.State.Status}} restarts={{.RestartCount}} oom={{.State.OOMKilled}} exit={{.State.ExitCode}} started={{.State.StartedAt}} health={{if .State.Health}}{{.State.Health.Status}}{{end}}', ...ids])).stdout.trim()
  const logged = await compose('logs', '--no-color', '--tail', '15')
  const logs = (logged.stdout + logged.stderr).trim().replace(ANSI_CODES, '').split('\n').map((line) => line.slice(0, 240))
  return `NOTE: the block printed nothing; the service at that moment (port ${env.port}):\n${states}\n--- docker compose logs --tail 15 ---\n${logs.join('\n')}`
}

/** Runs a file's runnable examples in order in one session; a failed example does not stop the rest. */
export async function runExamples (examples: RunnableExample[], env: ExampleEnv, onOutcome?: (o: ExampleOutcome) => void): Promise<ExampleOutcome[]> {
  const session = new ShellSession(env.dir, env.env)
  const outcomes: ExampleOutcome[] = []
  try {
    for (const example of examples) {
      let outcome: ExampleOutcome
      if (example.requires === 'swarm-free' && env.swarmBefore) {
        outcome = { example, skipped: 'the engine is already part of a swarm; these examples start and leave their own', problems: [] }
      } else if (example.requires !== undefined && example.requires !== 'swarm-free') {
        outcome = { example, problems: [`unknown requirement "${example.requires}"`] }
      } else if (session.dead) {
        outcome = { example, problems: ['not run: the shell session ended (an earlier example timed out)'] }
      } else {
        // Blocks start at a reader's pace, not back to back: see HUMAN_PAUSE_MS.
        await new Promise((resolve) => setTimeout(resolve, HUMAN_PAUSE_MS))
        const result = await session.run(env.toCommand(example.code), example.timeoutMs)
        const output = env.toPage(result.output)
        const problems: string[] = []
        if (result.timedOut) problems.push(`timed out after ${example.timeoutMs / 1000} s`)
        if (result.status !== example.exit) problems.push(`ended with status ${result.status}, expected ${example.exit}`)
        if (example.exit === 0 && result.failedCommands > 0 && !result.timedOut) problems.push(`${result.failedCommands} command(s) failed inside the example`)
        if (example.expected !== undefined) {
          const matched = matchOutput(example.expected, output)
          if (!matched.ok) problems.push(`output differs from ${example.file}:${example.expectedLine ?? example.line}: ${matched.reason}`)
        }
        if (problems.length > 0 && example.expected === undefined) problems.push(`output:\n${output}`)
        if (problems.length > 0 && output.trim() === '') problems.push(await serviceState(env))
        if (problems.length > 0 && output.includes('eventLoopDelay: Infinity')) {
          problems.push('NOTE: the service answered 503 /problems/overloaded with "eventLoopDelay: Infinity": @fastify/under-pressure ' +
            'counts a sample interval without any event-loop sample (a scheduling stall of the container, e.g. on a busy host) as an ' +
            'infinite delay; with sampleInterval 1000 ms in plugins/protection.ts that means the container got no CPU for a whole second.')
        }
        outcome = { example, result, output, problems }
      }
      outcomes.push(outcome)
      onOutcome?.(outcome)
    }
  } finally {
    session.kill()
  }
  return outcomes
}

// ---------------------------------------------------------------------------------------------
// Links and anchors
// ---------------------------------------------------------------------------------------------

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function headingAnchors (markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const withoutCode = blankCodeBlocks(markdown)
  for (const line of withoutCode.split('\n')) {
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (m === null) continue
    const text = (m[1] ?? '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links → their text
      .replace(/<[^>]+>/g, '') // inline HTML
    const base = text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    anchors.add(n === 0 ? base : `${base}-${n}`)
    seen.set(base, n + 1)
  }
  for (const m of withoutCode.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string)
  return anchors
}

/** The text with fenced code blocks blanked out (line numbers kept). */
function blankCodeBlocks (markdown: string): string {
  const lines = markdown.split('\n')
  for (const block of fencedBlocks(markdown)) {
    for (let i = block.line - 1; i < block.endLine && i < lines.length; i++) lines[i] = ''
  }
  return lines.join('\n')
}

export interface Link {
  file: string
  line: number
  target: string
}

/** Every link and image target of a Markdown text, outside code: inline, reference definitions, autolinks, HTML. */
export function markdownLinks (markdown: string, file: string): Link[] {
  const links: Link[] = []
  blankCodeBlocks(markdown).split('\n').forEach((raw, index) => {
    const line = raw.replace(/`[^`]*`/g, '') // inline code is not a link
    const add = (target: string): void => { links.push({ file, line: index + 1, target: target.trim() }) }
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[1] as string)
    const ref = /^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line)
    if (ref !== null) add(ref[1] as string)
    for (const m of line.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)) add(m[1] as string)
    for (const m of line.matchAll(/<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g)) add(m[1] as string)
  })
  return links
}

export interface LinkProblem {
  link: Link
  problem: string
}

/** Checks a link: relative targets (and their anchors) must exist; external ones must be well-formed. */
export function checkLink (link: Link): LinkProblem | undefined {
  const { target } = link
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    if (/^mailto:/i.test(target)) return /^mailto:[^@\s]+@[^@\s]+$/i.test(target) ? undefined : { link, problem: 'malformed mailto: link' }
    try {
      const url = new URL(target)
      if (!['http:', 'https:'].includes(url.protocol)) return { link, problem: `unexpected scheme ${url.protocol}` }
      if (url.hostname === '' || /\s/.test(target)) return { link, problem: 'malformed URL' }
      return undefined
    } catch {
      return { link, problem: 'malformed URL' }
    }
  }
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined]
  const fromDir = dirname(join(repoRoot, link.file))
  const path = pathPart === '' ? join(repoRoot, link.file) : resolve(fromDir, decodeURIComponent(pathPart))
  const relPath = relative(repoRoot, path).replace(/\/$/, '')
  if (relPath.startsWith('..')) return { link, problem: 'points outside the repository' }
  if (!existsSync(path)) {
    return { link, problem: `${relPath} does not exist` }
  }
  if (anchor !== undefined && anchor !== '') {
    if (!statSync(path).isFile() || !path.endsWith('.md')) return { link, problem: `anchor #${anchor} on a file that is not Markdown` }
    if (!headingAnchors(readFileSync(path, 'utf8')).has(decodeURIComponent(anchor))) {
      return { link, problem: `${relPath} has no heading for #${anchor}` }
    }
  }
  return undefined
}

/** Paths of the repository named in backticks (`app/app.ts`, `plugins/engine/`, `compose.yaml`). */
export function codePaths (markdown: string): Array<{ line: number, path: string }> {
  const found: Array<{ line: number, path: string }> = []
  blankCodeBlocks(markdown).split('\n').forEach((line, index) => {
    for (const m of line.matchAll(/`((?:app|plugins|schemas|test|docs|\.ci|volumes)\/[A-Za-z0-9_./-]*|Dockerfile|compose\.yaml|\.dockerignore|package\.json|tsconfig\.json)`/g)) {
      found.push({ line: index + 1, path: m[1] as string })
    }
  })
  return found
}

// ---------------------------------------------------------------------------------------------
// The configuration reference, generated from schemas/config.ts
// ---------------------------------------------------------------------------------------------

interface PropertySchema {
  type?: string
  default?: unknown
  description?: string
  minimum?: number
  maximum?: number
  minLength?: number
  pattern?: string
  anyOf?: Array<{ const?: unknown }>
}

function typeOf (schema: PropertySchema): string {
  if (schema.anyOf !== undefined) return `one of ${schema.anyOf.map((s) => `\`${String(s.const)}\``).join(', ')}`
  switch (schema.type) {
    case 'integer': {
      if (schema.minimum !== undefined && schema.maximum !== undefined) return `integer, ${schema.minimum}–${schema.maximum}`
      if (schema.minimum !== undefined) return `integer, ≥ ${schema.minimum}`
      return 'integer'
    }
    case 'boolean': return '`true` or `false`'
    case 'string': {
      if (schema.pattern !== undefined) return `string matching \`${schema.pattern}\``
      return schema.minLength !== undefined && schema.minLength > 0 ? 'non-empty string' : 'string'
    }
    default: return schema.type ?? 'any'
  }
}

function cell (text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/** The `ENV` values the Dockerfile's final stage sets, and the variables compose.yaml passes to `api`. */
export function containerSettings (): { image: Map<string, string>, compose: Map<string, string> } {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
  const finalStage = dockerfile.split(/^FROM /m).pop() ?? ''
  const image = new Map<string, string>()
  for (const m of finalStage.replace(/\\\n/g, ' ').matchAll(/^ENV\s+(.+)$/gm)) {
    for (const pair of (m[1] as string).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) image.set(pair[1] as string, pair[2] as string)
  }
  const compose = new Map<string, string>()
  // `api` takes its environment from the x-jsondock block it shares with `check` (a YAML merge key).
  const file = parse(readFileSync(join(repoRoot, 'compose.yaml'), 'utf8'), { merge: true }) as { services: { api: { environment?: Record<string, unknown> } } }
  for (const [name, value] of Object.entries(file.services.api.environment ?? {})) compose.set(name, String(value))
  return { image, compose }
}

/** The configuration table, generated from ConfigSchema and the container files. */
export function renderConfigReference (): string {
  const properties = ConfigSchema.properties as unknown as Record<string, PropertySchema>
  const { image, compose } = containerSettings()
  const rows = ['| variable | type | default | in the container | meaning |', '|---|---|---|---|---|']
  for (const [name, schema] of Object.entries(properties)) {
    const def = schema.default === '' ? 'empty' : `\`${String(schema.default)}\``
    const container: string[] = []
    if (image.has(name)) container.push(`\`${image.get(name) ?? ''}\` (image)`)
    const composed = compose.get(name)
    if (composed !== undefined) {
      const passed = /^\$\{([A-Z_][A-Z0-9_]*):?-(.*)\}$/.exec(composed)
      container.push(passed === null
        ? `\`${composed}\` (compose.yaml)`
        : `from your shell, default ${passed[2] === '' ? 'empty' : `\`${passed[2] ?? ''}\``} (compose.yaml)`)
    }
    rows.push(`| \`${name}\` | ${cell(typeOf(schema))} | ${def} | ${cell(container.join('; ') || '—')} | ${cell(schema.description ?? '')} |`)
  }
  return rows.join('\n')
}

const CONFIG_START = '<!-- config:start (generated from schemas/config.ts by `npx tsx test/helpers/docs.ts config`; do not edit by hand) -->'
const CONFIG_END = '<!-- config:end -->'

/** The text between the config markers of docs/operations.md, or undefined when the markers are missing. */
export function configBlockOf (markdown: string): string | undefined {
  const start = markdown.indexOf('<!-- config:start')
  const end = markdown.indexOf(CONFIG_END)
  if (start < 0 || end < start) return undefined
  const afterStart = markdown.indexOf('-->', start) + 3
  return markdown.slice(afterStart, end).trim()
}

/** Rewrites the generated block of docs/operations.md from the schema. */
export async function writeConfigReference (file = join(repoRoot, 'docs', 'operations.md')): Promise<boolean> {
  const markdown = await readFile(file, 'utf8')
  const start = markdown.indexOf('<!-- config:start')
  const end = markdown.indexOf(CONFIG_END)
  if (start < 0 || end < start) throw new Error(`${file} has no ${CONFIG_END} markers`)
  const next = `${markdown.slice(0, start)}${CONFIG_START}\n${renderConfigReference()}\n${markdown.slice(end)}`
  if (next === markdown) return false
  await writeFile(file, next)
  return true
}

// ---------------------------------------------------------------------------------------------
// Command line: `npx tsx test/helpers/docs.ts config` | `npx tsx test/helpers/docs.ts run <file.md>…`
// ---------------------------------------------------------------------------------------------

async function main (argv: string[]): Promise<void> {
  const [command, ...files] = argv
  if (command === 'config') {
    const changed = await writeConfigReference()
    console.log(changed ? 'docs/operations.md: configuration reference regenerated' : 'docs/operations.md: already up to date')
    return
  }
  if (command === 'run') {
    // Prints every example's actual output as the page would show it: for writing and fixing the docs.
    for (const file of files.length > 0 ? files : EXAMPLE_FILES) {
      const examples = runnableExamples(await readFile(resolve(file), 'utf8'), file)
      const env = await prepareExampleEnv()
      try {
        await runExamples(examples, env, (o) => {
          console.log(`\n===== ${o.example.file}:${o.example.line} ${o.skipped !== undefined ? `SKIPPED (${o.skipped})` : o.problems.length === 0 ? 'ok' : 'FAILED'} ${o.result?.ms ?? 0} ms`)
          console.log(o.output ?? '')
          for (const p of o.problems) console.log(`!! ${p.split('\n--- actual')[0] ?? ''}`)
        })
      } finally {
        console.log(`cleanup: ${(await env.cleanup()).join('; ') || 'nothing left'}`)
      }
    }
    return
  }
  console.error('usage: npx tsx test/helpers/docs.ts config | run [file.md…]')
  process.exitCode = 2
}

if (require.main === module) void main(process.argv.slice(2))
