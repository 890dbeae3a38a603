import t from 'tap'
import { makeApp } from '../helpers/app'
import { problem } from '../helpers/assertions'

/*
 * A request that fails validation says, in plain words, what is wrong and
 * what a valid one looks like, with an example (issue 28, item 8): never the
 * validator's "must match pattern "^[A-Za-z0-9]…"" or "must match a schema in anyOf".
 */

const RAW_WORDS = /must match pattern|anyOf|\^\[|request params is invalid|request body is invalid|querystring\//

t.test('each validation answer says what a valid value is, with an example', async (t) => {
  const { app } = await makeApp(t)
  const cases: Array<{ what: string, method?: 'GET' | 'POST' | 'PUT', url: string, body?: string, detail: RegExp }> = [
    { what: 'a collection name with a dot', url: '/v1/collections/Bad.Name/documents', detail: /^"Bad\.Name" is not a collection name: a collection name is 1 to 64 letters, digits, "_" or "-", starting with a letter or digit .*for example "books" or "blog-posts"\.$/ },
    { what: 'a document id with a dot', url: '/v1/collections/books/documents/a.b', detail: /^"a\.b" is not a document id: a document id is 1 to 128 .*for example "42", "b1" or "2024-report"\.$/ },
    { what: 'a body id that is a path', method: 'POST', url: '/v1/collections/books/documents', body: '{"id":"../x"}', detail: /^Body field "\/id": "\.\.\/x" is not a document id: .*for example "42".*; or a whole number from 0\.$/ },
    { what: 'a body id that is a fraction', method: 'POST', url: '/v1/collections/books/documents', body: '{"id":1.5}', detail: /^Body field "\/id": 1\.5 is not a document id: / },
    { what: 'a limit that is not a number', url: '/v1/collections/books/documents?limit=abc', detail: /^Query parameter "limit" is "abc": it must be a whole number\.$/ },
    { what: 'a limit too large', url: '/v1/collections/books/documents?limit=5000', detail: /^Query parameter "limit" is 5000: it must be at most 1000\.$/ },
    { what: 'a schema that is a number', method: 'PUT', url: '/v1/collections/books', body: '{"schema":5}', detail: /^Body field "\/schema" is 5: it must be a JSON object, or true or false\.$/ },
    { what: 'a json-server collection name with a dot', method: 'POST', url: '/json-server/po.sts', body: '{}', detail: /^"po\.sts" is not a collection name: / }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: c.method ?? 'GET', url: c.url, payload: c.body, headers: c.body === undefined ? {} : { 'content-type': 'application/json' } })
    const body = problem(t, res, 400, c.what)
    t.match(body.detail, c.detail, `${c.what}: plain words`)
    t.notMatch(body.detail, RAW_WORDS, `${c.what}: not the validator's words`)
    t.ok(Array.isArray(body.errors) && body.errors.length > 0, `${c.what}: the per-field list stays, for programs`)
  }
})
