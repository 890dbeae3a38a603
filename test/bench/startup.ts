/**
 * Start-up alone, for working on it: seeds N documents (default 100,000),
 * lets them age past the racy window, then starts the bundle `runs` times
 * and prints, for each start, spawn → ready and the first listing sent at
 * ready (what run.ts reports as "ready + first listing"). Asserts nothing.
 *
 *   npx tsx test/bench/startup.ts [--n 100000] [--bundle dist/server.js] [--runs 3] [--dir DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, round, startNode } from './lib'
import { seed } from './seed'

function flag (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback
}

async function main (): Promise<void> {
  const n = Number(flag('n', '100000'))
  const bundle = resolve(flag('bundle', 'dist/server.js'))
  const root = mkdtempSync(join(flag('dir', tmpdir()), 'jsondock-startup-'))
  try {
    const dataDir = join(root, 'data')
    seed(join(dataDir, 'items'), join(root, 'db.json'), n)
    await sleep(3000)
    for (let run = 0; run < Number(flag('runs', '3')); run++) {
      const port = await freePort()
      const url = `http://127.0.0.1:${port}`
      const proc = await startNode(bundle, { env: { DATA_DIR: dataDir, LOG_LEVEL: 'info', PORT: String(port) }, url, probe: '/health/ready', pollMs: 2 })
      const t0 = performance.now()
      const res = await fetch(`${url}/v1/collections/items/documents?limit=20`)
      await res.arrayBuffer()
      const listing = performance.now() - t0
      const ready = proc.readyAt - proc.spawnedAt
      process.stdout.write(`N = ${n}: ready ${round(ready)} ms, first listing ${round(listing)} ms (status ${res.status}), ready + first listing ${round(ready + listing)} ms\n`)
      await proc.stop()
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => { process.stderr.write(String((err as Error).stack)); process.exitCode = 1 })
