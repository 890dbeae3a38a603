/**
 * Full disk: DATA_DIR on a 2 MB tmpfs, filled with writes until they fail.
 * See docs/reliability.md. Needs root (mount); outside CI it is skipped with
 * the reason when not root, under CI=true it fails.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import {
  call, listFiles, mountTest, mountTmpfs, problemOf, startService, tempFiles, type Answer
} from '../helpers/reliability'

const BASE = '/v1/collections/fill/documents'

function doc (id: string, size: number): Record<string, unknown> {
  return { id, pad: 'z'.repeat(size) }
}

/** "" when `answer` is a 507 problem+json, else why not. */
function why507 (answer: Answer): string {
  if (answer.status !== 507) return `answered ${answer.status}: ${answer.text.slice(0, 200)}`
  const problem = problemOf(answer)
  return typeof problem === 'string' ? problem : ''
}

mountTest(t, 'a full volume: writes answer 507 problem+json and leave nothing behind, reads go on, freeing space lets writes succeed', async (t) => {
  const volume = await mountTmpfs(t, '2m')
  const dataDir = join(volume, 'data')
  const server = await startService(t, { DATA_DIR: dataDir })
  const url = server.url

  /** id → the bytes acknowledged for it. */
  const acknowledged = new Map<string, string>()
  const wrongFailures: string[] = []
  const leftovers: string[] = []

  /** After each failed write: no temp file, and the folder holds exactly the acknowledged documents. */
  async function checkClean (what: string): Promise<void> {
    const temps = await tempFiles(dataDir)
    const docs = (await listFiles(dataDir)).filter((p) => p.endsWith('.json') && !p.endsWith('/.collection.json'))
    const expected = [...acknowledged.keys()].map((id) => `fill/${id}.json`).sort()
    if (temps.length > 0) leftovers.push(`${what}: temp files ${temps.join(', ')}`)
    if (JSON.stringify(docs) !== JSON.stringify(expected)) {
      leftovers.push(`${what}: files ${docs.filter((d) => !expected.includes(d)).join(', ')} not acknowledged; ` +
        `missing ${expected.filter((d) => !docs.includes(d)).join(', ')}`)
    }
  }

  async function create (id: string, size: number): Promise<Answer> {
    const answer = await call(`${url}${BASE}`, 'POST', doc(id, size))
    if (answer.status === 201) {
      acknowledged.set(id, answer.text)
    } else {
      const why = why507(answer)
      if (why !== '') wrongFailures.push(`create ${id} (${size} B): ${why}`)
      await checkClean(`create ${id}`)
    }
    return answer
  }

  // Fill with 50 KB documents until one fails, then with ever smaller ones until even 10 bytes fail.
  let failures = 0
  let n = 0
  for (const size of [50_000, 8_000, 1_000, 10]) {
    for (let i = 0; i < 400; i++) {
      const answer = await create(`d${n++}`, size)
      if (answer.status !== 201) {
        failures++
        break
      }
    }
  }
  t.ok(acknowledged.size > 20, `${acknowledged.size} documents written before the volume was full`)
  t.equal(failures, 4, 'at every size, writes eventually failed: the volume is full')

  // More kinds of writes on the full volume: replace, merge patch, JSON patch, create in a new collection.
  const victim = [...acknowledged.keys()][0] as string
  const victimBytes = acknowledged.get(victim) as string
  const more: Array<[string, Answer]> = [
    ['PUT replace', await call(`${url}${BASE}/${victim}`, 'PUT', doc(victim, 60_000))],
    ['PATCH merge', await call(`${url}${BASE}/${victim}`, 'PATCH', { grown: 'y'.repeat(60_000) }, { 'content-type': 'application/merge-patch+json' })],
    ['PATCH json-patch', await call(`${url}${BASE}/${victim}`, 'PATCH', [{ op: 'add', path: '/grown', value: 'y'.repeat(60_000) }], { 'content-type': 'application/json-patch+json' })],
    ['PUT create', await call(`${url}${BASE}/brand-new`, 'PUT', doc('brand-new', 20_000))]
  ]
  for (const [what, answer] of more) {
    const why = why507(answer)
    if (why !== '') wrongFailures.push(`${what}: ${why}`)
    await checkClean(what)
  }
  t.same(wrongFailures, [], 'every failed write answered 507 application/problem+json')
  t.same(leftovers, [], 'no failed write left a temp file or a partial document')
  t.equal(await readFile(join(dataDir, 'fill', `${victim}.json`), 'utf8'), victimBytes, 'the document a failed replace and patches targeted is intact')

  // Reads keep working, and every acknowledged document reads back intact, on disk and over HTTP.
  const damaged: string[] = []
  for (const [id, bytes] of acknowledged) {
    const onDisk = await readFile(join(dataDir, 'fill', `${id}.json`), 'utf8')
    const served = await call(`${url}${BASE}/${id}`, 'GET')
    if (onDisk !== bytes || served.status !== 200 || served.text !== bytes) damaged.push(id)
  }
  t.same(damaged, [], `all ${acknowledged.size} acknowledged documents read back intact`)
  const listing = await call(`${url}${BASE}?limit=1000`, 'GET')
  t.equal(listing.status, 200, 'listing works on the full volume')
  t.equal((JSON.parse(listing.text) as { items: unknown[] }).items.length, acknowledged.size, 'and lists every document')
  const live = await call(`${url}/health/live`, 'GET')
  t.equal(live.status, 200, 'the process is alive')

  // Free space: delete a few documents; then writes succeed again.
  const deleted: number[] = []
  for (const id of [...acknowledged.keys()].slice(1, 6)) {
    const answer = await call(`${url}${BASE}/${id}`, 'DELETE')
    deleted.push(answer.status)
    if (answer.status === 204) acknowledged.delete(id)
  }
  t.same(deleted, [204, 204, 204, 204, 204], 'deleting documents works on a full volume')
  const again = await create('after-free', 50_000)
  t.equal(again.status, 201, 'after space was freed, a 50 KB write succeeds again')
  t.equal(await readFile(join(dataDir, 'fill', 'after-free.json'), 'utf8'), again.text, 'and it is on disk')
  const replaced = await call(`${url}${BASE}/${victim}`, 'PUT', doc(victim, 30_000))
  t.equal(replaced.status, 200, 'the replace that failed before succeeds now')

  await server.stop('SIGKILL') // done; SIGTERM is shutdown.test.ts's business
})
