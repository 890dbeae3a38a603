// The edges a real user hits through the HTTP API (issue 17): forms of a URL, a query or a body
// that are easy to write and must either work or say what to write instead.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { PassThrough } from 'node:stream'
import t from 'tap'
import { json, makeApp } from '../helpers/app'
import { repoRoot } from '../helpers/docs'
import { runImport } from '../../app/cli'
import { loadConfig } from '../../app/config'

t.test('a trailing slash: …/documents/ is the listing, …/collections/ the collections', async (t) => {
  const { app } = await makeApp(t)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/dune', ...json({ title: 'Dune' }) })).statusCode, 201)
  const slash = await app.inject('/v1/collections/books/documents/')
  t.equal(slash.statusCode, 200, slash.body)
  t.same(slash.json(), (await app.inject('/v1/collections/books/documents')).json(), 'the same answer as without the slash')
  const collections = await app.inject('/v1/collections/')
  t.equal(collections.statusCode, 200, collections.body)
  const created = await app.inject({ method: 'POST', url: '/v1/collections/books/documents/', ...json({ title: 'Emma' }) })
  t.equal(created.statusCode, 201, 'POST …/documents/ creates, as without the slash')
  const one = await app.inject('/v1/collections/books/documents/dune/')
  t.equal(one.statusCode, 200, 'a document URL with a trailing slash is that document')
})

t.test('a body over BODY_LIMIT: the 413 states the limit and the setting', async (t) => {
  const { app } = await makeApp(t, { BODY_LIMIT: '2048' })
  const answer = await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', ...json({ text: 'x'.repeat(3000) }) })
  t.equal(answer.statusCode, 413)
  t.match(answer.json().detail, /larger than BODY_LIMIT, 2048 bytes/)
})

t.test('what is served can be written back: a document whose pretty-printed file exceeds BODY_LIMIT is refused with 413', async (t) => {
  const { app, dataDir } = await makeApp(t, { BODY_LIMIT: '4096' })
  // Compact it fits; stored pretty-printed (one line per array item) it does not.
  const doc = { list: Array.from({ length: 700 }, (_, i) => i % 10) }
  t.ok(JSON.stringify(doc).length < 4096)
  const answer = await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/big', ...json(doc) })
  t.equal(answer.statusCode, 413, answer.body)
  t.match(answer.json().detail, /pretty-printed, as GET serves it, the document is \d+ bytes: more than BODY_LIMIT, 4096 bytes/)
  await t.rejects(readFile(join(dataDir, 'c', 'big.json')), { code: 'ENOENT' }, 'nothing written')
  const small = { list: doc.list.slice(0, 300) }
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/ok', ...json(small) })).statusCode, 201)
  const served = await app.inject('/v1/collections/c/documents/ok')
  const back = await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/ok', payload: served.body, headers: { 'content-type': 'application/json' } })
  t.equal(back.statusCode, 200, 'exactly what GET returned is accepted back')
})

t.test('a hand-written file that is not valid JSON is reported, never silently skipped, and can be replaced or removed', async (t) => {
  const { app, dataDir } = await makeApp(t)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/dune', ...json({ title: 'Dune' }) })).statusCode, 201)
  await writeFile(join(dataDir, 'books', 'broken.json'), '{"title": "Emma",\n')
  await writeFile(join(dataDir, 'books', 'list.json'), '[1, 2]\n')
  const listing = await app.inject('/v1/collections/books/documents?count=true')
  t.equal(listing.statusCode, 200)
  const page = listing.json()
  t.same(page.items.map((d: { id: string }) => d.id), ['dune'])
  t.same(page.unreadable.map((u: { file: string }) => u.file), ['books/broken.json', 'books/list.json'], 'the listing names every file it cannot serve')
  t.match(page.unreadable[0].detail, /not valid JSON/)
  t.equal((await app.inject('/v1/collections/books')).json().count, page.items.length + page.unreadable.length, 'the count and the listing agree')
  const exported = await app.inject('/v1/export')
  t.equal(exported.statusCode, 500, 'a backup that would leave a file out is refused, before any byte is sent')
  t.match(exported.json().detail, /Export refused: it would leave out 2 file\(s\).*books\/broken\.json/)
  t.equal((await app.inject('/v1/collections/books/export')).statusCode, 500, 'the NDJSON export too')
  const replaced = await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/broken', ...json({ title: 'Emma' }) })
  t.equal(replaced.statusCode, 200, 'PUT replaces it: ' + replaced.body)
  t.equal(JSON.parse(await readFile(join(dataDir, 'books', 'broken.json'), 'utf8')).title, 'Emma')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/list', headers: { 'content-type': 'application/json', 'if-none-match': '*' }, payload: '{}' })).statusCode, 412, 'it exists: a create-only PUT is refused')
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/collections/books/documents/list' })).statusCode, 204, 'DELETE removes it')
  t.notOk((await app.inject('/v1/collections/books/documents')).json().unreadable, 'nothing left to report')
  t.equal((await app.inject('/v1/export')).statusCode, 200)
})

t.test('the file name is the id: a file without "id", or with another, is served under its name everywhere', async (t) => {
  const { app, dataDir } = await makeApp(t)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/notes/documents/a', ...json({ text: 'by the API' }) })).statusCode, 201)
  await writeFile(join(dataDir, 'notes', 'no-id.json'), '{"text": "by hand"}\n')
  await writeFile(join(dataDir, 'notes', 'other.json'), '{"id": "elsewhere", "text": "renamed by hand"}\n')
  const one = await app.inject('/v1/collections/notes/documents/no-id')
  t.same(one.json(), { id: 'no-id', text: 'by hand' })
  t.same((await app.inject('/v1/collections/notes/documents/other')).json(), { id: 'other', text: 'renamed by hand' })
  t.equal((await app.inject('/v1/collections/notes/documents/elsewhere')).statusCode, 404, 'not by the id inside the file')
  const projected = (await app.inject('/v1/collections/notes/documents?fields=text')).json()
  t.same(projected.items, [{ id: 'a', text: 'by the API' }, { id: 'no-id', text: 'by hand' }, { id: 'other', text: 'renamed by hand' }], 'fields= keeps the id')
  const patched = await app.inject({ method: 'PATCH', url: '/v1/collections/notes/documents/no-id', headers: { 'content-type': 'application/merge-patch+json', 'if-match': one.headers.etag as string }, payload: '{"done":true}' })
  t.equal(patched.statusCode, 200, patched.body)
  t.same(JSON.parse(await readFile(join(dataDir, 'notes', 'no-id.json'), 'utf8')), { id: 'no-id', text: 'by hand', done: true }, 'the write adds the id to the file')
  const served = await app.inject('/v1/collections/notes/documents/other')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/notes/documents/other', payload: served.body, headers: { 'content-type': 'application/json', 'if-match': served.headers.etag as string } })).statusCode, 200, 'what GET served goes back with its ETag')
  const viaJsonServer = await app.inject('/json-server/notes')
  t.same(viaJsonServer.json().map((d: { id: string }) => d.id).sort(), ['a', 'no-id', 'other'], '/json-server lists them by file name')
  t.equal((await app.inject('/json-server/notes/other')).statusCode, 200)
})

t.test('DELETE of a collection without force never deletes files that are not documents', async (t) => {
  const { app, dataDir } = await makeApp(t)
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/misc', ...json({}) })).statusCode, 201)
  await writeFile(join(dataDir, 'misc', 'README.txt'), 'my notes\n')
  const refused = await app.inject({ method: 'DELETE', url: '/v1/collections/misc' })
  t.equal(refused.statusCode, 409)
  t.match(refused.json().detail, /1 file\(s\) that are not documents: "README.txt"/)
  t.equal(await readFile(join(dataDir, 'misc', 'README.txt'), 'utf8'), 'my notes\n', 'the file is still there')
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/collections/misc?force=true' })).statusCode, 204, 'force deletes, as asked')
})

t.test('a collection folder this uid cannot write: writes and `check` name the folder, uid and fix; readiness says so, and recovers', async (t) => {
  // As root, mode bits bind nobody: the check runs as uid 65534 instead.
  const asRoot = process.getuid?.() === 0
  const child = spawnSync(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'test/helpers/unwritable-collection.ts')], {
    encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, HOME: tmpdir() }, ...(asRoot ? { uid: 65534, gid: 65534 } : {})
  })
  t.equal(child.status, 0, child.stderr)
  type Answer = [number, string]
  const seen = JSON.parse(child.stdout) as {
    dir: string, uid: number, created: number, readyBeforeWrite: Answer, write: Answer, remove: Answer, settings: Answer, dropped: Answer, ready: Answer, readyFixed: Answer,
    checked: Answer, readyAtStart: Answer, writeFixed: number, readyAfterWrite: Answer, checkedFixed: Answer
  }
  t.equal(seen.created, 201)
  const named = `The folder ${seen.dir} is not writable by uid ${seen.uid}`
  t.equal(seen.write[0], 503, 'a write answers a problem, not 500')
  t.ok(seen.write[1].startsWith(named), seen.write[1])
  t.match(seen.write[1], /sudo chown -R/, 'with the fix')
  t.same([seen.remove[0], seen.remove[1].startsWith(named)], [503, true], 'a delete too')
  t.same([seen.settings[0], seen.settings[1].startsWith(named)], [503, true], 'a settings change too')
  t.same([seen.dropped[0], seen.dropped[1].startsWith(named)], [503, true], 'and a collection delete')
  t.same([seen.ready[0], seen.ready[1].startsWith(named)], [503, true], '/health/ready reports it')
  // Readiness re-checks only the folders known unwritable (docs/operations.md): one broken by hand after the start is known from its first refused write.
  t.equal(seen.readyBeforeWrite[0], 200, 'before any write is refused, probes check no collection folder')
  t.equal(seen.readyFixed[0], 200, 'fixed: the next probe re-checks the folder and is ready again')
  t.same([seen.readyAtStart[0], seen.readyAtStart[1].startsWith(named)], [503, true], 'broken before the start: not ready from the first probe, no write needed')
  t.same([seen.writeFixed, seen.readyAfterWrite[0]], [201, 200], 'fixed, a write succeeds and readiness follows')
  t.equal(seen.checked[0], 1, '`check` fails on it')
  t.ok(seen.checked[1].startsWith(`jsondock: ${named}`), seen.checked[1])
  t.match(seen.checked[1], /sudo chown -R/, 'with the fix')
  t.same([seen.checkedFixed[0], /^jsondock: check passed: /.test(seen.checkedFixed[1])], [0, true], seen.checkedFixed[1])
})

t.test('an import applies the stored-size rule of writes: a document whose pretty-printed file exceeds BODY_LIMIT is refused, nothing imported', async (t) => {
  const { app, dataDir } = await makeApp(t, { BODY_LIMIT: '4096' })
  // Compact it fits a request body; pretty-printed, as it would be stored and served, it does not.
  const db = { c: [{ id: 'small', n: 1 }, { id: 'big', list: Array.from({ length: 700 }, (_, i) => i % 10) }] }
  t.ok(JSON.stringify(db.c[1]).length < 4096)
  const answer = await app.inject({ method: 'POST', url: '/v1/import', payload: JSON.stringify(db), headers: { 'content-type': 'application/json' } })
  t.equal(answer.statusCode, 413, answer.body)
  t.match(answer.json(), {
    type: '/problems/document-too-large',
    detail: /Stored pretty-printed, as GET serves it, document "big" of "c" is \d+ bytes: more than BODY_LIMIT, 4096 bytes/,
    collection: 'c'
  })
  t.equal((await app.inject('/v1/collections/c/documents')).statusCode, 404, 'all or nothing: the collection was not created')
  // The import command, which writes beside the service, applies the same rule.
  const file = join(dataDir, '..', `db-${process.pid}.json`)
  await writeFile(file, JSON.stringify(db))
  t.teardown(async () => await rm(file, { force: true }))
  let text = ''
  const out = new PassThrough()
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  t.equal(await runImport([file], loadConfig({ DATA_DIR: dataDir, BODY_LIMIT: '4096' }), out), 1)
  t.match(text, /import failed: Import failed at "c", nothing of the import was written: Stored pretty-printed, as GET serves it, document "big" of "c" is \d+ bytes: more than BODY_LIMIT, 4096 bytes/)
})
