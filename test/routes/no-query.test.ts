import t from 'tap'
import { makeApp } from '../helpers/app'

// Operations that take no query parameters refuse one sent anyway (a typo, or the wrong
// endpoint) with a 400 problem that names it, instead of answering as if it were not there.
const PATHS = ['/', '/health/live', '/health/ready', '/metrics', '/v1/collections', '/v1/export', '/json-server/db']

t.test('an operation without query parameters answers 400 naming the unknown one', async (t) => {
  const { app } = await makeApp(t)
  for (const path of PATHS) {
    const plain = await app.inject({ method: 'GET', url: path, headers: { accept: 'application/json' } })
    t.ok(plain.statusCode < 400, `GET ${path}: ${plain.statusCode} without a query`)
    const typo = await app.inject({ method: 'GET', url: `${path}?limt=5`, headers: { accept: 'application/json' } })
    t.equal(typo.statusCode, 400, `GET ${path}?limt=5: 400`)
    t.match(typo.headers['content-type'], /^application\/problem\+json/, 'a problem')
    t.match(typo.json().errors, [{ in: 'querystring', pointer: '/limt' }], 'its errors name the parameter')
    t.equal(typo.json().detail, 'This operation takes no query parameter "limt": remove it, or check its spelling.', 'and so does its detail')
  }
})
