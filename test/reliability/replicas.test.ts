/**
 * Replicas sharing one DATA_DIR through the events of a rolling deploy or a
 * busy host: a holder killed or frozen while it holds a lock, replicas
 * starting while others import and write. Real bundle processes, one real
 * folder. See docs/reliability.md ("Replicas on one volume").
 */
import { watch } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { call, problemOf, randomInt, scratchDir, sleep, startService, type Answer } from '../helpers/reliability'
import type { RunningServer } from '../helpers/process'

/** The lock timeout of the service (10 s, LOCK_TIMEOUT_MS): a freeze must outlast it, and the old 5 s stale timer. */
const FREEZE_MS = 12_000
const KILL_TRIALS = 12
const STORM_CLIENTS = 12
// Twelve kill trials, a 12 s freeze and a 20,000-document import: 233 s under load (issue 27),
// too close to tap's 300 s per file; ten minutes leaves a busy machine room.
t.setTimeout(600_000)

const json = { 'content-type': 'application/json' }

function ndjson (count: number, prefix: string): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ id: `${prefix}${i}`, n: i, text: 'x'.repeat(80) })).join('\n')
}

async function importInto (url: string, collection: string, body: string): Promise<Answer> {
  return await call(`${url}/v1/import?collection=${collection}`, 'POST', body, { 'content-type': 'application/x-ndjson' })
}

async function documentFiles (dir: string, pattern: RegExp): Promise<number> {
  return (await readdir(dir)).filter((name) => pattern.test(name)).length
}

/** Resolves on the first entry made in `dir` (an import starting to move in). */
async function firstEntryIn (dir: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const watcher = watch(dir, () => { watcher.close(); resolve() })
  })
}

t.test('a holder killed while it writes: its lock is free at once, and of two writers with one If-Match exactly one wins', async (t) => {
  const dataDir = await scratchDir(t)
  const a = await startService(t, { DATA_DIR: dataDir })
  const b = await startService(t, { DATA_DIR: dataDir })
  const doc = '/v1/collections/race/documents/x'
  const outcomes: string[] = []
  let slowest = 0
  for (let trial = 0; trial < KILL_TRIALS; trial++) {
    const holder = await startService(t, { DATA_DIR: dataDir })
    // Sixteen writers keep the document's lock held, one after the other, almost all the time.
    let hammering = true
    let acknowledged!: () => void
    const writing = new Promise<void>((resolve) => { acknowledged = resolve })
    const hammer = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; hammering; i++) {
        const put = await call(`${holder.url}${doc}`, 'PUT', { by: `holder-${c}-${i}` }).catch(() => undefined)
        if (put?.status === 200 || put?.status === 201) acknowledged()
      }
    })
    await writing
    await sleep(randomInt(20, 120))
    await holder.stop('SIGKILL')
    hammering = false
    await Promise.all(hammer)
    const read = await call(`${a.url}${doc}`, 'GET')
    const etag = read.headers.get('etag') ?? ''
    const started = Date.now()
    const [fromA, fromB] = await Promise.all([
      call(`${a.url}${doc}`, 'PUT', { by: `a-${trial}` }, { 'if-match': etag }),
      call(`${b.url}${doc}`, 'PUT', { by: `b-${trial}` }, { 'if-match': etag })
    ])
    slowest = Math.max(slowest, Date.now() - started)
    const outcome = [fromA.status, fromB.status].sort().join('+')
    outcomes.push(outcome)
    if (outcome !== '200+412') t.comment(`trial ${trial}: read ${read.status} ${etag}; A ${fromA.status} ${fromA.text.slice(0, 160)}; B ${fromB.status} ${fromB.text.slice(0, 160)}`)
  }
  const tally = Object.entries(outcomes.reduce<Record<string, number>>((n, o) => ({ ...n, [o]: (n[o] ?? 0) + 1 }), {}))
  t.comment(`${KILL_TRIALS} trials, answers to the two If-Match writes after the SIGKILL: ${tally.map(([o, n]) => `${o} ×${n}`).join(', ')}; slowest ${slowest} ms`)
  t.same(outcomes.filter((o) => o !== '200+412'), [], 'every trial: one 200 and one 412, never two winners, no 5xx')
  t.ok(slowest < 4000, `the dead holder's lock was free at once: the pair took at most ${slowest} ms (a stale timer takes 5 s)`)
})

t.test('a holder frozen with SIGSTOP for longer than any timeout resumes with its lock untouched', async (t) => {
  const dataDir = await scratchDir(t)
  const importer = await startService(t, { DATA_DIR: dataDir })
  const other = await startService(t, { DATA_DIR: dataDir })
  const seeded = await call(`${other.url}/v1/collections/frozen/documents/seed`, 'PUT', { seed: true })
  t.equal(seeded.status, 201)
  const COUNT = 10_000
  const moving = firstEntryIn(join(dataDir, 'frozen'))
  const imported = importInto(importer.url, 'frozen', ndjson(COUNT, 'd'))
  await moving
  importer.child.kill('SIGSTOP')
  const frozenAt = Date.now()
  t.teardown(() => importer.child.kill('SIGCONT'))
  const onDisk = await documentFiles(join(dataDir, 'frozen'), /^d\d+\.json$/)
  t.comment(`frozen while moving its import in: ${onDisk} of ${COUNT} documents there`)

  // Meanwhile another replica writes documents the import holds, for longer than the lock timeout.
  const during: number[] = []
  await Promise.all(Array.from({ length: 4 }, async (_, c) => {
    for (let i = 0; Date.now() - frozenAt < FREEZE_MS; i++) {
      const answer = await call(`${other.url}/v1/collections/frozen/documents/d${c * 1000 + i}`, 'PUT', { by: 'other' })
      during.push(answer.status)
      if (answer.status === 503) t.equal(answer.headers.get('retry-after'), '1', 'a lock timeout says when to retry')
    }
  }))
  importer.child.kill('SIGCONT')
  const answer = await imported
  const counts = during.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {})
  t.comment(`writes by the other replica during the ${FREEZE_MS / 1000} s freeze: ${JSON.stringify(counts)}`)
  t.ok(during.length > 0 && during.every((s) => s === 503), 'none got the frozen holder\'s lock: every one answered 503 (lock timeout)')
  t.equal(answer.status, 200, 'the import, resumed, finished')
  t.same(JSON.parse(answer.text), { imported: [{ collection: 'frozen', documents: COUNT }] })
  t.equal(await documentFiles(join(dataDir, 'frozen'), /^d\d+\.json$/), COUNT, 'and every document it counted is on disk')
  const sample = JSON.parse((await call(`${other.url}/v1/collections/frozen/documents/d0`, 'GET')).text) as { by?: string }
  t.equal(sample.by, undefined, 'the import\'s version, not one written while the import held the collection')
  const after = await call(`${other.url}/v1/collections/frozen/documents/d0`, 'PUT', { by: 'other' })
  t.equal(after.status, 200, 'once it is done, the other replica writes')
})

t.test('replicas started during a 20,000-document import and a write storm: no error anywhere, and the import is all on disk', async (t) => {
  const dataDir = await scratchDir(t)
  const a = await startService(t, { DATA_DIR: dataDir })
  const b = await startService(t, { DATA_DIR: dataDir })
  const COUNT = 20_000
  const errors: string[] = []
  let shed = 0
  // A storm process whose event loop the host stalled for a whole second sheds load by design
  // (503 /problems/overloaded, MAX_EVENT_LOOP_DELAY_MS): counted, not an error. Any other answer
  // that is not a success, a 503 lock-timeout above all, is one.
  const check = (what: string, answer: Answer, ok: number[]): void => {
    if (ok.includes(answer.status)) return
    const problem = problemOf(answer)
    if (answer.status === 503 && typeof problem !== 'string' && problem.type === '/problems/overloaded') shed++
    else errors.push(`${what}: ${answer.status} ${answer.text.slice(0, 200)}`)
  }
  let storming = true
  let writes = 0
  const storm = Array.from({ length: STORM_CLIENTS }, async (_, c) => {
    const url = (c % 2 === 0 ? a : b).url
    for (let i = 0; storming; i++) {
      const path = `/v1/collections/storm/documents/s${c}-${i % 20}`
      check(`PUT ${path}`, await call(`${url}${path}`, 'PUT', { c, i }, json), [200, 201])
      check(`GET ${path}`, await call(`${url}${path}`, 'GET'), [200])
      writes++
    }
  })
  const imported = importInto(a.url, 'big', ndjson(COUNT, 'd'))
  let settled = false
  void imported.finally(() => { settled = true })
  const started: RunningServer[] = []
  const logs: string[] = []
  while (!settled) {
    // A replica starts (sweeping temp files, recovering imports), serves a moment, and stops.
    const replica = await startService(t, { DATA_DIR: dataDir })
    started.push(replica)
    const ready = await call(`${replica.url}/health/ready`, 'GET')
    if (ready.status !== 200) errors.push(`replica ${started.length} not ready: ${ready.status} ${ready.text}`)
    await sleep(300)
    await replica.stop('SIGTERM')
    logs.push(...replica.stdout.filter((line) => /"level":(4|5)0/.test(line)))
  }
  const answer = await imported
  storming = false
  await Promise.all(storm)
  const onDisk = await documentFiles(join(dataDir, 'big'), /^d\d+\.json$/)
  const reported = answer.status === 200 ? (JSON.parse(answer.text) as { imported: Array<{ documents: number }> }).imported[0]?.documents : undefined
  t.comment(`${started.length} replicas started during the import; ${writes} storm write+read pairs (${shed} requests shed with 503 overloaded); import answered ${answer.status} ${String(reported)}; ${onDisk} documents on disk`)
  t.same(errors.slice(0, 10), [], `0 errors among ${writes} storm writes and ${started.length} replica starts (${errors.length})`)
  // Any warning fails, "Removed temp files" too: a starting replica that lists a storm write's temp
  // file and claims its lock just after the writer renamed it and let go finds nothing to remove
  // (seen once in four runs before the sweep stopped counting such a file; test/engine/start-up-sweep.test.ts).
  t.same(logs.slice(0, 5), [], 'the starting replicas warned of nothing: no temp file left behind a lock, no import of a live process theirs to remove')
  t.equal(answer.status, 200)
  t.equal(reported, COUNT, 'the import counted every document')
  t.equal(onDisk, COUNT, 'and every one is on disk')
  t.ok(started.length >= 2, 'replicas did start during the import')
})
