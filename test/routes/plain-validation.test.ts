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

t.test('each validator keyword in words', async (t) => {
  const { validationDetail } = await import('../../plugins/validation-messages')
  const one = (keyword: string, params: Record<string, unknown>, data?: unknown, where = 'body', instancePath = '/x'): string =>
    validationDetail(where, [{ keyword, instancePath, params, message: 'raw', data }])
  t.equal(one('minimum', { limit: 1 }, 0, 'querystring', '/limit'), 'Query parameter "limit" is 0: it must be at least 1.')
  t.equal(one('exclusiveMaximum', { limit: 5 }, 5), 'Body field "/x" is 5: it must be less than 5.')
  t.equal(one('exclusiveMinimum', { limit: 0 }, 0), 'Body field "/x" is 0: it must be more than 0.')
  t.equal(one('maxLength', { limit: 3 }, 'abcd'), 'Body field "/x" is "abcd": it must be at most 3 characters long.')
  t.equal(one('minLength', { limit: 1 }, ''), 'Body field "/x" is "": it must not be empty.')
  t.equal(one('minLength', { limit: 2 }, 'a'), 'Body field "/x" is "a": it must be at least 2 characters long.')
  t.equal(one('maxItems', { limit: 2 }), 'Body field "/x" must have at most 2 items.')
  t.equal(one('minItems', { limit: 1 }), 'Body field "/x" must have at least 1 items.')
  t.equal(one('enum', { allowedValues: ['a', 'b'] }, 'c'), 'Body field "/x" is "c": it must be one of "a", "b".')
  t.equal(one('const', { allowedValue: true }, false), 'Body field "/x" is false: it must be true.')
  t.equal(one('required', { missingProperty: 'title' }, undefined, 'body', ''), 'The body needs the field "title".')
  t.equal(one('additionalProperties', { additionalProperty: 'extra' }, undefined, 'body', ''), 'The body has a field it does not know, "extra".')
  t.equal(one('format', { format: 'date' }, 'x'), 'Body field "/x" is "x": it must be a valid date.')
  t.equal(one('pattern', { pattern: '^a$' }, 'b'), 'Body field "/x" is "b": it must match ^a$.')
  t.equal(one('custom', {}, 1), 'Body field "/x" is 1: it raw.')
  t.equal(one('type', { type: 'integer' }, 'x', 'headers', '/if-match'), 'Header "if-match" is "x": it must be a whole number.')
  t.equal(one('type', { type: 'integer' }, 'x', 'params', '/page'), 'Path parameter "page" is "x": it must be a whole number.')
  const many = validationDetail('body', Array.from({ length: 7 }, (_, i) => ({ keyword: 'type', instancePath: `/f${i}`, params: { type: 'string' }, message: 'raw', data: i })))
  t.match(many, /And 2 more \(see "errors"\)\.$/, 'at most five sentences')
  const mixed = validationDetail('body', [
    { keyword: 'maximum', instancePath: '/n', params: { limit: 3 }, message: 'raw', data: 9 },
    { keyword: 'type', instancePath: '/n', params: { type: 'string' }, message: 'raw', data: 9 },
    { keyword: 'anyOf', instancePath: '/n', params: {}, message: 'raw', data: 9 }
  ])
  t.equal(mixed, 'Body field "/n" is 9: it must meet one of these: must be at most 3; or must be a text.')
  t.equal(validationDetail('body', [{ keyword: 'type', instancePath: '/long', params: { type: 'string' }, message: 'raw', data: 'x'.repeat(100) }]),
    `Body field "/long" is "${'x'.repeat(56)}…: it must be a text.`, 'a long value is cut')
})
