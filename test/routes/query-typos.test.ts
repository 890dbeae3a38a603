import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { json, makeApp } from '../helpers/app'
import { problem } from '../helpers/assertions'

/*
 * A listing query that cannot mean what it says is a 400 that says what is
 * wrong (issue 28, item 7), not a 200 page that looks like an answer.
 */

async function books (t: Test): Promise<FastifyInstance> {
  const { app } = await makeApp(t)
  for (const [id, doc] of Object.entries({ dune: { title: 'Dune', year: 1965, published: '1965-08-01' }, emma: { title: 'Emma', year: 1815, published: '1815-12-23' } })) {
    t.equal((await app.inject({ method: 'PUT', url: `/v1/collections/books/documents/${id}`, ...json(doc) })).statusCode, 201)
  }
  return app
}

t.test('a range filter whose bound is not a number, on a field that holds numbers: 400 naming both', async (t) => {
  const app = await books(t)
  for (const query of ['year[gt]=abc', 'year[lte]=', 'year[gte]=19x5']) {
    const body = problem(t, await app.inject(`/v1/collections/books/documents?${query}`), 400, query)
    t.equal(body.type, '/problems/invalid-query')
    t.match(body.detail, /"year" holds numbers in "books"/, `${query}: says the field holds numbers`)
    t.match(body.detail, /for example year\[(gt|lte|gte)\]=2000/, `${query}: shows a valid one`)
  }
  const ok = await app.inject('/v1/collections/books/documents?year[gt]=1900')
  t.same(ok.json().items.map((d: { id: string }) => d.id), ['dune'], 'a number is compared as before')
  const dates = await app.inject('/v1/collections/books/documents?published[gte]=1900-01-01')
  t.same(dates.json().items.map((d: { id: string }) => d.id), ['dune'], 'a text bound on a field of texts (dates) is compared as text')
  t.equal((await app.inject('/v1/collections/books/documents?nosuch[gt]=abc')).statusCode, 200, 'a field no document has: nothing says it holds numbers')
})

t.test('sort= empty is a 400 saying to leave it out', async (t) => {
  const app = await books(t)
  const body = problem(t, await app.inject('/v1/collections/books/documents?sort='), 400, 'sort=')
  t.match(body.detail, /sort= is empty: leave it out for id order/)
})

t.test('fields= naming a field no document has (nor the schema declares): 400 naming it', async (t) => {
  const app = await books(t)
  const body = problem(t, await app.inject('/v1/collections/books/documents?fields=title,nosuch'), 400, 'fields=nosuch')
  t.match(body.detail, /Cannot return field "nosuch": no document of "books" has it/)
  t.match(problem(t, await app.inject('/v1/collections/books/documents?fields='), 400, 'fields=').detail, /Query parameter "fields" is "": it is not of the expected form: Comma-separated fields/)
  t.match(problem(t, await app.inject('/v1/collections/books/documents?fields=title,,year'), 400, 'fields=title,,year').detail, /Comma-separated fields to return/)
  const ok = await app.inject('/v1/collections/books/documents?fields=title,id')
  t.same(ok.json().items, [{ id: 'dune', title: 'Dune' }, { id: 'emma', title: 'Emma' }], 'known fields (and id) still project')
  await app.inject({ method: 'PUT', url: '/v1/collections/books', ...json({ schema: { type: 'object', properties: { isbn: { type: 'string' } } } }) })
  t.equal((await app.inject('/v1/collections/books/documents?fields=isbn')).statusCode, 200, 'a field the schema declares is fine before any document has it')
  await app.inject({ method: 'PUT', url: '/v1/collections/fresh', ...json({}) })
  t.equal((await app.inject('/v1/collections/fresh/documents?fields=anything&year[gt]=abc')).statusCode, 200, 'an empty collection accepts anything')
})

t.test('the engine refuses the same without the HTTP schema in front of it (an empty field name)', async (t) => {
  const app = await books(t)
  await t.rejects(app.store.listDocuments('books', { limit: 5, filters: [], fields: [''] }), { code: 'invalid-query', message: /fields= holds an empty name/ })
  await t.rejects(app.store.listDocuments('books', { limit: 5, filters: [{ field: 'year', op: 'lt', values: [''] }] }), { code: 'invalid-query', message: /the bound is empty/ })
})
