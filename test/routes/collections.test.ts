import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { problem, pretty, type Doc, type Res } from '../helpers/assertions'
import { json, makeApp, snapshot, tempDir } from '../helpers/app'



async function putCollection (app: FastifyInstance, name: string, body: unknown = {}): Promise<Res> {
  return await app.inject({ method: 'PUT', url: `/v1/collections/${name}`, ...json(body) })
}

async function putDoc (app: FastifyInstance, c: string, id: string, body: unknown): Promise<Res> {
  return await app.inject({ method: 'PUT', url: `/v1/collections/${c}/documents/${id}`, ...json(body) })
}


async function exists (path: string): Promise<boolean> {
  return await lstat(path).then(() => true, () => false)
}


t.test('GET /v1/collections lists collections with their document counts', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const empty = await app.inject('/v1/collections')
  t.equal(empty.statusCode, 200)
  t.match(empty.headers['content-type'], /^application\/json/)
  t.same(empty.json(), { items: [] })

  for (let i = 0; i < 3; i++) await putDoc(app, 'books', `b${i}`, { i })
  await putDoc(app, 'authors', 'a1', { name: 'A' })
  t.equal((await putCollection(app, 'empty')).statusCode, 201)
  // Things in DATA_DIR that are not collections, and files in a collection that are not documents.
  await mkdir(join(dataDir, 'Not.A.Collection'))
  await mkdir(join(dataDir, '.hidden'))
  await writeFile(join(dataDir, 'stray.json'), '{}')
  await writeFile(join(dataDir, 'books', 'notes.txt'), 'hello')
  await writeFile(join(dataDir, 'books', '.tmp-x.json-abc'), '{}')
  await writeFile(join(dataDir, 'authors', 'a2.json'), pretty({ id: 'a2' })) // dropped in by hand

  const res = await app.inject('/v1/collections')
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    items: [
      { name: 'authors', count: 2 },
      { name: 'books', count: 3 },
      { name: 'empty', count: 0 }
    ]
  }, 'sorted by name, counting only <id>.json files')

  await app.inject({ method: 'DELETE', url: '/v1/collections/books/documents/b0' })
  t.same((await app.inject('/v1/collections')).json().items[1], { name: 'books', count: 2 }, 'counts follow deletes')
})

t.test('PUT a collection: 201 then 200, settings written to .collection.json', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const schema = { type: 'object', required: ['title'], properties: { title: { type: 'string' } } }
  const created = await putCollection(app, 'books', { schema })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { name: 'books', count: 0, schema })
  t.ok((await stat(join(dataDir, 'books'))).isDirectory(), 'the folder exists')
  const settingsFile = join(dataDir, 'books', '.collection.json')
  t.equal(await readFile(settingsFile, 'utf8'), pretty({ schema }), '.collection.json holds the settings, pretty-printed')

  await putDoc(app, 'books', 'dune', { title: 'Dune' })
  const newSchema = { type: 'object', properties: { title: { type: 'string' }, year: { type: 'integer' } } }
  const updated = await putCollection(app, 'books', { schema: newSchema })
  t.equal(updated.statusCode, 200)
  t.same(updated.json(), { name: 'books', count: 1, schema: newSchema })
  t.equal(await readFile(settingsFile, 'utf8'), pretty({ schema: newSchema }))
  t.equal((await putDoc(app, 'books', 'untitled', { year: 1 })).statusCode, 201, 'the new schema applies (title no longer required)')
  problem(t, await putDoc(app, 'books', 'bad', { year: 'x' }), 422, 'the new schema is enforced')

  const cleared = await putCollection(app, 'books', {})
  t.equal(cleared.statusCode, 200)
  t.same(cleared.json(), { name: 'books', count: 2 }, 'no schema any more')
  t.same(JSON.parse(await readFile(settingsFile, 'utf8')), {}, 'the settings file holds no schema')
  t.equal((await putDoc(app, 'books', 'free', { year: 'x' })).statusCode, 201, 'anything goes without a schema')

  const plain = await putCollection(app, 'plain')
  t.equal(plain.statusCode, 201)
  t.same(plain.json(), { name: 'plain', count: 0 })
})

t.test('PUT a collection with an invalid JSON Schema is a 400 and writes nothing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await putCollection(app, 'existing', { schema: { type: 'object' } })
  const before = await snapshot(dataDir)
  for (const schema of [{ type: 'nope' }, { type: 'object', required: 'title' }, { properties: { a: { minimum: 'x' } } }]) {
    problem(t, await putCollection(app, 'fresh', { schema }), 400, `new collection, schema ${JSON.stringify(schema)}`)
    problem(t, await putCollection(app, 'existing', { schema }), 400, `existing collection, schema ${JSON.stringify(schema)}`)
  }
  problem(t, await putCollection(app, 'fresh', { schema: 'string' }), 400, 'a schema that is not an object')
  problem(t, await putCollection(app, 'fresh', [1]), 400, 'a body that is not an object')
  t.same(await snapshot(dataDir), before, 'no folder created, .collection.json unchanged')
  t.equal((await app.inject('/v1/collections/fresh')).statusCode, 404)
})

t.test('PUT a schema the existing documents violate is a 422 naming them', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await putDoc(app, 'books', 'good', { title: 'Dune', year: 1965 })
  await putDoc(app, 'books', 'noyear', { title: 'Emma' })
  await putDoc(app, 'books', 'badyear', { title: 'X', year: 'soon' })
  const before = await snapshot(dataDir)
  const schema = { type: 'object', required: ['title', 'year'], properties: { year: { type: 'integer' } } }
  const res = problem(t, await putCollection(app, 'books', { schema }), 422, 'schema violated by existing documents')
  const pointers = (res.errors as Array<{ pointer: string, message: string }>).map((e) => e.pointer).sort()
  t.same(pointers, ['/badyear/year', '/noyear/year'], 'each violating document and field is named')
  t.notOk(pointers.some((p) => p.startsWith('/good')), 'the valid document is not named')
  t.same(await snapshot(dataDir), before, 'no .collection.json written')
  t.same((await app.inject('/v1/collections/books')).json(), { name: 'books', count: 3 }, 'the settings did not change')
  t.equal((await putDoc(app, 'books', 'another', { year: 'x' })).statusCode, 201, 'no schema is enforced')
})

t.test('GET a collection: settings and count; 404 when missing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const schema = { type: 'object', properties: { n: { type: 'number' } } }
  await putCollection(app, 'nums', { schema })
  for (let i = 0; i < 4; i++) await putDoc(app, 'nums', `n${i}`, { n: i })
  const res = await app.inject('/v1/collections/nums')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { name: 'nums', count: 4, schema })

  await putDoc(app, 'bare', 'x', {})
  t.same((await app.inject('/v1/collections/bare')).json(), { name: 'bare', count: 1 }, 'a collection made by its first write has no settings')

  // Settings edited on the host are what the next request sees.
  const edited = { type: 'object', required: ['must'] }
  await writeFile(join(dataDir, 'nums', '.collection.json'), pretty({ schema: edited }))
  t.same((await app.inject('/v1/collections/nums')).json(), { name: 'nums', count: 4, schema: edited })
  problem(t, await putDoc(app, 'nums', 'n9', { n: 9 }), 422, 'the hand-edited schema is enforced')

  const missing = problem(t, await app.inject('/v1/collections/nope'), 404, 'missing collection')
  t.match(missing.detail, /nope/)
  problem(t, await app.inject('/v1/collections/nope/documents'), 404, 'listing a missing collection')
})

t.test('DELETE a collection: 204 when empty, 409 when not, ?force=true removes it, 404 when missing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await putCollection(app, 'empty', { schema: { type: 'object' } })
  const del = await app.inject({ method: 'DELETE', url: '/v1/collections/empty' })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '', '204 has no body')
  t.notOk(await exists(join(dataDir, 'empty')), 'the folder (with its .collection.json) is gone')
  problem(t, await app.inject('/v1/collections/empty'), 404, 'GET after DELETE')

  await putDoc(app, 'full', 'a', { v: 1 })
  await putDoc(app, 'full', 'b', { v: 2 })
  t.same((await app.inject('/v1/collections/full/documents')).json().items.length, 2, 'listed once (index loaded)')
  const before = await snapshot(dataDir)
  const conflict = problem(t, await app.inject({ method: 'DELETE', url: '/v1/collections/full' }), 409, 'non-empty')
  t.match(conflict.detail, /2/, 'the detail says how many documents')
  problem(t, await app.inject({ method: 'DELETE', url: '/v1/collections/full?force=false' }), 409, 'force=false')
  t.same(await snapshot(dataDir), before, 'nothing removed')

  const forced = await app.inject({ method: 'DELETE', url: '/v1/collections/full?force=true' })
  t.equal(forced.statusCode, 204)
  t.equal(forced.body, '')
  t.notOk(await exists(join(dataDir, 'full')), 'the folder is gone')
  t.same(await readdir(dataDir), ['.jsondock.lock'], 'DATA_DIR holds only its lock file')
  problem(t, await app.inject('/v1/collections/full/documents/a'), 404, 'its documents are gone')
  problem(t, await app.inject('/v1/collections/full/documents'), 404, 'its listing is gone')

  // A collection of the same name starts afresh.
  await putDoc(app, 'full', 'c', { v: 3 })
  t.same((await app.inject('/v1/collections/full/documents')).json().items, [{ id: 'c', v: 3 }], 'a new collection of the same name holds only its own documents')

  problem(t, await app.inject({ method: 'DELETE', url: '/v1/collections/missing' }), 404, 'missing collection')
  problem(t, await app.inject({ method: 'DELETE', url: '/v1/collections/missing?force=true' }), 404, 'missing collection, forced')
  problem(t, await app.inject({ method: 'DELETE', url: '/v1/collections/full?force=maybe' }), 400, 'force must be a boolean')
  t.ok(await exists(join(dataDir, 'full', 'c.json')), 'the bad request removed nothing')
})

t.test('invalid collection names are 400 or 404 problems and never touch a path outside DATA_DIR', async (t) => {
  const root = await tempDir(t)
  const dataDir = join(root, 'data')
  const { app } = await makeApp(t, { DATA_DIR: dataDir })
  await mkdir(join(root, 'sibling'))
  await writeFile(join(root, 'sibling', 'secret.json'), '{"id":"secret","s":1}')
  const rootBefore = await snapshot(root)

  const names = ['..', '%2e%2e', '%2E%2E', '.', 'Books.json', 'ABC%20def', 'a'.repeat(65), 'a/b', 'a%2Fb', '..%2Fsibling', '-lead', '_lead', 'a.b', 'a%00b', 'sibling%2F..%2F..', '%20']
  for (const name of names) {
    const requests: Array<[string, () => Promise<Res>]> = [
      ['GET', async () => await app.inject(`/v1/collections/${name}`)],
      ['PUT', async () => await app.inject({ method: 'PUT', url: `/v1/collections/${name}`, ...json({}) })],
      ['DELETE', async () => await app.inject({ method: 'DELETE', url: `/v1/collections/${name}?force=true` })],
      ['POST doc', async () => await app.inject({ method: 'POST', url: `/v1/collections/${name}/documents`, ...json({ id: 'x' }) })],
      ['PUT doc', async () => await app.inject({ method: 'PUT', url: `/v1/collections/${name}/documents/secret`, ...json({ s: 2 }) })],
      ['GET doc', async () => await app.inject(`/v1/collections/${name}/documents/secret`)],
      ['list', async () => await app.inject(`/v1/collections/${name}/documents`)]
    ]
    for (const [what, send] of requests) {
      const res = await send()
      // The URL resolves "." away: GET /v1/collections/. is GET /v1/collections/, the list of collections.
      if (name === '.' && what === 'GET') {
        t.same([res.statusCode, res.json()], [200, { items: [] }], 'GET "." is the list of collections')
        continue
      }
      t.ok([400, 404].includes(res.statusCode), `${what} "${name}" → ${res.statusCode}`)
      t.match(res.headers['content-type'], /^application\/problem\+json/, `${what} "${name}" is problem+json`)
    }
  }
  t.same(await snapshot(root), rootBefore, 'nothing created or changed outside (or inside) DATA_DIR')
  t.same(await readdir(dataDir), ['.jsondock.lock'], 'DATA_DIR still holds only its lock file')

  const sixtyFour = 'a'.repeat(64)
  t.equal((await app.inject({ method: 'PUT', url: `/v1/collections/${sixtyFour}`, ...json({}) })).statusCode, 201, '64 characters is allowed')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/0-a_b', ...json({}) })).statusCode, 201, 'digits, - and _ are allowed')
})

t.test('raw dot-segment paths over real HTTP stay inside DATA_DIR', async (t) => {
  const root = await tempDir(t)
  const dataDir = join(root, 'data')
  const { app } = await makeApp(t, { DATA_DIR: dataDir })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const rootBefore = await snapshot(root)

  const send = async (method: string, path: string, body?: string): Promise<{ status: number, type: string }> =>
    await new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) }))
      })
      req.on('error', reject)
      req.end(body)
    })

  for (const path of ['/v1/collections/..', '/v1/collections/../documents', '/v1/collections/%2e%2e/documents', '/v1/collections/..%2f..%2ftmp/documents']) {
    for (const [method, body] of [['GET', undefined], ['PUT', '{}'], ['POST', '{"id":"x"}'], ['DELETE', undefined]] as const) {
      const res = await send(method, path, body)
      t.ok([400, 404].includes(res.status), `${method} ${path} → ${res.status}`)
      t.match(res.type, /^application\/problem\+json/)
    }
  }
  t.same(await snapshot(root), rootBefore, 'nothing written anywhere')
})
