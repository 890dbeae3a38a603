import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { DocumentStore, type JsonObject } from '../../plugins/engine'
import { json, makeApp, tempDir } from '../helpers/app'

type Page = { items: JsonObject[], nextCursor: string | null, total?: number }

t.test('count=true adds the total of matching documents; fields= projects, dotted paths included', async (t) => {
  const { app } = await makeApp(t)
  for (let i = 0; i < 12; i++) {
    const body = { id: `b${String(i).padStart(2, '0')}`, title: `Book ${i}`, year: 1990 + i, author: { name: i % 2 === 0 ? 'Le Guin' : 'Herbert', born: 1900 + i } }
    t.equal((await app.inject({ method: 'POST', url: '/v1/collections/books/documents', ...json(body) })).statusCode, 201)
  }
  const all = (await app.inject('/v1/collections/books/documents?limit=5&count=true')).json() as Page
  t.equal(all.total, 12)
  t.equal(all.items.length, 5)
  const filtered = (await app.inject('/v1/collections/books/documents?limit=2&count=true&author.name=Le%20Guin')).json() as Page
  t.equal(filtered.total, 6, 'a dotted-path filter, counted over all pages')
  t.same(filtered.items.map((d) => d.id), ['b00', 'b02'])
  const noCount = (await app.inject('/v1/collections/books/documents?limit=2')).json() as Page
  t.notOk('total' in noCount, 'no total unless asked')
  const ranged = (await app.inject('/v1/collections/books/documents?author.born[gte]=1905&author.born[lt]=1908&sort=-author.born')).json() as Page
  t.same(ranged.items.map((d) => d.id), ['b07', 'b06', 'b05'], 'range filter and sort on a dotted path')
  const projected = (await app.inject('/v1/collections/books/documents?limit=2&fields=title,author.name')).json() as Page
  t.same(projected.items, [{ id: 'b00', title: 'Book 0', author: { name: 'Le Guin' } }, { id: 'b01', title: 'Book 1', author: { name: 'Herbert' } }])
  t.equal((await app.inject('/v1/collections/books/documents?fields=a,,b')).statusCode, 400)
})

t.test('sort orders stay right while documents are created, replaced, edited on disk and deleted', async (t) => {
  const dataDir = await tempDir(t)
  const store = new DocumentStore({ dataDir })
  await store.open()
  t.teardown(async () => await store.close())
  let seed = 7
  const random = (): number => { seed = (seed * 48271) % 2147483647; return seed }
  const expected = new Map<string, number>()
  const check = async (label: string): Promise<void> => {
    const ascending = [...expected].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id)
    const descending = [...expected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id)
    const asc = await store.listDocuments('c', { limit: 1000, sort: { field: 'score', descending: false }, filters: [] })
    const desc = await store.listDocuments('c', { limit: 1000, sort: { field: 'score', descending: true }, filters: [] })
    const byId = await store.listDocuments('c', { limit: 1000, filters: [] })
    t.same(asc.items.map((d) => d.id), ascending, `${label}: ascending`)
    t.same(desc.items.map((d) => d.id), descending, `${label}: descending, ties by id`)
    t.same(byId.items.map((d) => d.id), [...expected.keys()].sort(), `${label}: by id`)
  }
  for (let i = 0; i < 200; i++) {
    const id = `d${i}`
    expected.set(id, random() % 50)
    await store.putDocument('c', id, { score: expected.get(id) as number })
  }
  await check('after creates')
  for (let i = 0; i < 100; i++) {
    const id = `d${random() % 200}`
    const op = random() % 3
    if (op === 0 && expected.has(id)) {
      await store.deleteDocument('c', id)
      expected.delete(id)
    } else if (op === 1) {
      expected.set(id, random() % 50)
      await store.putDocument('c', id, { score: expected.get(id) as number })
    } else {
      expected.set(id, random() % 50)
      await writeFile(join(dataDir, 'c', `${id}.json`), JSON.stringify({ id, score: expected.get(id) }))
    }
  }
  await check('after a mix of writes and host edits')
})

t.test('a page deep into a large collection needs no sort per request (cursor seek)', async (t) => {
  const dataDir = await tempDir(t)
  const store = new DocumentStore({ dataDir })
  await store.open()
  t.teardown(async () => await store.close())
  for (let i = 0; i < 2000; i++) await store.createDocument('n', { id: `k${String(i).padStart(5, '0')}`, v: (i * 7919) % 2000 })
  const seen: number[] = []
  let cursor: string | undefined
  do {
    const page = await store.listDocuments('n', { limit: 250, sort: { field: 'v', descending: false }, cursor, filters: [] })
    seen.push(...page.items.map((d) => d.v as number))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  t.same(seen, Array.from({ length: 2000 }, (_, i) => i), 'every value once, in order, across 8 pages')
})
