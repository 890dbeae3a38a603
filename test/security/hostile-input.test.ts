/**
 * Hostile input: a generated corpus of malformed, oversized and malicious
 * requests, written byte for byte over raw TCP to the built bundle running as
 * a real process. Every answer must be a 4xx problem+json (never a 5xx, never
 * a silent close unless Node's own HTTP parser must refuse the bytes); nothing
 * outside DATA_DIR may change; the process stays up, its memory bounded and
 * its Object.prototype clean.
 *
 * HOSTILE_REPORT=<file> writes every case of the first run, with its answer,
 * as JSON; HOSTILE_PASSES=<n> runs the corpus n times (default 3).
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LOCK_FILE } from '../../plugins/engine'
import { tempDir } from '../helpers/app'
import {
  buildCorpus, diffTrees, FIXTURE, label, oneByteChunkFlood, POLLUTION_KEYS, problemViolations, rawRequest, requestBytes,
  rssOf, snapshotTree, type HostileCase, type RawResponse
} from '../helpers/hostile'
import { serviceBundle, startServer } from '../helpers/process'
import { waitForOk } from '../helpers/wait'

const BODY_LIMIT = 65_536
const SECRET = 'outside-secret-7d41c9e0'
/** Resident memory may never pass this (peak, VmHWM)… */
const RSS_LIMIT = 300 * 1024 * 1024
/** …and may not keep growing: the last run of the corpus may add at most this over the one before. */
const RSS_REPLAY_GROWTH = 48 * 1024 * 1024
const PASSES = Math.max(2, Number(process.env.HOSTILE_PASSES ?? 3))
/**
 * No single hostile request may hold the service this long: a ReDoS or a quadratic parse takes
 * minutes, while a machine busy with other work can hold a sound answer a few seconds, so the
 * bound is generous (it was 5 s, with a 10 s timeout per request).
 */
const SLOW_MS = 15_000
/** A request's wait for an answer: past SLOW_MS, so a slow answer is reported as slow, not as none. */
const ANSWER_TIMEOUT_MS = 30_000
/** Concurrent 1-byte-chunked uploads in the memory-amplification check. */
const FLOOD = 20
const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`

interface Outcome {
  pass: number
  c: HostileCase
  res: RawResponse
  violations: string[]
}

/** What is wrong with one answer, by the case's expectation. */
function judge (c: HostileCase, res: RawResponse, forbidden: string[]): string[] {
  const requestText = c.request.toString('latin1')
  const words = forbidden.filter((w) => !requestText.includes(w))
  const common = { secret: SECRET, forbidden: words, ...(c.head === true ? { head: true } : {}), ...(c.parser === true ? { allowNoAnswer: true } : {}) }
  const out: string[] = []
  if (c.expect === 'reject' || (res.status !== null && res.status >= 400)) {
    out.push(...problemViolations(res, common))
  } else if (res.status === null) {
    if (c.parser !== true) out.push(res.timedOut ? 'no answer (timed out)' : 'connection closed without an answer')
  } else if (res.raw.includes(SECRET)) {
    out.push('leaks the secret outside DATA_DIR')
  }
  if (res.headers['x-injected'] !== undefined) out.push('a header was injected into the answer')
  if (res.status !== null && c.check !== undefined) out.push(...c.check(res))
  if (!res.timedOut && res.ms > SLOW_MS) out.push(`took ${res.ms} ms`)
  return out
}

function excerpt (res: RawResponse): string {
  if (res.status === null) return res.timedOut ? '(no answer: timed out)' : `(closed without an answer${res.socketError === undefined ? '' : `, ${res.socketError}`})`
  return `${res.status} ${res.headers['content-type'] ?? '(no content-type)'} ${label(res.body.toString('utf8'), 160)}`
}

t.test('a hostile corpus over raw TCP gets only 4xx problems, and harms nothing', async (t) => {
  // The bundle, built from the current sources and run from its own folder.
  const bundleDir = await tempDir(t, 'jsondock-hostile-bundle-')
  await cp(dirname(await serviceBundle()), bundleDir, { recursive: true })

  // DATA_DIR with siblings a traversal would reach: <tmp>/data next to <tmp>/outside/secret.json & co.
  const root = await tempDir(t, 'jsondock-hostile-')
  const dataDir = join(root, 'data')
  await mkdir(dataDir)
  await mkdir(join(root, 'outside', 'docs'), { recursive: true })
  await mkdir(join(root, 'data-evil'))
  const secretDoc = `{"id":"secret","secret":"${SECRET}"}\n`
  for (const file of ['outside/secret.json', 'outside/docs/secret.json', 'outside/docs/target.json', 'data-evil/secret.json', 'secret.json', 'passwd']) {
    await writeFile(join(root, file), secretDoc)
  }
  /** Never in an answer: our folders, the source tree, a passwd file, the secret. */
  const forbidden = [root, bundleDir, '/work/', 'node_modules', 'root:x:0:0', SECRET]

  // Load shedding is off: on a busy machine it answers 503 whatever the input (it has its own
  // test); here a request that stalls the process shows up as a slow answer (SLOW_MS) instead.
  const server = await startServer(t, join(bundleDir, 'server.js'), {
    DATA_DIR: dataDir, BODY_LIMIT: String(BODY_LIMIT), MAX_EVENT_LOOP_DELAY_MS: '0'
  })
  const port = Number(new URL(server.url).port)
  const pid = server.child.pid as number
  await waitForOk(`${server.url}/health/ready`, 'the service ready (/health/ready 200)')
  const fixture = await fetch(`${server.url}/v1/collections/${FIXTURE.collection}/documents/${FIXTURE.document}`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(FIXTURE.body)
  })
  t.equal(fixture.status, 201, 'the fixture document is created', { answer: (await fixture.text()).slice(0, 300) })

  const before = await snapshotTree(root, ['data'])
  const corpus = buildCorpus()
  const rejects = corpus.filter((c) => c.expect === 'reject').length
  t.ok(rejects >= 300, `at least 300 requests that must be refused (${rejects}, ${corpus.length} in all)`)

  // The corpus, PASSES times over, one connection per request.
  const rss: number[] = [await rssOf(pid)]
  const outcomes: Outcome[] = []
  let died: string | undefined
  for (let pass = 1; pass <= PASSES && died === undefined; pass++) {
    for (const c of corpus) {
      const res = await rawRequest(port, c.request, {
        timeoutMs: ANSWER_TIMEOUT_MS,
        ...(c.endAfterWrite === true ? { endAfterWrite: true } : {}),
        ...(c.head === true ? { head: true } : {})
      })
      outcomes.push({ pass, c, res, violations: judge(c, res, forbidden) })
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        died = `pass ${pass}, ${c.category}: ${c.name}`
        break
      }
    }
    if (died === undefined) rss.push(await rssOf(pid))
  }
  t.equal(died, undefined, 'the process survives the corpus', { died, stderr: server.stderr.join('').slice(-2000) })
  const corpusPeak = died === undefined ? await rssOf(pid, 'VmHWM') : 0

  if (process.env.HOSTILE_REPORT !== undefined) {
    const report = outcomes.filter((o) => o.pass === 1).map((o) => ({
      category: o.c.category,
      name: o.c.name,
      expect: o.c.expect,
      parser: o.c.parser === true,
      request: label(o.c.request, 300),
      status: o.res.status,
      contentType: o.res.headers['content-type'] ?? null,
      body: o.res.body.toString('utf8').slice(0, 400),
      socketError: o.res.socketError ?? null,
      ms: o.res.ms,
      violations: o.violations
    }))
    await writeFile(process.env.HOSTILE_REPORT, JSON.stringify({ rss, corpusPeak, report }, null, 2))
  }

  // Every answer of the first run, one assertion each.
  const firstFailures = new Set<HostileCase>()
  for (const { pass, c, res, violations } of outcomes) {
    if (pass !== 1) continue
    if (violations.length > 0) firstFailures.add(c)
    t.strictSame(violations, [], `${c.category}: ${c.name}`, { answer: excerpt(res) })
  }
  // The replays: only what newly breaks (a first-run failure is already reported above).
  for (let pass = 2; pass <= PASSES; pass++) {
    const regressions = outcomes
      .filter((o) => o.pass === pass && o.violations.length > 0 && !firstFailures.has(o.c))
      .map((o) => `${o.c.category}: ${o.c.name} → ${o.violations.join('; ')} — ${excerpt(o.res)}`)
    t.strictSame(regressions, [], `replay ${pass}: no case that passed the first run fails now`)
  }

  // Memory: bounded, and not growing with replays.
  t.comment(`RSS: before ${MB(rss[0] as number)}; after each run ${rss.slice(1).map(MB).join(', ')}; peak ${MB(corpusPeak)}`)
  if (died === undefined) {
    t.ok(corpusPeak < RSS_LIMIT, `peak RSS over the corpus stays below ${MB(RSS_LIMIT)} (${MB(corpusPeak)})`)
    const growth = (rss[PASSES] as number) - (rss[PASSES - 1] as number)
    t.ok(growth < RSS_REPLAY_GROWTH, `RSS does not keep growing: the last run added ${MB(growth)} (< ${MB(RSS_REPLAY_GROWTH)})`)
  }

  // Memory amplification: bodies beyond the limit in 1-byte chunks, many at once (~400 KB
  // each on the wire). Each must be refused like any other; the peak stays under the bound.
  if (died === undefined) {
    const flood = oneByteChunkFlood()
    let flooding = true
    const liveMs: number[] = []
    const watcher = (async () => {
      while (flooding) {
        const res = await rawRequest(port, requestBytes({ method: 'GET', target: '/health/live' }), { timeoutMs: 60_000 })
        liveMs.push(res.ms)
        await sleep(100)
      }
    })()
    const started = Date.now()
    const answers = await Promise.all(Array.from({ length: FLOOD }, async () => await rawRequest(port, flood, { timeoutMs: 60_000 })))
    const floodMs = Date.now() - started
    flooding = false
    await watcher
    const floodPeak = await rssOf(pid, 'VmHWM')
    const wrong = [...new Set(answers.flatMap((res) => problemViolations(res, { secret: SECRET, forbidden })))]
    t.strictSame(wrong, [], `${FLOOD} concurrent bodies of 1-byte chunks beyond the limit each get a 4xx problem`, { answer: excerpt(answers[0] as RawResponse) })
    t.comment(`1-byte-chunk flood: ${FLOOD} × ${flood.length} B in ${floodMs} ms; peak RSS ${MB(floodPeak)}; slowest /health/live meanwhile ${Math.max(0, ...liveMs)} ms`)
    t.ok(floodPeak < RSS_LIMIT, `peak RSS stays below ${MB(RSS_LIMIT)} under ${FLOOD} concurrent 1-byte-chunked uploads (${MB(floodPeak)})`)
  }

  // Nothing outside DATA_DIR changed (DATA_DIR's own mtime may: collections were made in it).
  const after = await snapshotTree(root, ['data'])
  const outside = diffTrees(before, after).filter((line) => !/^changed: data \(dir [^→]*→ dir /.test(line))
  t.strictSame(outside, [], 'nothing outside DATA_DIR was added, removed or changed')
  t.equal(await readFile(join(root, 'outside', 'secret.json'), 'utf8'), secretDoc, 'the sibling secret is untouched')

  // Inside DATA_DIR, only collections of documents with legal names.
  const strays: string[] = []
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (entry.name === LOCK_FILE && entry.isFile()) continue // DATA_DIR's lock file, made at start
    if (!entry.isDirectory() || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(entry.name)) {
      strays.push(`${entry.name} (${entry.isDirectory() ? 'dir' : entry.isSymbolicLink() ? 'symlink' : 'file'})`)
      continue
    }
    for (const file of await readdir(join(dataDir, entry.name), { withFileTypes: true })) {
      const ok = file.isFile() && (file.name === '.collection.json' || /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}\.json$/.test(file.name))
      if (!ok) strays.push(`${entry.name}/${file.name}`)
      else if (file.name !== '.collection.json') {
        const text = await readFile(join(dataDir, entry.name, file.name), 'utf8')
        let doc: { id?: unknown } | undefined
        try { doc = JSON.parse(text) as { id?: unknown } } catch {}
        if (String(doc?.id) !== file.name.slice(0, -5)) strays.push(`${entry.name}/${file.name}: not a document with its own id`)
      }
    }
  }
  t.strictSame(strays, [], 'DATA_DIR holds only <collection>/<id>.json and .collection.json files')
  const targetFile = await readFile(join(dataDir, FIXTURE.collection, `${FIXTURE.document}.json`), 'utf8').catch(() => '"(deleted)"')
  t.strictSame(JSON.parse(targetFile) as unknown, FIXTURE.body, 'the refused writes left the fixture document as it was')

  // Still up, still answering.
  const live = await fetch(`${server.url}/health/live`)
  t.equal(live.status, 200, 'GET /health/live answers 200 after the corpus')
  await live.arrayBuffer()
  t.equal(server.child.exitCode, null, 'the process is still running')

  // Object.prototype in the server is clean: a collection whose schema forbids the
  // polluting keys still takes an empty document (Ajv's `required` sees inherited keys).
  const api = `${server.url}/v1/collections/pollution-probe`
  const probe = await fetch(api, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schema: { not: { anyOf: POLLUTION_KEYS.map((k) => ({ required: [k] })) } } })
  })
  t.equal(probe.status, 201, 'the probe collection is created')
  await probe.arrayBuffer()
  const control = await fetch(`${api}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"polluted":true}' })
  t.equal(control.status, 422, 'control: the probe schema refuses an own "polluted" key')
  await control.arrayBuffer()
  const empty = await fetch(`${api}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  const emptyText = await empty.text()
  t.equal(empty.status, 201, 'an empty document passes: no polluted key is inherited from Object.prototype', { answer: emptyText.slice(0, 300) })
  if (empty.status === 201) {
    const created = JSON.parse(emptyText) as Record<string, unknown>
    t.strictSame(Object.keys(created), ['id'], 'the new document holds only its id')
    t.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a server-made UUIDv7 (no inherited "id")')
    const read = await fetch(`${api}/documents/${String(created.id)}`)
    const readText = await read.text()
    t.equal(read.status, 200)
    t.notOk(POLLUTION_KEYS.some((k) => readText.includes(`"${k}"`)), 'reading it back shows no polluted key', { answer: readText })
  }

  // The service logged no internal error for any of it.
  const errors = server.stdout
    .map((line) => { try { return JSON.parse(line) as { level?: number, msg?: string, err?: { message?: string } } } catch { return undefined } })
    .filter((entry) => entry !== undefined && (entry.level ?? 0) >= 50)
    .map((entry) => `${entry?.msg ?? ''}: ${entry?.err?.message ?? ''}`.slice(0, 200))
  t.strictSame([...new Set(errors)], [], 'no error-level log line')

  // Counts per category.
  for (const category of [...new Set(corpus.map((c) => c.category))]) {
    const cases = corpus.filter((c) => c.category === category)
    const tolerated = cases.filter((c) => c.expect === 'tolerate').length
    const parser = cases.filter((c) => c.parser === true).length
    const failing = cases.filter((c) => firstFailures.has(c)).length
    t.comment(`${category}: ${cases.length} requests (${cases.length - tolerated} must be refused, ${tolerated} tolerated; ${parser} for Node's parser) — ${failing} failing`)
  }
  t.comment(`corpus: ${corpus.length} requests × ${PASSES} runs = ${outcomes.length} sent, + ${FLOOD} in the chunk flood; ${firstFailures.size} failing`)
  for (const o of outcomes.filter((o) => o.pass === 1 && o.res.status === null && o.c.parser === true)) {
    t.comment(`Node's parser closed without an answer: ${o.c.category}: ${o.c.name}`)
  }
})
