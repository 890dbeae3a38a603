/**
 * react-admin's own json-server data provider, ra-data-json-server (from npm,
 * written by nobody here), driven against the running service over HTTP:
 * every DataProvider method, checked in its results and in the files on disk.
 */
import { access, readdir, readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'
import { tempDir } from '../helpers/app'

type Doc = Record<string, unknown>
type Method = (resource: string, params: unknown) => Promise<{ data: any, total?: number }>
/** The DataProvider methods exercised here (react-admin's own types are generic over records). */
type Provider = Record<'getList' | 'getOne' | 'getMany' | 'getManyReference' | 'create' | 'update' | 'updateMany' | 'delete' | 'deleteMany', Method>

async function fileOf (dataDir: string, collection: string, id: string | number): Promise<Doc> {
  return JSON.parse(await readFile(join(dataDir, collection, `${id}.json`), 'utf8')) as Doc
}

async function exists (path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false)
}

t.test('ra-data-json-server against the running service', async (t) => {
  const dataDir = await tempDir(t)
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0', CORS_ORIGIN: '*' }), { logger: false })
  t.teardown(async () => await app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port

  const module = await import('ra-data-json-server') as { default: unknown }
  const factory = ((module.default as { default?: unknown }).default ?? module.default) as (url: string) => Provider
  const provider = factory(`http://127.0.0.1:${port}/json-server`)

  // ---- create ----
  const authors = ['Ann', 'Bob', 'Cleo']
  for (let i = 1; i <= 23; i++) {
    const { data } = await provider.create('posts', {
      data: { title: i % 5 === 0 ? `Hello number ${i}` : `Post ${i}`, views: (i * 37) % 100, published: i % 2 === 0, author: { name: authors[i % 3] } }
    })
    if (data.id !== i) t.fail(`post ${i} got id ${String(data.id)}`)
  }
  t.same(await fileOf(dataDir, 'posts', 7), { id: 7, title: 'Post 7', views: 59, published: false, author: { name: 'Bob' } }, 'create: a numeric id, max + 1, in 7.json')
  t.equal((await readdir(join(dataDir, 'posts'))).filter((f) => f.endsWith('.json')).length, 23)
  for (const [postId, body] of [[1, 'first'], [1, 'second'], [2, 'other'], [1, 'third'], [5, 'fifth']] as const) {
    await provider.create('comments', { data: { postId, body } })
  }
  const created = await provider.create('tags', { data: { id: 'sf', label: 'Science fiction' } })
  t.same(created.data, { id: 'sf', label: 'Science fiction' }, 'create with a string id')
  t.same(await fileOf(dataDir, 'tags', 'sf'), { id: 'sf', label: 'Science fiction' })

  // ---- getList: pagination, sort, filter, q ----
  const page2 = await provider.getList('posts', { pagination: { page: 2, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: {} })
  t.equal(page2.total, 23, 'getList: total from X-Total-Count')
  t.same(page2.data.map((p: Doc) => p.id), [6, 7, 8, 9, 10], 'getList: page 2 of 5, by id (numerically)')
  const last = await provider.getList('posts', { pagination: { page: 5, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: {} })
  t.same(last.data.map((p: Doc) => p.id), [21, 22, 23])

  const byViews = await provider.getList('posts', { pagination: { page: 1, perPage: 4 }, sort: { field: 'views', order: 'DESC' }, filter: {} })
  t.same(byViews.data.map((p: Doc) => p.views), [96, 92, 85, 81], 'getList: sorted by views, descending')

  const published = await provider.getList('posts', { pagination: { page: 1, perPage: 50 }, sort: { field: 'id', order: 'ASC' }, filter: { published: true } })
  t.equal(published.total, 11)
  t.ok(published.data.every((p: Doc) => p.published === true && (p.id as number) % 2 === 0), 'getList: filter published=true')

  const byAuthor = await provider.getList('posts', { pagination: { page: 1, perPage: 3 }, sort: { field: 'title', order: 'ASC' }, filter: { author: { name: 'Ann' } } })
  t.equal(byAuthor.total, 7, 'getList: a nested filter becomes author.name=Ann')
  t.same(byAuthor.data.map((p: Doc) => p.title), ['Hello number 15', 'Post 12', 'Post 18'])

  const search = await provider.getList('posts', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'DESC' }, filter: { q: 'HELLO' } })
  t.same(search.data.map((p: Doc) => p.id), [20, 15, 10, 5], 'getList: q, case-insensitive')
  t.equal(search.total, 4)

  const ids = await provider.getList('posts', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { id: [3, 4, 99] } })
  t.same(ids.data.map((p: Doc) => p.id), [3, 4], 'getList: an array filter is an OR')

  const embedded = await provider.getList('posts', { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: {}, meta: { embed: 'comments' } })
  t.same(embedded.data[0].comments.map((c: Doc) => c.body), ['first', 'second', 'third'], 'getList: meta.embed')

  // ---- getOne, getMany, getManyReference ----
  t.same((await provider.getOne('posts', { id: 7 })).data, await fileOf(dataDir, 'posts', 7), 'getOne: the file')
  t.same((await provider.getOne('tags', { id: 'sf' })).data.label, 'Science fiction')
  const withComments = await provider.getOne('posts', { id: 2, meta: { embed: 'comments' } })
  t.same(withComments.data.comments.map((c: Doc) => c.body), ['other'])
  const failure = await provider.getOne('posts', { id: 999 }).then(() => undefined, (err: unknown) => err)
  t.match(failure, { name: 'HttpError', status: 404 }, 'getOne: an unknown id is an HttpError 404')

  const many = await provider.getMany('posts', { ids: [9, 3, 21] })
  t.same(many.data.map((p: Doc) => p.id), [3, 9, 21], 'getMany')

  const refs = await provider.getManyReference('comments', {
    target: 'postId', id: 1, pagination: { page: 1, perPage: 2 }, sort: { field: 'body', order: 'DESC' }, filter: {}
  })
  t.equal(refs.total, 3, 'getManyReference: total')
  t.same(refs.data.map((c: Doc) => c.body), ['third', 'second'], 'getManyReference: sorted and paged')

  // ---- update, updateMany ----
  const updated = await provider.update('posts', { id: 7, data: { id: 7, title: 'Seven', views: 7 }, previousData: {} })
  t.same(updated.data, { id: 7, title: 'Seven', views: 7 }, 'update: PUT replaces')
  t.same(await fileOf(dataDir, 'posts', 7), { id: 7, title: 'Seven', views: 7 }, 'update: the file is replaced, the id still a number')

  const updatedMany = await provider.updateMany('posts', { ids: [8, 9], data: { title: 'bulk', published: true } })
  t.same(updatedMany.data, [8, 9], 'updateMany: the ids')
  t.same(await fileOf(dataDir, 'posts', 8), { id: 8, title: 'bulk', published: true }, 'updateMany: each file replaced (PUT, as json-server does)')
  t.same(await fileOf(dataDir, 'posts', 9), { id: 9, title: 'bulk', published: true })

  // ---- delete, deleteMany ----
  const deleted = await provider.delete('posts', { id: 1, previousData: {} })
  t.same(deleted.data, {}, 'delete: answers {}, as json-server does')
  t.notOk(await exists(join(dataDir, 'posts', '1.json')), 'delete: the file is gone')
  const comments = async (): Promise<string[]> => (await readdir(join(dataDir, 'comments'))).filter((f) => f.endsWith('.json')).sort()
  t.same(await comments(), ['3.json', '5.json'], 'delete: the comments of post 1 went with it, as with json-server')

  const deletedMany = await provider.deleteMany('posts', { ids: [2, 3, 4] })
  t.same(deletedMany.data, [undefined, undefined, undefined], 'deleteMany: no ids, as with json-server (its DELETE answers {})')
  for (const id of [2, 3, 4]) t.notOk(await exists(join(dataDir, 'posts', `${id}.json`)))
  t.same(await comments(), ['5.json'], 'deleteMany: the comment of post 2 too')
  const after = await provider.getList('posts', { pagination: { page: 1, perPage: 3 }, sort: { field: 'id', order: 'ASC' }, filter: {} })
  t.equal(after.total, 19)
  t.same(after.data.map((p: Doc) => p.id), [5, 6, 7])

  const next = await provider.create('posts', { data: { title: 'after deletes' } })
  t.equal(next.data.id, 24, 'the next id is still max + 1')
  t.ok(await exists(join(dataDir, 'posts', '24.json')))
})
