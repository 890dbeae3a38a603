/**
 * The engine's write path alone, without HTTP: `writers` loops of
 * DocumentStore.createDocument (or patchDocument) into one collection, in this
 * process, with the CPU per write (process.cpuUsage: every thread) and the
 * folder fsyncs per write (every write fsyncs its file once; the rest of the
 * store's fsyncs are of the folder, shared by group commit) — for working on
 * the write path (docs/performance.md). It reports; it asserts nothing.
 *
 *   npx tsx test/bench/store-writes.ts [dir] [writers=10] [seconds=3] [create|patch]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { DocumentStore } from '../../plugins/engine'

async function main (): Promise<void> {
  const [dirArg, writersArg, secondsArg, kind] = process.argv.slice(2)
  const root = mkdtempSync(join(dirArg ?? tmpdir(), 'jsondock-store-writes-'))
  const writers = Number(writersArg ?? 10)
  const seconds = Number(secondsArg ?? 3)
  let fsyncs = 0
  const store = new DocumentStore({ dataDir: root, observer: { operation: () => {}, fsync: () => { fsyncs++ } } })
  await store.open()
  const ids: string[] = []
  for (let i = 0; i < 1000; i++) ids.push((await store.createDocument('items', { title: `t${i}`, price: i, tags: ['a', 'b'], note: 'x'.repeat(120) })).id)
  await new Promise((resolve) => setTimeout(resolve, 2500))
  const latencies: number[] = []
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  const fsyncs0 = fsyncs
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000
  let n = 0
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    while (performance.now() < deadline) {
      const s = performance.now()
      if (kind === 'patch') await store.patchDocument('items', ids[(n * 7919 + w) % ids.length] as string, (doc) => ({ ...doc, price: n }))
      else await store.createDocument('items', { title: `w${w}`, price: n, tags: ['a', 'b'], note: 'x'.repeat(120) })
      latencies.push(performance.now() - s)
      n++
    }
  }))
  const elapsed = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const folderFsyncs = (fsyncs - fsyncs0 - n) / n
  loop.disable()
  latencies.sort((a, b) => a - b)
  process.stdout.write(`${kind ?? 'create'} ×${writers}: ${Math.round(n / elapsed)} writes/s, p50 ${latencies[Math.floor(n / 2)]?.toFixed(2)} ms, ${Math.round((cpu.user + cpu.system) / n)} µs CPU/write (user ${Math.round(cpu.user / n)}, system ${Math.round(cpu.system / n)}), ${folderFsyncs.toFixed(2)} folder fsyncs/write; event-loop delay p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms\n`)
  store.close()
  rmSync(root, { recursive: true, force: true })
}

main().catch((err: unknown) => { process.stderr.write(String((err as Error).stack)); process.exitCode = 1 })
