/**
 * The client of the Swarm suite. It runs INSIDE a container on the stack's
 * overlay network (Node runs this file as is: its types are erasable), finds
 * the replicas through `tasks.<service>` DNS and spreads its requests over
 * all of them. It prints one JSON line per event on stdout and reads
 * commands on stdin: `mark <label>` (note what is in flight now), `probe`
 * (one write per document, timed), `stop` (end the load and verify).
 *
 *   node swarm-client.ts rmw      <clients> <writesPerClient>   50 If-Match clients, one document
 *   node swarm-client.ts fresh    <tries>                       write via one replica, read via all others
 *   node swarm-client.ts storm    <clients> <documents>         If-Match writes until `stop`
 *
 * A request either never reached a replica (connection refused, unreachable,
 * connect timeout: retried on another task, as any client may) or it did;
 * if it did and no answer came back, its outcome is unknown and it is never
 * counted as acknowledged. Only a 2xx answer acknowledges a write.
 */
import { request } from 'node:http'
import { promises as dns } from 'node:dns'
import { createInterface } from 'node:readline'

const SERVICE = process.env.SERVICE ?? 'api'
const COLLECTION = process.env.COLLECTION ?? 'swarm'
const CONNECT_TIMEOUT_MS = 3000
/** Longer than a replica may be frozen by the pause scenario: an answer that comes late is still an answer. */
const ANSWER_TIMEOUT_MS = 60_000
/** How long a request that reached no task is retried on others (tasks restarting, DNS catching up): as long as a task may take to become healthy again (swarm-stack.ts waitHealthy). */
const NOT_SENT_RETRY_MS = 240_000

interface Answer { status: number, etag: string, body: string, ip: string }
class NotSent extends Error {}
class NoAnswer extends Error {}

const emit = (event: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(event) + '\n') }
const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

// ---- the replicas, as DNS lists them now ----
let targets: string[] = []
let nextTarget = 0
async function resolveTargets (): Promise<void> {
  try {
    const found = (await dns.resolve4(`tasks.${SERVICE}`)).sort()
    if (found.length > 0) targets = found
  } catch { /* no task right now: keep the last list, connections to it are refused and retried */ }
}
const seenTargets = new Set<string>()

/** One HTTP exchange on a new connection (no keep-alive: a connection is either refused or carries exactly one request). */
async function exchange (ip: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    let connected = false
    const req = request({ host: ip, port: 3000, method, path, agent: false, headers: { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } })
    const connectTimer = setTimeout(() => { if (!connected) req.destroy(new NotSent(`connect timeout to ${ip}`)) }, CONNECT_TIMEOUT_MS)
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new NoAnswer(`no answer from ${ip} in ${ANSWER_TIMEOUT_MS} ms`)))
    req.on('socket', (socket) => socket.once('connect', () => { connected = true; clearTimeout(connectTimer) }))
    req.on('error', (err) => {
      clearTimeout(connectTimer)
      reject(connected ? new NoAnswer(`${ip}: ${err.message}`) : new NotSent(`${ip}: ${err.message}`))
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (err) => reject(new NoAnswer(`${ip}: ${err.message}`)))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? ''), body: Buffer.concat(chunks).toString('utf8'), ip }))
    })
    req.end(body)
  })
}

// ---- what the load saw ----
const stats = { requests: 0, refusedRetried: 0, noAnswer: 0, conflicts: 0, fiveHundreds: 0, internalErrors: 0, overloaded: 0, unexpected: 0 }
const fiveHundredSamples: string[] = []
const inFlight = new Map<string, number>()

/** Sends to the next replica (or to `only`); a request that never reached one goes to another. */
async function send (method: string, path: string, body?: string, headers?: Record<string, string>, only?: string, avoid?: string): Promise<Answer> {
  const started = Date.now()
  for (;;) {
    const choices = avoid === undefined ? targets : targets.filter((ip) => ip !== avoid)
    const ip = only ?? choices[nextTarget++ % Math.max(choices.length, 1)]
    if (ip === undefined) { await sleep(100); await resolveTargets(); continue }
    seenTargets.add(ip)
    inFlight.set(ip, (inFlight.get(ip) ?? 0) + 1)
    stats.requests++
    try {
      const answer = await exchange(ip, method, path, body, headers)
      if (answer.status >= 500) {
        const type = /"type":"([^"]+)"/.exec(answer.body)?.[1] ?? ''
        // Load shedding (503 /problems/overloaded, with Retry-After) is the service's documented
        // answer to a starved CPU, not a replica failing: counted apart, and retried after the pause it asks for.
        if (answer.status === 503 && type === '/problems/overloaded') {
          stats.overloaded++
          await sleep(500)
          continue
        }
        stats.fiveHundreds++
        if (answer.status === 500) stats.internalErrors++
        if (fiveHundredSamples.length < 5) fiveHundredSamples.push(`${method} ${path} via ${ip}: ${answer.status} ${answer.body.slice(0, 200)}`)
      }
      return answer
    } catch (err) {
      // Never sent: retried on another task until a deadline, not a count of tries,
      // which a busy machine's slower connects and DNS answers would use up sooner.
      if (err instanceof NotSent && only === undefined && Date.now() - started < NOT_SENT_RETRY_MS) {
        stats.refusedRetried++
        await sleep(50)
        await resolveTargets()
        continue
      }
      if (err instanceof NoAnswer) stats.noAnswer++
      throw err
    } finally {
      inFlight.set(ip, (inFlight.get(ip) ?? 1) - 1)
    }
  }
}

const docPath = (id: string): string => `/v1/collections/${COLLECTION}/documents/${id}`

interface Ledger { acked: Set<string>, unknown: Set<string> }
const ledgers = new Map<string, Ledger>()
const ledger = (doc: string): Ledger => {
  let l = ledgers.get(doc)
  if (l === undefined) { l = { acked: new Set(), unknown: new Set() }; ledgers.set(doc, l) }
  return l
}

/** One read-modify-write with If-Match: true when acknowledged. Each write appends its own id to the document's `writes`. */
async function readModifyWrite (doc: string, writeId: string, avoid?: string): Promise<number> {
  const read = await send('GET', docPath(doc), undefined, undefined, undefined, avoid)
  if (read.status !== 200) { stats.unexpected++; return read.status }
  const current = JSON.parse(read.body) as { writes: string[] }
  const next = JSON.stringify({ ...current, writes: [...current.writes, writeId] })
  try {
    const written = await send('PUT', docPath(doc), next, { 'if-match': read.etag }, undefined, avoid)
    if (written.status === 200) ledger(doc).acked.add(writeId)
    else if (written.status === 412) stats.conflicts++
    else if (written.status < 500) stats.unexpected++
    return written.status
  } catch (err) {
    if (err instanceof NoAnswer) { ledger(doc).unknown.add(writeId); return 0 }
    throw err
  }
}

async function createDocuments (docs: string[]): Promise<void> {
  for (const doc of docs) {
    const created = await send('PUT', docPath(doc), JSON.stringify({ id: doc, writes: [] }), { 'if-none-match': '*' })
    if (created.status !== 201) throw new Error(`creating ${doc}: ${created.status} ${created.body}`)
  }
}

/** Every replica serves the same final document, and it holds every acknowledged write, once, and nothing unasked for. */
async function verify (docs: string[]): Promise<Record<string, unknown>> {
  await resolveTargets()
  let lost = 0; let phantom = 0; let duplicated = 0; let disagreeing = 0; let acked = 0; let unknown = 0
  const lostSamples: string[] = []
  for (const doc of docs) {
    const { acked: a, unknown: u } = ledger(doc)
    acked += a.size; unknown += u.size
    const views = await Promise.all(targets.map(async (ip) => await send('GET', docPath(doc), undefined, undefined, ip)))
    if (new Set(views.map((v) => v.body)).size !== 1) disagreeing++
    const writes = (JSON.parse(views[0]?.body ?? '{"writes":[]}') as { writes: string[] }).writes
    const present = new Set(writes)
    duplicated += writes.length - present.size
    for (const id of a) if (!present.has(id)) { lost++; if (lostSamples.length < 5) lostSamples.push(`${doc}: ${id}`) }
    for (const id of present) if (!a.has(id) && !u.has(id)) phantom++
  }
  return { acked, unknownOutcome: unknown, lost, lostSamples, phantom, duplicated, replicasDisagreeing: disagreeing, replicasAtEnd: targets.length }
}

// ---- scenarios ----
async function rmw (clients: number, writesPerClient: number): Promise<void> {
  const doc = 'counter'
  await createDocuments([doc])
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    let done = 0; let seq = 0
    while (done < writesPerClient) if (await readModifyWrite(doc, `c${c}-${seq++}`) === 200) done++
  }))
  emit({ event: 'result', clients, ...stats, replicasUsed: seenTargets.size, ...(await verify([doc])), fiveHundredSamples })
}

async function fresh (tries: number): Promise<void> {
  const doc = 'fresh'
  await createDocuments([doc])
  let stale = 0; let reads = 0; let writes = 0
  const staleSamples: string[] = []
  for (let i = 1; i <= tries; i++) {
    if (i % 25 === 1) await resolveTargets()
    const writer = targets[i % targets.length] as string
    const written = await send('PUT', docPath(doc), JSON.stringify({ id: doc, version: i, writes: [] }), undefined, writer)
    if (written.status !== 200) { stats.unexpected++; continue }
    writes++
    const others = targets.filter((ip) => ip !== writer)
    const seen = await Promise.all(others.map(async (ip) => await send('GET', docPath(doc), undefined, undefined, ip)))
    for (const answer of seen) {
      reads++
      const version = answer.status === 200 ? (JSON.parse(answer.body) as { version: number }).version : -1
      if (version !== i || answer.etag !== written.etag) {
        stale++
        if (staleSamples.length < 5) staleSamples.push(`try ${i}: wrote ${i} via ${writer}, read ${version} via ${answer.ip}`)
      }
    }
  }
  emit({ event: 'result', tries, writes, reads, stale, staleSamples, replicasUsed: seenTargets.size, ...stats, fiveHundredSamples })
}

async function storm (clients: number, documents: number): Promise<void> {
  const docs = Array.from({ length: documents }, (_, i) => `doc-${i}`)
  await createDocuments(docs)
  let stopping = false
  const marks: Record<string, unknown> = {}
  const probes: Array<Promise<void>> = []
  /** Documents whose probe write has not been answered yet. */
  const probing = new Set<string>()
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, label = ''] = line.trim().split(/\s+/)
    if (command === 'mark') {
      marks[label] = { at: Date.now(), inFlight: Object.fromEntries(inFlight), targets: [...targets], probing: [...probing] }
      emit({ event: 'marked', label, probing: [...probing] })
    } else if (command === 'probe') {
      // One read-modify-write per document, through any replica but `avoid`, each timed:
      // the write of a document whose lock a frozen or dead replica holds waits for it.
      // Its id joins the ledger like any other: if it is acknowledged, it must stay.
      const avoid = line.trim().split(/\s+/)[2]
      probes.push((async () => {
        const times = await Promise.all(docs.map(async (doc) => {
          probing.add(doc)
          const started = Date.now()
          const status = await readModifyWrite(doc, `probe-${label}-${doc}`, avoid)
          probing.delete(doc)
          return { doc, status, ms: Date.now() - started, answeredAt: Date.now() }
        }))
        emit({ event: 'probe', label, times })
      })())
    } else if (command === 'stop') {
      stopping = true
    }
  })
  const refresher = setInterval(() => { void resolveTargets() }, 250)
  emit({ event: 'started', targets })
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    let seq = 0
    while (!stopping) {
      const doc = docs[(c + seq) % docs.length] as string
      try {
        await readModifyWrite(doc, `c${c}-${seq++}`)
      } catch (err) {
        if (!(err instanceof NoAnswer)) throw err
      }
    }
  }))
  clearInterval(refresher)
  await Promise.all(probes)
  emit({ event: 'result', clients, documents, ...stats, replicasUsed: seenTargets.size, marks, ...(await verify(docs)), fiveHundredSamples })
}

async function main (): Promise<void> {
  await resolveTargets()
  const [scenario, a = '0', b = '0'] = process.argv.slice(2)
  if (scenario === 'rmw') await rmw(Number(a), Number(b))
  else if (scenario === 'fresh') await fresh(Number(a))
  else if (scenario === 'storm') await storm(Number(a), Number(b))
  else throw new Error(`unknown scenario ${String(scenario)}`)
}

main().then(() => process.exit(0), (err: Error) => { emit({ event: 'error', message: err.message }); process.exit(1) })
