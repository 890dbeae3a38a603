import t from 'tap'
import { json, makeApp } from '../helpers/app'

/**
 * RFC 7396 Appendix A, every example, through PATCH, under both media types
 * that mean a merge patch here: application/merge-patch+json, and
 * application/json (what most clients send; GitHub's API and Kinto read it
 * so too). Documents are objects: an example whose target is not an object
 * cannot be stored, and one whose result is not an object must be refused
 * (4xx) with the document unchanged.
 */
const APPENDIX_A: Array<[unknown, unknown, unknown]> = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }]
]

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v)

for (const mediaType of ['application/merge-patch+json', 'application/json']) {
  t.test(`RFC 7396 Appendix A as ${mediaType}`, async (t) => {
    const { app } = await makeApp(t)
    let passed = 0
    let notApplicable = 0
    for (const [i, [target, patch, result]] of APPENDIX_A.entries()) {
      if (!isObject(target)) { notApplicable++; continue }
      const url = `/v1/collections/merge/documents/a${i}`
      const put = await app.inject({ method: 'PUT', url, ...json(target) })
      const res = await app.inject({ method: 'PATCH', url, payload: JSON.stringify(patch), headers: { 'content-type': mediaType } })
      if (isObject(result)) {
        t.equal(res.statusCode, 200, `A.${i + 1}: ${res.body}`)
        t.same(res.json(), { id: `a${i}`, ...result }, `A.${i + 1}: the RFC's result`)
      } else {
        t.ok(res.statusCode >= 400 && res.statusCode < 500, `A.${i + 1}: a non-object result is refused (${res.statusCode})`)
        t.equal((await app.inject({ url })).body, put.body, `A.${i + 1}: the document is unchanged`)
      }
      passed++
    }
    t.equal(passed, 13)
    t.equal(notApplicable, 2, 'the two examples whose target is an array')
  })
}
