// Several sort keys on the v1 listing (issue 17): sort=-year,title orders by year descending, then
// title, then id; cursors carry every key's value; forms that order nothing are a 400 saying what to write.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import type { JsonObject } from '../../plugins/engine'
import { json, makeApp } from '../helpers/app'

type Page = { items: JsonObject[], nextCursor: string | null }

const books = [
  { id: 'a1', title: 'Kindred', year: 1979 },
  { id: 'a2', title: 'Dune', year: 1965 },
  { id: 'a3', title: 'Dawn', year: 1987 },
  { id: 'a4', title: 'Contact', year: 1985 },
  { id: 'a5', title: 'Dune', year: 1965 },
  { id: 'a6', title: 'Blindsight', year: 1979 },
  { id: 'a7', title: 'Anathem' }, // no year
  { id: 'a8', title: 'Emma', year: 1815 }
]

async function seeded (t: Test): Promise<FastifyInstance> {
  const { app } = await makeApp(t)
  for (const book of books) {
    t.equal((await app.inject({ method: 'PUT', url: `/v1/collections/books/documents/${book.id}`, ...json(book) })).statusCode, 201)
  }
  return app
}

/** Every page of a listing, followed by cursor. */
async function allPages (app: FastifyInstance, query: string, limit: number): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const url: string = `/v1/collections/books/documents?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`
    const answer = await app.inject(url)
    if (answer.statusCode !== 200) throw new Error(`${url}: ${answer.body}`)
    const page = answer.json() as Page
    ids.push(...page.items.map((d) => d.id as string))
    cursor = page.nextCursor
  } while (cursor !== null)
  return ids
}

t.test('sort=-year,title: each key in turn, ties by id; pages of any size walk the same order', async (t) => {
  const app = await seeded(t)
  // Years descending (the one without a year last: a missing field sorts first ascending), then titles, then ids.
  const expected = ['a3', 'a4', 'a6', 'a1', 'a2', 'a5', 'a8', 'a7']
  for (const limit of [1, 2, 3, 1000]) t.same(await allPages(app, 'sort=-year,title', limit), expected, `limit=${limit}`)
  t.same(await allPages(app, 'sort=title,-year', 2), ['a7', 'a6', 'a4', 'a3', 'a2', 'a5', 'a8', 'a1'], 'title, then year descending')
  t.same(await allPages(app, 'sort=year,-id', 3), ['a7', 'a8', 'a5', 'a2', 'a6', 'a1', 'a4', 'a3'], 'an explicit -id decides the ties')
  // The order is kept up to date by writes: a new document lands in place.
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/a0', ...json({ title: 'Dhalgren', year: 1979 }) })).statusCode, 201)
  t.same(await allPages(app, 'sort=-year,title', 2), ['a3', 'a4', 'a6', 'a0', 'a1', 'a2', 'a5', 'a8', 'a7'])
})

t.test('a cursor is for the sort it was made for', async (t) => {
  const app = await seeded(t)
  const first = (await app.inject('/v1/collections/books/documents?sort=-year,title&limit=2')).json() as Page
  const other = await app.inject(`/v1/collections/books/documents?sort=-year&limit=2&cursor=${first.nextCursor as string}`)
  t.equal(other.statusCode, 400)
  t.match(other.json(), { type: '/problems/invalid-query', detail: /made for sort "-year,title", not "-year"/ })
})

t.test('forms that are not a sort are a 400 that says what is allowed, and change nothing', async (t) => {
  const app = await seeded(t)
  const cases: Array<[string, RegExp]> = [
    [',', /key 1 is empty/],
    ['year,', /key 2 is empty/],
    ['-', /a - without a field/],
    ['--year', /more than one sign/],
    ['%20year', /space at its start or end \(in a URL a \+ is a space/],
    ['+year', /space at its start or end/],
    ['year,-year', /"year" is given twice/],
    ['year[gt]', /bracket or a control character/],
    ['a%01b', /bracket or a control character/],
    ['a,b,c,d,e,f,g,h,i', /it has 9 keys/],
    ['x'.repeat(129), /longer than 128 characters/]
  ]
  for (const [sort, why] of cases) {
    const answer = await app.inject(`/v1/collections/books/documents?sort=${sort}`)
    t.equal(answer.statusCode, 400, `sort=${sort}`)
    t.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(answer.json(), { type: '/problems/invalid-query', detail: why }, `sort=${sort}`)
    t.match(answer.json().detail, /Allowed: sort=field, or sort=-field for descending; several keys comma-separated/)
  }
  t.equal((await app.inject('/v1/collections/books/documents?sort=')).statusCode, 400, 'an empty sort is refused (issue 28): leave it out for id order')
})

t.test('sort on a field no document has: a 400 naming it, unless the schema declares it or the collection is empty', async (t) => {
  const app = await seeded(t)
  const typo = await app.inject('/v1/collections/books/documents?sort=title,-yaer')
  t.equal(typo.statusCode, 400)
  t.match(typo.json(), { type: '/problems/invalid-query', detail: /Cannot sort by "yaer": no document of "books" has that field/ })
  t.equal((await app.inject('/v1/collections/books/documents?sort=Year')).statusCode, 400, 'field names are case-sensitive')
  // Documents lacking a field some other document has are fine: they sort as missing.
  t.equal((await app.inject('/v1/collections/books/documents?sort=year')).statusCode, 200)
  t.equal((await app.inject('/v1/collections/empty/documents?sort=anything')).statusCode, 404, 'no such collection: still a 404')
  const schema = { type: 'object', properties: { rating: { type: 'number' }, author: { type: 'object', properties: { name: { type: 'string' } } } } }
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/books', ...json({ schema }) })).statusCode, 200)
  const declared = await app.inject('/v1/collections/books/documents?sort=-rating,author.name')
  t.equal(declared.statusCode, 200, `a field the schema declares, before any document has it: ${declared.body}`)
  t.same((declared.json() as Page).items.map((d) => d.id), books.map((b) => b.id), 'all missing: by id')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/fresh', ...json({}) })).statusCode, 201)
  t.equal((await app.inject('/v1/collections/fresh/documents?sort=whatever')).statusCode, 200, 'an empty collection accepts any field')
})
