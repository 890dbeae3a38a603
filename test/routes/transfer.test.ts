import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import t from 'tap'
import { runImport } from '../../app/cli'
import { loadConfig } from '../../app/config'
import { DocumentStore, readDbJson, readNdjson } from '../../plugins/engine'
import { makeApp, tempDir } from '../helpers/app'

const DB = {
  posts: [{ id: 1, title: 'json-server', author: 'typicode' }, { id: 2, title: 'hello' }],
  comments: [{ id: 1, body: 'some comment', postId: 1 }],
  profile: { alice: { name: 'Alice' }, bob: { id: 'bob', name: 'Bob' } },
  empty: []
}

async function files (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1)) {
    if (!entry.isDirectory()) continue // the DATA_DIR's lock file
    const collection = entry.name
    for (const file of (await readdir(join(dir, collection))).sort()) out[`${collection}/${file}`] = await readFile(join(dir, collection, file), 'utf8')
  }
  return out
}

t.test('POST /v1/import: a db.json (arrays, objects of documents, empty collections) becomes files', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/import', payload: JSON.stringify(DB), headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { imported: [{ collection: 'posts', documents: 2 }, { collection: 'comments', documents: 1 }, { collection: 'profile', documents: 2 }, { collection: 'empty', documents: 0 }] })
  t.same(await files(dataDir), {
    'comments/1.json': '{\n  "id": 1,\n  "body": "some comment",\n  "postId": 1\n}\n',
    'posts/1.json': '{\n  "id": 1,\n  "title": "json-server",\n  "author": "typicode"\n}\n',
    'posts/2.json': '{\n  "id": 2,\n  "title": "hello"\n}\n',
    'profile/alice.json': '{\n  "id": "alice",\n  "name": "Alice"\n}\n',
    'profile/bob.json': '{\n  "id": "bob",\n  "name": "Bob"\n}\n'
  }, 'numeric ids stay numbers; a keyed document takes its key as id; nothing else is left behind')
  t.same(await readdir(dataDir), ['.jsondock.lock', 'comments', 'empty', 'posts', 'profile'], 'no staging folder remains (the lock file stays: it is never deleted)')
  const listed = (await app.inject('/v1/collections/posts/documents')).json() as { items: Array<{ id: unknown }> }
  t.same(listed.items.map((d) => d.id), [1, 2])
})

t.test('NDJSON into one collection; streamed, so larger than BODY_LIMIT', async (t) => {
  const { app, dataDir } = await makeApp(t, { BODY_LIMIT: '2048' })
  const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `n${i}`, i, text: 'x'.repeat(50) })).join('\n') + '\n\n'
  t.ok(lines.length > 100 * 2048, 'the body is far beyond BODY_LIMIT')
  const res = await app.inject({ method: 'POST', url: '/v1/import?collection=lines', payload: lines, headers: { 'content-type': 'application/x-ndjson' } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { imported: [{ collection: 'lines', documents: 3000 }] })
  t.equal((await readdir(join(dataDir, 'lines'))).length, 3000)
  const missing = await app.inject({ method: 'POST', url: '/v1/import', payload: '{"a":1}\n', headers: { 'content-type': 'application/x-ndjson' } })
  t.equal(missing.statusCode, 400, 'NDJSON needs ?collection=')
  const text = await app.inject({ method: 'POST', url: '/v1/import', payload: 'x', headers: { 'content-type': 'text/plain' } })
  t.equal(text.statusCode, 415)
})

t.test('all or nothing for the whole request: a bad document anywhere writes none of any collection', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await app.inject({ method: 'PUT', url: '/v1/collections/books', payload: JSON.stringify({ schema: { type: 'object', required: ['title'] } }), headers: { 'content-type': 'application/json' } })
  await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/keep', payload: '{"title":"kept"}', headers: { 'content-type': 'application/json' } })
  const db = { authors: [{ id: 'a1' }], books: [{ id: 'b1', title: 'ok' }, { id: 'b2' }], later: [{ id: 'l1' }] }
  const res = await app.inject({ method: 'POST', url: '/v1/import', payload: JSON.stringify(db), headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 422)
  const problem = res.json()
  t.match(res.headers['content-type'], /problem\+json/)
  t.equal(problem.collection, 'books')
  t.same(problem.imported, [], 'nothing is imported, not even the collections before it')
  t.same(problem.errors, [{ pointer: '/b2/title', message: "must have required property 'title'" }])
  t.same((await readdir(join(dataDir, 'books'))).sort(), ['.collection.json', 'keep.json'], 'no document of the failing collection was written')
  t.same((await readdir(dataDir)).sort(), ['.jsondock.lock', 'books'], 'no collection before it or after it, and no staging folder')

  for (const [name, payload] of [
    ['a duplicate id', '{"c":[{"id":"x"},{"id":"x"}]}'],
    ['a __proto__ key', '{"c":[{"id":"x","nested":{"__proto__":{"polluted":1}}}]}'],
    ['constructor.prototype', '{"c":[{"id":"x","constructor":{"prototype":{"polluted":1}}}]}'],
    ['a non-object document', '{"c":[1]}'],
    ['truncated JSON', '{"c":[{"id":"x"}'],
    ['an array at the top', '[{"id":"x"}]'],
    ['a bad id', '{"c":[{"id":"../x"}]}']
  ] as const) {
    const bad = await app.inject({ method: 'POST', url: '/v1/import', payload, headers: { 'content-type': 'application/json' } })
    t.equal(bad.statusCode, 400, `${name}: 400`)
    t.notOk((await readdir(dataDir)).includes('c'), `${name}: nothing written`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined)
})

t.test('export: db.json and NDJSON, streamed; an export imports back to the same files', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await app.inject({ method: 'POST', url: '/v1/import', payload: JSON.stringify(DB), headers: { 'content-type': 'application/json' } })
  const db = await app.inject('/v1/export')
  t.equal(db.statusCode, 200)
  t.match(db.headers['content-disposition'], /db\.json/)
  const exported = JSON.parse(db.body) as Record<string, unknown[]>
  t.same(Object.keys(exported), ['comments', 'empty', 'posts', 'profile'])
  t.same(exported.posts, DB.posts)
  const ndjson = await app.inject('/v1/collections/profile/export')
  t.match(ndjson.headers['content-type'], /^application\/x-ndjson/)
  t.equal(ndjson.body, '{"id":"alice","name":"Alice"}\n{"id":"bob","name":"Bob"}\n')
  t.equal((await app.inject('/v1/collections/nope/export')).statusCode, 404)

  const other = await makeApp(t)
  const back = await other.app.inject({ method: 'POST', url: '/v1/import', payload: db.body, headers: { 'content-type': 'application/json' } })
  t.equal(back.statusCode, 200)
  t.same(await files(other.dataDir), await files(dataDir), 'the round trip gives the same files')
})

t.test('an import interrupted before its commit marker is dropped at start; after it, finished', async (t) => {
  const dataDir = await tempDir(t)
  const dropped = join(dataDir, '.import-posts-019a0000-0000-7000-8000-000000000001')
  const committed = join(dataDir, '.import-notes-019a0000-0000-7000-8000-000000000002')
  await mkdir(dropped)
  await writeFile(join(dropped, '1.json'), '{"id":1}')
  await mkdir(committed)
  await writeFile(join(committed, 'n1.json'), '{\n  "id": "n1"\n}\n')
  await writeFile(join(committed, '.commit'), '')
  const store = new DocumentStore({ dataDir })
  await store.open()
  t.teardown(async () => await store.close())
  t.same((await readdir(dataDir)).sort(), ['.jsondock.lock', 'notes'], 'the uncommitted import is gone, the committed one moved in')
  t.same((await store.getDocument('notes', 'n1')).doc, { id: 'n1' })
})

t.test('the import command: progress lines, a summary, exit codes', async (t) => {
  const dataDir = await tempDir(t)
  const file = join(await tempDir(t), 'db.json')
  await writeFile(file, JSON.stringify({ posts: Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, title: `p${i}` })), users: [{ id: 'u' }] }))
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const config = loadConfig({ DATA_DIR: dataDir })
  t.equal(await runImport([file], config, out), 0)
  t.match(text, /reading posts: 1,0\d\d documents so far\n/, 'progress while a collection is read')
  t.match(text, /importing posts: 2,500 documents\n/)
  t.match(text, /imported 2,501 documents into 2 collection\(s\) in [\d.]+ s: posts \(2500\), users \(1\)\n/)
  t.equal((await readdir(join(dataDir, 'posts'))).length, 2500)

  const ndjson = join(await tempDir(t), 'notes.ndjson')
  await writeFile(ndjson, '{"id":"a"}\n{"id":"a"}\n')
  text = ''
  t.equal(await runImport([ndjson], config, out), 1, 'a failed import exits 1')
  t.match(text, /import failed: Import failed at "notes", nothing of the import was written: The id "a" appears twice/)
  t.equal(await runImport([], config, out), 2, 'no file: usage, exit 2')
  t.equal(await runImport([join(dataDir, 'missing.json')], config, out), 1)
})

t.test('an import must be UTF-8: invalid bytes are refused, not decoded to U+FFFD', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const bad = Buffer.concat([Buffer.from('{"id":"a","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')])
  const ndjson = await app.inject({ method: 'POST', url: '/v1/import?collection=u', payload: bad, headers: { 'content-type': 'application/x-ndjson' } })
  t.equal(ndjson.statusCode, 400, 'NDJSON: 400')
  t.match(ndjson.json().detail, /Line 1 is not valid UTF-8/)
  const db = Buffer.concat([Buffer.from('{"u":[{"id":"a","name":"'), Buffer.from([0xff]), Buffer.from('"}]}')])
  const dbJson = await app.inject({ method: 'POST', url: '/v1/import', payload: db, headers: { 'content-type': 'application/json' } })
  t.equal(dbJson.statusCode, 400, 'db.json: 400')
  t.match(dbJson.json().detail, /not valid UTF-8/)
  const cut = Buffer.concat([Buffer.from('{"id":"a","name":"caf'), Buffer.from([0xc3])])
  const truncated = await app.inject({ method: 'POST', url: '/v1/import?collection=u', payload: cut, headers: { 'content-type': 'application/x-ndjson' } })
  t.equal(truncated.statusCode, 400, 'a sequence cut off by the end of the body: 400')
  t.same(await readdir(dataDir), ['.jsondock.lock'], 'nothing was written')

  // A character split across chunks is fine: decoding is streamed.
  const text = Buffer.from('{"id":"a","name":"café ☕ 𝄞"}\n')
  const parts = Array.from(text, (byte) => Buffer.from([byte]))
  const docs: unknown[] = []
  for await (const item of readNdjson(Readable.from(parts), 'u')) docs.push(item.doc)
  for await (const item of readDbJson(Readable.from([Buffer.from('{"u":['), ...parts.slice(0, -1), Buffer.from(']}')]))) if (item.doc !== undefined) docs.push(item.doc)
  t.same(docs, [{ id: 'a', name: 'café ☕ 𝄞' }, { id: 'a', name: 'café ☕ 𝄞' }])
})

t.test('one NDJSON line or db.json document over BODY_LIMIT is refused, and never buffered without bound', async (t) => {
  const { app, dataDir } = await makeApp(t, { BODY_LIMIT: '2048' })
  const big = JSON.stringify({ id: 'big', text: 'x'.repeat(3000) })
  const line = await app.inject({ method: 'POST', url: '/v1/import?collection=l', payload: `{"id":"ok"}\n${big}\n`, headers: { 'content-type': 'application/x-ndjson' } })
  t.equal(line.statusCode, 400, 'NDJSON: 400')
  t.match(line.json().detail, /Line 2 is larger than 2048 bytes/)
  const doc = await app.inject({ method: 'POST', url: '/v1/import', payload: `{"l":[{"id":"ok"},${big}]}`, headers: { 'content-type': 'application/json' } })
  t.equal(doc.statusCode, 400, 'db.json: 400')
  t.match(doc.json().detail, /larger than 2048 bytes/)
  const many = await app.inject({ method: 'POST', url: '/v1/import', payload: `{"l":[{"id":"ok","n":[${Array(2000).fill(1).join(',')}]}]}`, headers: { 'content-type': 'application/json' } })
  t.equal(many.statusCode, 400, 'many small values add up')
  t.same(await readdir(dataDir), ['.jsondock.lock'], 'nothing was written')
  const fits = await app.inject({ method: 'POST', url: '/v1/import', payload: `{"l":[${JSON.stringify({ id: 'fits', text: 'y'.repeat(1900) })}]}`, headers: { 'content-type': 'application/json' } })
  t.equal(fits.statusCode, 200, 'a document within the limit is imported')

  // A line (or a string) that never ends is refused once it passes the limit: the rest is never read.
  const endless = (head: string): { stream: Readable, pulled: () => number } => {
    let pulled = 0
    const stream = new Readable({
      read () {
        const chunk = Buffer.from(pulled === 0 ? head : 'x'.repeat(64 * 1024))
        pulled += chunk.length
        this.push(pulled > 8 * 1024 * 1024 ? null : chunk)
      }
    })
    return { stream, pulled: () => pulled }
  }
  const limits = { maxDocumentBytes: 64 * 1024 }
  const ndjson = endless('{"id":"a","text":"')
  await t.rejects(async () => { for await (const _ of readNdjson(ndjson.stream, 'l', limits)); }, { code: 'invalid-document', message: /Line 1 is larger than 65536 bytes/ })
  t.ok(ndjson.pulled() < 1024 * 1024, `NDJSON: stopped after ${ndjson.pulled()} bytes`)
  const dbjson = endless('{"l":[{"id":"a","text":"')
  await t.rejects(async () => { for await (const _ of readDbJson(dbjson.stream, limits)); }, { code: 'invalid-document', message: /larger than 65536/ })
  t.ok(dbjson.pulled() < 1024 * 1024, `db.json: stopped after ${dbjson.pulled()} bytes`)
})

t.test('the import command refuses to run when READ_ONLY=true', async (t) => {
  const dataDir = await tempDir(t)
  const file = join(await tempDir(t), 'db.json')
  await writeFile(file, JSON.stringify({ posts: [{ id: 1 }] }))
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  t.equal(await runImport([file], loadConfig({ DATA_DIR: dataDir, READ_ONLY: 'true' }), out), 1, 'exits non-zero')
  t.match(text, /^import refused: READ_ONLY=true/)
  t.equal(text.trim().split('\n').length, 1, 'one line')
  t.same(await readdir(dataDir), [], 'nothing was written')
})
