/**
 * The json-server compatible routes (app/routes/json-server.ts), through app.inject.
 *
 * The core is a differential test: the same data is loaded into json-server
 * 0.17.4 itself (in-process, from its own package) and into jsondock, the
 * same requests go to both, and status, body, X-Total-Count and Link must be
 * equal — except for the differences docs/json-server.md lists, each asserted
 * here as what it is.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { readdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { plural, singular } from '../../app/json-server/inflection'
import { json, makeApp } from '../helpers/app'

type Doc = Record<string, unknown>
type Db = Record<string, Doc[] | Doc>
type Res = Awaited<ReturnType<FastifyInstance['inject']>>

const PREFIX = '/json-server'

// ---- the data: both servers get exactly this, in id order -----------------------------------------

const TITLES = [
  'Hello World', 'json-server tips', 'Migrating to jsondock', 'A Tale of Two Ids', 'hello again', 'Zebra crossing',
  'mountain views', 'Numbers 100', 'Ünïcödé title', 'react-admin and you', 'Sorting things out', 'Last post'
]
const VIEWS = [100, 5, 250, 0, 100, 42, 9, 1000, 77, 100, 3, 18]

function makeDb (): Db {
  const posts: Doc[] = TITLES.map((title, i) => ({
    id: i + 1,
    title,
    author: { name: ['Ann', 'bob', 'Cleo', 'Dan'][i % 4], country: ['FR', 'US', 'NG'][i % 3] },
    views: VIEWS[i],
    published: i % 3 !== 0,
    tags: i % 2 === 1 ? ['a', 'b'] : ['b'],
    ...(i % 4 === 3 ? {} : { rating: i % 5 === 0 ? null : (i * 7) % 10 }),
    ...(i % 3 === 2 ? {} : { category: ['tech', 'life'][i % 2] }),
    categoryId: (i % 3) + 1,
    ...(i === 7 ? { code: '10' } : i === 8 ? { code: '9' } : {})
  }))
  const comments: Doc[] = [
    { id: 1, body: 'First!', postId: 1 },
    { id: 2, body: 'Great tips', postId: 2 },
    { id: 3, body: 'agreed', postId: 1 },
    { id: 4, body: 'A string key', postId: '2' },
    { id: 5, body: 'orphan', postId: 99 },
    { id: 6, body: 'Hello there', postId: 3 },
    { id: 7, body: 'more on one', postId: 1 }
  ]
  const categories: Doc[] = [
    { id: 1, name: 'News' }, { id: 2, name: 'Howto' }, { id: 3, name: 'Essays' }
  ]
  const users: Doc[] = [
    { id: 'ann', name: 'Ann', age: 31 }, { id: 'bob', name: 'Bob', age: 27 }, { id: 'cleo', name: 'Cleo' }
  ]
  return { posts, comments, categories, users, profile: { name: 'typicode', links: { site: 'example.test' } } }
}

// ---- the two servers ------------------------------------------------------------------------------

interface Answer { status: number, body: unknown, total: string | undefined, link: string | undefined, headers: Record<string, unknown> }

interface JsonServerModule {
  create: () => { use: (handler: unknown) => void, listen: (port: number, host: string) => Server }
  router: (db: Db) => unknown
  defaults: (options: { logger: boolean }) => unknown
}

/** json-server 0.17.4 itself, on a private copy of the data, listening on 127.0.0.1. */
async function startJsonServer (t: Test, db: Db): Promise<(method: string, url: string, body?: unknown) => Promise<Answer>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsonServer = require('json-server') as JsonServerModule
  const server = jsonServer.create()
  // As `json-server db.json` runs it: its defaults (CORS, no-cache headers, gzip) in front of the router.
  server.use(jsonServer.defaults({ logger: false }))
  server.use(jsonServer.router(structuredClone(db)))
  const listener = server.listen(0, '127.0.0.1')
  await new Promise((resolve) => listener.once('listening', resolve))
  t.teardown(async () => await new Promise((resolve) => listener.close(resolve)))
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
  return async (method, url, body) => {
    // json-server prints the stack of its own 500s: keep the test output clean.
    const printError = console.error
    console.error = () => {}
    const response = await fetch(base + url, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    }).finally(() => { console.error = printError })
    const text = await response.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch {}
    const link = response.headers.get('link') ?? undefined
    return {
      status: response.status,
      body: parsed,
      total: response.headers.get('x-total-count') ?? undefined,
      link: link === '' ? undefined : link?.replaceAll(base, ''),
      headers: Object.fromEntries(response.headers)
    }
  }
}

/** jsondock with the same data, loaded through its own json-server POST route. */
async function startOurs (t: Test, db: Db, env: Record<string, string> = {}): Promise<{ app: FastifyInstance, dataDir: string, ask: (method: string, url: string, body?: unknown) => Promise<Answer> }> {
  const { app, dataDir } = await makeApp(t, env)
  // The same db.json, imported whole: plural and singular resources.
  const imported = await app.inject({ method: 'POST', url: '/v1/import', ...json(Object.fromEntries(Object.entries(db).filter(([, v]) => !Array.isArray(v)))) })
  if (imported.statusCode !== 200) throw new Error(`importing: ${imported.statusCode} ${imported.body}`)
  for (const [collection, docs] of Object.entries(db)) {
    if (!Array.isArray(docs)) continue
    for (const doc of docs) {
      const res = await app.inject({ method: 'POST', url: `${PREFIX}/${collection}`, ...json(doc) })
      if (res.statusCode !== 201) throw new Error(`loading ${collection}: ${res.statusCode} ${res.body}`)
    }
  }
  const ask = async (method: string, url: string, body?: unknown): Promise<Answer> => {
    const res = await app.inject({ method: method as 'GET', url: PREFIX + url, ...(body === undefined ? {} : json(body)) })
    return answerOf(res)
  }
  return { app, dataDir, ask }
}

function answerOf (res: Res): Answer {
  let body: unknown = res.body
  try { body = res.json() } catch {}
  const link = res.headers.link as string | undefined
  return {
    status: res.statusCode,
    body,
    total: res.headers['x-total-count'] as string | undefined,
    link: link?.replaceAll(`http://localhost:80${PREFIX}`, ''),
    headers: res.headers
  }
}

// ---- the differential test -------------------------------------------------------------------------

/** Every query that must answer exactly as json-server 0.17.4 does. */
const SAME: string[] = [
  // plain lists, default order
  '/posts', '/comments', '/categories', '/users',
  // field=value, compared as text; repeat for OR; dotted paths; arrays compare as "a,b"
  '/posts?title=Hello%20World', '/posts?id=1&id=3&id=12', '/posts?views=100', '/posts?published=true',
  '/posts?published=false', '/posts?author.name=Ann', '/posts?author.country=FR&author.country=NG',
  '/posts?tags=a,b', '/posts?tags=b', '/posts?views=100.0', '/posts?title=hello%20world',
  '/comments?postId=2', '/posts?author.name=Ann&published=true', '/posts?rating=null',
  // ranges: numbers numerically, strings as text (so "10" < "9")
  '/posts?views_gte=100', '/posts?views_lte=9', '/posts?views_gte=5&views_lte=100', '/posts?title_gte=M',
  '/posts?title_lte=N&title_gte=H', '/posts?code_gte=9', '/posts?code_lte=10', '/posts?views_gte=abc',
  '/posts?views_gte=10&views_gte=1000', '/posts?author.name_gte=a',
  // _ne: missing or null values never match; repeated: none of them
  '/posts?views_ne=100', '/posts?views_ne=100&views_ne=0', '/posts?category_ne=tech', '/posts?rating_ne=3',
  // _like: case-insensitive regular expressions
  '/posts?title_like=^hel', '/posts?title_like=world&title_like=json', '/posts?author.name_like=^[a-c]',
  '/posts?title_like=o%24', '/posts?tags_like=a', '/posts?views_like=^1',
  // q: full text over every truthy scalar, nested too
  '/posts?q=hello', '/posts?q=ANN', '/posts?q=100', '/posts?q=true', '/posts?q=fr', '/posts?q=', '/users?q=o',
  '/comments?q=great', '/posts?q=xyzzy',
  // _sort/_order: several fields, null and missing last, stable
  '/posts?_sort=views', '/posts?_sort=views&_order=desc', '/posts?_sort=rating', '/posts?_sort=rating&_order=desc',
  '/posts?_sort=category,views&_order=asc,desc', '/posts?_sort=category,views&_order=desc', '/posts?_sort=author.name',
  '/posts?_sort=title&_order=DESC', '/posts?_sort=published,id&_order=desc,asc', '/users?_sort=id&_order=desc',
  '/users?_sort=age', '/posts?_sort=tags', '/posts?_sort=code', '/posts?_sort=',
  // _page/_limit, with X-Total-Count and Link
  '/posts?_page=1', '/posts?_page=2', '/posts?_page=2&_limit=3', '/posts?_page=4&_limit=3', '/posts?_page=99',
  '/posts?_page=1&_limit=100', '/posts?_limit=5&_page=2&_sort=views', '/posts?_page=2&_limit=0',
  '/posts?views_gte=100&_page=1&_limit=2',
  // _start/_end/_limit slices
  '/posts?_limit=3', '/posts?_start=2&_limit=3', '/posts?_start=1&_end=4', '/posts?_end=2', '/posts?_start=10&_end=20',
  '/posts?_limit=0', '/posts?_start=3&_end=1', '/posts?_start=-2&_end=12',
  // react-admin's own queries
  '/posts?_end=5&_order=ASC&_sort=id&_start=0', '/posts?_end=10&_order=DESC&_sort=views&_start=5',
  '/posts?_end=10&_order=ASC&_sort=title&_start=0&q=o', '/comments?_end=10&_order=ASC&_sort=id&_start=0&postId=1',
  '/posts?id=2&id=4&id=6',
  // _embed (children by <singular>Id, strictly equal) and _expand (parent by id, as text)
  '/posts?_embed=comments', '/posts?_embed=comments&_embed=nothing', '/posts?_embed=comments&_start=0&_end=3',
  '/categories?_embed=posts', '/comments?_expand=post', '/posts?_expand=category', '/posts?_expand=nothing',
  '/posts?_embed=comments&_expand=category&_page=1&_limit=2',
  // one document
  '/posts/1', '/posts/12', '/users/bob', '/posts/1?_embed=comments', '/posts/2?_embed=comments&_expand=category',
  '/comments/4?_expand=post', '/comments/5?_expand=post', '/categories/2?_embed=posts',
  // nested routes
  '/posts/1/comments', '/posts/2/comments', '/posts/1/comments?_sort=body', '/categories/1/posts?_page=1&_limit=2',
  '/posts/7/comments',
  // callback, _ and _delay are not filters; a plain filter on a field no document has is ignored; _start alone slices nothing
  '/posts?_=12345', '/posts?_delay=0&id=2', '/posts?colour=red', '/posts?titel=Hello%20World', '/posts?_start=10',
  // repeated q: the first counts; _order other than desc is ascending; unknown collections and ids are 404 {}
  '/posts?q=hello&q=zebra', '/posts?_sort=id&_order=up', '/nothing', '/posts/999', '/posts/999?_embed=comments', '/nothing/1/comments',
  // the whole database, and a singular resource
  '/db', '/profile'
]

/** The headers a client reads, beyond the body: they must be json-server's. */
const CLIENT_HEADERS = ['access-control-expose-headers', 'cache-control', 'pragma', 'expires', 'content-type']

t.test('differential: the same reads answer the same as json-server 0.17.4', async (t) => {
  const db = makeDb()
  const theirs = await startJsonServer(t, db)
  const { ask } = await startOurs(t, db)
  for (const url of SAME) {
    const [expected, actual] = [await theirs('GET', url), await ask('GET', url)]
    t.equal(actual.status, expected.status, `${url}: status`)
    t.same(actual.body, expected.body, `${url}: body`)
    t.equal(actual.total, expected.total, `${url}: X-Total-Count`)
    t.equal(actual.link, expected.link, `${url}: Link`)
    for (const header of CLIENT_HEADERS) t.equal(actual.headers[header], expected.headers[header], `${url}: ${header}`)
  }
  t.comment(`${SAME.length} queries compared with json-server 0.17.4`)
})

t.test('differential: writes leave the same documents as json-server 0.17.4', async (t) => {
  const db = makeDb()
  const theirs = await startJsonServer(t, db)
  const { ask, dataDir } = await startOurs(t, db)
  const steps: Array<[string, string, unknown?]> = [
    ['POST', '/posts', { title: 'new', views: 1 }], // numeric collection: max + 1 = 13
    ['POST', '/posts', { title: 'newer' }], // 14
    ['POST', '/posts', { id: 40, title: 'chosen id' }],
    ['POST', '/posts', { title: 'after 40' }], // 41
    ['POST', '/comments', { body: 'hi', postId: 13 }],
    ['PUT', '/posts/2', { title: 'replaced', id: 999 }], // the id stays 2
    ['PUT', '/users/ann', { name: 'Ann B.' }], // a string id stays a string
    ['PATCH', '/posts/3', { views: 251, author: { name: 'Eve' }, rating: null }],
    ['PATCH', '/posts/3', { id: 77, extra: [1, 2] }],
    ['PATCH', '/users/bob', { age: 28 }],
    ['PUT', '/posts/404', { title: 'nope' }],
    ['PATCH', '/posts/404', { title: 'nope' }],
    // DELETE with dependents. The one orphan of the data (comment 5, post 99) goes first: json-server
    // would sweep it on any DELETE, jsondock never (the differences test shows it).
    ['DELETE', '/comments/5'],
    ['DELETE', '/posts/1'], // its comments go too (1, 3 and 7)
    ['POST', '/posts/13/comments', { body: 'nested' }], // comment 9, postId "13" (text)
    ['DELETE', '/posts/13'], // comment 8 (postId 13) and comment 9 ("13", compared as text) go
    ['DELETE', '/categories/3'] // posts 3, 6, 9, 12 point at it; their comments stay (one level, as json-server's one pass)
  ]
  for (const [method, url, body] of steps) {
    const [expected, actual] = [await theirs(method, url, body), await ask(method, url, body)]
    t.equal(actual.status, expected.status, `${method} ${url}: status`)
    if (actual.status < 400) t.same(actual.body, expected.body, `${method} ${url}: body`)
  }
  for (const url of ['/posts', '/comments', '/users', '/categories', '/posts?_sort=views&_order=desc&_page=2&_limit=4']) {
    const [expected, actual] = [await theirs('GET', url), await ask('GET', url)]
    t.same(actual.body, expected.body, `after the writes, ${url} is the same`)
  }
  // …and it is all in the files.
  t.same(JSON.parse(await readFile(join(dataDir, 'posts', '2.json'), 'utf8')), { id: 2, title: 'replaced' })
  t.same(JSON.parse(await readFile(join(dataDir, 'posts', '41.json'), 'utf8')), { id: 41, title: 'after 40' })
  t.same(JSON.parse(await readFile(join(dataDir, 'users', 'ann.json'), 'utf8')), { id: 'ann', name: 'Ann B.' })
  const left = async (collection: string): Promise<string[]> => (await readdir(join(dataDir, collection))).filter((f) => f.endsWith('.json')).sort()
  t.same(await left('comments'), ['2.json', '4.json', '6.json'], 'the dependents\' files are gone, the others stay')
  t.notOk((await left('posts')).some((f) => ['1.json', '3.json', '6.json', '9.json', '12.json'].includes(f)), 'post 1 and the posts of category 3 are gone')
})

t.test('differential: the intended differences, each as documented', async (t) => {
  const db = makeDb()
  const theirs = await startJsonServer(t, db)
  const { ask, dataDir } = await startOurs(t, db)
  const both = async (method: string, url: string, body?: unknown): Promise<[Answer, Answer]> =>
    [await theirs(method, url, body), await ask(method, url, body)]

  await t.test('a duplicate id is a 409 problem (json-server: 500)', async (t) => {
    const [expected, actual] = await both('POST', '/posts', { id: 1, title: 'dup' })
    t.equal(expected.status, 500)
    t.equal(actual.status, 409)
    t.match(actual.body, { type: '/problems/already-exists', status: 409 })
    t.same(JSON.parse(await readFile(join(dataDir, 'posts', '1.json'), 'utf8')).title, 'Hello World', 'the file is untouched')
  })

  await t.test('unknown ids answer 404 {} on every method, as json-server does', async (t) => {
    for (const [method, url, body] of [['GET', '/posts/999'], ['PUT', '/posts/999', { a: 1 }], ['PATCH', '/posts/999', { a: 1 }], ['DELETE', '/posts/999'], ['PUT', '/nothing', { a: 1 }]] as const) {
      const [expected, actual] = await both(method, url, body)
      t.equal(actual.status, expected.status, `${method} ${url}: status`)
      t.same(actual.body, expected.body, `${method} ${url}: {}`)
    }
  })

  await t.test('DELETE deletes the documents that point at the deleted one, and not the orphans that were already there', async (t) => {
    const [expected, actual] = await both('DELETE', '/posts/1')
    t.equal(actual.status, expected.status)
    t.same(actual.body, expected.body)
    const [theirComments, ourComments] = await both('GET', '/comments?_sort=id')
    t.same((theirComments.body as Doc[]).map((c) => c.id), [2, 4, 6], 'json-server deleted the comments of post 1, and the orphan of post 99')
    t.same((ourComments.body as Doc[]).map((c) => c.id), [2, 4, 5, 6], 'jsondock deleted the comments of post 1 only')
    t.same((await readdir(join(dataDir, 'comments'))).filter((f) => f.endsWith('.json')).sort(), ['2.json', '4.json', '5.json', '6.json'])
  })

  await t.test('_expand with the foreign key missing leaves it out (json-server: 500)', async (t) => {
    await both('POST', '/comments', { id: 50, body: 'no post' })
    const [expected, actual] = await both('GET', '/comments?_expand=post')
    t.equal(expected.status, 500)
    t.equal(actual.status, 200)
    t.same((actual.body as Doc[]).find((c) => c.id === 50), { id: 50, body: 'no post' })
  })

  await t.test('a nested POST stores the parent\'s id as the URL gives it (text), as json-server does', async (t) => {
    const [expected, actual] = await both('POST', '/posts/2/comments', { body: 'nested' })
    t.equal(actual.status, expected.status)
    t.same(actual.body, expected.body)
    t.equal((actual.body as Doc).postId, '2')
  })

  await t.test('generated string ids are time-ordered UUIDv7 (json-server: 7-character nanoid)', async (t) => {
    const [expected, actual] = await both('POST', '/users', { name: 'Dora' })
    t.match((expected.body as Doc).id, /^[\w-]{7}$/)
    t.match((actual.body as Doc).id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/)
  })

  await t.test('invalid query values are a 400 problem (json-server: garbage in, garbage out)', async (t) => {
    for (const url of ['/posts?_page=abc', '/posts?_limit=-1', '/posts?_end=x', '/posts?title_like=(']) {
      const [expected, actual] = await both('GET', url)
      t.equal(expected.status, url.includes('_like') ? 500 : 200, `${url}: json-server`)
      t.equal(actual.status, 400, `${url}: jsondock`)
      t.equal(actual.headers['content-type'], 'application/problem+json; charset=utf-8')
    }
  })
})

// ---- our own behaviour, beyond the comparison ------------------------------------------------------

async function inject (app: FastifyInstance, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const payload = body === undefined ? {} : json(body)
  return await app.inject({ method: method as 'GET', url: PREFIX + url, ...payload, headers: { ...(payload as { headers?: Record<string, string> }).headers, ...headers } })
}

async function fileOf (dataDir: string, collection: string, id: string | number): Promise<Doc> {
  return JSON.parse(await readFile(join(dataDir, collection, `${id}.json`), 'utf8')) as Doc
}

t.test('ids: numeric ones stay numbers, string ones strings; the files are <id>.json', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const first = await inject(app, 'POST', '/books', { title: 'one' })
  t.equal(first.statusCode, 201)
  t.same(first.json(), { id: 1, title: 'one' }, 'an empty collection starts at 1')
  t.equal(first.headers.location, `http://localhost:80${PREFIX}/books/1`)
  t.match(first.headers['access-control-expose-headers'], /Location/)
  t.match(first.headers.etag, /^"[\w-]+"$/)
  t.same(await fileOf(dataDir, 'books', 1), { id: 1, title: 'one' })
  t.equal(await readFile(join(dataDir, 'books', '1.json'), 'utf8'), first.body, 'the answer is the file\'s bytes')

  t.equal((await inject(app, 'POST', '/books', { id: 10, title: 'ten' })).statusCode, 201)
  t.same((await inject(app, 'POST', '/books', { id: null, title: 'next' })).json(), { id: 11, title: 'next' }, 'null id: max + 1')
  t.equal((await inject(app, 'POST', '/books', { id: 'ten' })).statusCode, 201, 'a string id is allowed…')
  const uuid = (await inject(app, 'POST', '/books', { title: 'mixed now' })).json() as Doc
  t.match(uuid.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/, '…and from then on new ids are strings')

  const put = await inject(app, 'PUT', '/books/10', { title: 'TEN', id: 'x' })
  t.same(put.json(), { id: 10, title: 'TEN' })
  t.same(await fileOf(dataDir, 'books', 10), { id: 10, title: 'TEN' }, 'the number stays a number on disk')
  const patched = await inject(app, 'PATCH', '/books/10', { year: 2020, title: null })
  t.same(patched.json(), { id: 10, title: null, year: 2020 })
  t.same(await fileOf(dataDir, 'books', 10), { id: 10, title: null, year: 2020 })

  t.equal((await inject(app, 'POST', '/books', { id: -1 })).statusCode, 400, 'negative ids cannot be file names')
  t.equal((await inject(app, 'POST', '/books', { id: 1.5 })).statusCode, 400)
  t.equal((await inject(app, 'POST', '/books', { id: 'a.b' })).statusCode, 400)
  t.equal((await inject(app, 'POST', '/books', [1, 2])).statusCode, 400, 'a body is an object')
  t.equal((await inject(app, 'POST', '/bo.oks', { a: 1 })).statusCode, 400, 'collection names are folder names')
  t.equal((await inject(app, 'POST', '/blogPosts', { a: 1 })).statusCode, 201, 'camelCase names, as json-server users name arrays')
  const twin = await inject(app, 'POST', '/Books', { a: 1 })
  t.equal(twin.statusCode, 409, 'a name that differs from an existing one only by case')
  t.match(twin.json(), { type: '/problems/already-exists', detail: /only by case/ })
  t.notOk((await readdir(dataDir)).includes('Books'), 'and no folder for it')
  t.equal((await inject(app, 'GET', '/books/a.b')).statusCode, 400)
})

t.test('concurrent POSTs without an id get distinct numeric ids', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await inject(app, 'POST', '/tasks', { n: 0 })
  const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) => await inject(app, 'POST', '/tasks', { n: i + 1 })))
  t.ok(answers.every((a) => a.statusCode === 201))
  const ids = answers.map((a) => (a.json() as Doc).id as number).sort((a, b) => a - b)
  t.same(ids, Array.from({ length: 20 }, (_, i) => i + 2))
  t.equal((await readdir(join(dataDir, 'tasks'))).filter((f) => f.endsWith('.json')).length, 21)
})

t.test('content types, write access and the prefix', async (t) => {
  const { app } = await makeApp(t)
  await inject(app, 'POST', '/notes', { text: 'a' })
  const form = await app.inject({ method: 'POST', url: `${PREFIX}/notes`, payload: 'text=a&n=1&tag=x&tag=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(form.statusCode, 201, 'form fields, as json-server\'s body-parser reads them')
  t.same(form.json(), { id: 2, text: 'a', n: '1', tag: ['x', 'y'] })
  const polluting = await app.inject({ method: 'POST', url: `${PREFIX}/notes`, payload: '__proto__=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(polluting.statusCode, 400)
  t.equal((await app.inject({ method: 'POST', url: `${PREFIX}/notes`, payload: 'a', headers: { 'content-type': 'text/plain' } })).statusCode, 415)
  const patchType = await app.inject({ method: 'PATCH', url: `${PREFIX}/notes/1`, payload: '{}', headers: { 'content-type': 'application/merge-patch+json' } })
  t.equal(patchType.statusCode, 415, 'PATCH takes application/json, as json-server clients send it')

  const locked = await makeApp(t, { API_TOKENS: 'secret' })
  t.equal((await inject(locked.app, 'POST', '/notes', { a: 1 })).statusCode, 401)
  t.equal((await inject(locked.app, 'POST', '/notes', { a: 1 }, { authorization: 'Bearer secret' })).statusCode, 201)
  const readOnly = await makeApp(t, { READ_ONLY: 'true' })
  t.equal((await inject(readOnly.app, 'DELETE', '/notes/1')).statusCode, 405)

  const moved = await makeApp(t, { JSON_SERVER_PREFIX: '/api' })
  t.equal((await moved.app.inject({ method: 'POST', url: '/api/notes', ...json({ a: 1 }) })).statusCode, 201)
  t.equal((await moved.app.inject({ method: 'GET', url: '/api/notes' })).statusCode, 200)
  t.equal((await moved.app.inject({ method: 'GET', url: `${PREFIX}/notes` })).statusCode, 404)
  const kept = await makeApp(t, { JSON_SERVER_DELETE_DEPENDENTS: 'false' })
  await inject(kept.app, 'POST', '/posts', { id: 1 })
  await inject(kept.app, 'POST', '/posts/1/comments', { body: 'stays' })
  t.equal((await inject(kept.app, 'DELETE', '/posts/1')).statusCode, 200)
  t.same((await inject(kept.app, 'GET', '/comments')).json(), [{ id: 1, body: 'stays', postId: '1' }], 'JSON_SERVER_DELETE_DEPENDENTS=false deletes only the document named')
  const off = await makeApp(t, { JSON_SERVER_PREFIX: '' })
  t.equal((await off.app.inject({ method: 'GET', url: `${PREFIX}/notes` })).statusCode, 404, 'an empty prefix turns the routes off')
})

t.test('GET one: ETag and If-None-Match', async (t) => {
  const { app } = await makeApp(t)
  await inject(app, 'POST', '/notes', { text: 'a' })
  const first = await inject(app, 'GET', '/notes/1')
  t.equal(first.headers['cache-control'], 'no-cache', 'as json-server: always revalidate')
  const again = await inject(app, 'GET', '/notes/1', undefined, { 'if-none-match': first.headers.etag as string })
  t.equal(again.statusCode, 304)
  await inject(app, 'PATCH', '/notes/1', { text: 'b' })
  t.equal((await inject(app, 'GET', '/notes/1', undefined, { 'if-none-match': first.headers.etag as string })).statusCode, 200)
})

t.test('CORS: local front ends out of the box, json-server\'s exposed headers, other origins only with CORS_ORIGIN', async (t) => {
  const { app } = await makeApp(t)
  await inject(app, 'POST', '/notes', { text: 'a' })
  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3001', 'http://localhost']) {
    const listed = await inject(app, 'GET', '/notes?_page=1', undefined, { origin })
    t.equal(listed.headers['access-control-allow-origin'], origin, `${origin} is allowed without CORS_ORIGIN`)
    t.equal(listed.headers['access-control-allow-credentials'], 'true')
    t.equal(listed.headers['access-control-expose-headers'], 'X-Total-Count, Link', 'as json-server exposes them')
    const preflight = await inject(app, 'OPTIONS', '/notes/1', undefined, { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' })
    t.equal(preflight.statusCode, 204)
    t.match(preflight.headers['access-control-allow-methods'], /PATCH/)
  }
  t.equal((await inject(app, 'GET', '/notes?_limit=1', undefined, { origin: 'http://localhost:1' })).headers['access-control-expose-headers'], 'X-Total-Count')
  t.equal((await inject(app, 'POST', '/notes', { text: 'b' }, { origin: 'http://localhost:1' })).headers['access-control-expose-headers'], 'Location')
  for (const origin of ['http://example.test', 'http://localhost.example.test', 'http://127.0.0.1.example.test:80']) {
    t.equal((await inject(app, 'GET', '/notes', undefined, { origin })).headers['access-control-allow-origin'], undefined, `${origin} is not`)
  }
  t.equal((await app.inject({ url: '/v1/collections', headers: { origin: 'http://localhost:5173' } })).headers['access-control-allow-origin'], 'http://localhost:5173', 'the v1 API has the same policy (issue 28)')
  const configured = await makeApp(t, { CORS_ORIGIN: 'http://example.test' })
  t.equal((await inject(configured.app, 'GET', '/nothing', undefined, { origin: 'http://example.test' })).headers['access-control-allow-origin'], 'http://example.test')
  t.equal((await inject(configured.app, 'GET', '/nothing', undefined, { origin: 'http://localhost:8080' })).headers['access-control-allow-origin'], 'http://localhost:8080')
})

t.test('_like cannot hang the server', async (t) => {
  const { app } = await makeApp(t)
  await inject(app, 'POST', '/notes', { text: `${'a'.repeat(40)}!` })
  await inject(app, 'POST', '/notes', { text: 'plain' })
  const started = Date.now()
  const evil = await inject(app, 'GET', `/notes?text_like=${encodeURIComponent('(a+)+$')}`)
  t.equal(evil.statusCode, 400)
  t.match(evil.json(), { type: '/problems/invalid-query', detail: /took longer than/ })
  t.ok(Date.now() - started < 5000, 'answered promptly')
  const alternation = await inject(app, 'GET', `/notes?text_like=${encodeURIComponent('^(a|a)*b')}`)
  t.equal(alternation.statusCode, 400)
  const long = await inject(app, 'GET', `/notes?text_like=${'a'.repeat(300)}`)
  t.equal(long.statusCode, 400)
  t.match(long.json(), { detail: /longer than 256 characters/ })
  t.match((await inject(app, 'GET', '/notes?text_like=%5B')).json(), { status: 400, detail: /not a valid regular expression/ })
  const fine = await inject(app, 'GET', '/notes?text_like=PLA')
  t.same((fine.json() as Doc[]).map((d) => d.id), [2], 'the server still answers, and ordinary patterns work')
})

t.test('lists: unknown collection, pagination headers, nested routes', async (t) => {
  const { app } = await makeApp(t)
  t.equal((await inject(app, 'GET', '/nothing')).statusCode, 404)
  for (let i = 1; i <= 25; i++) await inject(app, 'POST', '/items', { n: i })
  const page = await inject(app, 'GET', '/items?_page=2&_limit=10&n_gte=1')
  t.equal(page.headers['x-total-count'], '25')
  t.equal(page.headers.link, [
    '<http://localhost:80/json-server/items?_page=1&_limit=10&n_gte=1>; rel="first"',
    '<http://localhost:80/json-server/items?_page=1&_limit=10&n_gte=1>; rel="prev"',
    '<http://localhost:80/json-server/items?_page=3&_limit=10&n_gte=1>; rel="next"',
    '<http://localhost:80/json-server/items?_page=3&_limit=10&n_gte=1>; rel="last"'
  ].join(', '))
  t.same((page.json() as Doc[]).map((d) => d.n), [11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
  t.same((await inject(app, 'GET', '/items?x_ne=1')).json(), [], 'x_ne: documents without x never match, as in json-server')
  const all = await inject(app, 'GET', '/items?_page=2')
  t.same((all.json() as Doc[]).map((d) => d.n), [11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 'ids 10+ sort numerically')
  t.equal((await inject(app, 'GET', '/items?_sort=n&_order=desc&_limit=1')).json()[0].n, 25)
  t.equal((await inject(app, 'GET', '/items/3/notes')).statusCode, 404, 'nested: the child collection must exist')
})

t.test('files edited, added or removed on the host show in the next answer', async (t) => {
  const { app, dataDir } = await makeApp(t)
  for (let i = 1; i <= 5; i++) await inject(app, 'POST', '/notes', { text: `note ${i}` })
  t.equal(((await inject(app, 'GET', '/notes')).json() as Doc[]).length, 5)
  await writeFile(join(dataDir, 'notes', '2.json'), JSON.stringify({ id: 2, text: 'edited on the host' }))
  await unlink(join(dataDir, 'notes', '3.json'))
  await writeFile(join(dataDir, 'notes', '9.json'), JSON.stringify({ id: 9, text: 'dropped in' }))
  const listed = (await inject(app, 'GET', '/notes')).json() as Doc[]
  t.same(listed.map((d) => d.id), [1, 2, 4, 5, 9])
  t.equal(listed[1]?.text, 'edited on the host')
  t.same((await inject(app, 'GET', '/notes?q=host')).json(), [{ id: 2, text: 'edited on the host' }])
  t.equal((await inject(app, 'GET', '/notes/3')).statusCode, 404)
  t.same((await inject(app, 'POST', '/notes', { text: 'next' })).json(), { id: 10, text: 'next' }, 'max + 1 sees the new file')
})

t.test('singular and plural: json-server\'s own dictionary', async (t) => {
  const pairs: Array<[string, string]> = [
    ['posts', 'post'], ['comments', 'comment'], ['categories', 'category'], ['boxes', 'box'], ['addresses', 'address'],
    ['matches', 'match'], ['dishes', 'dish'], ['people', 'person'], ['children', 'child'], ['days', 'day'], ['users', 'user'],
    ['stories', 'story'], ['movies', 'movie'], ['houses', 'house']
  ]
  for (const [many, one] of pairs) {
    t.equal(singular(many), one, `${many} → ${one}`)
    t.equal(plural(one), many, `${one} → ${many}`)
  }
  t.equal(singular('status'), 'status')
  t.equal(singular('news'), 'news', 'json-server\'s dictionary (pluralize), not a rule')
  t.equal(plural('person'), 'people')
})

t.test('the import report names each singular resource of a db.json', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const db = { $schema: './schema.json', posts: [{ id: 1 }], profile: { name: 'typicode' }, settings: { theme: 'dark' } }
  const res = await app.inject({ method: 'POST', url: '/v1/import', ...json(db) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { imported: [{ collection: 'posts', documents: 1 }, { collection: 'json-server-singular', documents: 2, singulars: ['profile', 'settings'] }] })
  t.same(JSON.parse(await readFile(join(dataDir, 'json-server-singular', 'settings.json'), 'utf8')), { id: 'settings', value: { theme: 'dark' } }, 'stored as documented')
})
