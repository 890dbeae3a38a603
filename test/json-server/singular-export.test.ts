import t from 'tap'
import { json, makeApp } from '../helpers/app'

/*
 * A json-server db.json with singular resources goes through the store and
 * back out of `GET /v1/export` unchanged, and `GET /v1/collections` says what
 * the folder that holds them is (issue 28, item 9). Also the differences the
 * issue found undocumented, as jsondock answers them (docs/json-server.md).
 */

const DB = {
  comments: [{ id: 1, body: 'some comment', postId: 1 }],
  posts: [{ id: 1, title: 'json-server', author: 'typicode' }, { id: 2, title: 'hello' }],
  profile: { name: 'typicode' },
  settings: { theme: 'dark', pageSize: 20 }
}

t.test('db.json with singular resources: export gives back the same db.json, listing names them', async (t) => {
  const { app } = await makeApp(t)
  const imported = await app.inject({ method: 'POST', url: '/v1/import', ...json(DB) })
  t.equal(imported.statusCode, 200)
  const exported = await app.inject('/v1/export')
  t.equal(exported.statusCode, 200)
  t.same(exported.json(), DB, 'the same db.json: singular resources are top-level objects again')
  t.notOk('json-server-singular' in exported.json(), 'no internal collection in the export')
  const again = await makeApp(t)
  t.equal((await again.app.inject({ method: 'POST', url: '/v1/import', payload: exported.body, headers: { 'content-type': 'application/json' } })).statusCode, 200)
  t.same((await again.app.inject('/v1/export')).json(), DB, 'and it imports back into the same store')
  t.same((await app.inject('/json-server/db')).json(), DB, 'json-server\'s GET /db agrees')

  const listed = (await app.inject('/v1/collections')).json() as { items: Array<{ name: string, singulars?: string[] }> }
  t.same(listed.items.find((c) => c.name === 'json-server-singular')?.singulars, ['profile', 'settings'], 'the folder of singular resources names them')
  t.equal(listed.items.find((c) => c.name === 'posts')?.singulars, undefined, 'a collection has no such list')
})

t.test('a document of that folder that is no singular resource stays in its array: nothing is dropped', async (t) => {
  const { app } = await makeApp(t)
  await app.inject({ method: 'POST', url: '/v1/import', ...json({ posts: [{ id: 1 }], profile: { name: 'x' } }) })
  await app.inject({ method: 'PUT', url: '/v1/collections/json-server-singular/documents/handmade', ...json({ note: 'not a resource' }) })
  await app.inject({ method: 'PUT', url: '/v1/collections/json-server-singular/documents/posts', ...json({ value: { shadowed: true } }) })
  const exported = (await app.inject('/v1/export')).json() as Record<string, unknown>
  t.same(exported.profile, { name: 'x' })
  t.same(exported.posts, [{ id: 1 }], 'a collection wins over a singular resource of its name, as on the json-server routes')
  t.same(exported['json-server-singular'], [{ id: 'handmade', note: 'not a resource' }, { id: 'posts', value: { shadowed: true } }], 'the others are kept as documents')
})

t.test('the differences docs/json-server.md lists for POST, as jsondock answers them', async (t) => {
  const { app } = await makeApp(t)
  await app.inject({ method: 'POST', url: '/v1/import', ...json({ posts: [{ id: 1, title: 'a' }], comments: [] }) })
  const created = await app.inject({ method: 'POST', url: '/json-server/posts', ...json({ title: 'b', id: 2 }) })
  t.same(Object.keys(created.json()), ['id', 'title'], 'a POST\'s id comes first (json-server: where the body put it)')
  const nested = await app.inject({ method: 'POST', url: '/json-server/posts/1/comments', ...json({ body: 'c' }) })
  t.equal(nested.statusCode, 201)
  t.match(nested.headers.location, /\/json-server\/comments\/1$/, 'a nested POST\'s Location names the document without the parent path')
  await app.inject({ method: 'POST', url: '/json-server/posts', ...json({ id: 'draft', title: 'string id' }) })
  const next = (await app.inject({ method: 'POST', url: '/json-server/posts', ...json({ title: 'after' }) })).json() as { id: unknown }
  t.match(String(next.id), /^[0-9a-f]{8}-[0-9a-f]{4}-7/, 'one string id in a numeric collection: later POSTs get UUIDv7 ids')
})
