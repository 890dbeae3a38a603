import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { makeApp } from '../helpers/app'
import { servedOpenApi } from '../helpers/write-openapi'

interface Operation {
  summary?: string
  responses: Record<string, { content?: Record<string, unknown> }>
}

t.test('docs/openapi.json is exactly what the app serves (run `npm run openapi` after changing a route)', async (t) => {
  const committed = await readFile(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')
  t.equal(await servedOpenApi(), committed)
})

t.test('every operation has a summary, examples come through, and errors are problem+json', async (t) => {
  const { app } = await makeApp(t)
  const spec = (await app.inject('/docs/json')).json() as {
    openapi: string
    paths: Record<string, Record<string, Operation>>
    components: { schemas: Record<string, { examples?: unknown[] }>, securitySchemes: Record<string, unknown> }
  }
  t.equal(spec.openapi, '3.1.0')
  const expected = [
    'get /v1/collections', 'put /v1/collections/{collection}', 'get /v1/collections/{collection}',
    'delete /v1/collections/{collection}', 'get /v1/collections/{collection}/documents',
    'post /v1/collections/{collection}/documents', 'get /v1/collections/{collection}/documents/{id}',
    'put /v1/collections/{collection}/documents/{id}', 'patch /v1/collections/{collection}/documents/{id}',
    'delete /v1/collections/{collection}/documents/{id}', 'get /health/live', 'get /health/ready', 'get /metrics',
    'post /v1/import', 'get /v1/export', 'get /v1/collections/{collection}/export',
    'get /json-server/{collection}', 'post /json-server/{collection}', 'get /json-server/{collection}/{id}',
    'put /json-server/{collection}/{id}', 'patch /json-server/{collection}/{id}', 'delete /json-server/{collection}/{id}',
    'get /json-server/{parent}/{id}/{collection}', 'post /json-server/{parent}/{id}/{collection}'
  ]
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => [`${method} ${path}`, op] as const))
  const names: string[] = operations.map(([name]) => name)
  t.same(names.filter((name) => !expected.includes(name)), [], 'nothing undocumented here either')
  t.same(expected.filter((name) => !names.includes(name)), [], 'every route is documented')
  for (const [name, op] of operations) {
    t.ok(op.summary !== undefined && op.summary.length > 10, `${name} has a summary`)
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) >= 400) t.ok(response.content?.['application/problem+json'], `${name} ${status} is problem+json`)
    }
  }
  t.ok(spec.components.schemas.Problem, 'Problem is a shared component')
  t.ok(spec.components.schemas.Document?.examples?.length, 'Document carries an example')
  t.ok(spec.components.securitySchemes.bearerAuth, 'the bearer scheme is declared')
})

t.test('Swagger UI is served at /docs', async (t) => {
  const { app } = await makeApp(t)
  const page = await app.inject('/docs')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /swagger-ui/)
  const css = await app.inject('/docs/static/swagger-ui.css')
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /text\/css/)
})

t.test('each operation declares the security plugins/access.ts enforces, so Swagger UI\'s Authorize sends the token to reads too', async (t) => {
  type Security = Array<Record<string, string[]>>
  const REQUIRED: Security = [{ bearerAuth: [] }]
  const OPTIONAL: Security = [{ bearerAuth: [] }, {}]
  const { app } = await makeApp(t)
  const spec = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, { security?: Security }>> }
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, security: op.security })))

  // The shape, named: without `security` on a read, Swagger UI sends no token and AUTH_READS answers 401.
  for (const op of operations) {
    const name = `${op.method} ${op.path}`
    if (op.path.startsWith('/health/')) t.same(op.security, [], `${name}: never needs a token (probes)`)
    else if (op.method === 'GET') t.same(op.security, OPTIONAL, `${name}: the token is optional (sent once authorized; needed with AUTH_READS)`)
    else t.same(op.security, REQUIRED, `${name}: needs the token`)
  }
  t.same(spec.paths['/metrics']?.get?.security, OPTIONAL, '/metrics is a read like any other: AUTH_READS guards it')
  t.notOk(Object.keys(spec.paths).some((path) => path.startsWith('/docs')), 'Swagger UI\'s own routes are not operations (they are always open)')

  // And the behaviour: each declaration matches what the service answers without a token and with one.
  const asked = (path: string): string => path.replace(/\{[^}]+\}/g, 'x1')
  for (const authReads of ['false', 'true']) {
    const { app: guarded } = await makeApp(t, { API_TOKENS: 'openapi-token', AUTH_READS: authReads })
    for (const op of operations) {
      const name = `${op.method} ${op.path} (AUTH_READS=${authReads})`
      const without = await guarded.inject({ method: op.method as 'GET', url: asked(op.path) })
      const needsToken = op.security?.length === 1 || (authReads === 'true' && (op.security?.length ?? 0) > 0)
      t.equal(without.statusCode === 401, needsToken, `${name}: ${needsToken ? '401' : 'no 401'} without a token`)
      const withToken = await guarded.inject({ method: op.method as 'GET', url: asked(op.path), headers: { authorization: 'Bearer openapi-token' } })
      t.not(withToken.statusCode, 401, `${name}: the declared bearer scheme is the one accepted`)
    }
  }
})
