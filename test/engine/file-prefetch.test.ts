import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import t from 'tap'
import { DocumentStore, type JsonObject } from '../../plugins/engine'
import { PREFETCH_MIN_FILES, prefetchFiles } from '../../plugins/engine/file-prefetch'
import { tempDir } from '../helpers/app'

// A first load large enough for the prefetch worker (file-prefetch.ts) must index exactly what
// the main thread's own reads would: every document, the unreadable files reported, nothing
// read through a symlink or blocked on a FIFO.
t.test('a large first load, read ahead by the worker, indexes what the main thread would', async (t) => {
  const dataDir = await tempDir(t)
  const dir = join(dataDir, 'big')
  mkdirSync(dir)
  const n = PREFETCH_MIN_FILES + 300
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `d${String(i).padStart(5, '0')}.json`), JSON.stringify({ id: `d${String(i).padStart(5, '0')}`, i }, null, 2) + '\n')
  writeFileSync(join(dir, 'broken.json'), '{ not json')
  writeFileSync(join(dir, 'noid.json'), '{"i": -1}\n')
  writeFileSync(join(dataDir, 'outside.json'), '{"id": "outside", "secret": true}\n')
  symlinkSync(join(dataDir, 'outside.json'), join(dir, 'linked.json'))
  execFileSync('mkfifo', [join(dir, 'fifo.json')])
  const store = new DocumentStore({ dataDir })
  await store.open()
  t.teardown(() => store.close())
  const page = await store.listDocuments('big', { limit: 5, count: true, filters: [] }) as { items: JsonObject[], total?: number, unreadable?: Array<{ id: string }> }
  t.equal(page.total, n + 1, 'every document, and the hand-made file without an id')
  t.same(page.items.map((d) => d.id), ['d00000', 'd00001', 'd00002', 'd00003', 'd00004'])
  t.same(page.unreadable?.map((u) => u.id), ['broken'], 'the broken file is reported, not skipped')
  t.same((await store.getDocument('big', 'noid')).doc, { id: 'noid', i: -1 }, 'served with the id its name gives')
  await t.rejects(store.allDocuments('big'), { code: 'corrupt-document' }, 'a whole-collection read refuses to leave the broken file out')
  rmSync(join(dir, 'broken.json'))
  const all = await store.allDocuments('big')
  t.notOk(all.some((d) => d.id === 'linked' || d.id === 'outside' || d.id === 'fifo'), 'nothing through the symlink, no FIFO')
  t.same(all.find((d) => d.id === 'd01234'), { id: 'd01234', i: 1234 })
})

t.test('the prefetch yields every name in order, read or left to the caller', async (t) => {
  const dir = await tempDir(t)
  const names: string[] = []
  for (let i = 0; i < 600; i++) { names.push(`f${i}.json`); writeFileSync(join(dir, `f${i}.json`), `{"i":${i}}`) }
  names.splice(300, 0, 'missing.json')
  const seen: string[] = []
  for await (const batch of prefetchFiles(dir, names)) {
    for (const [name, read] of batch) {
      seen.push(name)
      if (name === 'missing.json') t.equal(read, undefined, 'a missing file is left to the caller')
      else if (read?.bytes.toString() !== `{"i":${name.slice(1, -5)}}`) t.fail(`${name}: wrong bytes`)
    }
  }
  t.same(seen, names)
})
