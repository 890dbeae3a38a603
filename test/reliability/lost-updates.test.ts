/**
 * Lost updates: concurrent read-modify-write cycles (GET → PUT with If-Match)
 * on one counter document, against one service process and then against two
 * processes sharing one DATA_DIR. See docs/reliability.md.
 *
 * Every successful write is checked to be the one and only successor of the
 * version it read: the winners form a single chain 0 → 1 → … → N whose links
 * are the ETags, so the final value equals the number of 2xx answers. With two
 * processes, right after each successful write the other process is asked for
 * the document: it must serve that version or a later one, never an older one.
 */
import t, { type Test } from 'tap'
import { call, randomInt, scratchDir, sleep, startService, type Answer } from '../helpers/reliability'

const CLIENTS = 50
/** Each client retries (after a 412) until it has won this many times… */
const WINS_PER_CLIENT = 2
/** …or made this many attempts. */
const MAX_ATTEMPTS_PER_CLIENT = 400
const COUNTER = '/v1/collections/counters/documents/counter'

interface Cycle {
  tag: string
  readFrom: number
  writeTo: number
  readN: number
  readEtag: string
  status: number
  newEtag?: string
  /** What the next process (writeTo + 1) served right after this write succeeded. */
  other?: { status: number, n?: number, by?: string, etag?: string | null }
}

interface Counter { id: string, n: number, by: string }

/** A 503 problem+json (load shed, lock busy): the service refused the request; a client retries. */
function isShed (answer: Answer): boolean {
  return answer.status === 503 && (answer.headers.get('content-type') ?? '').startsWith('application/problem+json')
}

async function runCycles (urls: string[]): Promise<{ cycles: Cycle[], unexpected: string[], shed: string[], initialEtag: string }> {
  let init = await call(`${urls[0] as string}${COUNTER}`, 'PUT', { id: 'counter', n: 0, by: 'init' })
  // Shed while the fresh processes settle: retried until a deadline generous for a busy machine, not 50 tries.
  for (const started = Date.now(); isShed(init) && Date.now() - started < 60_000;) {
    await sleep(100)
    init = await call(`${urls[0] as string}${COUNTER}`, 'PUT', { id: 'counter', n: 0, by: 'init' })
  }
  if (init.status !== 201 && init.status !== 200) throw new Error(`cannot create the counter: ${init.status} ${init.text}`)
  const initialEtag = init.headers.get('etag') ?? ''
  const cycles: Cycle[] = []
  const unexpected: string[] = []
  const shed: string[] = []

  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    let wins = 0
    for (let i = 0; wins < WINS_PER_CLIENT && i < MAX_ATTEMPTS_PER_CLIENT; i++) {
      const tag = `c${c}-i${i}`
      const readFrom = randomInt(0, urls.length - 1)
      const writeTo = randomInt(0, urls.length - 1)
      const read = await call(`${urls[readFrom] as string}${COUNTER}`, 'GET')
      if (isShed(read)) {
        shed.push(`${tag}: GET ${read.text.slice(0, 160)}`)
        await sleep(50)
        continue
      }
      if (read.status !== 200) {
        unexpected.push(`${tag}: GET answered ${read.status} ${read.text.slice(0, 200)}`)
        continue
      }
      const current = JSON.parse(read.text) as Counter
      const readEtag = read.headers.get('etag') ?? ''
      const write = await call(`${urls[writeTo] as string}${COUNTER}`, 'PUT', { id: 'counter', n: current.n + 1, by: tag }, { 'if-match': readEtag })
      if (isShed(write)) {
        // Refused before anything was done: no attempt on the version. (Had it written anyway,
        // the chain check below would find a version no winner made.)
        shed.push(`${tag}: PUT ${write.text.slice(0, 160)}`)
        await sleep(50)
        continue
      }
      const cycle: Cycle = { tag, readFrom, writeTo, readN: current.n, readEtag, status: write.status }
      cycles.push(cycle)
      if (write.status === 200) {
        wins++
        cycle.newEtag = write.headers.get('etag') ?? ''
        if (urls.length > 1) {
          const other = await call(`${urls[(writeTo + 1) % urls.length] as string}${COUNTER}`, 'GET')
          cycle.other = { status: other.status, etag: other.headers.get('etag') }
          if (other.status === 200) {
            const doc = JSON.parse(other.text) as Counter
            cycle.other.n = doc.n
            cycle.other.by = doc.by
          }
        }
      } else if (write.status !== 412) {
        unexpected.push(`${tag}: PUT with If-Match answered ${write.status} ${write.text.slice(0, 200)}`)
      }
    }
  }))
  return { cycles, unexpected, shed, initialEtag }
}

/** All the checks on one run; with two URLs, also the cross-process freshness check. */
async function check (t: Test, urls: string[], run: Awaited<ReturnType<typeof runCycles>>): Promise<void> {
  const { cycles, unexpected, shed, initialEtag } = run
  if (shed.length > 0) t.comment(`${shed.length} requests were refused with 503 and retried; first: ${shed[0] ?? ''}`)
  const winners = cycles.filter((c) => c.status === 200)
  t.ok(winners.length >= 50, `${cycles.length} read-modify-write cycles ran concurrently from ${CLIENTS} clients: ` +
    `${winners.length} won (at least 50), ${cycles.length - winners.length} got 412`)
  t.same(unexpected, [], 'every conditional write answered 200 or 412, every read 200')

  // Exactly one winner per version that was read and written against.
  const byVersion = new Map<string, Cycle[]>()
  for (const c of cycles) byVersion.set(c.readEtag, [...(byVersion.get(c.readEtag) ?? []), c])
  const badVersions: string[] = []
  for (const [etag, attempts] of byVersion) {
    const won = attempts.filter((c) => c.status === 200)
    if (won.length !== 1) {
      badVersions.push(`version n=${attempts[0]?.readN ?? '?'} ${etag}: ${won.length} winners (${won.map((c) => `${c.tag} via process ${c.writeTo}`).join(', ')}) of ${attempts.length} attempts`)
    }
  }
  t.same(badVersions, [], `exactly one winner per version (${byVersion.size} versions were contended), the rest 412`)

  // The winners form one chain: each replaced exactly the version the previous winner made.
  const chain: string[] = []
  const sorted = [...winners].sort((a, b) => a.readN - b.readN)
  let expectedEtag = initialEtag
  sorted.forEach((c, i) => {
    if (c.readN !== i || c.readEtag !== expectedEtag) {
      chain.push(`winner #${i + 1} (${c.tag}) replaced n=${c.readN} ${c.readEtag}, expected n=${i} ${expectedEtag}`)
    }
    expectedEtag = c.newEtag ?? ''
  })
  t.same(chain.slice(0, 10), [], 'the successful writes form a single chain of versions, 0 → 1 → … → N (no update lost)')

  for (const [i, url] of urls.entries()) {
    const final = await call(`${url}${COUNTER}`, 'GET')
    const doc = JSON.parse(final.text) as Counter
    t.equal(doc.n, winners.length, `process ${i}: the final value equals the number of 2xx answers (${winners.length})`)
    t.equal(final.headers.get('etag'), expectedEtag, `process ${i}: and it is the version the last winner wrote`)
  }

  if (urls.length > 1) {
    const stale: string[] = []
    for (const c of winners) {
      const o = c.other
      const wrote = c.readN + 1
      if (o === undefined || o.status !== 200 || o.n === undefined) {
        stale.push(`${c.tag} wrote n=${wrote} via process ${c.writeTo}; process ${(c.writeTo + 1) % urls.length} answered ${String(o?.status)}`)
      } else if (o.n < wrote || (o.n === wrote && (o.by !== c.tag || o.etag !== c.newEtag))) {
        stale.push(`${c.tag} wrote n=${wrote} via process ${c.writeTo}; process ${(c.writeTo + 1) % urls.length} then served n=${o.n} by ${String(o.by)}`)
      }
    }
    t.same(stale.slice(0, 10), [], `after every successful write the other process serves that version or a later one (${stale.length} stale reads)`)
  }
}

t.test('one process: concurrent GET → PUT If-Match cycles lose no update', async (t) => {
  const dataDir = await scratchDir(t)
  const server = await startService(t, { DATA_DIR: dataDir })
  await check(t, [server.url], await runCycles([server.url]))
  await server.stop('SIGKILL') // done; SIGTERM is shutdown.test.ts's business
})

t.test('two processes on one DATA_DIR: writers are ordered by the file system, and neither serves a replaced version', async (t) => {
  const dataDir = await scratchDir(t)
  const a = await startService(t, { DATA_DIR: dataDir })
  const b = await startService(t, { DATA_DIR: dataDir })
  await check(t, [a.url, b.url], await runCycles([a.url, b.url]))
  await a.stop('SIGKILL')
  await b.stop('SIGKILL')
})

t.test('four processes on one DATA_DIR: If-Match cycles through any of them lose no update (kernel locks)', async (t) => {
  const dataDir = await scratchDir(t)
  const servers = await Promise.all(Array.from({ length: 4 }, async () => await startService(t, { DATA_DIR: dataDir })))
  const urls = servers.map((s) => s.url)
  await check(t, urls, await runCycles(urls))
  for (const server of servers) await server.stop('SIGKILL')
})
