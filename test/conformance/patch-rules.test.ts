import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { json, makeApp } from '../helpers/app'

/** RFC 6902 rules the corpus does not cover, each once: refusals name the operation and the rule, in one sentence. */

const JSON_PATCH = { 'content-type': 'application/json-patch+json' }

async function stored (app: FastifyInstance, doc: object): Promise<{ url: string, body: string }> {
  const url = `/v1/collections/rules/documents/d${Math.random().toString(36).slice(2, 10)}`
  const put = await app.inject({ method: 'PUT', url, ...json(doc) })
  return { url, body: put.body }
}

async function patch (app: FastifyInstance, url: string, operations: unknown): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
  return await app.inject({ method: 'PATCH', url, payload: JSON.stringify(operations), headers: JSON_PATCH })
}

t.test('a move into its own child is a 422 naming the operation, and changes nothing', async (t) => {
  const { app } = await makeApp(t)
  const { url, body } = await stored(app, { a: { c: 1 } })
  const res = await patch(app, url, [{ op: 'move', from: '/a', path: '/a/b' }])
  t.equal(res.statusCode, 422)
  t.match(res.json().detail, /^Operation 0 \(move\) cannot be applied: "path" lies inside "from"/)
  t.equal((await app.inject({ url })).body, body, 'the document is unchanged')
})

t.test('members RFC 6902 does not define are ignored (§4)', async (t) => {
  const { app } = await makeApp(t)
  const { url } = await stored(app, { a: 1 })
  const res = await patch(app, url, [{ op: 'replace', path: '/a', value: 2, comment: 'why', spurious: [1] }])
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().a, 2)
})

t.test('a bad op is one problem, one sentence, naming the operation', async (t) => {
  const { app } = await makeApp(t)
  const { url, body } = await stored(app, { a: 1 })
  const res = await patch(app, url, [{ op: 'add', path: '/b', value: 1 }, { op: 'frobnicate', path: '/a' }])
  t.equal(res.statusCode, 400)
  const problem = res.json() as { detail: string, errors: Array<{ pointer: string }> }
  t.equal(problem.errors.length, 1, 'one error, not one per operation name')
  t.equal(problem.errors[0]?.pointer, '/1/op')
  t.equal(problem.detail.split('. ').length, 1, `one sentence: ${problem.detail}`)
  t.equal((await app.inject({ url })).body, body)
})

t.test('an operation that cannot apply is named by its index, and the earlier ones are undone', async (t) => {
  const { app } = await makeApp(t)
  const { url, body } = await stored(app, { a: 1 })
  const res = await patch(app, url, [{ op: 'add', path: '/b', value: 1 }, { op: 'remove', path: '/nope' }])
  t.equal(res.statusCode, 422)
  t.equal(res.json().detail, 'Operation 1 (remove) cannot be applied: "path" names nothing in the document.')
  t.equal((await app.inject({ url })).body, body)
  const missing = await patch(app, url, [{ op: 'add', path: '/b' }])
  t.equal(missing.json().detail, 'Operation 0 (add) cannot be applied: "value" is required for add, replace and test.')
  const failed = await patch(app, url, [{ op: 'test', path: '/a', value: 2 }])
  t.equal(failed.statusCode, 409)
  t.match(failed.json().detail, /^Operation 0 \(test\) failed: /)
})
