import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'
import { DIALECTS, jsonShapeProblem, SchemaCompiler, type JsonSchema, type KnownSchema } from '../../plugins/engine'
import { DOCUMENT_ID_PATTERN } from '../../schemas/common'
import { atPointer, corpusTest } from '../helpers/conformance'
import { json, tempDir } from '../helpers/app'
import { documentedCounts, KNOWN_LIMITS, type SuiteCounts } from './known-limits'

/**
 * JSON-Schema-Test-Suite through the HTTP API: each group's schema is set on
 * a fresh collection (PUT /v1/collections/{c}), each instance is written as a
 * document (PUT .../documents/{id}); valid → 2xx, invalid → 422 whose errors
 * point into the document. Required tests only (not optional/).
 *
 * What a document can be decides which cases apply; the others are counted
 * apart, by reason:
 * - "not an object": documents are JSON objects, so an array, string, number,
 *   boolean or null instance cannot be written (wrapping it would change what
 *   `$ref: "#"` and the root keywords mean).
 * - "unstorable": the service refuses anywhere in a document the keys
 *   `__proto__`, `constructor`, `prototype` (and nesting beyond 100 levels).
 * - "id not an id": the instance has an `id` member that is not a document id.
 * - "id changes verdict": the instance has no `id`, the service adds one, and
 *   the same validator gives the instance with `id` another verdict than the
 *   instance (additionalProperties: false, maxProperties, propertyNames…), so
 *   the suite's expectation does not say what the written document should get.
 * A group's schema without `$schema` gets the folder's dialect's, as the suite intends.
 * An instance with a usable `id` is written under that id; one without, under
 * a made-up id that the service adds.
 *
 * `remotes/` is preloaded through buildApp's `knownSchemas` (a programmatic
 * option only, not settable from the environment) at the URIs the suite uses;
 * the service itself never fetches a schema.
 */

const SUITE = 'JSON-Schema-Test-Suite'
const DRAFTS = ['draft4', 'draft6', 'draft7', 'draft2019-09', 'draft2020-12']
const DOCUMENT_ID = new RegExp(DOCUMENT_ID_PATTERN)
const DIALECT_OF: Record<string, string> = { draft4: 'draft-04', draft6: 'draft-06', draft7: 'draft-07', 'draft2019-09': '2019-09', 'draft2020-12': '2020-12' }

interface Case { description: string, data: unknown, valid: boolean }
interface Group { description: string, schema: JsonSchema, tests: Case[] }

function remotes (dir: string): KnownSchema[] {
  const root = join(dir, 'remotes')
  const found: KnownSchema[] = []
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.json')) {
        found.push({ uri: `http://localhost:1234/${relative(root, path)}`, schema: JSON.parse(readFileSync(path, 'utf8')) as JsonSchema })
      }
    }
  }
  walk(root)
  return found
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function usableId (value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  return typeof value === 'string' && DOCUMENT_ID.test(value) ? value : undefined
}

/** The folder's dialect, declared with `$schema` where the group's schema leaves it out (the service's default is 2020-12). */
function withDialect (schema: JsonSchema, draft: string): JsonSchema {
  if (typeof schema === 'boolean' || schema.$schema !== undefined) return schema
  const dialect = DIALECTS.find((d) => d.name === DIALECT_OF[draft])
  return { $schema: dialect?.uri ?? '', ...schema }
}

function parentOf (pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')))
}

corpusTest(t, SUITE, SUITE, async (t, dir) => {
  const knownSchemas = remotes(dir)
  const compiler = new SchemaCompiler({ knownSchemas })
  const dataDir = await tempDir(t, 'jsondock-schemas-suite-')
  const app: FastifyInstance = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0', DATA_DIR: dataDir }), { logger: false, knownSchemas })
  t.teardown(async () => await app.close())
  const seenLimits = new Set<string>()

  for (const draft of DRAFTS) {
    await t.test(draft, async (t) => {
      const counts: SuiteCounts = { passed: 0, notApplicable: {}, knownLimits: 0 }
      const notApplicable = (reason: string): void => { counts.notApplicable[reason] = (counts.notApplicable[reason] ?? 0) + 1 }
      const folder = join(dir, 'tests', draft)
      let n = 0
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
        for (const group of JSON.parse(readFileSync(join(folder, file), 'utf8')) as Group[]) {
          const collection = `g${n++}`
          const where = `${draft}/${file} | ${group.description}`
          const results: Array<{ key: string, ok: boolean, detail: string }> = []
          if (jsonShapeProblem(group.schema) !== undefined) {
            for (const _ of group.tests) notApplicable('unstorable')
            continue
          }
          const schema = withDialect(group.schema, draft)
          const put = await app.inject({ method: 'PUT', url: `/v1/collections/${collection}`, ...json({ schema }) })
          const local = put.statusCode < 300 ? compiler.compile(schema) : undefined
          for (const [i, c] of group.tests.entries()) {
            const key = `${where} | ${c.description}`
            if (!isPlainObject(c.data)) { notApplicable('not an object'); continue }
            if (jsonShapeProblem(c.data) !== undefined) { notApplicable('unstorable'); continue }
            const given = Object.hasOwn(c.data, 'id')
            const id = given ? usableId(c.data.id) : `case${i}`
            if (id === undefined) { notApplicable('id not an id'); continue }
            const doc = given ? c.data : { id, ...c.data }
            if (!given && local !== undefined && local(c.data) !== local(doc)) { notApplicable('id changes verdict'); continue }
            if (put.statusCode >= 300) {
              results.push({ key, ok: false, detail: `the schema was refused: ${put.statusCode} ${put.body}` })
              continue
            }
            const res = await app.inject({ method: 'PUT', url: `/v1/collections/${collection}/documents/${id}`, ...json(doc) })
            if (c.valid) {
              results.push({ key, ok: res.statusCode < 300, detail: `valid, answered ${res.statusCode} ${res.body}` })
            } else {
              const errors = res.statusCode === 422 ? (res.json() as { errors?: Array<{ pointer: string }> }).errors ?? [] : []
              const pointed = errors.length > 0 && errors.every((e) => atPointer(doc, e.pointer) !== undefined || atPointer(doc, parentOf(e.pointer)) !== undefined)
              results.push({ key, ok: res.statusCode === 422 && pointed, detail: `invalid, answered ${res.statusCode} ${res.body}` })
            }
          }
          for (const r of results) {
            const limit = KNOWN_LIMITS[r.key]
            if (limit !== undefined) {
              seenLimits.add(r.key)
              counts.knownLimits++
              t.notOk(r.ok, `known limit still fails (else drop it from known-limits.ts): ${r.key}`)
            } else {
              if (r.ok) counts.passed++
              else t.fail(`${r.key}: ${r.detail}`)
            }
          }
          await app.inject({ method: 'DELETE', url: `/v1/collections/${collection}?force=true` })
        }
      }
      t.comment(`${draft}: ${JSON.stringify(counts)}`)
      t.same(counts, documentedCounts(SUITE, draft), `${draft}: the counts docs/api.md gives`)
    })
  }
  t.same(Object.keys(KNOWN_LIMITS).filter((k) => !k.includes('json-patch') && !seenLimits.has(k)), [], 'every known limit is a case of the suite')
})
