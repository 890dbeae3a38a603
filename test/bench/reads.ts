/**
 * W1 alone, beside bare Fastify: the quick loop for work on the read path.
 *
 *   npx tsx test/bench/reads.ts [--n 1000] [--run-sec 5] [--warmup-sec 2] [--runs 5]
 *                               [--bundle dist/server.js] [--bundle name=path ...] [--env name:KEY=VALUE ...]
 *
 * Seeds N documents, starts bare Fastify and each given jsondock bundle (as
 * shipped: LOG_LEVEL=info unless told otherwise, metrics on, load shedding
 * on) on one DATA_DIR, and runs W1 against them in rounds (bare, then each
 * bundle, again and again), so that every ratio is taken side by side. Prints
 * each run's CPU µs per request and the median ratio to bare Fastify's. Several
 * bundles (`--bundle before=/tmp/a/server.js --bundle after=dist/server.js`)
 * compare two versions of the code on the same machine at the same moment;
 * `--env warn:LOG_LEVEL=warn` sets a variable for the bundle of that name.
 * `npm run build` first for dist/server.js. It reports; it asserts nothing.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'
import { freePort, httpProbe, log, median, round, roundRobin, startNode, type Probe, type RunningProcess } from './lib'
import { seed } from './seed'
import { bareRequests, requestsFor } from './workloads'

const ROOT = resolve(__dirname, '..', '..')
const CONNECTIONS = 10

interface Bundle { name: string, path: string, env: Record<string, string> }

function args (): { n: number, runSec: number, warmupSec: number, runs: number, bundles: Bundle[] } {
  const argv = process.argv.slice(2)
  const get = (key: string): string | undefined => {
    const i = argv.indexOf(`--${key}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const bundles: Bundle[] = []
  argv.forEach((arg, i) => {
    if (arg !== '--bundle') return
    const value = argv[i + 1] ?? ''
    const eq = value.indexOf('=')
    bundles.push(eq > 0 ? { name: value.slice(0, eq), path: resolve(value.slice(eq + 1)), env: {} } : { name: 'jsondock', path: resolve(value), env: {} })
  })
  if (bundles.length === 0) bundles.push({ name: 'jsondock', path: join(ROOT, 'dist', 'server.js'), env: {} })
  argv.forEach((arg, i) => {
    if (arg !== '--env') return
    const [, name, key, value] = /^([^:]+):([^=]+)=(.*)$/.exec(argv[i + 1] ?? '') ?? []
    const bundle = bundles.find((b) => b.name === name)
    if (bundle === undefined || key === undefined) throw new Error(`--env ${argv[i + 1] ?? ''}: expected name:KEY=VALUE for one of the bundles`)
    bundle.env[key] = value ?? ''
  })
  return {
    n: Number(get('n') ?? 1000),
    runSec: Number(get('run-sec') ?? 5),
    warmupSec: Number(get('warmup-sec') ?? 2),
    runs: Number(get('runs') ?? 5),
    bundles
  }
}

async function main (): Promise<void> {
  const opts = args()
  const work = mkdtempSync(join(tmpdir(), 'jsondock-reads-'))
  const bare = join(work, 'bare-fastify.js')
  await build({ entryPoints: [join(__dirname, 'bare-fastify.ts')], bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, outfile: bare, logLevel: 'warning' })
  const dataDir = join(work, 'data')
  const { ids } = seed(join(dataDir, 'items'), join(work, 'db.json'), opts.n)
  // Files under 2 s old are "racy" and re-read on each request: let them age, as a steady state would.
  await sleep(3000)
  const procs: RunningProcess[] = []
  try {
    const bareProc = await startNode(bare)
    procs.push(bareProc)
    const probes: Probe[] = [httpProbe('bare', { url: bareProc.url, connections: CONNECTIONS, requests: bareRequests(ids) }, 10, bareProc.url + '/doc/x', bareProc.pid)]
    for (const b of opts.bundles) {
      // Each bundle gets its own copy of the data: several processes on one volume would share its locks and watchers.
      const own = join(work, `data-${b.name}`)
      cpSync(dataDir, own, { recursive: true, preserveTimestamps: true })
      const port = await freePort()
      const url = `http://127.0.0.1:${port}`
      const proc = await startNode(b.path, { env: { DATA_DIR: own, LOG_LEVEL: 'info', PORT: String(port), ...b.env }, url, probe: '/health/ready' })
      procs.push(proc)
      await (await fetch(`${url}/v1/collections/items/documents?limit=20`)).arrayBuffer()
      probes.push(httpProbe(b.name, { url, connections: CONNECTIONS, requests: requestsFor('jsondock', 'W1', ids, 42) }, 10, url + '/health/live', proc.pid))
    }
    log(`W1 at N = ${opts.n}, ${opts.runs} rounds of ${opts.runSec} s; load average ${loadavg().map((l) => round(l, 1)).join(' / ')}`)
    const perRound: Array<Record<string, number>> = []
    const results = await roundRobin(probes, { warmupSec: opts.warmupSec, runSec: opts.runSec, runs: opts.runs, timeoutSec: 10 }, (name, stats, r) => {
      (perRound[r] ??= {})[name] = stats.cpuUsPerOp ?? NaN
      log(`  round ${r + 1} ${name}: ${stats.rps} req/s, ${String(stats.cpuUsPerOp)} µs CPU/req${stats.non2xx > 0 ? `, ${stats.non2xx} non-2xx` : ''}`)
    })
    const out = [`\n| | req/s (median) | CPU µs/req (median) | CPU ÷ bare, per round | median ratio |`, '|---|---:|---:|---|---:|']
    for (const [name, m] of results) {
      const ratios = perRound.map((r) => (r[name] ?? NaN) / (r.bare ?? NaN))
      out.push(`| ${name} | ${round(m.rps)} | ${String(m.cpuUsPerOp)} | ${ratios.map((x) => round(x, 2)).join(', ')} | ${round(median(ratios), 2)}× |`)
    }
    process.stdout.write(out.join('\n') + `\n\nload average at the end ${loadavg().map((l) => round(l, 1)).join(' / ')}\n`)
  } finally {
    for (const p of procs) await p.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`reads: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
