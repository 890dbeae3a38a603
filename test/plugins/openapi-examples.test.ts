import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import t from 'tap'
import { makeApp } from '../helpers/app'

/*
 * What Swagger UI shows a newcomer (issue 28, item 4): each error response of
 * an operation has a true example of its own status and problem type (one the
 * service answers: docs/api.md's table), never a made-up type or member; the
 * defaults chain (POST creates the document the other operations name); the
 * `filters` parameter says how to fill it.
 */

interface MediaType { schema?: { $ref?: string }, example?: { type?: string, status?: number, title?: string, detail?: string, [key: string]: unknown }, examples?: unknown }
interface Operation { operationId: string, parameters?: Array<{ name: string, in: string, example?: unknown, schema?: { examples?: unknown[] }, description?: string }>, requestBody?: { content: Record<string, MediaType & { schema?: { examples?: unknown[] } }> }, responses: Record<string, { content?: Record<string, MediaType> }> }

const repoRoot = resolve(__dirname, '../..')

t.test('every problem response shows a true example of its own status and type', async (t) => {
  const { app } = await makeApp(t)
  const spec = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, { properties: Record<string, { examples?: unknown[] }> }> } }
  const table = await readFile(join(repoRoot, 'docs', 'api.md'), 'utf8')
  const statusOf = new Map([...table.matchAll(/^\| `(\/problems\/[a-z-]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]))
  t.ok(statusOf.size > 20, 'docs/api.md lists the problem types')
  let checked = 0
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      for (const [code, response] of Object.entries(op.responses)) {
        const problem = response.content?.['application/problem+json']
        if (problem === undefined) continue
        checked++
        const where = `${method.toUpperCase()} ${path} ${code}`
        const example = problem.example
        if (!t.ok(example !== undefined, `${where}: has an example`) || example === undefined) continue
        t.equal(example.status, Number(code), `${where}: the example is a ${code}`)
        t.equal(statusOf.get(example.type ?? ''), Number(code), `${where}: ${example.type} is a problem type the service answers with ${code}`)
        t.notOk(Object.keys(example).some((key) => key.startsWith('additionalProp')), `${where}: no made-up members`)
      }
    }
  }
  t.ok(checked > 50, `${checked} problem responses checked`)
  const typeExamples = spec.components.schemas.Problem?.properties.type?.examples ?? []
  t.ok(typeExamples.every((type) => statusOf.has(String(type))), `the Problem schema's own example type exists: ${String(typeExamples)}`)
})

t.test('the defaults chain: POST creates the document GET, PUT, PATCH and DELETE name; filters says how to fill it', async (t) => {
  const { app } = await makeApp(t)
  const spec = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, Operation>> }
  const create = spec.paths['/v1/collections/{collection}/documents']?.post
  const body = create?.requestBody?.content['application/json']
  const bodyExample = (body?.example ?? body?.schema?.examples?.[0]) as { id?: unknown } | undefined
  const one = spec.paths['/v1/collections/{collection}/documents/{id}'] ?? {}
  for (const method of ['get', 'put', 'patch', 'delete']) {
    const id = one[method]?.parameters?.find((p) => p.name === 'id' && p.in === 'path')
    t.equal(bodyExample?.id, id?.example ?? id?.schema?.examples?.[0], `POST's default body creates the id ${method.toUpperCase()}'s default names`)
  }
  const filters = spec.paths['/v1/collections/{collection}/documents']?.get?.parameters?.find((p) => p.name === 'filters')
  t.match(filters?.description ?? JSON.stringify(filters), /In Swagger UI: replace the pre-filled `\{\}`/, 'the filters parameter says how to fill it')

  const created = await app.inject({ method: 'POST', url: '/v1/collections/sandbox/documents', payload: JSON.stringify(bodyExample), headers: { 'content-type': 'application/json' } })
  t.equal(created.statusCode, 201, 'the default POST creates it')
  t.equal((await app.inject(`/v1/collections/sandbox/documents/${String(bodyExample?.id)}`)).statusCode, 200, 'the default GET finds it')
})
