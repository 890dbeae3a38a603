import { spawnSync } from 'node:child_process'
import { mkdir, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DocumentStore, StartupError, StoreError, etagOf, type JsonObject } from '../../plugins/engine'
import { openStore, tempDir } from '../helpers/app'
import { PREFETCH_MIN_FILES } from '../../plugins/engine/file-prefetch'
import { expectStoreError } from '../helpers/assertions'

const list = { limit: 1000, filters: [] }


t.test('a document is one pretty-printed file holding the object and its id', async (t) => {
  const store = await openStore(t)
  const stored = await store.createDocument('books', { title: 'Dune', year: 1965 })
  const text = await readFile(join(store.dataDir, 'books', `${stored.id}.json`), 'utf8')
  t.equal(text, JSON.stringify({ id: stored.id, title: 'Dune', year: 1965 }, null, 2) + '\n')
  t.equal(stored.bytes.toString('utf8'), text, 'what is served is what is on disk')
  t.equal(stored.etag, etagOf(Buffer.from(text)), 'the ETag hashes the file bytes')
  t.same((await store.getDocument('books', stored.id)).doc, { id: stored.id, title: 'Dune', year: 1965 })
})

t.test('server-made ids are time-ordered UUIDv7s', async (t) => {
  const store = await openStore(t)
  const ids: string[] = []
  for (let i = 0; i < 20; i++) ids.push((await store.createDocument('c', { i })).id)
  for (const id of ids) t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  t.same([...ids].sort(), ids, 'creation order is id order')
  const page = await store.listDocuments('c', { limit: 100, filters: [] })
  t.same(page.items.map((d) => d.i), Array.from({ length: 20 }, (_, i) => i), 'default listing is creation order')
})

t.test('a create with an existing id is refused and changes nothing', async (t) => {
  const store = await openStore(t)
  await store.createDocument('c', { id: 'a', v: 1 })
  await expectStoreError(t, store.createDocument('c', { id: 'a', v: 2 }), 'already-exists')
  t.same((await store.getDocument('c', 'a')).doc, { id: 'a', v: 1 })
  t.same((await readdir(join(store.dataDir, 'c'))).sort(), ['a.json'], 'no temp file is left behind')
})

t.test('concurrent writes to one document are ordered: If-Match lets exactly one writer win per version', async (t) => {
  const store = await openStore(t)
  await store.putDocument('counters', 'n', { value: 0 })
  let wins = 0
  let conflicts = 0
  // 60 clients each read the counter and try to write value+1 conditionally.
  await Promise.all(Array.from({ length: 60 }, async () => {
    for (;;) {
      const current = await store.getDocument('counters', 'n')
      try {
        await store.putDocument('counters', 'n', { value: (current.doc.value as number) + 1 }, { ifMatch: [current.etag] })
        wins++
        return
      } catch (err) {
        if (!(err instanceof StoreError) || err.code !== 'precondition-failed') throw err
        conflicts++
      }
    }
  }))
  t.equal(wins, 60)
  t.ok(conflicts > 0, `lost races were refused (${conflicts} × 412)`)
  const final = JSON.parse(await readFile(join(store.dataDir, 'counters', 'n.json'), 'utf8')) as JsonObject
  t.equal(final.value, 60, 'no update was lost')
})

t.test('unconditional concurrent writes never tear a file', async (t) => {
  const store = await openStore(t)
  const big = (n: number): JsonObject => ({ n, blob: String(n).repeat(20_000) })
  const reads: Promise<unknown>[] = []
  await Promise.all(Array.from({ length: 30 }, async (_, n) => {
    await store.putDocument('c', 'x', big(n))
    reads.push(readFile(join(store.dataDir, 'c', 'x.json'), 'utf8').then((text) => JSON.parse(text)))
  }))
  const seen = (await Promise.all(reads)) as JsonObject[]
  for (const doc of seen) t.equal(doc.blob, String(doc.n).repeat(20_000), 'every read parses and is one whole version')
  t.same((await readdir(join(store.dataDir, 'c'))), ['x.json'])
})

t.test('patch applies to the current document under the lock', async (t) => {
  const store = await openStore(t)
  await store.putDocument('c', 'p', { list: [] })
  await Promise.all(Array.from({ length: 25 }, async (_, i) => {
    await store.patchDocument('c', 'p', (doc) => ({ ...doc, list: [...(doc.list as number[]), i] }))
  }))
  const final = await store.getDocument('c', 'p')
  t.equal((final.doc.list as number[]).length, 25, 'every patch saw the previous one')
  await expectStoreError(t, store.patchDocument('c', 'p', (doc) => ({ ...doc, id: 'other' })), 'patch-unprocessable')
  await expectStoreError(t, store.patchDocument('c', 'missing', (doc) => doc), 'document-not-found')
  await expectStoreError(t, store.patchDocument('nope', 'missing', (doc) => doc), 'collection-not-found')
})

t.test('preconditions', async (t) => {
  const store = await openStore(t)
  await expectStoreError(t, store.putDocument('c', 'a', { v: 1 }, { ifMatch: '*' }), 'precondition-failed')
  const { created, stored } = await store.putDocument('c', 'a', { v: 1 }, { ifNoneMatch: '*' })
  t.ok(created)
  await expectStoreError(t, store.putDocument('c', 'a', { v: 2 }, { ifNoneMatch: '*' }), 'precondition-failed')
  await expectStoreError(t, store.putDocument('c', 'a', { v: 2 }, { ifNoneMatch: [stored.etag] }), 'precondition-failed')
  await expectStoreError(t, store.putDocument('c', 'a', { v: 2 }, { ifMatch: ['"nope"'] }), 'precondition-failed')
  await expectStoreError(t, store.deleteDocument('c', 'a', { ifMatch: [`W/${stored.etag}`] }), 'precondition-failed')
  const replaced = await store.putDocument('c', 'a', { v: 2 }, { ifMatch: ['"x"', stored.etag] })
  t.notOk(replaced.created)
  await store.deleteDocument('c', 'a', { ifMatch: '*' })
  await expectStoreError(t, store.getDocument('c', 'a'), 'document-not-found')
  await expectStoreError(t, store.deleteDocument('c', 'a'), 'document-not-found')
})

t.test('files edited, added or removed on the host are what the next read and listing see', async (t) => {
  const store = await openStore(t)
  const dir = join(store.dataDir, 'books')
  await store.putDocument('books', 'a', { title: 'A', n: 1 })
  await store.putDocument('books', 'b', { title: 'B', n: 2 })
  t.equal((await store.listDocuments('books', list)).items.length, 2)

  // An editor replacing the file (new inode) …
  await writeFile(join(dir, 'a.json.swp'), '{"id":"a","title":"A2","n":1}')
  await rm(join(dir, 'a.json'))
  await writeFile(join(dir, 'a.json'), '{"id":"a","title":"A2","n":1}')
  // … an in-place rewrite of the same size with an old mtime (the hardest case for a stat cache) …
  await writeFile(join(dir, 'b.json'), '{"id":"b","title":"B","n":2}')
  const before = await store.getDocument('books', 'b')
  await writeFile(join(dir, 'b.json'), '{"id":"b","title":"X","n":2}')
  const old = new Date(Date.now() - 3_600_000)
  await utimes(join(dir, 'b.json'), old, old)
  // … a file dropped in, and one removed.
  await writeFile(join(dir, 'c.json'), '{"id":"c","title":"C","n":3}')

  t.equal((await store.getDocument('books', 'a')).doc.title, 'A2')
  const b = await store.getDocument('books', 'b')
  t.equal(b.doc.title, 'X')
  t.not(b.etag, before.etag, 'the ETag follows the bytes')
  let page = await store.listDocuments('books', list)
  t.same(page.items.map((d) => `${String(d.id)}:${String(d.title)}`), ['a:A2', 'b:X', 'c:C'])

  await rm(join(dir, 'c.json'))
  page = await store.listDocuments('books', list)
  t.same(page.items.map((d) => d.id), ['a', 'b'], 'a removed file is gone from the listing')
  await expectStoreError(t, store.getDocument('books', 'c'), 'document-not-found')

  // A listing filtered on a value the host just changed sees the new value.
  await writeFile(join(dir, 'a.json'), '{"id":"a","title":"A3","n":10}')
  page = await store.listDocuments('books', { limit: 10, filters: [{ field: 'n', op: 'gt', values: ['5'] }] })
  t.same(page.items.map((d) => d.title), ['A3'])
})

t.test('broken files on the volume: a direct read is a corrupt-document error, listings skip them', async (t) => {
  const store = await openStore(t)
  await store.putDocument('c', 'good', { ok: true })
  await writeFile(join(store.dataDir, 'c', 'bad.json'), '{"id": "bad", ')
  await writeFile(join(store.dataDir, 'c', 'arr.json'), '[1, 2]')
  await expectStoreError(t, store.getDocument('c', 'bad'), 'corrupt-document')
  await expectStoreError(t, store.getDocument('c', 'arr'), 'corrupt-document')
  t.same((await store.listDocuments('c', list)).items.map((d) => d.id), ['good'])
})

t.test('files that are not documents are ignored; symlinks are not followed', async (t) => {
  const store = await openStore(t)
  const outside = await tempDir(t)
  await writeFile(join(outside, 'secret.json'), '{"id":"secret","pin":1234}')
  await store.putDocument('c', 'a', {})
  const dir = join(store.dataDir, 'c')
  await symlink(join(outside, 'secret.json'), join(dir, 'secret.json'))
  await writeFile(join(dir, 'notes.txt'), 'hello')
  await writeFile(join(dir, '.hidden.json'), '{}')
  await mkdir(join(dir, 'sub.json'))
  await expectStoreError(t, store.getDocument('c', 'secret'), 'document-not-found')
  t.same((await store.listDocuments('c', list)).items.map((d) => d.id), ['a'])
  t.equal((await store.getCollection('c')).count, 1, 'the count agrees with the listing')
})

t.test('camelCase collection names work; a name that differs from another only by case is refused', async (t) => {
  const store = await openStore(t)
  await store.createDocument('blogPosts', { id: 'p1' })
  t.equal((await store.getDocument('blogPosts', 'p1')).doc.id, 'p1', 'upper case is a collection name')
  await expectStoreError(t, store.createDocument('blogposts', {}), 'already-exists')
  await expectStoreError(t, store.putDocument('BLOGPOSTS', 'x', {}), 'already-exists')
  await expectStoreError(t, store.importDocuments(async function * () { yield { collection: 'Blogposts', doc: { id: 'i' } }; yield { collection: 'Blogposts', end: true as const } }()), 'already-exists', 'an import too')
  t.same((await store.listCollections()).map((c) => c.name), ['blogPosts'], 'no twin folder was left behind')
})

t.test('names outside the patterns never become paths', async (t) => {
  const store = await openStore(t)
  for (const name of ['..', '.', 'a/b', 'A.b', '-a', '', 'x'.repeat(65), '../etc', 'a\u0000b']) {
    await expectStoreError(t, store.createDocument(name, {}), 'invalid-name')
    await expectStoreError(t, store.getCollection(name), 'invalid-name')
  }
  for (const id of ['..', '.x', 'a/b', 'a.json', '', 'y'.repeat(129), '%2e%2e']) {
    await expectStoreError(t, store.getDocument('c', id), 'invalid-name')
    await expectStoreError(t, store.putDocument('c', id, {}), 'invalid-name')
  }
  await expectStoreError(t, store.createDocument('c', { id: -1 }), 'invalid-document')
  await expectStoreError(t, store.createDocument('c', { id: 1.5 }), 'invalid-document')
  await expectStoreError(t, store.createDocument('c', { id: true }), 'invalid-document')
  await expectStoreError(t, store.createDocument('c', { id: '../x' }), 'invalid-document')
  t.same(await readdir(store.dataDir), ['.jsondock.lock'], 'nothing was created')
})

t.test('numeric ids (json-server\'s) stay numbers in the document and name the file by their digits', async (t) => {
  const store = await openStore(t)
  const created = await store.createDocument('posts', { id: 7, title: 'seven' })
  t.equal(created.id, '7')
  t.equal(await readFile(join(store.dataDir, 'posts', '7.json'), 'utf8'), '{\n  "id": 7,\n  "title": "seven"\n}\n')
  const replaced = await store.putDocument('posts', '7', { id: 7, title: 'SEVEN' })
  t.equal(replaced.stored.doc.id, 7)
  const patched = await store.patchDocument('posts', '7', (doc) => ({ ...doc, views: 1 }))
  t.same(patched.doc, { id: 7, title: 'SEVEN', views: 1 })
  await expectStoreError(t, store.putDocument('posts', '7', { id: 8 }), 'invalid-document')
  await expectStoreError(t, store.createDocument('posts', { id: '7' }), 'already-exists')
})

t.test('temp files left by a crash are swept at start; documents survive', async (t) => {
  const dataDir = await tempDir(t)
  const first = new DocumentStore({ dataDir })
  await first.open()
  await first.putDocument('c', 'keep', { v: 1 })
  await first.close()
  await writeFile(join(dataDir, 'c', '.tmp-keep.json-abc123'), '{"id":"keep","v":')
  const second = await openStore(t, dataDir)
  t.same(await readdir(join(dataDir, 'c')), ['keep.json'])
  t.same((await second.getDocument('c', 'keep')).doc, { id: 'keep', v: 1 })
})

t.test('start-up checks DATA_DIR', async (t) => {
  const root = await tempDir(t)
  const file = join(root, 'file')
  await writeFile(file, 'x')
  await t.rejects(new DocumentStore({ dataDir: file }).open(), StartupError)
  const missing = join(root, 'made', 'here')
  const store = new DocumentStore({ dataDir: missing })
  await store.open()
  t.ok((await stat(missing)).isDirectory(), 'a missing DATA_DIR is created')
  t.same(await store.checkReady(), { ready: true })
  await rm(missing, { recursive: true })
  const ready = await store.checkReady()
  t.equal(ready.ready, false)
  t.match(ready.reason, /not readable and writable \(ENOENT\)/)
  await t.rejects(new DocumentStore({ dataDir: missing, readOnly: true }).open(), StartupError, 'read-only mode never creates it')
})

t.test('collections: settings, schema, counts and deletion', async (t) => {
  const store = await openStore(t)
  const schema = { type: 'object', required: ['title'], properties: { title: { type: 'string' }, year: { type: 'integer' } } }
  const created = await store.putCollection('books', { schema })
  t.same(created, { created: true, info: { name: 'books', count: 0, schema } })
  t.same(JSON.parse(await readFile(join(store.dataDir, 'books', '.collection.json'), 'utf8')), { schema })

  await store.createDocument('books', { id: 'ok', title: 'T', year: 2000 })
  await t.rejects(store.createDocument('books', { id: 'bad', year: 'x' }), {
    code: 'schema-violation',
    errors: [{ pointer: '/title', message: "must have required property 'title'" }, { pointer: '/year', message: 'must be integer' }]
  })
  await expectStoreError(t, store.patchDocument('books', 'ok', (doc) => ({ ...doc, year: 1.5 })), 'schema-violation')
  await expectStoreError(t, store.putCollection('books', { schema: { type: 'object', required: ['isbn'] } }), 'schema-violation')
  await expectStoreError(t, store.putCollection('books', { schema: { type: 'nonsense' } }), 'invalid-schema')

  // The host edits the settings file: the next write obeys the new schema.
  await writeFile(join(store.dataDir, 'books', '.collection.json'), JSON.stringify({ schema: { type: 'object', maxProperties: 2 } }))
  await expectStoreError(t, store.createDocument('books', { id: 'three', a: 1, b: 2 }), 'schema-violation')

  t.same(await store.listCollections(), [{ name: 'books', count: 1 }])
  t.equal((await store.putCollection('books', {})).created, false)
  await store.createDocument('books', { id: 'three', a: 1, b: 2 })
  await expectStoreError(t, store.deleteCollection('books'), 'collection-not-empty')
  await store.deleteCollection('books', { force: true })
  await expectStoreError(t, store.getCollection('books'), 'collection-not-found')
  await expectStoreError(t, store.deleteCollection('books'), 'collection-not-found')
  t.same(await readdir(store.dataDir), ['.jsondock.lock'], 'only the lock file is left')
})

t.test('listing: cursor paging is stable while documents are added', async (t) => {
  const store = await openStore(t)
  for (let i = 0; i < 30; i++) await store.putDocument('c', `d${String(i).padStart(2, '0')}`, { i, group: i % 3 })
  const seen: string[] = []
  let cursor: string | undefined
  let added = 0
  do {
    const page = await store.listDocuments('c', { limit: 7, cursor, sort: [{ field: 'i', descending: true }], filters: [] })
    seen.push(...page.items.map((d) => d.id as string))
    cursor = page.nextCursor ?? undefined
    // Documents created between pages sort before the cursor (higher i) or after it; none already seen repeats.
    await store.putDocument('c', `new${added}`, { i: 100 + added, group: 0 })
    added++
  } while (cursor !== undefined)
  t.equal(new Set(seen).size, seen.length, 'no document twice')
  for (let i = 0; i < 30; i++) t.ok(seen.includes(`d${String(i).padStart(2, '0')}`), `d${i} seen`)
})

t.test('listing at scale reads no file for an unfiltered page', async (t) => {
  const store = await openStore(t)
  const dir = join(store.dataDir, 'big')
  await mkdir(dir)
  await Promise.all(Array.from({ length: 3000 }, async (_, i) =>
    await writeFile(join(dir, `k${String(i).padStart(5, '0')}.json`), JSON.stringify({ id: `k${i}`, i }))))
  const first = await store.listDocuments('big', { limit: 20, filters: [] })
  t.equal(first.items.length, 20)
  // Once loaded, a page's documents are served from the index after one lstat each.
  const page = await store.listDocuments('big', { limit: 20, cursor: first.nextCursor ?? undefined, filters: [] })
  t.same(page.items.map((d) => d.i), Array.from({ length: 20 }, (_, i) => i + 20))
  const filtered = await store.listDocuments('big', { limit: 5, sort: [{ field: 'i', descending: true }], filters: [{ field: 'i', op: 'lt', values: ['100'] }] })
  t.same(filtered.items.map((d) => d.i), [99, 98, 97, 96, 95])
})

t.test('listings that arrive during the first load share it: every file is read once, not once per listing', async (t) => {
  // Enough files that the load takes several of its time slices, so the listings really overlap it;
  // fewer than PREFETCH_MIN_FILES, so the main thread makes every open and they can be counted here
  // (above it a worker reads ahead: test/engine/file-prefetch.test.ts). One load is one load either way.
  const FILES = PREFETCH_MIN_FILES - 1
  const dataDir = await tempDir(t)
  await mkdir(join(dataDir, 'many'))
  for (let i = 0; i < FILES; i++) await writeFile(join(dataDir, 'many', `d${i}.json`), JSON.stringify({ id: `d${i}`, i }))
  // Older than the racy window, so that nothing is read twice for that reason.
  const old = new Date(Date.now() - 60_000)
  for (let i = 0; i < FILES; i++) await utimes(join(dataDir, 'many', `d${i}.json`), old, old)
  const store = await openStore(t, dataDir)
  const fs = require('node:fs') as typeof import('node:fs')
  const { openSync, lstatSync } = fs
  let opened = 0
  let statted = 0
  const inFolder = (path: unknown): boolean => String(path).includes(`${join(dataDir, 'many')}/`)
  fs.openSync = ((...args: Parameters<typeof openSync>) => {
    if (inFolder(args[0])) opened++
    return openSync(...args)
  }) as typeof openSync
  const writable = fs as { lstatSync: typeof lstatSync }
  writable.lstatSync = ((...args: Parameters<typeof lstatSync>) => {
    if (inFolder(args[0])) statted++
    return lstatSync(...args)
  }) as typeof lstatSync
  t.teardown(() => { fs.openSync = openSync; writable.lstatSync = lstatSync })
  const pages = await Promise.all([1, 2, 3, 4].map(async () => await store.listDocuments('many', { limit: 5, filters: [] })))
  for (const page of pages) t.equal(page.items.length, 5)
  t.equal(opened, FILES, `each of the ${FILES} files was opened once, by the one load all four listings waited for`)
  // One lstat per file for the load, plus each page's own re-check: not one load per listing.
  t.ok(statted <= FILES + 4 * 5, `${statted} lstats of document files for ${FILES} files and four pages of 5`)
})

t.test('a named pipe planted as <id>.json is not a document, and opening it never blocks the process', async (t) => {
  const dataDir = await tempDir(t)
  await mkdir(join(dataDir, 'c'))
  await writeFile(join(dataDir, 'c', 'real.json'), '{"id":"real"}')
  const mkfifo = spawnSync('mkfifo', [join(dataDir, 'c', 'pipe.json')])
  if (mkfifo.status !== 0) {
    t.comment(`mkfifo is not available here: ${String(mkfifo.error ?? mkfifo.stderr)}`)
    t.pass('skipped: no mkfifo', { skip: true })
    return
  }
  const store = await openStore(t, dataDir)
  // A blocking open of a FIFO with no writer would hang here, synchronously: the test would time out.
  const page = await store.listDocuments('c', list)
  t.same(page.items.map((d) => d.id), ['real'], 'the pipe is left out of the listing')
  await expectStoreError(t, store.getDocument('c', 'pipe'), 'document-not-found')
})
