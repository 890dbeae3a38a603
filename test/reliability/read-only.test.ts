/**
 * Read-only operation: READ_ONLY=true, and a DATA_DIR on a read-only mount
 * (without READ_ONLY). See docs/reliability.md. The mount tests need root;
 * outside CI they are skipped with the reason when not root, under CI=true they fail.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import {
  call, mountReadOnly, mountTest, problemOf, scratchDir, snapshotTree, startService, type Answer
} from '../helpers/reliability'

const BASE = '/v1/collections/books/documents'
const DUNE = '{\n  "id": "dune",\n  "title": "Dune",\n  "year": 1965\n}\n'
const EMMA = '{\n  "id": "emma",\n  "title": "Emma",\n  "year": 1815\n}\n'

/** A DATA_DIR with two documents, written as files (the volume is the truth). */
async function seed (t: Test): Promise<string> {
  const dataDir = await scratchDir(t)
  await mkdir(join(dataDir, 'books'))
  await writeFile(join(dataDir, 'books', 'dune.json'), DUNE)
  await writeFile(join(dataDir, 'books', 'emma.json'), EMMA)
  return dataDir
}

/** Every write the API offers, each as [what, method, path, body, content-type]. */
const WRITES: Array<[string, string, string, unknown, string | undefined]> = [
  ['create a document', 'POST', BASE, { id: 'new', title: 'New' }, 'application/json'],
  ['create a document in a new collection', 'POST', '/v1/collections/fresh/documents', { id: 'x' }, 'application/json'],
  ['replace a document', 'PUT', `${BASE}/dune`, { title: 'Dune Messiah' }, 'application/json'],
  ['create a document by PUT', 'PUT', `${BASE}/new`, { title: 'New' }, 'application/json'],
  ['merge-patch a document', 'PATCH', `${BASE}/dune`, { year: 1966 }, 'application/merge-patch+json'],
  ['json-patch a document', 'PATCH', `${BASE}/dune`, [{ op: 'replace', path: '/year', value: 1966 }], 'application/json-patch+json'],
  ['delete a document', 'DELETE', `${BASE}/emma`, undefined, undefined],
  ['create a collection', 'PUT', '/v1/collections/other', {}, 'application/json'],
  ['change a collection\'s settings', 'PUT', '/v1/collections/books', { schema: { type: 'object' } }, 'application/json'],
  ['delete a collection', 'DELETE', '/v1/collections/books?force=true', undefined, undefined]
]

/**
 * A refusal must be prompt: a client is not kept waiting for a write that cannot happen. The
 * slow wrong answers are a hang or the 10 s lock timeout (LOCK_TIMEOUT_MS); half of that is the
 * bound, not the 2 s a quiet machine needs for these eight requests at once.
 */
const PROMPT_MS = 5_000

/** Tries every write; each answer, or why there was none in time. */
async function attemptWrites (url: string): Promise<Array<[string, Answer | string]>> {
  return await Promise.all(WRITES.map(async ([what, method, path, body, type]): Promise<[string, Answer | string]> => {
    const name = `${what} (${method} ${path})`
    const started = Date.now()
    try {
      const answer = await call(`${url}${path}`, method, body, type === undefined ? {} : { 'content-type': type }, AbortSignal.timeout(PROMPT_MS))
      return [name, answer]
    } catch (err) {
      return [name, `no answer within ${PROMPT_MS} ms (${Date.now() - started} ms: ${(err as Error).name})`]
    }
  }))
}

/** Reads work and serve the files' bytes. */
async function checkReads (t: Test, url: string): Promise<void> {
  const dune = await call(`${url}${BASE}/dune`, 'GET')
  t.equal(dune.status, 200, 'GET a document: 200')
  t.equal(dune.text, DUNE, 'with the file\'s exact bytes')
  const etag = dune.headers.get('etag') ?? ''
  const again = await call(`${url}${BASE}/dune`, 'GET', undefined, { 'if-none-match': etag })
  t.equal(again.status, 304, 'a conditional GET: 304')
  const list = await call(`${url}${BASE}?sort=year`, 'GET')
  t.equal(list.status, 200, 'listing: 200')
  t.same((JSON.parse(list.text) as { items: Array<{ id: string }> }).items.map((d) => d.id), ['emma', 'dune'], 'listing holds both documents, sorted')
  const collections = await call(`${url}/v1/collections`, 'GET')
  t.equal(collections.status, 200, 'list collections: 200')
  const missing = await call(`${url}${BASE}/nope`, 'GET')
  t.equal(missing.status, 404, 'a missing document: 404')
}

t.test('READ_ONLY=true: reads work, every write is refused with 405 problem+json and an Allow header, readiness says read-only', async (t) => {
  const dataDir = await seed(t)
  const before = await snapshotTree(dataDir)
  const server = await startService(t, { DATA_DIR: dataDir, READ_ONLY: 'true' })
  await checkReads(t, server.url)

  const wrong: string[] = []
  for (const [what, answer] of await attemptWrites(server.url)) {
    if (typeof answer === 'string') { wrong.push(`${what}: ${answer}`); continue }
    const problem = problemOf(answer)
    if (answer.status !== 405) wrong.push(`${what}: answered ${answer.status} ${answer.text.slice(0, 150)}`)
    else if (typeof problem === 'string') wrong.push(`${what}: ${problem}`)
    else if (!/read[-_ ]?only/i.test(`${problem.type} ${problem.detail}`)) wrong.push(`${what}: the problem does not say read-only: ${answer.text}`)
    else if (!/\bGET\b/.test(answer.headers.get('allow') ?? '')) wrong.push(`${what}: Allow header is ${String(answer.headers.get('allow'))}`)
  }
  t.same(wrong, [], `all ${WRITES.length} kinds of write answered promptly 405 problem+json naming read-only, with Allow: GET…`)
  t.same(await snapshotTree(dataDir), before, 'nothing on the volume changed')

  const ready = await call(`${server.url}/health/ready`, 'GET')
  t.equal(ready.status, 200, 'readiness: 200, the service is ready to serve reads')
  t.match(ready.text, /read[-_ ]?only/i, `readiness reports the read-only state (body: ${ready.text.slice(0, 200)})`)
  await server.stop('SIGKILL') // done; SIGTERM is shutdown.test.ts's business
})

mountTest(t, 'a read-only mount without READ_ONLY: the service starts, serves reads, refuses writes naming the read-only volume, readiness 503', async (t) => {
  const source = await seed(t)
  const before = await snapshotTree(source)
  const dataDir = await mountReadOnly(t, source)
  let server
  try {
    server = await startService(t, { DATA_DIR: dataDir })
  } catch (err) {
    t.fail(`the service must start on a read-only volume, but: ${(err as Error).message.trim()}`)
    return
  }
  t.pass('the service started on the read-only volume')
  await checkReads(t, server.url)

  const wrong: string[] = []
  for (const [what, answer] of await attemptWrites(server.url)) {
    if (typeof answer === 'string') { wrong.push(`${what}: ${answer}`); continue }
    const problem = problemOf(answer)
    if (answer.status < 400 || answer.status === 500) wrong.push(`${what}: answered ${answer.status} ${answer.text.slice(0, 150)}`)
    else if (typeof problem === 'string') wrong.push(`${what}: ${problem}`)
    else if (/internal/i.test(problem.type)) wrong.push(`${what}: an internal error: ${answer.text.slice(0, 200)}`)
    else if (!/read[-_ ]?only/i.test(`${problem.type} ${problem.detail}`)) wrong.push(`${what}: the problem does not name the read-only volume: ${answer.text.slice(0, 200)}`)
  }
  t.same(wrong, [], `all ${WRITES.length} kinds of write were refused promptly (< ${PROMPT_MS} ms) with a 4xx/5xx (not 500) problem+json naming the read-only volume`)
  t.same(await snapshotTree(source), before, 'nothing on the volume changed')

  const ready = await call(`${server.url}/health/ready`, 'GET')
  t.equal(ready.status, 503, 'readiness: 503, the service cannot write')
  const problem = problemOf(ready)
  t.ok(typeof problem !== 'string' && /read[-_ ]?only/i.test(problem.detail), `its reason mentions the read-only volume (body: ${ready.text.slice(0, 200)})`)
  await server.stop('SIGKILL') // done; SIGTERM is shutdown.test.ts's business
})

mountTest(t, 'a read-only mount with READ_ONLY=true: the service starts and serves reads', async (t) => {
  const source = await seed(t)
  const dataDir = await mountReadOnly(t, source)
  const server = await startService(t, { DATA_DIR: dataDir, READ_ONLY: 'true' })
  await checkReads(t, server.url)
  const refused = await call(`${server.url}${BASE}/dune`, 'DELETE')
  t.equal(refused.status, 405, 'writes: 405')
  const ready = await call(`${server.url}/health/ready`, 'GET')
  t.equal(ready.status, 200, 'readiness: 200 (reads are all it promises)')
  await server.stop('SIGKILL') // done; SIGTERM is shutdown.test.ts's business
})
