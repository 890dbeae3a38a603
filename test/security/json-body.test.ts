import { readdir } from 'node:fs/promises'
import t from 'tap'
import { MAX_JSON_DEPTH } from '../../plugins/json-body'
import { makeApp } from '../helpers/app'

const URL = '/v1/collections/c/documents'

/** `depth` objects, one inside the other. */
function nested (depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
}

t.test('strict JSON bodies: refused with 400 problem+json, and nothing is written', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /not valid UTF-8/],
    ['overlong UTF-8 encoding of "/"', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), /not valid UTF-8/],
    ['a number beyond double range', '{"n": 1e400}', /number too large/],
    ['a negative one', '{"n": [-1e309]}', /number too large/],
    [`nesting deeper than ${MAX_JSON_DEPTH}`, nested(MAX_JSON_DEPTH + 1), /nested deeper than 100/],
    ['10,000-deep arrays', '['.repeat(10_000) + ']'.repeat(10_000), /nested deeper than 100/],
    ['__proto__ at the top', '{"__proto__": {"polluted": true}}', /forbidden prototype property/],
    ['__proto__ nested', '{"a": {"b": [{"__proto__": {"polluted": true}}]}}', /forbidden prototype property/],
    ['constructor.prototype', '{"constructor": {"prototype": {"polluted": true}}}', /forbidden prototype property/],
    ['trailing garbage', '{"a": 1} x', /not acceptable JSON/],
    ['single quotes', "{'a': 1}", /not acceptable JSON/],
    ['an empty body', '', /./],
    ['a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), /byte order mark/],
    ['a constructor key', '{"constructor": "x"}', /reserved key "constructor"/],
    ['a nested prototype key', '{"a": [{"prototype": 1}]}', /reserved key "prototype"/]
  ]
  for (const [name, payload, detail] of cases) {
    const response = await app.inject({ method: 'POST', url: URL, payload, headers: { 'content-type': 'application/json' } })
    t.equal(response.statusCode, 400, `${name}: 400`)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json().detail, detail, `${name}: says why`)
  }
  t.same(await readdir(dataDir), [], 'nothing was written')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
})

t.test('the limits leave ordinary documents alone', async (t) => {
  const { app } = await makeApp(t)
  const deep = await app.inject({ method: 'POST', url: URL, payload: nested(MAX_JSON_DEPTH), headers: { 'content-type': 'application/json' } })
  t.equal(deep.statusCode, 201, `${MAX_JSON_DEPTH} levels are fine`)
  const numbers = await app.inject({ method: 'POST', url: URL, payload: '{"big": 1.7976931348623157e308, "small": 5e-324, "neg": -0.5}', headers: { 'content-type': 'application/json' } })
  t.equal(numbers.statusCode, 201)
  t.same(JSON.parse(numbers.body).big, 1.7976931348623157e308)
  const unicode = await app.inject({ method: 'POST', url: URL, payload: '{"name": "Zoë 🐳 مرحبا"}', headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.equal(JSON.parse(unicode.body).name, 'Zoë 🐳 مرحبا')
  const keys = await app.inject({ method: 'POST', url: URL, payload: '{"Constructor": 1, "proto": 2, "__proto": 3}', headers: { 'content-type': 'application/json' } })
  t.equal(keys.statusCode, 201, 'only the three exact reserved names are refused')
})
