import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { json, makeApp } from '../helpers/app'
import { corpusTest } from '../helpers/conformance'
import { documentedCounts, type SuiteCounts } from './known-limits'

/**
 * json-patch-tests (RFC 6902) through PATCH with application/json-patch+json.
 * Each case whose `doc` is an object is stored as a document (the service
 * adds its `id` member, so the expected result gets the same `id`); a case
 * with `expected` must answer 200 with exactly that document, a case with
 * `error` must answer a 4xx problem and leave the stored file as it was.
 * Never a 5xx. Counted apart, as not applicable:
 * - "not an object": the doc is an array or a scalar, which cannot be a document;
 * - "disabled": the corpus itself disables the case;
 * - "root replaced": the patch replaces the whole document with one that has
 *   no `id`, which the service refuses (a patch cannot remove the id).
 */

const SUITE = 'json-patch-tests'

interface Case { comment?: string, doc?: unknown, patch?: unknown[], expected?: unknown, error?: string, disabled?: boolean }

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

corpusTest(t, SUITE, SUITE, async (t, dir) => {
  const { app } = await makeApp(t)
  for (const file of ['tests.json', 'spec_tests.json']) {
    await t.test(file, async (t) => {
      const counts: SuiteCounts = { passed: 0, notApplicable: {}, knownLimits: 0 }
      const notApplicable = (reason: string): void => { counts.notApplicable[reason] = (counts.notApplicable[reason] ?? 0) + 1 }
      const cases = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case[]).filter((c) => c.patch !== undefined)
      for (const [i, c] of cases.entries()) {
        const name = `${file} #${i} ${c.comment ?? c.error ?? ''}`
        if (c.disabled === true) { notApplicable('disabled'); continue }
        if (!isPlainObject(c.doc)) { notApplicable('not an object'); continue }
        const id = `case${i}`
        const replacesRoot = c.patch?.some((op) => isPlainObject(op) && op.path === '' && !(isPlainObject(op.value) && op.value.id === id)) === true
        if (replacesRoot && c.expected !== undefined) { notApplicable('root replaced'); continue }
        const url = `/v1/collections/patches/documents/${id}`
        const put = await app.inject({ method: 'PUT', url, ...json(c.doc) })
        t.equal(put.statusCode, 201, `${name}: the document is stored`)
        const res = await app.inject({
          method: 'PATCH', url, payload: JSON.stringify(c.patch), headers: { 'content-type': 'application/json-patch+json' }
        })
        const after = await app.inject({ url })
        let ok: boolean
        if (c.expected !== undefined) {
          ok = res.statusCode === 200 && t.same(res.json(), { id, ...(c.expected as object) }, `${name}: the expected result`)
        } else {
          ok = res.statusCode >= 400 && res.statusCode < 500 && after.body === put.body
          if (ok) {
            const problem = res.json() as { detail: string }
            // One sentence, naming the operation when one is at fault.
            ok = t.match(problem.detail, /^[^\n]+$/, `${name}: one line`) && problem.detail.split(/\. (?=[A-Z])/).length === 1
          }
        }
        t.ok(ok, `${name}: answered ${res.statusCode} ${res.body}`)
        if (ok) counts.passed++
        await app.inject({ method: 'DELETE', url })
      }
      t.comment(`${file}: ${JSON.stringify(counts)}`)
      t.same(counts, documentedCounts(SUITE, file), `${file}: the counts docs/api.md gives`)
    })
  }
})
