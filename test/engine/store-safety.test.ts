import { lstat, mkdir, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { DocumentStore, etagOf, type ImportItem, type JsonObject } from '../../plugins/engine'
import { makeApp, openStore, snapshot, tempDir } from '../helpers/app'
import { expectStoreError } from '../helpers/assertions'

const list = { limit: 1000, filters: [] }


async function * items (collection: string, docs: JsonObject[], beforeEnd?: () => Promise<void>): AsyncGenerator<ImportItem> {
  for (const doc of docs) yield { collection, doc }
  await beforeEnd?.()
}

/** The documents of a collection as the files on disk hold them. */
async function onDisk (dir: string): Promise<JsonObject[]> {
  const docs: JsonObject[] = []
  for (const name of await readdir(dir)) {
    if (/^[A-Za-z0-9][A-Za-z0-9_-]*\.json$/.test(name)) docs.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as JsonObject)
  }
  return docs
}

t.test('a collection folder that is a symlink (or a file) is never followed: absent to reads, refused to writes', async (t) => {
  const store = await openStore(t)
  const outside = await tempDir(t)
  await writeFile(join(outside, 'secret.json'), '{\n  "id": "secret",\n  "pin": 1234\n}\n')
  await symlink(outside, join(store.dataDir, 'linked'))
  await writeFile(join(store.dataDir, 'plain'), 'not a folder')
  const before = await snapshot(outside)

  await expectStoreError(t, store.getDocument('linked', 'secret'), 'collection-not-found', 'read')
  await expectStoreError(t, store.listDocuments('linked', list), 'collection-not-found', 'listing')
  await expectStoreError(t, store.allDocuments('linked'), 'collection-not-found', 'export')
  await expectStoreError(t, store.getCollection('linked'), 'collection-not-found', 'settings')
  t.same(await store.listCollections(), [], 'neither is listed as a collection')

  for (const name of ['linked', 'plain']) {
    await expectStoreError(t, store.createDocument(name, { title: 'x' }), 'already-exists', `${name}: create, server id`)
    await expectStoreError(t, store.createDocument(name, { id: 'new' }), 'already-exists', `${name}: create, own id`)
    await expectStoreError(t, store.putDocument(name, 'secret', { pin: 0 }), 'already-exists', `${name}: put`)
    await expectStoreError(t, store.putCollection(name, { schema: { type: 'object' } }), 'already-exists', `${name}: put collection`)
    await expectStoreError(t, store.patchDocument(name, 'secret', (d) => ({ ...d, pin: 0 })), 'collection-not-found', `${name}: patch`)
    await expectStoreError(t, store.deleteDocument(name, 'secret'), 'collection-not-found', `${name}: delete`)
    await expectStoreError(t, store.deleteCollection(name, { force: true }), 'collection-not-found', `${name}: delete collection`)
    await expectStoreError(t, store.importDocuments(items(name, [{ id: 'imported' }])), 'already-exists', `${name}: import`)
    await expectStoreError(t, store.importDocuments(async function * () { yield { collection: name, end: true as const } }()), 'already-exists', `${name}: empty import`)
  }
  t.same(await snapshot(outside), before, 'nothing was written outside DATA_DIR')
  t.ok((await lstat(join(store.dataDir, 'linked'))).isSymbolicLink(), 'the link itself is left alone')
  t.equal(await readFile(join(store.dataDir, 'plain'), 'utf8'), 'not a folder')
  t.same((await readdir(store.dataDir)).sort(), ['.jsondock.lock', 'linked', 'plain'], 'no staging folder is left behind')

  const { app, dataDir } = await makeApp(t)
  await symlink(outside, join(dataDir, 'linked'))
  t.equal((await app.inject('/v1/collections/linked/documents')).statusCode, 404, 'HTTP listing: 404')
  t.equal((await app.inject('/v1/collections/linked/documents/secret')).statusCode, 404, 'HTTP read: 404')
  const put = await app.inject({ method: 'PUT', url: '/v1/collections/linked/documents/x', payload: '{}', headers: { 'content-type': 'application/json' } })
  t.equal(put.statusCode, 409, 'HTTP write: 409')
  t.match(put.headers['content-type'], /problem\+json/)
  t.match(put.json().detail, /not a real folder/)
  t.same(await snapshot(outside), before)
})

t.test('DATA_DIR itself may be a symlink to a folder: it is resolved once, at start', async (t) => {
  const real = await tempDir(t)
  const link = join(await tempDir(t), 'data')
  await symlink(real, link)
  const store = await openStore(t, link)
  t.equal(store.dataDir, await realpath(real))
  await store.putDocument('c', 'a', { n: 1 })
  t.equal(await readFile(join(real, 'c', 'a.json'), 'utf8'), '{\n  "id": "a",\n  "n": 1\n}\n')
  t.same((await store.listCollections()).map((c) => c.name), ['c'])
})

t.test('a schema change racing document writes never lets a document that violates it onto the disk', async (t) => {
  const store = await openStore(t)
  const schema = { type: 'object', required: ['title'] }
  let violations = 0
  let schemaTookEffect = 0
  for (let round = 0; round < 16; round++) {
    const name = `race${round}`
    await store.putDocument(name, 'old', { title: 'kept' })
    const writes = (): Array<Promise<unknown>> => [
      store.createDocument(name, { id: 'created' }),
      store.createDocument(name, {}),
      store.putDocument(name, 'put', {}),
      store.patchDocument(name, 'old', ({ title: _title, ...rest }) => rest)
    ]
    // Half the rounds start the schema change first, half start it last.
    const results = round % 2 === 0
      ? await Promise.allSettled([store.putCollection(name, { schema }), ...writes()])
      : await Promise.allSettled([...writes(), store.putCollection(name, { schema })]).then((r) => [r[4], ...r.slice(0, 4)])
    if (results[0]?.status !== 'fulfilled') continue
    schemaTookEffect++
    violations += (await onDisk(join(store.dataDir, name))).filter((doc) => typeof doc.title !== 'string').length
  }
  t.ok(schemaTookEffect > 0, `the schema change won ${schemaTookEffect} of 16 rounds`)
  t.equal(violations, 0, 'no document on disk violates the schema that was accepted')
})

t.test('an import moving in does not slip between an If-Match writer\'s check and its write', async (t) => {
  const store = await openStore(t)
  const ids = Array.from({ length: 12 }, (_, i) => `d${i}`)
  let lost = 0
  for (let round = 0; round < 3; round++) {
    const name = `imp${round}`
    for (const id of ids) await store.putDocument(name, id, { v: 'before' })
    const imported = ids.map((id) => ({ id, v: 'imported' }))
    const importedTag = (doc: JsonObject): string => etagOf(Buffer.from(JSON.stringify(doc, null, 2) + '\n'))
    let importing = true
    // Each writer replaces its document over and over, each time conditional on the version it just read.
    const basedOn = new Map<string, string[]>(ids.map((id) => [id, []]))
    const writer = async (id: string): Promise<void> => {
      do {
        const current = await store.getDocument(name, id)
        try {
          await store.putDocument(name, id, { v: 'written' }, { ifMatch: [current.etag] })
          basedOn.get(id)?.push(current.etag)
        } catch (err) {
          if ((err as { code?: string }).code !== 'precondition-failed') throw err
        }
      } while (importing)
    }
    let writers: Array<Promise<void>> = []
    // The writers start once the import is staged, so their writes overlap its move-in.
    try {
      await store.importDocuments(items(name, imported, async () => { writers = ids.map(writer) }))
    } finally {
      importing = false
      await Promise.all(writers)
    }
    for (const doc of imported) {
      const final = await store.getDocument(name, doc.id)
      // The imported version must have been current at some point: served now, or replaced by a writer that matched it.
      if (final.etag !== importedTag(doc) && basedOn.get(doc.id)?.includes(importedTag(doc)) !== true) lost++
    }
  }
  t.equal(lost, 0, 'no imported document was overwritten by a writer whose If-Match named the version before it')
})

t.test('a committed import whose documents violate the schema set since is left staged, not moved in', async (t) => {
  const dataDir = await tempDir(t)
  await mkdir(join(dataDir, 'notes'))
  await writeFile(join(dataDir, 'notes', '.collection.json'), JSON.stringify({ schema: { type: 'object', required: ['title'] } }))
  const stage = join(dataDir, '.import-notes-019a0000-0000-7000-8000-000000000002')
  await mkdir(stage)
  await writeFile(join(stage, 'n1.json'), '{\n  "id": "n1"\n}\n')
  await writeFile(join(stage, '.commit'), '')
  const warnings: string[] = []
  const store = new DocumentStore({ dataDir, log: { warn: (_obj, msg) => { warnings.push(msg) } } })
  await store.open()
  t.teardown(async () => await store.close())
  t.same(await readdir(join(dataDir, 'notes')), ['.collection.json'], 'nothing moved in')
  t.same(await readdir(stage), ['.commit', 'notes'], 'the staged import is kept for the operator')
  t.same(await readdir(join(stage, 'notes')), ['n1.json'], 'in its collection\'s folder of the stage')
  t.match(warnings.join('\n'), /schema/)
})
