import { writeFile } from 'node:fs/promises'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { json, makeApp } from '../helpers/app'
import { problem } from '../helpers/assertions'

/*
 * A `<id>.json` that stops being a document (an editor's half-save) is
 * reported by every listing and refuses every export, whatever the order in
 * which the service met it: listed first, read by id first, broken during an
 * export, or fixed again by hand (issue 28). Each order below lost the file
 * silently before the index kept one record of what it knows about a file.
 */

const HALF_SAVED = '{"title": "half-saved'

interface Listing { items: Array<{ id: unknown }>, unreadable?: Array<{ id: string, file: string, detail: string }> }

async function fivePosts (t: Test): Promise<{ app: FastifyInstance, file: string }> {
  const { app, dataDir } = await makeApp(t)
  // Written through the API and never listed yet: the listing index of posts is not built.
  for (let id = 1; id <= 5; id++) {
    const res = await app.inject({ method: 'PUT', url: `/v1/collections/posts/documents/${id}`, ...json({ title: `post ${id}` }) })
    t.equal(res.statusCode, 201, `post ${id} is created`)
  }
  return { app, file: join(dataDir, 'posts', '3.json') }
}

async function listing (app: FastifyInstance, limit = 100): Promise<Listing> {
  const res = await app.inject(`/v1/collections/posts/documents?limit=${limit}`)
  if (res.statusCode !== 200) throw new Error(`listing answered ${res.statusCode}: ${res.body}`)
  return res.json() as Listing
}

/** Every place a user sees the collection: each must name posts/3.json or refuse, never leave it out. */
async function assertReported (t: Test, app: FastifyInstance, when: string): Promise<void> {
  const page = await listing(app)
  t.same(page.items.map((d) => d.id), [1, 2, 4, 5], `${when}: the listing serves the four documents`)
  t.same(page.unreadable?.map((u) => u.file), ['posts/3.json'], `${when}: the listing names the broken file under "unreadable"`)
  const count = ((await app.inject('/v1/collections/posts')).json() as { count: number }).count
  t.equal(count, page.items.length + (page.unreadable?.length ?? 0), `${when}: the count is the documents listed plus the files reported`)
  for (const [what, url] of [['the db.json export', '/v1/export'], ['the NDJSON export', '/v1/collections/posts/export'], ['the json-server list', '/json-server/posts']]) {
    const res = await app.inject(url as string)
    t.equal(res.statusCode, 500, `${when}: ${what} refuses with 500`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${when}: ${what} answers a problem`)
    t.match(res.body, /posts\/3\.json/, `${when}: ${what} names the file`)
  }
}

/** Polls `check` until it holds: for a state the service reaches on its own (a file watcher's event), never for an assertion. */
async function waitFor (t: Test, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000
  for (let attempt = 1; !await check(); attempt++) {
    if (Date.now() > deadline) throw new Error(`gave up after 20 s waiting for ${what}`)
    if (attempt % 50 === 0) t.comment(`still waiting for ${what} (attempt ${attempt})`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

t.test('break, then list, then read by id: the file stays reported everywhere', async (t) => {
  const { app, file } = await fivePosts(t)
  await writeFile(file, HALF_SAVED)
  t.same((await listing(app)).unreadable?.map((u) => u.id), ['3'], 'the first listing reports it')
  problem(t, await app.inject('/v1/collections/posts/documents/3'), 500, 'GET of the broken document')
  await assertReported(t, app, 'after the read by id')
})

t.test('list, then break, then read by id (the listing had already learnt of it): still reported', async (t) => {
  const { app, file } = await fivePosts(t)
  t.same((await listing(app, 1)).items.map((d) => d.id), [1], 'a first listing builds the index')
  await writeFile(file, HALF_SAVED)
  // The export learns of the breakage from the folder watcher's event, not from a page's own re-check.
  await waitFor(t, 'the export to learn that posts/3.json broke', async () => (await app.inject('/v1/export')).statusCode === 500)
  problem(t, await app.inject('/v1/collections/posts/documents/3'), 500, 'GET of the broken document')
  await assertReported(t, app, 'after the read by id')
})

t.test('a file that breaks while an export runs: the export never completes as if it were whole', async (t) => {
  const { app, file } = await fivePosts(t)
  await app.inject({ method: 'PUT', url: '/v1/collections/authors/documents/a', ...json({ name: 'A' }) })
  // The file breaks after the export's up-front check passed, before its documents are read.
  const store = app.store
  const check = store.checkExportable.bind(store)
  store.checkExportable = async (collection?: string) => {
    await check(collection)
    writeFileSync(file, HALF_SAVED)
  }
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  for (const path of ['/v1/export', '/v1/collections/posts/export']) {
    writeFileSync(file, JSON.stringify({ id: '3', title: 'post 3' }))
    const outcome = await fetch(`http://127.0.0.1:${address.port}${path}`)
      .then(async (res) => ({ status: res.status, body: await res.text() }))
      .catch((err: Error) => ({ status: 0, body: `the response broke off: ${String(err.cause ?? err.message)}` }))
    t.comment(`${path}: ${outcome.status} ${outcome.body.slice(0, 200)}`)
    t.not(outcome.status, 200, `${path} is not a 200 that completes without posts/3.json`)
    if (outcome.status !== 0) t.match(outcome.body, /posts\/3\.json/, `${path}: its problem names the file`)
  }
})

t.test('a broken file fixed again by hand is a document again at once, without a watcher event', async (t) => {
  const { app, file } = await fivePosts(t)
  await writeFile(file, HALF_SAVED)
  t.same((await listing(app)).unreadable?.map((u) => u.id), ['3'], 'the listing reports it')
  problem(t, await app.inject('/v1/collections/posts/documents/3'), 500, 'GET of the broken document')
  writeFileSync(file, JSON.stringify({ id: '3', title: 'fixed' }))
  // Straight to the store, before the event loop can deliver the watcher's event: the listing re-checks the files it reports.
  const page = await app.store.listDocuments('posts', { limit: 100, filters: [] })
  t.same(page.items.map((d) => d.id), [1, 2, 3, 4, 5], 'the fixed file is listed')
  t.equal(page.unreadable, undefined, 'and no longer reported')
  const exported = await app.inject('/v1/export')
  t.equal(exported.statusCode, 200, 'the export is whole again')
  t.same((exported.json() as { posts: unknown[] }).posts.length, 5)
  t.equal((await app.inject('/json-server/posts')).json().length, 5, 'json-server lists all five')
})

t.test('a file broken before the collection was ever listed, then fixed: both states seen at once', async (t) => {
  const { app, file } = await fivePosts(t)
  await writeFile(file, HALF_SAVED)
  problem(t, await app.inject('/v1/collections/posts/documents/3'), 500, 'GET first, before any listing')
  await assertReported(t, app, 'read first, listed after')
  writeFileSync(file, JSON.stringify({ id: '3', title: 'fixed' }))
  const page = await app.store.listDocuments('posts', { limit: 100, filters: [] })
  t.same(page.items.map((d) => d.id), [1, 2, 3, 4, 5], 'the fixed file is listed at once')
})
