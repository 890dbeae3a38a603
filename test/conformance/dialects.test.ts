import t from 'tap'
import { json, makeApp } from '../helpers/app'

/** `$schema` picks the dialect; without it, 2020-12. Each dialect once, with a keyword only its rules read one way. */

async function verdict (schema: unknown, doc: object): Promise<{ put: number, write: number, detail: string }> {
  const { app } = await makeApp(t)
  const put = await app.inject({ method: 'PUT', url: '/v1/collections/d', ...json({ schema }) })
  if (put.statusCode >= 300) return { put: put.statusCode, write: 0, detail: put.json().detail }
  const write = await app.inject({ method: 'POST', url: '/v1/collections/d/documents', ...json(doc) })
  return { put: put.statusCode, write: write.statusCode, detail: write.body }
}

t.test('each dialect by its own rules', async (t) => {
  // draft-04: exclusiveMaximum is a boolean beside maximum.
  t.equal((await verdict({ $schema: 'http://json-schema.org/draft-04/schema#', properties: { n: { maximum: 3, exclusiveMaximum: true } } }, { n: 3 })).write, 422)
  t.equal((await verdict({ $schema: 'http://json-schema.org/draft-04/schema#', properties: { n: { maximum: 3, exclusiveMaximum: true } } }, { n: 2 })).write, 201)
  // draft-06: exclusiveMaximum is a number; boolean subschemas.
  t.equal((await verdict({ $schema: 'http://json-schema.org/draft-06/schema#', properties: { n: { exclusiveMaximum: 3 }, x: false } }, { n: 3 })).write, 422)
  t.equal((await verdict({ $schema: 'http://json-schema.org/draft-06/schema#', properties: { x: false } }, { x: 1 })).write, 422)
  // draft-07, the dialect most schemas in the wild declare (it was refused with "no schema with key or ref").
  const draft07 = await verdict({ $schema: 'http://json-schema.org/draft-07/schema#', if: { required: ['a'] }, then: { required: ['b'] } }, { a: 1 })
  t.same([draft07.put, draft07.write], [201, 422], draft07.detail)
  // 2019-09: items as an array is a tuple.
  t.equal((await verdict({ $schema: 'https://json-schema.org/draft/2019-09/schema', properties: { t: { items: [{ type: 'string' }] } } }, { t: [1] })).write, 422)
  // 2020-12, also without $schema: prefixItems is the tuple, and items: [..] is not a valid schema there.
  t.equal((await verdict({ properties: { t: { prefixItems: [{ type: 'string' }] } } }, { t: [1] })).write, 422)
  const tuple = await verdict({ properties: { t: { items: [{ type: 'string' }] } } }, { t: [1] })
  t.equal(tuple.put, 400, 'items as an array is not 2020-12')
  t.match(tuple.detail, /not a valid 2020-12 schema/)
})

t.test('boolean schemas', async (t) => {
  const accept = await verdict(true, { a: 1 })
  t.same([accept.put, accept.write], [201, 201])
  t.equal((await verdict(false, { a: 1 })).write, 422)
})

t.test('an unknown $schema and a $ref to the network are refused in plain words', async (t) => {
  const unknown = await verdict({ $schema: 'http://json-schema.org/draft-03/schema#' }, {})
  t.equal(unknown.put, 400)
  t.match(unknown.detail, /not a dialect this service knows: use one of .*draft-07.*or leave "\$schema" out for 2020-12/)
  const remote = await verdict({ properties: { a: { $ref: 'https://example.com/schemas/a.json' } } }, {})
  t.equal(remote.put, 400)
  t.match(remote.detail, /"\$ref" "https:\/\/example.com\/schemas\/a.json" names no schema it contains, and schemas are never fetched/)
  const meta = await verdict({ $id: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }, {})
  t.equal(meta.put, 400, 'a schema cannot take a meta-schema\'s URI')
  t.equal((await verdict({ type: 'object' }, {})).write, 201, 'and the meta-schema still works after')
})
