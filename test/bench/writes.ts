/**
 * The write half of the benchmark alone, for working on the write path:
 *
 *   npx tsx test/bench/writes.ts [--n 1000] [--bundle dist/server.js] [--run-sec 3] [--runs 3] [--warmup-sec 1]
 *
 * Seeds N documents, starts the bundle (as shipped, LOG_LEVEL=info) and runs,
 * in rounds as `npm run bench` does: the disk ceiling with 1 and 10 writers,
 * W3, W2, and W2 at 1 client; prints each figure's median with its CPU per
 * operation and the ratios to the ceiling measured in the same rounds. It
 * reports; it asserts nothing. The full benchmark (run.ts) is the reference.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'
import { diskProbe } from './disk'
import { freePort, httpProbe, log, prng, round, roundRobin, startNode, type Measurement } from './lib'
import { fileBytes, makeDoc, seed } from './seed'
import { requestsFor } from './workloads'

function flag (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback
}

async function main (): Promise<void> {
  const n = Number(flag('n', '1000'))
  const bundle = resolve(flag('bundle', 'dist/server.js'))
  const schedule = { warmupSec: Number(flag('warmup-sec', '1')), runSec: Number(flag('run-sec', '3')), runs: Number(flag('runs', '3')), timeoutSec: 30 }
  const root = mkdtempSync(join(flag('dir', tmpdir()), 'jsondock-writes-'))
  try {
    const diskWriter = join(root, 'disk-writer.js')
    await build({ entryPoints: [join(__dirname, 'disk-writer.ts')], bundle: true, platform: 'node', target: 'node22', format: 'cjs', outfile: diskWriter, logLevel: 'warning' })
    const dataDir = join(root, 'data')
    const diskRoot = join(root, 'disk')
    mkdirSync(diskRoot, { recursive: true })
    const { ids } = seed(join(dataDir, 'items'), join(root, 'db.json'), n)
    await sleep(3000) // past the racy window (storage.md), as run.ts waits
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const proc = await startNode(bundle, { env: { DATA_DIR: dataDir, LOG_LEVEL: flag('log-level', 'info'), PORT: String(port) }, url, probe: '/health/ready', pollMs: 5 })
    try {
      await (await fetch(`${url}/v1/collections/items/documents?limit=20`)).arrayBuffer()
      const payload = Buffer.from(fileBytes(makeDoc(1, prng(7))))
      const drain = url + '/health/live'
      const measured = await roundRobin([
        diskProbe('disk1', diskWriter, diskRoot, 1, payload),
        diskProbe('disk10', diskWriter, diskRoot, 10, payload),
        httpProbe('W3', { url, connections: 10, requests: requestsFor('jsondock', 'W3', ids, 45) }, schedule.timeoutSec, drain, proc.pid),
        httpProbe('W2', { url, connections: 10, requests: requestsFor('jsondock', 'W2', ids, 43) }, schedule.timeoutSec, drain, proc.pid),
        httpProbe('W2 1 client', { url, connections: 1, requests: requestsFor('jsondock', 'W2', ids, 77) }, schedule.timeoutSec, drain, proc.pid)
      ], schedule, (name, stats) => log(`  ${name}: ${stats.rps}/s p50 ${stats.p50} ms, ${String(stats.cpuUsPerOp)} µs CPU/op`))
      const get = (name: string): Measurement => measured.get(name) as Measurement
      const line = (name: string, base: Measurement): string =>
        `${name.padEnd(12)} ${String(get(name).rps).padStart(8)}/s  p50 ${get(name).p50} ms  p99 ${get(name).p99} ms  ${String(get(name).cpuUsPerOp)} µs CPU/op  = ${round(get(name).rps / base.rps, 2)}× ${base === get('disk10') ? 'disk 10 writers' : 'disk 1 writer'}  (runs ${get(name).runs.map((r) => r.rps).join(', ')})`
      process.stdout.write([
        `N = ${n}, ${bundle}`,
        `disk1        ${get('disk1').rps}/s  p50 ${get('disk1').p50} ms  ${String(get('disk1').cpuUsPerOp)} µs CPU/op`,
        `disk10       ${get('disk10').rps}/s  p50 ${get('disk10').p50} ms  ${String(get('disk10').cpuUsPerOp)} µs CPU/op`,
        line('W3', get('disk10')),
        line('W2', get('disk10')),
        line('W2 1 client', get('disk1')),
        ''
      ].join('\n'))
    } finally {
      await proc.stop()
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`writes: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
