/**
 * `npm run bench` — jsondock beside its ceilings and json-server, in one run.
 *
 * For each N (1,000, 10,000, 100,000; `--quick`: 1,000 and 10,000 with shorter runs):
 *   1. seed N ~300-byte documents as files (and the same N as json-server's db.json);
 *   2. baselines: bare Fastify (constant ~300-byte JSON), the disk's durable
 *      small-write ceiling with 1 and 10 writers;
 *   3. jsondock (the esbuild bundle, its own process, a fresh DATA_DIR):
 *      start-up to ready, first listing (index build), RSS, then W4 W5 W1 W3 W2;
 *   4. json-server 0.17 on the same data: W4 W5 W1 W3 W2.
 * Every HTTP figure is autocannon with 10 connections: a discarded warm-up,
 * then the median of 3 counted runs. Baselines are measured next to the
 * workloads they bound, so the ratios share the machine's mood of the moment.
 *
 * Writes docs/bench/results.json, docs/bench/*.svg and the generated part of
 * docs/performance.md (full mode), or the same into a temp folder (`--quick`,
 * unless `--out DIR`). It reports; it asserts nothing.
 *
 * Options: --quick, --n 1000,10000, --run-sec 5, --warmup-sec 3, --runs 3,
 *          --out DIR, --dir DIR (where DATA_DIRs go; default the OS temp dir), --keep,
 *          --log-level LEVEL (of the measured process; default info, as shipped).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'
import { DISK_THREADPOOL, diskProbe } from './disk'
import {
  freePort, httpProbe, log, memoryOf, prng, round, roundRobin, startNode,
  type LoadSpec, type Measurement, type Probe, type RunningProcess, type Schedule
} from './lib'
import { writeReport } from './report'
import type { Block, Results, ServerBlock, Sizes } from './results'
import { replicaProbes } from './replicas'
import { fileBytes, makeDoc, seed } from './seed'
import { bareRequests, describeRequest, requestsFor, RUN_ORDER, WORKLOADS, type ServerKind, type WorkloadId } from './workloads'

const ROOT = resolve(__dirname, '..', '..')
const CONNECTIONS = 10
/** How old the seeded files must be before jsondock first reads them (its racy window is 2 s). */
const SETTLE_MS = 3000
/** How long the idle process is watched for its resident memory to settle. */
const IDLE_SETTLE_MS = 30_000

interface Options {
  quick: boolean
  ns: number[]
  schedule: Schedule
  out: string
  dir: string
  keep: boolean
  skipBuild: boolean
  /** LOG_LEVEL of the measured process: the shipped default, info, unless --log-level says otherwise. */
  logLevel: string
  /** Whether the service builds its listing indexes in the background after start (seen on an empty DATA_DIR). */
  backgroundIndexBuild: boolean
}

function parseArgs (argv: string[]): Options {
  const flags = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) continue
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined]
    const next = argv[i + 1]
    if (inline !== undefined) flags.set(key, inline)
    else if (next !== undefined && !next.startsWith('--') && !['quick', 'keep', 'skip-build'].includes(key)) { flags.set(key, next); i++ } else flags.set(key, true)
  }
  const quick = flags.has('quick')
  const num = (key: string, fallback: number): number => {
    const v = flags.get(key)
    return typeof v === 'string' ? Number(v) : fallback
  }
  const nsFlag = flags.get('n')
  const ns = typeof nsFlag === 'string' ? nsFlag.split(',').map((s) => Number(s.replace(/_/g, ''))) : quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]
  const outFlag = flags.get('out')
  const dirFlag = flags.get('dir')
  return {
    quick,
    ns,
    schedule: {
      warmupSec: num('warmup-sec', quick ? 1 : 3),
      runSec: num('run-sec', quick ? 2 : 5),
      runs: num('runs', 3),
      timeoutSec: num('timeout-sec', 10)
    },
    out: typeof outFlag === 'string' ? resolve(outFlag) : quick ? join(tmpdir(), 'jsondock-bench-quick') : join(ROOT, 'docs'),
    dir: typeof dirFlag === 'string' ? resolve(dirFlag) : tmpdir(),
    keep: flags.has('keep'),
    skipBuild: flags.has('skip-build'),
    logLevel: typeof flags.get('log-level') === 'string' ? flags.get('log-level') as string : 'info',
    backgroundIndexBuild: false
  }
}

function sh (cmd: string, args: string[], cwd = ROOT): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

function dirBytes (dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size
  }
  return total
}

function filesystemOf (path: string): { type: string, device: string } {
  let best = { mount: '', type: 'unknown', device: 'unknown' }
  try {
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [device, mount, type] = line.split(' ')
      if (device === undefined || mount === undefined || type === undefined) continue
      if ((path === mount || path.startsWith(mount.endsWith('/') ? mount : mount + '/')) && mount.length > best.mount.length) {
        best = { mount, type, device }
      }
    }
  } catch { /* not Linux */ }
  return { type: best.type, device: best.device }
}

function imageSizes (): Sizes['image'] {
  const name = 'jsondock:0.1.0'
  const base = 'node:26-alpine'
  const probe = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' })
  if (probe.status !== 0) return { available: false, reason: 'no Docker engine reachable (docker version failed)' }
  const inspect = (ref: string, format: string): string | undefined => {
    const r = spawnSync('docker', ['image', 'inspect', ref, '--format', format], { encoding: 'utf8' })
    return r.status === 0 ? r.stdout.trim() : undefined
  }
  const imageBytes = inspect(name, '{{.Size}}')
  const baseBytes = inspect(base, '{{.Size}}')
  if (imageBytes === undefined) return { available: false, reason: `image ${name} not built (run: docker build -t ${name} .)` }
  if (baseBytes === undefined) return { available: false, reason: `base image ${base} not present` }
  const baseId = inspect(base, '{{.Id}}')
  const standInId = inspect('jsondock-ci/node-standin:26', '{{.Id}}')
  return {
    available: true,
    name,
    base,
    imageBytes: Number(imageBytes),
    baseBytes: Number(baseBytes),
    addedBytes: Number(imageBytes) - Number(baseBytes),
    baseIsStandIn: baseId !== undefined && baseId === standInId,
    imageCreated: inspect(name, '{{.Created}}') ?? ''
  }
}

/** Bundles the helper processes (bare Fastify, the disk writer) like the service itself: one CJS file each. */
async function bundleHelpers (outDir: string): Promise<{ bare: string, diskWriter: string }> {
  const one = async (entry: string, name: string): Promise<string> => {
    const outfile = join(outDir, name)
    await build({
      entryPoints: [join(__dirname, entry)],
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      outfile,
      logLevel: 'warning'
    })
    return outfile
  }
  return { bare: await one('bare-fastify.ts', 'bare-fastify.js'), diskWriter: await one('disk-writer.ts', 'disk-writer.js') }
}

function describe (m: Measurement, unit = 'req/s'): string {
  return `${m.rps} ${unit}  p50 ${m.p50} ms  p99 ${m.p99} ms  ${m.cpuUsPerOp ?? '?'} µs CPU/op  (runs ${m.runs.map((r) => r.rps).join(', ')})` +
    (m.notes.length > 0 ? '  ! ' + m.notes.join('; ') : '')
}

function emptyServerBlock (): ServerBlock {
  return {
    startup: {
      readyMs: NaN,
      indexBuiltMs: null,
      indexBuildServerMs: null,
      indexedDocuments: null,
      rssIndexedMB: null,
      firstListingMs: null,
      rssAfterMB: null,
      hwmAfterMB: null,
      stop: null
    },
    workloads: {},
    failures: {}
  }
}

async function stopTimed (proc: RunningProcess): Promise<{ code: number | null, signal: string | null, ms: number }> {
  const t0 = performance.now()
  const { code, signal } = await proc.stop()
  return { code, signal, ms: round(performance.now() - t0) }
}

function workloadProbe (kind: ServerKind, w: WorkloadId, url: string, ids: string[], options: Options, drainPath: string, pid: number): Probe {
  const spec: LoadSpec = { url, connections: CONNECTIONS, requests: requestsFor(kind, w, ids, 42 + WORKLOADS.indexOf(w)) }
  return httpProbe(w, spec, options.schedule.timeoutSec, url + drainPath, pid)
}

const INDEX_BUILT = 'listing index built'

interface StartupRun {
  readyMs: number
  indexLine: { ms: number, serverMs: number | null, documents: number | null } | null
  /** VmRSS 1 s after the index was built (or after the wait for it). */
  rssIndexedMB: number | null
  /** With `settleMs`: VmRSS at the end of that idle time (V8 gives back its young generation a few seconds after start-up). */
  rssSettledMB: number | null
}

/**
 * Start-up on its own process (LOG_LEVEL=info, no load): spawn → /health/ready,
 * then the log line of the background index build, then resident memory.
 * When `lazy` (no background build), the first listing builds the index instead.
 */
async function measureStartup (bundle: string, dataDir: string, waitForIndexMs: number, settleMs = 0): Promise<StartupRun> {
  const port = await freePort()
  let seen: { ms: number, serverMs: number | null, documents: number | null } | null = null
  const proc = await startNode(bundle, {
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'info', PORT: String(port) },
    url: `http://127.0.0.1:${port}`,
    probe: '/health/ready',
    pollMs: 2,
    onLine: (line, at) => {
      if (seen !== null || !line.includes(INDEX_BUILT)) return
      let parsed: { ms?: number, documents?: number } = {}
      try { parsed = JSON.parse(line) as typeof parsed } catch { /* not JSON */ }
      seen = { ms: at, serverMs: parsed.ms ?? null, documents: parsed.documents ?? null }
    }
  })
  try {
    const readyMs = round(proc.readyAt - proc.spawnedAt, 1)
    const deadline = performance.now() + waitForIndexMs
    while (seen === null && performance.now() < deadline) await sleep(20)
    const line = seen as StartupRun['indexLine']
    await sleep(1000)
    const rssIndexedMB = memoryOf(proc.pid)?.rssMB ?? null
    let rssSettledMB = rssIndexedMB
    if (settleMs > 0) {
      await sleep(settleMs)
      rssSettledMB = memoryOf(proc.pid)?.rssMB ?? null
    }
    return {
      readyMs,
      indexLine: line === null ? null : { ms: round(line.ms - proc.spawnedAt), serverMs: line.serverMs, documents: line.documents },
      rssIndexedMB,
      rssSettledMB: settleMs > 0 ? rssSettledMB : null
    }
  } finally {
    await proc.stop()
  }
}

async function runBlock (n: number, options: Options, root: string, bundle: string, helpers: { bare: string, diskWriter: string }): Promise<Block> {
  const blockStarted = performance.now()
  const blockDir = join(root, `n${n}`)
  const dataDir = join(blockDir, 'data')
  const diskRoot = join(blockDir, 'disk')
  const dbFile = join(blockDir, 'json-server', 'db.json')
  mkdirSync(join(blockDir, 'json-server'), { recursive: true })
  mkdirSync(diskRoot, { recursive: true })
  log(`N = ${n.toLocaleString('en')}: seeding ${n} documents as files and as json-server's db.json`)
  const seeded = seed(join(dataDir, 'items'), dbFile, n)
  log(`  seeded in ${round(seeded.ms / 1000, 1)} s, ${round(seeded.bytes / n)} bytes per document file`)
  const ids = seeded.ids
  const seededAt = performance.now()
  // The ceiling is only a ceiling for DATA_DIR if it is measured on the same file system.
  const sameDevice = statSync(diskRoot).dev === statSync(dataDir).dev

  let bare: Measurement | null = null
  const bareRss: { idle: number | null, after: number | null } = { idle: null, after: null }
  let writers1: Measurement | undefined
  let writers10: Measurement | undefined
  const jsondock = emptyServerBlock()
  const bareProc = await startNode(helpers.bare)
  try {
    // ---- jsondock: start-up, then reads beside bare Fastify, then writes beside the disk ----
    // A file whose mtime is under 2 s old when read is cached as "racy" and
    // re-read on its next request (storage.md). Freshly seeded files would all
    // be, which no steady-state service sees: index them once they are older.
    await sleep(Math.max(0, seededAt + SETTLE_MS - performance.now()))
    const start = await measureStartup(bundle, dataDir, options.backgroundIndexBuild ? 120_000 + n : 0)
    jsondock.startup.readyMs = start.readyMs
    jsondock.startup.indexBuiltMs = start.indexLine?.ms ?? null
    jsondock.startup.indexBuildServerMs = start.indexLine?.serverMs ?? null
    jsondock.startup.indexedDocuments = start.indexLine?.documents ?? null
    jsondock.startup.rssIndexedMB = start.rssIndexedMB
    log(`  jsondock start-up: ready in ${start.readyMs} ms; index built ${start.indexLine === null ? 'lazily (no log line)' : `${start.indexLine.ms} ms after spawn (server: ${String(start.indexLine.serverMs)} ms, ${String(start.indexLine.documents)} documents)`}; RSS ${String(start.rssIndexedMB)} MB`)

    // The measured process, logging as shipped (LOG_LEVEL=info: a JSON line per request and
    // per answer, drained by this runner). The port is chosen here and readiness is the first
    // 200 from /health/ready.
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const proc = await startNode(bundle, {
      env: { DATA_DIR: dataDir, LOG_LEVEL: options.logLevel, PORT: String(port) },
      url,
      probe: '/health/ready',
      pollMs: 2
    })
    try {
      // The first listing, the moment the service is ready: it waits for (or does) the index build.
      const t0 = performance.now()
      const res = await fetch(`${url}/v1/collections/items/documents?limit=20`)
      await res.arrayBuffer()
      jsondock.startup.firstListingMs = res.status === 200 ? round(performance.now() - t0, 1) : null
      if (!options.backgroundIndexBuild) jsondock.startup.rssIndexedMB = (await sleep(1000), memoryOf(proc.pid)?.rssMB ?? null)
      log(`  jsondock: first listing at ready answered in ${String(jsondock.startup.firstListingMs)} ms (ready after ${round(proc.readyAt - proc.spawnedAt)} ms)`)

      bareRss.idle = memoryOf(bareProc.pid)?.rssMB ?? null
      log('  reads, in rounds: bare Fastify, W1, W4, W5')
      try {
        const reads = await roundRobin([
          httpProbe('bare', { url: bareProc.url, connections: CONNECTIONS, requests: bareRequests(ids) }, options.schedule.timeoutSec, bareProc.url + '/doc/x', bareProc.pid),
          ...(['W1', 'W4', 'W5'] as WorkloadId[]).map((w) => workloadProbe('jsondock', w, url, ids, options, '/health/live', proc.pid))
        ], options.schedule)
        bare = reads.get('bare') ?? null
        if (bare !== null) log(`    bare Fastify: ${describe(bare)}`)
        for (const w of ['W1', 'W4', 'W5'] as WorkloadId[]) {
          const m = reads.get(w)
          if (m !== undefined) { jsondock.workloads[w] = m; log(`    jsondock ${w}: ${describe(m)}`) }
        }
      } catch (err) {
        for (const w of ['W1', 'W4', 'W5'] as WorkloadId[]) jsondock.failures[w] = (err as Error).message
        log(`    reads FAILED: ${(err as Error).message}`)
      }
      bareRss.after = memoryOf(bareProc.pid)?.rssMB ?? null
      await bareProc.stop()

      log('  writes, in rounds: disk 1 writer, disk 10 writers, W3, W2')
      const payload = Buffer.from(fileBytes(makeDoc(1, prng(7))))
      try {
        const writes = await roundRobin([
          diskProbe('disk1', helpers.diskWriter, diskRoot, 1, payload),
          diskProbe('disk10', helpers.diskWriter, diskRoot, 10, payload),
          ...(['W3', 'W2'] as WorkloadId[]).map((w) => workloadProbe('jsondock', w, url, ids, options, '/health/live', proc.pid)),
          // Latency with no one to share a folder fsync with: group commit's cost at 1 client.
          httpProbe('W2 1 client', { url, connections: 1, requests: requestsFor('jsondock', 'W2', ids, 77) }, options.schedule.timeoutSec, url + '/health/live', proc.pid)
        ], options.schedule)
        jsondock.oneClient = writes.get('W2 1 client')
        if (jsondock.oneClient !== undefined) log(`    jsondock W2 at 1 client: ${describe(jsondock.oneClient)}`)
        writers1 = writes.get('disk1')
        writers10 = writes.get('disk10')
        if (writers1 !== undefined) log(`    disk, 1 writer: ${describe(writers1, 'writes/s')}`)
        if (writers10 !== undefined) log(`    disk, 10 writers: ${describe(writers10, 'writes/s')}`)
        for (const w of ['W3', 'W2'] as WorkloadId[]) {
          const m = writes.get(w)
          if (m !== undefined) { jsondock.workloads[w] = m; log(`    jsondock ${w}: ${describe(m)}`) }
        }
      } catch (err) {
        for (const w of ['W3', 'W2'] as WorkloadId[]) jsondock.failures[w] = (err as Error).message
        log(`    writes FAILED: ${(err as Error).message}`)
      }
      const after = memoryOf(proc.pid)
      jsondock.startup.rssAfterMB = after?.rssMB ?? null
      jsondock.startup.hwmAfterMB = after?.hwmMB ?? null

      log('  replicas: 3 processes on one DATA_DIR, next to 1, in rounds')
      const extra: RunningProcess[] = []
      try {
        for (let i = 0; i < 2; i++) {
          const p = await freePort()
          extra.push(await startNode(bundle, { env: { DATA_DIR: dataDir, LOG_LEVEL: options.logLevel, PORT: String(p) }, url: `http://127.0.0.1:${p}`, probe: '/health/ready', pollMs: 5 }))
        }
        const replicas = [{ url, pid: proc.pid }, ...extra.map((e) => ({ url: e.url, pid: e.pid }))]
        const measured = await roundRobin(replicaProbes(replicas, ids, CONNECTIONS, options.schedule.timeoutSec), options.schedule)
        jsondock.replicas = Object.fromEntries(measured)
        for (const [name, m] of measured) log(`    ${name}: ${describe(m)}`)
      } catch (err) {
        log(`    replicas FAILED: ${(err as Error).message}`)
      } finally {
        for (const e of extra) await e.stop()
      }
    } finally {
      jsondock.startup.stop = await stopTimed(proc)
    }
  } finally {
    await bareProc.stop()
  }

  // ---- json-server 0.17, on the same documents: one workload at a time ----
  const jsonServer = emptyServerBlock()
  {
    const port = await freePort()
    const bin = join(ROOT, 'node_modules', 'json-server', 'lib', 'cli', 'bin.js')
    const url = `http://127.0.0.1:${port}`
    let proc: RunningProcess | undefined
    try {
      proc = await startNode(bin, {
        args: [dbFile, '--port', String(port), '--host', '127.0.0.1', '--quiet'],
        cwd: join(blockDir, 'json-server'),
        url,
        probe: '/items?_limit=1',
        timeoutMs: 300_000
      })
      jsonServer.startup.readyMs = round(proc.readyAt - proc.spawnedAt, 1)
      jsonServer.startup.rssIndexedMB = memoryOf(proc.pid)?.rssMB ?? null
      log(`  json-server: ready in ${jsonServer.startup.readyMs} ms, RSS ${jsonServer.startup.rssIndexedMB} MB`)
      for (const w of RUN_ORDER) {
        try {
          const m = (await roundRobin([workloadProbe('json-server', w, url, ids, options, '/items?_limit=1', proc.pid)], options.schedule)).get(w)
          if (m !== undefined) { jsonServer.workloads[w] = m; log(`    json-server ${w}: ${describe(m)}`) }
        } catch (err) {
          jsonServer.failures[w] = (err as Error).message
          log(`    json-server ${w}: FAILED ${(err as Error).message}`)
        }
      }
      const after = memoryOf(proc.pid)
      jsonServer.startup.rssAfterMB = after?.rssMB ?? null
      jsonServer.startup.hwmAfterMB = after?.hwmMB ?? null
    } catch (err) {
      for (const w of WORKLOADS) if (jsonServer.workloads[w] === undefined) jsonServer.failures[w] ??= (err as Error).message
      log(`  json-server: FAILED ${(err as Error).message}`)
    } finally {
      if (proc !== undefined) jsonServer.startup.stop = await stopTimed(proc)
    }
  }

  if (!options.keep) rmSync(blockDir, { recursive: true, force: true })
  if (writers1 === undefined || writers10 === undefined) throw new Error('the disk baseline could not be measured')
  return {
    n,
    seed: { ms: round(seeded.ms), bytesPerDoc: round(seeded.bytes / n) },
    baselines: { bareFastify: bare, bareFastifyRssMB: bareRss, disk: { writers1, writers10, sameDevice, threadpool: DISK_THREADPOOL } },
    jsondock,
    jsonServer,
    seconds: round((performance.now() - blockStarted) / 1000, 1)
  }
}

async function main (): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const startedAt = new Date()
  const t0 = performance.now()
  const loadAvgStart = loadavg().map((v) => round(v, 2))
  log(`mode ${options.quick ? 'quick' : 'full'}: N = ${options.ns.join(', ')}; ${CONNECTIONS} connections, ` +
    `warm-up ${options.schedule.warmupSec} s, ${options.schedule.runs} × ${options.schedule.runSec} s counted; output → ${options.out}`)

  if (!options.skipBuild) {
    log('building the bundle (npm run build)')
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
    if (built.status !== 0) throw new Error('npm run build failed')
  }
  const built = join(ROOT, 'dist', 'server.js')
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build`)

  mkdirSync(options.dir, { recursive: true })
  const root = mkdtempSync(join(options.dir, 'jsondock-bench-'))
  // Run a copy: a concurrent `npm run build` must not swap the bundle in the middle of the run.
  cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true })
  const bundle = join(root, 'dist', 'server.js')
  const helpers = await bundleHelpers(join(root, 'helpers'))
  const fsInfo = filesystemOf(root)

  const sizes: Sizes = {
    bundleBytes: statSync(bundle).size,
    staticBytes: dirBytes(join(root, 'dist', 'static')),
    image: imageSizes()
  }
  log(`bundle ${round(sizes.bundleBytes / 1024)} KiB (+ ${round(sizes.staticBytes / 1024)} KiB static); image: ${sizes.image.available ? `${round((sizes.image.addedBytes ?? 0) / 1e6, 1)} MB above ${sizes.image.base ?? ''}` : sizes.image.reason ?? ''}`)

  let commit = 'unknown'
  let dirty = false
  try {
    commit = sh('git', ['rev-parse', '--short', 'HEAD'])
    dirty = sh('git', ['status', '--porcelain', '--', 'app', 'plugins', 'schemas']) !== ''
  } catch { /* not a checkout */ }

  // Idle: the service on an empty DATA_DIR (nothing to index), after start.
  const emptyDir = join(root, 'empty')
  mkdirSync(emptyDir, { recursive: true })
  const idleRun = await measureStartup(bundle, emptyDir, 5000, IDLE_SETTLE_MS)
  options.backgroundIndexBuild = idleRun.indexLine !== null
  const idle = {
    readyMs: idleRun.readyMs,
    rssMB: idleRun.rssSettledMB,
    rssAfterStartMB: idleRun.rssIndexedMB,
    settleSec: IDLE_SETTLE_MS / 1000,
    backgroundIndexBuild: options.backgroundIndexBuild
  }
  log(`idle (empty DATA_DIR): ready in ${idle.readyMs} ms, RSS ${String(idle.rssAfterStartMB)} MB 1 s after start, ` +
    `${String(idle.rssMB)} MB after ${idle.settleSec} s idle; index built ${options.backgroundIndexBuild ? 'in the background after start' : 'on first listing'}`)

  const blocks: Block[] = []
  const failedBlocks: Array<{ n: number, error: string }> = []
  try {
    for (const n of options.ns) {
      // One N that cannot be measured must not throw away the others: it is reported instead.
      try {
        const block = await runBlock(n, options, root, bundle, helpers)
        blocks.push(block)
        log(`N = ${n.toLocaleString('en')} done in ${block.seconds} s`)
      } catch (err) {
        failedBlocks.push({ n, error: (err as Error).message })
        log(`N = ${n.toLocaleString('en')} FAILED: ${(err as Error).stack ?? String(err)}`)
      }
    }
  } finally {
    if (!options.keep) rmSync(root, { recursive: true, force: true })
    else log(`kept ${root}`)
  }

  const requests: Results['meta']['requests'] = {}
  for (const kind of ['jsondock', 'json-server'] as ServerKind[]) {
    requests[kind] = Object.fromEntries(WORKLOADS.map((w) => [w, describeRequest(kind, w)])) as Record<WorkloadId, string>
  }
  const results: Results = {
    meta: {
      tool: 'npm run bench (test/bench/run.ts), autocannon 9',
      mode: options.quick ? 'quick' : 'full',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      totalSeconds: round((performance.now() - t0) / 1000, 1),
      node: process.version,
      platform: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAvgStart,
      loadAvgEnd: loadavg().map((v) => round(v, 2)),
      memTotalMB: round(totalmem() / 1e6),
      git: { commit, dirty },
      filesystem: { benchRoot: options.dir, type: fsInfo.type, device: fsInfo.device },
      schedule: { connections: CONNECTIONS, ...options.schedule },
      logLevel: options.logLevel,
      ns: options.ns,
      failedBlocks,
      requests
    },
    sizes,
    idle,
    blocks
  }
  if (blocks.length === 0) throw new Error(`no N could be measured: ${failedBlocks.map((f) => `${f.n}: ${f.error}`).join('; ')}`)
  const written = await writeReport(results, options.out)
  log(`done in ${round(results.meta.totalSeconds / 60, 1)} min; wrote ${written.join(', ')}`)
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
