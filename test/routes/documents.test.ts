import { createHash } from 'node:crypto'
import { lstat, readdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { problem, pretty, type Doc, type Res } from '../helpers/assertions'
import { json, makeApp, snapshot } from '../helpers/app'
import { changeSeenByWatchers } from '../helpers/wait'

// ---- helpers --------------------------------------------------------------------------------


const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const MERGE = { 'content-type': 'application/merge-patch+json' }
const JPATCH = { 'content-type': 'application/json-patch+json' }

const docsUrl = (c: string): string => `/v1/collections/${c}/documents`
const docUrl = (c: string, id: string): string => `/v1/collections/${c}/documents/${id}`
/** docs/storage.md: the ETag is the SHA-256 of the file's bytes, base64url, strong. */
const etagOfBytes = (bytes: Buffer | string): string => `"${createHash('sha256').update(bytes).digest('base64url')}"`

async function post (app: FastifyInstance, c: string, body: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const req = json(body)
  return await app.inject({ method: 'POST', url: docsUrl(c), payload: req.payload, headers: { ...req.headers, ...headers } })
}

async function put (app: FastifyInstance, c: string, id: string, body: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const req = json(body)
  return await app.inject({ method: 'PUT', url: docUrl(c, id), payload: req.payload, headers: { ...req.headers, ...headers } })
}

async function patch (app: FastifyInstance, c: string, id: string, body: unknown, headers: Record<string, string>): Promise<Res> {
  return await app.inject({ method: 'PATCH', url: docUrl(c, id), payload: JSON.stringify(body), headers })
}

async function list (app: FastifyInstance, c: string, query = ''): Promise<Res> {
  return await app.inject({ method: 'GET', url: docsUrl(c) + (query === '' ? '' : `?${query}`) })
}

async function listIds (t: Test, app: FastifyInstance, c: string, query = ''): Promise<string[]> {
  const res = await list(app, c, query)
  t.equal(res.statusCode, 200, `GET ?${query} is 200`)
  return (res.json().items as Doc[]).map((d) => d.id as string)
}


/**
 * The file on disk is the response body's bytes, pretty-printed with a
 * 2-space indent and a trailing newline; ETag and Last-Modified describe it.
 */
async function checkOnDisk (t: Test, dataDir: string, c: string, id: string, res: Res): Promise<Doc> {
  const file = join(dataDir, c, `${id}.json`)
  const bytes = await readFile(file)
  const text = bytes.toString('utf8')
  t.equal(res.body, text, `response body is the bytes of ${c}/${id}.json`)
  const doc = JSON.parse(text) as Doc
  t.equal(text, pretty(doc), 'the file is pretty-printed with 2 spaces and a trailing newline')
  t.equal(doc.id, id, 'the file holds its id')
  t.equal(res.headers.etag, etagOfBytes(bytes), 'ETag is the hash of the file bytes')
  t.match(res.headers.etag, /^"[^"]+"$/, 'ETag is strong')
  t.equal(res.headers['last-modified'], (await stat(file)).mtime.toUTCString(), 'Last-Modified is the file mtime')
  t.match(res.headers['content-type'], /^application\/json/)
  return doc
}



// ---- POST -----------------------------------------------------------------------------------

t.test('POST with a server-made id: 201, UUIDv7, Location, ETag, Last-Modified, file on disk', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const res = await post(app, 'books', { title: 'Dune', year: 1965, tags: ['sf'], meta: { pages: 412 } })
  t.equal(res.statusCode, 201)
  const body = res.json() as Doc
  const id = body.id as string
  t.match(id, UUID_V7, 'the id is a UUIDv7')
  t.equal(res.headers.location, `/v1/collections/books/documents/${id}`)
  t.same(body, { id, title: 'Dune', year: 1965, tags: ['sf'], meta: { pages: 412 } })
  t.same(Object.keys(body), ['id', 'title', 'year', 'tags', 'meta'], 'id first, then the body fields in order')
  await checkOnDisk(t, dataDir, 'books', id, res)

  const get = await app.inject(res.headers.location as string)
  t.equal(get.statusCode, 200, 'Location points at the document')
  t.equal(get.body, res.body)
  t.equal(get.headers.etag, res.headers.etag, 'the ETag of the create is the ETag of the read')
})

t.test('server-made ids of successive creates sort ascending', async (t) => {
  const { app } = await makeApp(t)
  const ids: string[] = []
  for (let i = 0; i < 15; i++) {
    const res = await post(app, 'seq', { i })
    t.equal(res.statusCode, 201)
    ids.push(res.json().id as string)
  }
  for (const id of ids) t.match(id, UUID_V7)
  t.equal(new Set(ids).size, ids.length, 'all distinct')
  t.same([...ids].sort(), ids, 'creation order is id order')
  t.same(await listIds(t, app, 'seq', 'limit=100'), ids, 'the default listing is creation order')
})

t.test('POST with a body id: 201 at that id; a duplicate id is 409 and changes nothing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const res = await post(app, 'books', { title: 'Emma', id: 'emma' })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/collections/books/documents/emma')
  t.ok(res.headers['last-modified'])
  const doc = await checkOnDisk(t, dataDir, 'books', 'emma', res)
  t.same(doc, { id: 'emma', title: 'Emma' })

  const before = await snapshot(dataDir)
  const dup = await post(app, 'books', { id: 'emma', title: 'Other' })
  problem(t, dup, 409, 'duplicate id')
  t.same(await snapshot(dataDir), before, 'nothing changed on disk')
  t.same((await app.inject(docUrl('books', 'emma'))).json(), { id: 'emma', title: 'Emma' })
})

t.test('POST with an invalid body id is a 400 and writes nothing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  for (const id of ['../etc', 'a.b', '', 'x'.repeat(129), '-lead', null, { a: 1 }]) {
    const res = await post(app, 'books', { id })
    problem(t, res, 400, `id ${JSON.stringify(id)}`)
  }
  t.same(await snapshot(dataDir), {}, 'no folder, no file')
})

t.test('a body id is a string or a non-negative integer (kept a number); nothing else is coerced', async (t) => {
  const { app, dataDir } = await makeApp(t)
  // Fastify's default Ajv would coerce body types: true → "true", ["x"] → "x", -1 → "-1".
  for (const id of [true, ['x'], -1, 1.5, { a: 1 }]) {
    const created = await post(app, 'books', { id, title: 'x' })
    t.equal(created.statusCode, 400, `POST id ${JSON.stringify(id)} → ${created.statusCode} ${created.body.slice(0, 60)}`)
    const replaced = await put(app, 'books', 'x1', { id, title: 'x' })
    t.equal(replaced.statusCode, 400, `PUT id ${JSON.stringify(id)} → ${replaced.statusCode} ${replaced.body.slice(0, 60)}`)
  }
  t.same(await snapshot(dataDir), {}, 'no folder, no file')
  const numeric = await post(app, 'books', { id: 42, title: 'x' })
  t.equal(numeric.statusCode, 201)
  t.equal(numeric.headers.location, '/v1/collections/books/documents/42')
  t.equal(JSON.parse(numeric.body).id, 42, 'a numeric id stays a number')
  const listed = (await app.inject('/v1/collections/books/documents')).json() as { items: Array<{ id: unknown }> }
  t.same(listed.items.map((d) => d.id), [42], 'also in listings')
})

// ---- GET / HEAD -----------------------------------------------------------------------------

t.test('GET: exact bytes, strong ETag of the file, If-None-Match → 304 (also W/ and lists), HEAD', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'd1', { a: 1, s: 'é' })
  const res = await app.inject(docUrl('c', 'd1'))
  t.equal(res.statusCode, 200)
  await checkOnDisk(t, dataDir, 'c', 'd1', res)
  const etag = res.headers.etag as string

  const notModified = await app.inject({ url: docUrl('c', 'd1'), headers: { 'if-none-match': etag } })
  t.equal(notModified.statusCode, 304)
  t.equal(notModified.body, '', '304 has no body')
  t.equal(notModified.headers.etag, etag)

  const weak = await app.inject({ url: docUrl('c', 'd1'), headers: { 'if-none-match': `W/${etag}` } })
  t.equal(weak.statusCode, 304, 'a W/ tag matches by the weak comparison')

  const listed = await app.inject({ url: docUrl('c', 'd1'), headers: { 'if-none-match': `"nope", W/"other", ${etag}` } })
  t.equal(listed.statusCode, 304, 'a list holding the tag matches')

  const star = await app.inject({ url: docUrl('c', 'd1'), headers: { 'if-none-match': '*' } })
  t.equal(star.statusCode, 304, '* matches an existing document')

  const other = await app.inject({ url: docUrl('c', 'd1'), headers: { 'if-none-match': '"nope", W/"other"' } })
  t.equal(other.statusCode, 200, 'other tags do not match')
  t.equal(other.body, res.body)

  const head = await app.inject({ method: 'HEAD', url: docUrl('c', 'd1') })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '', 'HEAD has no body')
  t.equal(head.headers.etag, etag)
  t.equal(head.headers['last-modified'], res.headers['last-modified'])
  t.equal(Number(head.headers['content-length']), Buffer.byteLength(res.body), 'HEAD announces the length of the GET body')

  const headMissing = await app.inject({ method: 'HEAD', url: docUrl('c', 'nope') })
  t.equal(headMissing.statusCode, 404)

  problem(t, await app.inject(docUrl('c', 'nope')), 404, 'missing document')
  problem(t, await app.inject(docUrl('nocoll', 'x')), 404, 'missing collection')

  // The ETag follows the content: after a change it differs, and the old one no longer gives 304.
  const changed = await put(app, 'c', 'd1', { a: 2 })
  t.not(changed.headers.etag, etag)
  const stale = await app.inject({ url: docUrl('c', 'd1'), headers: { 'if-none-match': etag } })
  t.equal(stale.statusCode, 200)
  t.same(stale.json(), { id: 'd1', a: 2 })
})

// ---- PUT ------------------------------------------------------------------------------------

t.test('PUT upserts: 201 then 200, with the file replaced', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const created = await put(app, 'c', 'k', { v: 1 })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v1/collections/c/documents/k')
  t.same(await checkOnDisk(t, dataDir, 'c', 'k', created), { id: 'k', v: 1 })

  const replaced = await put(app, 'c', 'k', { id: 'k', w: 2 })
  t.equal(replaced.statusCode, 200)
  t.same(await checkOnDisk(t, dataDir, 'c', 'k', replaced), { id: 'k', w: 2 }, 'replace, not merge')
  t.not(replaced.headers.etag, created.headers.etag)
})

t.test('PUT preconditions: If-Match and If-None-Match: *', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const first = await put(app, 'c', 'k', { v: 1 })
  const etag = first.headers.etag as string

  const right = await put(app, 'c', 'k', { v: 2 }, { 'if-match': etag })
  t.equal(right.statusCode, 200, 'the right If-Match replaces')
  t.same(await checkOnDisk(t, dataDir, 'c', 'k', right), { id: 'k', v: 2 })

  let before = await snapshot(dataDir)
  problem(t, await put(app, 'c', 'k', { v: 3 }, { 'if-match': etag }), 412, 'stale If-Match')
  problem(t, await put(app, 'c', 'k', { v: 3 }, { 'if-match': '"garbage"' }), 412, 'wrong If-Match')
  problem(t, await put(app, 'c', 'missing', { v: 3 }, { 'if-match': etag }), 412, 'If-Match on a missing document')
  problem(t, await put(app, 'c', 'missing', { v: 3 }, { 'if-match': '*' }), 412, 'If-Match: * on a missing document')
  problem(t, await put(app, 'c', 'k', { v: 3 }, { 'if-none-match': '*' }), 412, 'If-None-Match: * on an existing document')
  t.same(await snapshot(dataDir), before, 'nothing changed on disk after the 412s')

  const listMatch = await put(app, 'c', 'k', { v: 4 }, { 'if-match': `"x", ${right.headers.etag as string}` })
  t.equal(listMatch.statusCode, 200, 'If-Match with a list holding the current tag replaces')

  const createOnly = await put(app, 'c', 'fresh', { v: 1 }, { 'if-none-match': '*' })
  t.equal(createOnly.statusCode, 201, 'If-None-Match: * creates a missing document')
  t.same(await checkOnDisk(t, dataDir, 'c', 'fresh', createOnly), { id: 'fresh', v: 1 })

  before = await snapshot(dataDir)
  problem(t, await put(app, 'c', 'fresh', { v: 2 }, { 'if-none-match': '*' }), 412, 'If-None-Match: * once it exists')
  t.same(await snapshot(dataDir), before)
})

t.test('PUT with If-Match on a document of a collection that does not exist leaves no folder behind', async (t) => {
  const { app, dataDir } = await makeApp(t)
  problem(t, await put(app, 'ghost', 'x', { v: 1 }, { 'if-match': '"abc"' }), 412, 'If-Match on a missing document')
  t.same(await snapshot(dataDir), {}, 'a 412 must not create the collection folder')
})

t.test('PUT with a body id different from the path id is a 400', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'k', { v: 1 })
  const before = await snapshot(dataDir)
  const res = await put(app, 'c', 'k', { id: 'other', v: 2 })
  problem(t, res, 400, 'body id ≠ path id')
  problem(t, await put(app, 'c', 'new', { id: 'other' }), 400, 'body id ≠ path id on create')
  problem(t, await put(app, 'c', 'bad.id', { v: 1 }), 400, 'invalid path id')
  t.same(await snapshot(dataDir), before, 'nothing changed on disk')
  t.same((await app.inject(docUrl('c', 'k'))).json(), { id: 'k', v: 1 })
})

// ---- PATCH ----------------------------------------------------------------------------------

t.test('PATCH merge-patch (RFC 7396): nested merge, null removes, arrays replace', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'm', { title: 'T', draft: true, tags: [1, 2], meta: { a: 1, b: { c: 2, d: 3 } } })
  const res = await patch(app, 'c', 'm', { draft: null, tags: [3], meta: { b: { c: null, e: 5 }, f: 'x' }, n: 1 }, MERGE)
  t.equal(res.statusCode, 200)
  const doc = await checkOnDisk(t, dataDir, 'c', 'm', res)
  t.same(doc, { id: 'm', title: 'T', tags: [3], meta: { a: 1, b: { d: 3, e: 5 }, f: 'x' }, n: 1 })
  t.notOk('draft' in doc, 'null removed the field')

  const withCharset = await patch(app, 'c', 'm', { title: 'U' }, { 'content-type': 'application/merge-patch+json; charset=utf-8' })
  t.equal(withCharset.statusCode, 200, 'a charset parameter is fine')
  t.equal((withCharset.json() as Doc).title, 'U')

  const conditional = await patch(app, 'c', 'm', { title: 'V' }, { ...MERGE, 'if-match': withCharset.headers.etag as string })
  t.equal(conditional.statusCode, 200, 'the right If-Match patches')
  const before = await snapshot(dataDir)
  problem(t, await patch(app, 'c', 'm', { title: 'W' }, { ...MERGE, 'if-match': withCharset.headers.etag as string }), 412, 'stale If-Match')
  problem(t, await patch(app, 'c', 'm', { id: null }, MERGE), 422, 'merge patch removing the id')
  problem(t, await patch(app, 'c', 'm', { id: 'other' }, MERGE), 422, 'merge patch changing the id')
  t.same(await snapshot(dataDir), before, 'nothing changed on disk')
})

t.test('PATCH json-patch (RFC 6902): add, replace, remove, test; failures are 409/422', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'j', { title: 'Dune', year: 1965, draft: true, tags: ['sf'] })
  const res = await patch(app, 'c', 'j', [
    { op: 'test', path: '/year', value: 1965 },
    { op: 'replace', path: '/year', value: 1966 },
    { op: 'add', path: '/tags/-', value: 'classic' },
    { op: 'add', path: '/author', value: { name: 'Herbert' } },
    { op: 'remove', path: '/draft' }
  ], JPATCH)
  t.equal(res.statusCode, 200)
  t.same(await checkOnDisk(t, dataDir, 'c', 'j', res), { id: 'j', title: 'Dune', year: 1966, tags: ['sf', 'classic'], author: { name: 'Herbert' } })

  const before = await snapshot(dataDir)
  const failedTest = await patch(app, 'c', 'j', [
    { op: 'replace', path: '/title', value: 'X' },
    { op: 'test', path: '/year', value: 1965 }
  ], JPATCH)
  problem(t, failedTest, 409, 'a failed test')
  problem(t, await patch(app, 'c', 'j', [{ op: 'remove', path: '/nope' }], JPATCH), 422, 'remove of a missing path')
  problem(t, await patch(app, 'c', 'j', [{ op: 'replace', path: '/nope/deeper', value: 1 }], JPATCH), 422, 'replace of a missing path')
  problem(t, await patch(app, 'c', 'j', [{ op: 'replace', path: '/id', value: 'other' }], JPATCH), 422, 'changing the id')
  problem(t, await patch(app, 'c', 'j', [{ op: 'remove', path: '/id' }], JPATCH), 422, 'removing the id')
  problem(t, await patch(app, 'c', 'j', [{ op: 'replace', path: '', value: [1] }], JPATCH), 422, 'replacing the root with an array')
  problem(t, await patch(app, 'c', 'j', [{ op: 'frobnicate', path: '/title' }], JPATCH), 400, 'unknown op')
  problem(t, await patch(app, 'c', 'j', { op: 'remove', path: '/title' }, JPATCH), 400, 'a JSON Patch must be an array')
  t.same(await snapshot(dataDir), before, 'nothing changed on disk (all or nothing)')
  t.same((await app.inject(docUrl('c', 'j'))).json(), { id: 'j', title: 'Dune', year: 1966, tags: ['sf', 'classic'], author: { name: 'Herbert' } })
})

t.test('PATCH paths through __proto__ / constructor / prototype are refused and pollute nothing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'p', { obj: { x: 1 } })
  const before = await snapshot(dataDir)
  const attempts: unknown[][] = [
    [{ op: 'add', path: '/__proto__/polluted', value: 'yes' }],
    [{ op: 'add', path: '/obj/__proto__/polluted', value: 'yes' }],
    [{ op: 'add', path: '/constructor/prototype/polluted', value: 'yes' }],
    [{ op: 'add', path: '/obj/constructor/prototype/polluted', value: 'yes' }],
    [{ op: 'replace', path: '/obj/prototype', value: 'yes' }],
    [{ op: 'copy', from: '/__proto__', path: '/stolen' }],
    [{ op: 'move', from: '/constructor', path: '/stolen' }]
  ]
  for (const ops of attempts) {
    const res = await patch(app, 'c', 'p', ops, JPATCH)
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(ops)} → ${res.statusCode}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
  }
  // Merge patches carrying such keys are refused by the parser.
  for (const raw of ['{"__proto__":{"polluted":"yes"}}', '{"obj":{"__proto__":{"polluted":"yes"}}}', '{"constructor":{"prototype":{"polluted":"yes"}}}']) {
    const res = await app.inject({ method: 'PATCH', url: docUrl('c', 'p'), payload: raw, headers: MERGE })
    problem(t, res, 400, `merge patch ${raw}`)
  }
  t.equal(({} as Doc).polluted, undefined, 'Object.prototype is not polluted')
  t.equal((Object.prototype as Doc).polluted, undefined)
  t.same(await snapshot(dataDir), before, 'nothing changed on disk')
  t.same((await app.inject(docUrl('c', 'p'))).json(), { id: 'p', obj: { x: 1 } })
})

t.test('PATCH media types and missing documents', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'x', { v: 1 })
  const before = await snapshot(dataDir)
  const asXml = await patch(app, 'c', 'x', { v: 2 }, { 'content-type': 'application/xml' })
  problem(t, asXml, 415, 'PATCH with application/xml')
  t.match(asXml.headers['accept-patch'], /application\/merge-patch\+json/)
  t.match(asXml.headers['accept-patch'], /application\/json-patch\+json/)
  const none = await app.inject({ method: 'PATCH', url: docUrl('c', 'x'), payload: '{"v":2}' })
  problem(t, none, 415, 'PATCH without a content type')
  t.ok(none.headers['accept-patch'])

  problem(t, await patch(app, 'c', 'missing', { v: 2 }, MERGE), 404, 'merge patch of a missing document')
  problem(t, await patch(app, 'c', 'missing', [{ op: 'add', path: '/v', value: 2 }], JPATCH), 404, 'json patch of a missing document')
  t.same(await snapshot(dataDir), before, 'nothing changed on disk')
})

t.test('writes to a document of a collection that does not exist are prompt 404s and create nothing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const requests: Array<[string, () => Promise<Res>]> = [
    ['merge PATCH', async () => await patch(app, 'nocoll', 'x', { v: 2 }, MERGE)],
    ['DELETE', async () => await app.inject({ method: 'DELETE', url: docUrl('nocoll', 'x') })]
  ]
  for (const [name, send] of requests) {
    const started = Date.now()
    const body = problem(t, await send(), 404, `${name} in a missing collection`)
    const took = Date.now() - started
    t.match(body.detail, /nocoll/, 'the detail names the collection')
    // The slow wrong answer is a wait for the 10 s lock timeout: half of it is the bound, on any machine.
    t.ok(took < 5000, `${name} answered in ${took} ms (nothing to wait for: the collection does not exist)`)
  }
  t.same(await snapshot(dataDir), {}, 'no folder, no lock, no file')
})

// ---- DELETE ---------------------------------------------------------------------------------

t.test('DELETE: 204 and the file is gone; If-Match; 404 when missing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const a = await put(app, 'c', 'a', { v: 1 })
  await put(app, 'c', 'b', { v: 1 })

  const before = await snapshot(dataDir)
  problem(t, await app.inject({ method: 'DELETE', url: docUrl('c', 'a'), headers: { 'if-match': '"wrong"' } }), 412, 'wrong If-Match')
  t.same(await snapshot(dataDir), before, 'the 412 kept the file')

  const del = await app.inject({ method: 'DELETE', url: docUrl('c', 'a'), headers: { 'if-match': a.headers.etag as string } })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  await t.rejects(stat(join(dataDir, 'c', 'a.json')), { code: 'ENOENT' }, 'the file is gone')
  problem(t, await app.inject(docUrl('c', 'a')), 404, 'GET after DELETE')

  const plain = await app.inject({ method: 'DELETE', url: docUrl('c', 'b') })
  t.equal(plain.statusCode, 204)
  t.same(await readdir(join(dataDir, 'c')), [], 'the folder holds no document')

  problem(t, await app.inject({ method: 'DELETE', url: docUrl('c', 'b') }), 404, 'second DELETE')
  t.same(await listIds(t, app, 'c'), [])
})

// ---- listing --------------------------------------------------------------------------------

t.test('listing limits: default 20, 1000 allowed, 0 and 1001 refused', async (t) => {
  const { app } = await makeApp(t)
  for (let i = 0; i < 25; i++) await put(app, 'c', `d${String(i).padStart(2, '0')}`, { i })
  const page = await list(app, 'c')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^application\/json/)
  const body = page.json() as { items: Doc[], nextCursor: string | null }
  t.equal(body.items.length, 20, 'default limit is 20')
  t.type(body.nextCursor, 'string')
  t.same(body.items.map((d) => d.id), Array.from({ length: 20 }, (_, i) => `d${String(i).padStart(2, '0')}`))

  const all = await list(app, 'c', 'limit=1000')
  t.equal(all.statusCode, 200, 'limit=1000 is allowed')
  t.equal(all.json().items.length, 25)
  t.equal(all.json().nextCursor, null)
  t.equal(all.headers.link, undefined, 'no Link on the last page')

  for (const bad of ['limit=1001', 'limit=0', 'limit=-1', 'limit=abc']) {
    const res = problem(t, await list(app, 'c', bad), 400, bad)
    t.match(res.errors, [{ in: 'querystring', pointer: '/limit' }], `${bad} names the limit`)
  }
  problem(t, await list(app, 'nocoll'), 404, 'listing a missing collection')
})

t.test('cursor paging through 45 documents collects each exactly once, in id order, following Link', async (t) => {
  const { app } = await makeApp(t)
  const ids: string[] = []
  for (let i = 0; i < 45; i++) ids.push((await post(app, 'c', { i })).json().id as string)
  const seen: string[] = []
  let url: string | undefined = `${docsUrl('c')}?limit=10`
  let pages = 0
  while (url !== undefined) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200)
    const body = res.json() as { items: Doc[], nextCursor: string | null }
    seen.push(...body.items.map((d) => d.id as string))
    pages++
    if (body.nextCursor === null) {
      t.equal(res.headers.link, undefined, 'no Link header on the last page')
      url = undefined
    } else {
      const link = res.headers.link as string
      const m = /^<([^>]+)>; rel="next"$/.exec(link)
      t.ok(m, `Link is <...>; rel="next": ${link}`)
      t.ok(link.includes(`cursor=${encodeURIComponent(body.nextCursor)}`), 'Link carries the cursor')
      t.ok(link.includes('limit=10'), 'Link keeps the other parameters')
      t.equal(new URL(m?.[1] ?? '', 'http://x').searchParams.get('cursor'), body.nextCursor)
      url = m?.[1]
    }
    if (pages > 10) break
  }
  t.equal(pages, 5)
  t.same(seen, ids, 'each document exactly once, in id (creation) order')
})

t.test('a cursor stays valid while documents are added between pages', async (t) => {
  const { app } = await makeApp(t)
  const start: string[] = []
  for (let i = 0; i < 30; i++) start.push((await post(app, 'c', { i, rank: i % 4 })).json().id as string)

  for (const sort of ['', 'sort=rank', 'sort=-rank']) {
    const seen: string[] = []
    let cursor: string | null = null
    let added = 0
    for (let pages = 0; pages < 20; pages++) {
      const query = [sort, 'limit=7', cursor === null ? '' : `cursor=${encodeURIComponent(cursor)}`].filter((p) => p !== '').join('&')
      const res = await list(app, 'c', query)
      t.equal(res.statusCode, 200)
      const body = res.json() as { items: Doc[], nextCursor: string | null }
      seen.push(...body.items.map((d) => d.id as string))
      cursor = body.nextCursor
      if (cursor === null) break
      // New documents between pages: server-made ids, and explicit ids sorting before and after.
      await post(app, 'c', { added: true, rank: added % 4 })
      await put(app, 'c', `0000-added-${sort.replace(/\W/g, '')}-${added}`, { added: true, rank: 1 })
      await put(app, 'c', `zzzz-added-${sort.replace(/\W/g, '')}-${added}`, { added: true, rank: 2 })
      added++
    }
    t.equal(cursor, null, `${sort || 'id'}: paging ends`)
    t.equal(new Set(seen).size, seen.length, `${sort || 'id'}: no duplicates`)
    for (const id of start) t.ok(seen.includes(id), `${sort || 'id'}: ${id} (there at the start) is not skipped`)
  }
})

t.test('sort=field and sort=-field, ties broken by id; paging a sorted listing', async (t) => {
  const { app } = await makeApp(t)
  const ranks: Record<string, number> = { d1: 3, d2: 1, d3: 2, d4: 1, d5: 3, d6: 2, d7: 10 }
  for (const [id, rank] of Object.entries(ranks)) await put(app, 'c', id, { rank, name: `n${rank}` })
  const entries = Object.entries(ranks)
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  const asc = [...entries].sort((a, b) => a[1] - b[1] || byId(a[0], b[0])).map(([id]) => id)
  const desc = [...entries].sort((a, b) => b[1] - a[1] || byId(a[0], b[0])).map(([id]) => id)
  t.same(await listIds(t, app, 'c', 'sort=rank'), asc, 'ascending, numbers numerically (10 last), ties by id')
  t.same(await listIds(t, app, 'c', 'sort=-rank'), desc, 'descending, ties by id')
  t.same(await listIds(t, app, 'c', 'sort=-id'), Object.keys(ranks).reverse(), 'sort=-id')

  for (const [sort, expected] of [['rank', asc], ['-rank', desc]] as const) {
    const seen: string[] = []
    let cursor: string | null = null
    for (let i = 0; i < 10; i++) {
      const res = await list(app, 'c', `sort=${sort}&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
      t.equal(res.statusCode, 200)
      seen.push(...(res.json().items as Doc[]).map((d) => d.id as string))
      cursor = res.json().nextCursor
      if (cursor === null) break
    }
    t.same(seen, expected, `paging sort=${sort} two at a time gives the same order`)
  }
})

t.test('sort by a field some documents lack', async (t) => {
  const { app } = await makeApp(t)
  await put(app, 'c', 'a', { year: 2000 })
  await put(app, 'c', 'b', { other: 1 })
  await put(app, 'c', 'c', { year: 1990 })
  await put(app, 'c', 'd', {})
  await put(app, 'c', 'e', { year: 2010 })
  for (const sort of ['year', '-year']) {
    const ids = await listIds(t, app, 'c', `sort=${sort}`)
    t.same([...ids].sort(), ['a', 'b', 'c', 'd', 'e'], `sort=${sort}: every document, once`)
    const withYear = ids.filter((id) => ['a', 'c', 'e'].includes(id))
    t.same(withYear, sort === 'year' ? ['c', 'a', 'e'] : ['e', 'a', 'c'], `sort=${sort}: documents with the field in order`)
    const lacking = ids.map((id, i) => (['b', 'd'].includes(id) ? i : -1)).filter((i) => i >= 0)
    t.ok((lacking[0] === 0 && lacking[1] === 1) || (lacking[0] === 3 && lacking[1] === 4), `sort=${sort}: the documents lacking it are grouped at one end (${ids.join(',')})`)
    t.same(ids.filter((id) => ['b', 'd'].includes(id)), ['b', 'd'], 'and among themselves in id order')

    // Paging one at a time crosses the boundary between missing and present values.
    const paged: string[] = []
    let cursor: string | null = null
    for (let i = 0; i < 10; i++) {
      const res = await list(app, 'c', `sort=${sort}&limit=1${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
      t.equal(res.statusCode, 200)
      paged.push(...(res.json().items as Doc[]).map((d) => d.id as string))
      cursor = res.json().nextCursor
      if (cursor === null) break
    }
    t.same(paged, ids, `sort=${sort}: paging one at a time gives the same order`)
  }
})

t.test('filters: equality, ranges, in, booleans, strings, numbers numerically', async (t) => {
  const { app } = await makeApp(t)
  await put(app, 'f', 'a', { n: 9, done: true, name: 'Alpha', tag: 'x' })
  await put(app, 'f', 'b', { n: 10, done: false, name: 'beta', tag: 'y' })
  await put(app, 'f', 'c', { n: 100, done: true, name: 'Gamma', tag: 'x' })
  await put(app, 'f', 'd', { name: 'delta' })
  const cases: Array<[string, string[]]> = [
    ['n=10', ['b']],
    ['n=10.0', ['b']],
    ['n[gt]=9', ['b', 'c']],
    ['n[gte]=10', ['b', 'c']],
    ['n[lt]=10', ['a']],
    ['n[lte]=10', ['a', 'b']],
    ['n[lt]=100&n[gt]=9', ['b']],
    ['n[ne]=10', ['a', 'c', 'd']],
    ['n[in]=9,100', ['a', 'c']],
    ['done=true', ['a', 'c']],
    ['done=false', ['b']],
    ['name=Alpha', ['a']],
    ['name=alpha', []],
    ['name[in]=Alpha,delta', ['a', 'd']],
    ['name[gt]=b', ['b', 'd']],
    ['name[ne]=beta', ['a', 'c', 'd']],
    ['tag=x&done=true', ['a', 'c']],
    ['tag=x&n[gt]=50', ['c']],
    ['id=c', ['c']],
    ['missing=1', []],
    ['n=abc', []]
  ]
  for (const [query, expected] of cases) {
    t.same(await listIds(t, app, 'f', query), expected, query)
  }
  for (const bad of ['n[foo]=1', 'n[]=1', 'n=1&n=2', 'tag=x&tag=y']) {
    problem(t, await list(app, 'f', bad), 400, bad)
  }
})

t.test('q: case-insensitive full text over nested strings', async (t) => {
  const { app } = await makeApp(t)
  await put(app, 'q', 'q1', { title: 'The DUNE saga', meta: { notes: ['a Sandworm appears'] } })
  await put(app, 'q', 'q2', { title: 'Emma', author: { name: 'Jane Austen' } })
  await put(app, 'q', 'q3', { title: 'Numbers only', n: 12345 })
  t.same(await listIds(t, app, 'q', 'q=dune'), ['q1'])
  t.same(await listIds(t, app, 'q', 'q=SANDWORM'), ['q1'], 'strings in nested arrays')
  t.same(await listIds(t, app, 'q', 'q=austen'), ['q2'], 'strings in nested objects')
  t.same(await listIds(t, app, 'q', 'q=SaGa'), ['q1'])
  t.same(await listIds(t, app, 'q', 'q=E'), ['q1', 'q2', 'q3'])
  t.same(await listIds(t, app, 'q', 'q=nowhere'), [])
  t.same(await listIds(t, app, 'q', 'q=emma&title=Emma'), ['q2'], 'q combines with filters')
  t.same(await listIds(t, app, 'q', 'q=o&limit=1'), ['q1'], 'q honours limit')
  t.same(await listIds(t, app, 'q', 'q=12345'), [], 'numbers are not text')
})

t.test('bad cursors: from another sort, or garbage, are 400', async (t) => {
  const { app, dataDir } = await makeApp(t)
  for (let i = 0; i < 5; i++) await put(app, 'c', `d${i}`, { rank: i })
  const first = (await list(app, 'c', 'sort=rank&limit=2')).json() as { nextCursor: string }
  t.type(first.nextCursor, 'string')
  const ok = await list(app, 'c', `sort=rank&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
  t.same((ok.json().items as Doc[]).map((d) => d.id), ['d2', 'd3'])
  const before = await snapshot(dataDir)
  problem(t, await list(app, 'c', `sort=-rank&cursor=${encodeURIComponent(first.nextCursor)}`), 400, 'cursor of sort=rank used with -rank')
  problem(t, await list(app, 'c', `cursor=${encodeURIComponent(first.nextCursor)}`), 400, 'cursor of sort=rank used with id order')
  const idCursor = (await list(app, 'c', 'limit=2')).json().nextCursor as string
  problem(t, await list(app, 'c', `sort=rank&cursor=${encodeURIComponent(idCursor)}`), 400, 'id cursor used with sort=rank')
  for (const garbage of ['garbage', '!!!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"s":1}').toString('base64url'), 'x'.repeat(5000)]) {
    problem(t, await list(app, 'c', `cursor=${encodeURIComponent(garbage)}`), 400, `garbage cursor ${garbage.slice(0, 20)}`)
  }
  t.same(await snapshot(dataDir), before)
})

// ---- the file on disk is the truth ----------------------------------------------------------

t.test('files added, edited and removed on disk are what the next GET and listing show', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'a', { v: 1 })
  await put(app, 'c', 'b', { v: 1 })
  // Old mtimes: the cached copies are trusted by their stats, not re-read as "too recent".
  const hourAgo = new Date(Date.now() - 3600_000)
  for (const id of ['a', 'b']) await utimes(join(dataDir, 'c', `${id}.json`), hourAgo, hourAgo)
  t.same(await listIds(t, app, 'c'), ['a', 'b'], 'the listing index is loaded')
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 200, 'a is cached')

  // added by hand (compact, not pretty: it is served as it is)
  const addedText = '{"id":"added","v":7}'
  await writeFile(join(dataDir, 'c', 'added.json'), addedText)
  const got = await app.inject(docUrl('c', 'added'))
  t.equal(got.statusCode, 200)
  t.equal(got.body, addedText, 'served byte for byte')
  t.equal(got.headers.etag, etagOfBytes(addedText))
  t.same(await listIds(t, app, 'c'), ['a', 'added', 'b'], 'the listing shows the added file')

  // edited by hand, same size
  const aFile = join(dataDir, 'c', 'a.json')
  const oldText = await readFile(aFile, 'utf8')
  const oldEtag = (await app.inject(docUrl('c', 'a'))).headers.etag
  const newText = oldText.replace('"v": 1', '"v": 2')
  t.equal(newText.length, oldText.length, 'same size')
  await writeFile(aFile, newText)
  const edited = await app.inject(docUrl('c', 'a'))
  t.equal(edited.body, newText, 'GET shows the edit')
  t.not(edited.headers.etag, oldEtag)
  t.equal(edited.headers.etag, etagOfBytes(newText))
  const listed = (await list(app, 'c')).json().items as Doc[]
  t.same(listed.find((d) => d.id === 'a'), { id: 'a', v: 2 }, 'the listing shows the edit')

  // edited again through the index's watcher path, then listed with a filter
  await writeFile(join(dataDir, 'c', 'b.json'), pretty({ id: 'b', v: 9 }))
  t.same(await listIds(t, app, 'c', 'v=9'), ['b'], 'filters see the edit')
  t.same(await listIds(t, app, 'c', 'v=1'), [], 'and not the old value')

  // removed by hand
  await unlink(join(dataDir, 'c', 'added.json'))
  problem(t, await app.inject(docUrl('c', 'added')), 404, 'GET of a removed file')
  t.same(await listIds(t, app, 'c'), ['a', 'b'], 'the listing no longer shows it')
  const page = (await list(app, 'c', 'limit=1')).json()
  t.same(page.items, [{ id: 'a', v: 2 }])
})

t.test('an edit on disk keeping size and mtime (cp -p, rsync -t --inplace) is still served, not a cached copy', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await put(app, 'c', 'keep', { v: 1 })
  const file = join(dataDir, 'c', 'keep.json')
  const old = new Date(Date.now() - 3600_000)
  await utimes(file, old, old)
  t.same((await app.inject(docUrl('c', 'keep'))).json(), { id: 'keep', v: 1 }, 'read (and cached) once')
  t.same(await listIds(t, app, 'c', 'v=1'), ['keep'], 'listed once')

  await changeSeenByWatchers(join(dataDir, 'c'), 'keep.json', async () => {
    await writeFile(file, pretty({ id: 'keep', v: 2 })) // same size, same inode
    await utimes(file, old, old) // and the same mtime as before
  })
  const res = await app.inject(docUrl('c', 'keep'))
  t.equal(res.body, pretty({ id: 'keep', v: 2 }), 'GET serves the bytes now on disk')
  t.equal(res.headers.etag, etagOfBytes(pretty({ id: 'keep', v: 2 })))
  t.same(await listIds(t, app, 'c', 'v=2'), ['keep'], 'the listing serves the bytes now on disk')
})

// ---- collection schema ----------------------------------------------------------------------

t.test('a collection schema: create, put and patch that violate it are 422 listing each field; nothing written', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const schema = {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string' }, year: { type: 'integer' }, meta: { type: 'object', properties: { pages: { type: 'integer', minimum: 1 } } } }
  }
  const settings = await app.inject({ method: 'PUT', url: '/v1/collections/books', ...json({ schema }) })
  t.equal(settings.statusCode, 201)
  const ok = await post(app, 'books', { id: 'ok', title: 'Dune', year: 1965 })
  t.equal(ok.statusCode, 201, 'a valid document is accepted')
  const before = await snapshot(dataDir)

  const created = problem(t, await post(app, 'books', { year: 'x', meta: { pages: 0 } }), 422, 'create')
  const pointers = (created.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort()
  t.same(pointers, ['/meta/pages', '/title', '/year'], 'each failing field, as a JSON pointer')
  for (const e of created.errors as Doc[]) t.type(e.message, 'string')

  const replaced = problem(t, await put(app, 'books', 'ok', { title: 5 }), 422, 'put')
  t.same((replaced.errors as Doc[]).map((e) => e.pointer), ['/title'])
  problem(t, await put(app, 'books', 'new', { year: 1 }), 422, 'put-create')

  const merged = problem(t, await patch(app, 'books', 'ok', { year: 'abc', title: null }, MERGE), 422, 'merge patch')
  t.same((merged.errors as Doc[]).map((e) => e.pointer).sort(), ['/title', '/year'])
  const jp = problem(t, await patch(app, 'books', 'ok', [{ op: 'replace', path: '/year', value: 1.5 }], JPATCH), 422, 'json patch')
  t.same((jp.errors as Doc[]).map((e) => e.pointer), ['/year'])

  t.same(await snapshot(dataDir), before, 'nothing changed on disk')
  t.same((await app.inject(docUrl('books', 'ok'))).json(), { id: 'ok', title: 'Dune', year: 1965 })
  t.equal((await patch(app, 'books', 'ok', { year: 1966 }, MERGE)).statusCode, 200, 'a valid patch still works')
})

t.test('nothing changes on disk after any 4xx', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const a = await put(app, 'c', 'a', { v: 1, nested: { x: 1 } })
  await app.inject({ method: 'PUT', url: '/v1/collections/s', ...json({ schema: { type: 'object', required: ['t'] } }) })
  await put(app, 's', 's1', { t: 1 })
  const requests: Array<[string, () => Promise<Res>]> = [
    ['POST duplicate', async () => await post(app, 'c', { id: 'a' })],
    ['POST bad id', async () => await post(app, 'c', { id: '../../x' })],
    ['POST array', async () => await app.inject({ method: 'POST', url: docsUrl('c'), payload: '[1]', headers: { 'content-type': 'application/json' } })],
    ['POST invalid json', async () => await app.inject({ method: 'POST', url: docsUrl('c'), payload: '{"a":', headers: { 'content-type': 'application/json' } })],
    ['POST text/plain', async () => await app.inject({ method: 'POST', url: docsUrl('newc'), payload: '{}', headers: { 'content-type': 'text/plain' } })],
    ['POST __proto__', async () => await app.inject({ method: 'POST', url: docsUrl('newc'), payload: '{"__proto__":{"x":1}}', headers: { 'content-type': 'application/json' } })],
    ['POST bad collection', async () => await post(app, 'Bad.name', { v: 1 })],
    ['POST schema violation', async () => await post(app, 's', { v: 1 })],
    ['PUT id mismatch', async () => await put(app, 'c', 'a', { id: 'b' })],
    ['PUT If-Match wrong', async () => await put(app, 'c', 'a', { v: 2 }, { 'if-match': '"x"' })],
    ['PUT If-Match missing', async () => await put(app, 'c', 'zz', { v: 2 }, { 'if-match': a.headers.etag as string })],
    ['PUT If-Match missing in a new collection', async () => await put(app, 'newc412', 'zz', { v: 2 }, { 'if-match': a.headers.etag as string })],
    ['PUT If-None-Match *', async () => await put(app, 'c', 'a', { v: 2 }, { 'if-none-match': '*' })],
    ['PUT schema violation in new doc', async () => await put(app, 's', 'new', { v: 2 })],
    ['PATCH xml', async () => await patch(app, 'c', 'a', { v: 2 }, { 'content-type': 'application/xml' })],
    ['PATCH missing', async () => await patch(app, 'c', 'zz', { v: 2 }, MERGE)],
    ['PATCH test fails', async () => await patch(app, 'c', 'a', [{ op: 'test', path: '/v', value: 5 }, { op: 'remove', path: '/v' }], JPATCH)],
    ['PATCH bad path', async () => await patch(app, 'c', 'a', [{ op: 'add', path: '/v', value: 3 }, { op: 'remove', path: '/nope' }], JPATCH)],
    ['PATCH id', async () => await patch(app, 'c', 'a', { id: 'b' }, MERGE)],
    ['PATCH If-Match wrong', async () => await patch(app, 'c', 'a', { v: 2 }, { ...MERGE, 'if-match': '"x"' })],
    ['DELETE If-Match wrong', async () => await app.inject({ method: 'DELETE', url: docUrl('c', 'a'), headers: { 'if-match': '"x"' } })],
    ['DELETE missing', async () => await app.inject({ method: 'DELETE', url: docUrl('c', 'zz') })],
    ['list bad', async () => await list(app, 'c', 'limit=0')],
    ['list missing collection', async () => await list(app, 'nocoll')]
  ]
  for (const [name, send] of requests) {
    const before = await snapshot(dataDir) // taken per request, so one failure does not hide the others
    const res = await send()
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`)
    t.same(await snapshot(dataDir), before, `${name}: nothing changed on disk`)
  }
})
