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
    components: { schemas: Record<string, { examples?: unknown[] }>, securitySchemes?: Record<string, unknown> }
  }
  t.equal(spec.openapi, '3.1.0')
  const expected = [
    'get /', 'get /v1/collections', 'put /v1/collections/{collection}', 'get /v1/collections/{collection}',
    'delete /v1/collections/{collection}', 'get /v1/collections/{collection}/documents',
    'post /v1/collections/{collection}/documents', 'get /v1/collections/{collection}/documents/{id}',
    'put /v1/collections/{collection}/documents/{id}', 'patch /v1/collections/{collection}/documents/{id}',
    'delete /v1/collections/{collection}/documents/{id}', 'get /health/live', 'get /health/ready', 'get /metrics',
    'post /v1/import', 'get /v1/export', 'get /v1/collections/{collection}/export',
    'get /json-server/{collection}', 'post /json-server/{collection}', 'get /json-server/{collection}/{id}',
    'put /json-server/{collection}/{id}', 'patch /json-server/{collection}/{id}', 'delete /json-server/{collection}/{id}',
    'get /json-server/{parent}/{id}/{collection}', 'post /json-server/{parent}/{id}/{collection}',
    'get /json-server/db', 'get /json-server/__rules', 'put /json-server/{collection}', 'patch /json-server/{collection}'
  ]
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => [`${method} ${path}`, op] as const))
  const names: string[] = operations.map(([name]) => name)
  t.same(names.filter((name) => !expected.includes(name)), [], 'nothing undocumented here either')
  t.same(expected.filter((name) => !names.includes(name)), [], 'every route is documented')
  for (const [name, op] of operations) {
    t.ok(op.summary !== undefined && op.summary.length > 10, `${name} has a summary`)
    for (const [status, response] of Object.entries(op.responses)) {
      // json-server's own not-found answer is `{}`, as its clients expect; every other error is problem+json.
      const jsonServerNotFound = name.includes(' /json-server/') && status === '404'
      if (Number(status) >= 400 && !jsonServerNotFound) t.ok(response.content?.['application/problem+json'], `${name} ${status} is problem+json`)
      if (jsonServerNotFound) t.ok(response.content?.['application/json'], `${name} 404 is json-server's {}`)
    }
  }
  t.ok(spec.components.schemas.Problem, 'Problem is a shared component')
  t.ok(spec.components.schemas.Document?.examples?.length, 'Document carries an example')
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

/** The operationIds generated clients name their methods after: changing one breaks every client. */
const OPERATION_IDS: Record<string, string> = {
  'get /': 'getServiceIndex',
  'get /health/live': 'getLiveness',
  'get /health/ready': 'getReadiness',
  'get /metrics': 'getMetrics',
  'get /v1/collections': 'listCollections',
  'put /v1/collections/{collection}': 'putCollection',
  'get /v1/collections/{collection}': 'getCollection',
  'delete /v1/collections/{collection}': 'deleteCollection',
  'get /v1/collections/{collection}/documents': 'listDocuments',
  'post /v1/collections/{collection}/documents': 'createDocument',
  'get /v1/collections/{collection}/documents/{id}': 'getDocument',
  'put /v1/collections/{collection}/documents/{id}': 'putDocument',
  'patch /v1/collections/{collection}/documents/{id}': 'patchDocument',
  'delete /v1/collections/{collection}/documents/{id}': 'deleteDocument',
  'post /v1/import': 'importDocuments',
  'get /v1/export': 'exportDatabase',
  'get /v1/collections/{collection}/export': 'exportCollection',
  'get /json-server/db': 'jsonServerDatabase',
  'get /json-server/__rules': 'jsonServerRules',
  'get /json-server/{collection}': 'jsonServerList',
  'put /json-server/{collection}': 'jsonServerReplaceSingular',
  'patch /json-server/{collection}': 'jsonServerUpdateSingular',
  'post /json-server/{collection}': 'jsonServerCreate',
  'get /json-server/{collection}/{id}': 'jsonServerGet',
  'put /json-server/{collection}/{id}': 'jsonServerReplace',
  'patch /json-server/{collection}/{id}': 'jsonServerUpdate',
  'delete /json-server/{collection}/{id}': 'jsonServerDelete',
  'get /json-server/{parent}/{id}/{collection}': 'jsonServerListChildren',
  'post /json-server/{parent}/{id}/{collection}': 'jsonServerCreateChild'
}

interface Parameter { name: string, in: string, required: boolean, schema?: Record<string, unknown>, example?: unknown, examples?: unknown, description?: string, style?: string, explode?: boolean }
interface FullOperation {
  operationId?: string
  parameters?: Parameter[]
  requestBody?: unknown
  security?: Array<Record<string, string[]>>
  responses: Record<string, { headers?: Record<string, { schema?: Record<string, unknown>, description?: string }> }>
}
type Spec = { paths: Record<string, Record<string, FullOperation>>, components?: { securitySchemes?: Record<string, unknown> } }

function operationsOf (spec: Spec): Array<{ name: string, method: string, path: string, op: FullOperation }> {
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ name: `${method} ${path}`, method: method.toUpperCase(), path, op })))
}

t.test('every operation has its stable operationId; headers, parameters and filters are typed for generators', async (t) => {
  const { app } = await makeApp(t)
  const spec = (await app.inject('/docs/json')).json() as Spec
  const operations = operationsOf(spec)
  t.same(Object.fromEntries(operations.map(({ name, op }) => [name, op.operationId])), OPERATION_IDS, 'each operationId, as pinned')

  for (const { name, op } of operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      for (const [header, declared] of Object.entries(response.headers ?? {})) {
        t.ok(typeof declared.schema?.type === 'string' && declared.schema.schema === undefined,
          `${name} ${status} ${header}: a schema with a type (${JSON.stringify(declared.schema)})`)
        t.ok((declared.description ?? '').length > 5, `${name} ${status} ${header}: described`)
      }
    }
    const parameters = op.parameters ?? []
    for (const param of parameters.filter((p) => !p.required)) {
      // Swagger UI pre-fills an optional parameter's example into "Try it out", changing the answer.
      const safe = param.name === 'filters' && JSON.stringify(param.example) === '{}'
      t.ok(safe || (param.example === undefined && param.examples === undefined && param.schema?.examples === undefined),
        `${name}: optional ${param.in} parameter ${param.name} has no example to pre-fill`)
    }
    if (parameters.length > 0 || op.requestBody !== undefined) t.ok(op.responses['400'], `${name} takes input: documents its 400`)
  }

  const list = spec.paths['/v1/collections/{collection}/documents']?.get?.parameters ?? []
  const limit = list.find((p) => p.name === 'limit')
  t.equal(limit?.required, false, 'limit is optional')
  t.equal(limit?.schema?.default, 20, 'with its default, 20')
  const filters = list.find((p) => p.name === 'filters')
  t.match(filters, { in: 'query', required: false, style: 'form', explode: true, schema: { type: 'object', additionalProperties: { type: 'string' } } },
    'filters: one free-form object parameter, each key a query key of its own')
  t.match(filters?.description, /field\[gte\]/, 'its description gives the operators')
  t.match(spec.paths['/json-server/{collection}']?.get?.parameters?.find((p) => p.name === 'filters'), { style: 'form', explode: true },
    'the json-server list declares its filters the same way')
})

/** Each configuration, and what its document must declare for an operation of each guard. */
const CONFIGURATIONS: Array<{ name: string, env: Record<string, string>, secured: Record<'open' | 'read' | 'write', boolean> }> = [
  { name: 'defaults (no API_TOKENS)', env: {}, secured: { open: false, read: false, write: false } },
  { name: 'API_TOKENS', env: { API_TOKENS: 'openapi-token' }, secured: { open: false, read: false, write: true } },
  { name: 'API_TOKENS + AUTH_READS', env: { API_TOKENS: 'openapi-token', AUTH_READS: 'true' }, secured: { open: false, read: true, write: true } }
]

t.test('each operation declares the security this configuration enforces, and Swagger UI\'s padlocks show no more', async (t) => {
  const REQUIRED = [{ bearerAuth: [] }]
  const asked = (path: string): string => path.replace(/\{[^}]+\}/g, 'x1')
  for (const config of CONFIGURATIONS) {
    const { app } = await makeApp(t, config.env)
    const spec = (await app.inject('/docs/json')).json() as Spec
    const anySecured = Object.values(config.secured).some(Boolean)
    t.equal(spec.components?.securitySchemes?.bearerAuth !== undefined, anySecured,
      `${config.name}: the bearer scheme (and so the Authorize button) ${anySecured ? 'is' : 'is not'} declared`)
    t.notOk(Object.keys(spec.paths).some((path) => path.startsWith('/docs')), 'Swagger UI\'s own routes are not operations (they are always open)')
    for (const { name, method, path, op } of operationsOf(spec)) {
      const guard = path === '/' || path.startsWith('/health/') ? 'open' : method === 'GET' ? 'read' : 'write'
      const secured = config.secured[guard]
      const label = `${config.name}: ${name}`
      t.same(op.security, secured ? REQUIRED : [], `${label}: ${secured ? 'needs the token' : 'no padlock'}`)
      t.equal(op.responses['401'] !== undefined, secured, `${label}: 401 ${secured ? '' : 'not '}documented`)
      // And the behaviour: the declaration is what the service answers without a token and with one.
      const without = await app.inject({ method: method as 'GET', url: asked(path) })
      t.equal(without.statusCode === 401, secured, `${label}: ${secured ? '401' : 'no 401'} without a token`)
      if (secured) {
        const withToken = await app.inject({ method: method as 'GET', url: asked(path), headers: { authorization: 'Bearer openapi-token' } })
        t.not(withToken.statusCode, 401, `${label}: the declared bearer scheme is the one accepted`)
      }
    }
  }
  t.same(operationsOf((await (await makeApp(t, CONFIGURATIONS[2]?.env)).app.inject('/docs/json')).json() as Spec)
    .find((o) => o.path === '/metrics')?.op.security, REQUIRED, '/metrics is a read like any other: AUTH_READS guards it')
})

t.test('READ_ONLY: writes document their 405, and only then', async (t) => {
  for (const readOnly of ['false', 'true']) {
    const { app } = await makeApp(t, { READ_ONLY: readOnly })
    for (const { name, method, op } of operationsOf((await app.inject('/docs/json')).json() as Spec)) {
      if (method !== 'GET') t.equal(op.responses['405'] !== undefined, readOnly === 'true', `READ_ONLY=${readOnly}: ${name}`)
    }
  }
})

t.test('info.contact names the operators, reached as API_CONTACT says', async (t) => {
  const contactOf = async (env: Record<string, string>): Promise<unknown> =>
    ((await (await makeApp(t, env)).app.inject('/docs/json')).json() as { info: { contact: unknown } }).info.contact
  const name = 'The operators of this jsondock deployment'
  t.same(await contactOf({}), { name }, 'no API_CONTACT: a name only')
  t.same(await contactOf({ API_CONTACT: 'https://wiki.example.com/jsondock' }), { name, url: 'https://wiki.example.com/jsondock' }, 'a URL')
  t.same(await contactOf({ API_CONTACT: 'ops@example.com' }), { name, email: 'ops@example.com' }, 'an email address')
})
