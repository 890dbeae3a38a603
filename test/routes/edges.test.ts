// The edges a real user hits through the HTTP API (issue 17): forms of a URL, a query or a body
// that are easy to write and must either work or say what to write instead.
import t from 'tap'
import { json, makeApp } from '../helpers/app'

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
