/**
 * CPU profile of jsondock's hot paths under load:
 *
 *   npx tsx test/bench/profile.ts [--n 100000] [--seconds 10] [--workloads W1,W4,W3,W5]
 *
 * Builds an unminified bundle with a source map (so frames name their source
 * file and line), seeds N documents, and for each workload starts the bundle
 * with `node --cpu-prof`, loads the index, drives the workload with
 * autocannon (10 connections), stops the process with SIGTERM (which writes
 * the profile) and prints the functions with the most self time, mapped back
 * to the TypeScript sources and node_modules packages. The .cpuprofile files
 * are kept (open them in Chrome DevTools or speedscope).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, cpSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'
import { cannonOnce, freePort, log, round, startNode } from './lib'
import { seed } from './seed'
import { requestsFor, WORKLOAD_NAMES, type WorkloadId } from './workloads'

const ROOT = resolve(__dirname, '..', '..')

interface CpuProfile {
  nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }, children?: number[] }>
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

function args (): { n: number, seconds: number, workloads: WorkloadId[], top: number, out: string } {
  const argv = process.argv.slice(2)
  const get = (key: string): string | undefined => {
    const i = argv.indexOf(`--${key}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  return {
    n: Number(get('n') ?? 100_000),
    seconds: Number(get('seconds') ?? 10),
    workloads: (get('workloads') ?? 'W1,W4,W3,W5').split(',') as WorkloadId[],
    top: Number(get('top') ?? 15),
    out: resolve(get('out') ?? mkdtempSync(join(tmpdir(), 'jsondock-profile-')))
  }
}

/** Where a bundle position came from: a source file of ours, a package, or Node itself. */
function origin (map: SourceMap | undefined, url: string, line: number, column: number): { where: string, area: string } {
  if (!url.includes('server.js') || map === undefined) {
    if (url === '') return { where: '(native)', area: '(native / V8)' }
    const short = url.replace(/^node:/, 'node:')
    return { where: short, area: short.startsWith('node:') ? 'node: core' : short }
  }
  const entry = map.findEntry(line, column) as { originalSource?: string, originalLine?: number }
  const source = entry.originalSource === undefined ? 'bundle' : relative(ROOT, entry.originalSource.replace(/^file:\/\//, ''))
  const where = `${source}:${(entry.originalLine ?? 0) + 1}`
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1]
  return { where, area: pkg !== undefined ? pkg : source.split('/').slice(0, 2).join('/') }
}

/**
 * Self time per function over the samples taken between `fromUs` and `toUs`
 * (CLOCK_MONOTONIC in µs: V8's profile clock and process.hrtime share it on
 * Linux), so start-up and the index build stay out of a workload's profile.
 */
function analyze (profile: CpuProfile, map: SourceMap | undefined, top: number, fromUs: number, toUs: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parentOf = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id)
  const selfUs = new Map<number, number>()
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0
    t += delta
    if (t < fromUs || t > toUs) continue
    const id = profile.samples[i] as number
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0)
  const busy = total - idle
  const fns = new Map<string, { us: number, where: string }>()
  const areas = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (node === undefined) continue
    const { functionName, url, lineNumber, columnNumber } = node.callFrame
    if (functionName === '(idle)') continue
    const { where, area } = origin(map, url, lineNumber, columnNumber)
    const name = functionName === '' ? '(anonymous)' : functionName
    const key = `${name} @ ${where}`
    const cur = fns.get(key) ?? { us: 0, where }
    cur.us += us
    fns.set(key, cur)
    const areaKey = functionName.startsWith('(') ? functionName : area
    areas.set(areaKey, (areas.get(areaKey) ?? 0) + us)
  }
  const pct = (us: number): string => `${round((100 * us) / busy, 1)} %`
  const lines: string[] = [
    `${round(total / 1e6, 1)} s of samples under load; the main thread busy (not idle) ${round(busy / 1e6, 1)} s = ${round((100 * busy) / total)} %`,
    '',
    '| self time (% of busy) | function | where |',
    '|---:|---|---|'
  ]
  for (const [key, { us, where }] of [...fns].sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
    lines.push(`| ${pct(us)} | \`${key.split(' @ ')[0] ?? ''}\` | ${where} |`)
  }
  lines.push('', '| self time by area | % of busy |', '|---|---:|')
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 14)) lines.push(`| ${area} | ${pct(us)} |`)

  // Native frames (fs bindings, socket writes) say what ran, not who asked for it: charge
  // every sample to the nearest frame up its stack that is our source or a package.
  const askers = new Map<string, number>()
  const askerOf = new Map<number, string>()
  const asker = (id: number): string => {
    const known = askerOf.get(id)
    if (known !== undefined) return known
    let result: string | undefined
    for (let cur: number | undefined = id; cur !== undefined && result === undefined; cur = parentOf.get(cur)) {
      const node = byId.get(cur)
      if (node === undefined) break
      const { url, lineNumber, columnNumber, functionName } = node.callFrame
      if (!url.includes('server.js')) continue
      const { where, area } = origin(map, url, lineNumber, columnNumber)
      if (where.startsWith('bundle')) continue
      result = where.includes('node_modules') ? area : `${functionName === '' ? '(anonymous)' : functionName} (${where.replace(/:\d+$/, '')})`
    }
    const name = result ?? `(no caller of ours: ${byId.get(id)?.callFrame.functionName ?? '?'})`
    askerOf.set(id, name)
    return name
  }
  for (const [id, us] of selfUs) {
    if (byId.get(id)?.callFrame.functionName === '(idle)') continue
    const who = asker(id)
    askers.set(who, (askers.get(who) ?? 0) + us)
  }
  lines.push('', '| time charged to the nearest caller in our code or a package | % of busy |', '|---|---:|')
  for (const [who, us] of [...askers].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`| ${who} | ${pct(us)} |`)
  return lines.join('\n')
}

async function main (): Promise<void> {
  const opts = args()
  mkdirSync(opts.out, { recursive: true })
  const bundleDir = join(opts.out, 'bundle')
  log(`unminified bundle with source map → ${bundleDir}`)
  await build({
    entryPoints: [join(ROOT, 'app', 'server.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: true,
    keepNames: true,
    outfile: join(bundleDir, 'server.js'),
    logLevel: 'warning'
  })
  cpSync(join(ROOT, 'node_modules', '@fastify', 'swagger-ui', 'static'), join(bundleDir, 'static'), { recursive: true })
  // The file-lock addon sits beside the bundle, as `npm run build` places it (plugins/engine/lock-binding.ts).
  const platform = `${process.platform}-${process.arch}`
  cpSync(join(ROOT, 'node_modules', 'fs-native-extensions', 'prebuilds', platform), join(bundleDir, 'native', platform), { recursive: true })
  const map = new SourceMap(JSON.parse(readFileSync(join(bundleDir, 'server.js.map'), 'utf8')))

  const dataRoot = join(opts.out, 'data')
  log(`seeding ${opts.n} documents`)
  const { ids } = seed(join(dataRoot, 'items'), join(opts.out, 'db.json'), opts.n)
  // Files under 2 s old are cached as "racy" and re-read on their next request; let them age first.
  await sleep(3000)

  for (const w of opts.workloads) {
    const profDir = join(opts.out, `profile-${w}`)
    rmSync(profDir, { recursive: true, force: true })
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const proc = await startNode(join(bundleDir, 'server.js'), {
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--enable-source-maps'],
      env: { DATA_DIR: dataRoot, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', PORT: String(port) },
      url,
      probe: '/health/ready'
    })
    const res = await fetch(`${url}/v1/collections/items/documents?limit=20`)
    await res.arrayBuffer()
    const spec = { url, connections: 10, requests: requestsFor('jsondock', w, ids, 7) }
    await cannonOnce(spec, 3, 10)
    const fromUs = Number(process.hrtime.bigint() / 1000n)
    const stats = await cannonOnce(spec, opts.seconds, 10)
    const toUs = Number(process.hrtime.bigint() / 1000n)
    const { code } = await proc.stop()
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
    process.stdout.write(`\n### ${w} ${WORKLOAD_NAMES[w]} at N = ${opts.n.toLocaleString('en-US')}\n\n` +
      `${stats.rps} req/s, p50 ${stats.p50} ms, p99 ${stats.p99} ms under the profiler` +
      `${stats.otherStatus === undefined ? '' : `; non-2xx: ${JSON.stringify(stats.otherStatus)}`}; exit code ${String(code)}\n`)
    if (file === undefined) {
      process.stdout.write('no profile written\n')
      continue
    }
    const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile
    process.stdout.write(analyze(profile, map, opts.top, fromUs, toUs) + `\n\nprofile: ${join(profDir, file)}\n`)
  }
  rmSync(dataRoot, { recursive: true, force: true })
}

main().catch((err: unknown) => {
  process.stderr.write(`profile: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
