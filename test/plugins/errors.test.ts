import { STATUS_CODES } from 'node:http'
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { pretty, type Doc, type Res } from '../helpers/assertions'
import { json, makeApp, snapshot, tempDir } from '../helpers/app'
import { problemViolations, rawRequest } from '../helpers/hostile'
import { changeSeenByWatchers } from '../helpers/wait'


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const JSON_CT = { 'content-type': 'application/json' }

/**
 * Checks an RFC 9457 problem: media type, every member, the request id in
 * `instance` and in x-request-id, and no stack trace anywhere.
 */
function problem (t: Test, res: Res, status: number, what = ''): Doc {
  t.equal(res.statusCode, status, `${what} answers ${status}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: content-type is problem+json`)
  let body: Doc = {}
  try {
    body = JSON.parse(res.body) as Doc
  } catch {
    t.fail(`${what}: the body is JSON: ${res.body.slice(0, 100)}`)
  }
  t.match(body.type, /^\S+$/, `${what}: type`)
  t.equal(body.title, STATUS_CODES[status], `${what}: title`)
  t.equal(body.status, status, `${what}: status member`)
  t.ok(typeof body.detail === 'string' && body.detail.length > 0, `${what}: detail`)
  const requestId = res.headers['x-request-id']
  t.ok(typeof requestId === 'string' && requestId.length > 0, `${what}: x-request-id header`)
  t.ok(typeof body.instance === 'string' && body.instance.includes(requestId as string), `${what}: instance holds the request id`)
  t.notOk('stack' in body, `${what}: no stack member`)
  t.notMatch(res.body, /\bat .+\(.*:\d+:\d+\)|\.ts:\d+|node_modules/, `${what}: no stack trace in the body`)
  return body
}


/** A DATA_DIR that already holds books/dune.json. */
async function seededDataDir (t: Test): Promise<string> {
  const dataDir = await tempDir(t)
  await mkdir(join(dataDir, 'books'))
  await writeFile(join(dataDir, 'books', 'dune.json'), pretty({ id: 'dune', title: 'Dune' }))
  return dataDir
}

/** One of each write, against books/dune. */
function writes (headers: Record<string, string> = {}): Array<{ name: string, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: string, headers: Record<string, string> }> {
  return [
    { name: 'POST document', method: 'POST', url: '/v1/collections/books/documents', payload: '{"title":"New"}', headers: { ...JSON_CT, ...headers } },
    { name: 'PUT document', method: 'PUT', url: '/v1/collections/books/documents/dune', payload: '{"title":"Changed"}', headers: { ...JSON_CT, ...headers } },
    { name: 'PATCH document', method: 'PATCH', url: '/v1/collections/books/documents/dune', payload: '{"title":"Patched"}', headers: { 'content-type': 'application/merge-patch+json', ...headers } },
    { name: 'DELETE document', method: 'DELETE', url: '/v1/collections/books/documents/dune', headers },
    { name: 'PUT collection', method: 'PUT', url: '/v1/collections/other', payload: '{}', headers: { ...JSON_CT, ...headers } },
    { name: 'DELETE collection', method: 'DELETE', url: '/v1/collections/books?force=true', headers }
  ]
}

// ---- problem details ------------------------------------------------------------------------

t.test('an unknown route is a 404 problem', async (t) => {
  const { app } = await makeApp(t)
  for (const [method, url] of [['GET', '/nope'], ['GET', '/v1/nope/deeper?x=1'], ['POST', '/v1/collections'], ['PATCH', '/v1/collections/books']] as const) {
    const body = problem(t, await app.inject({ method, url }), 404, `${method} ${url}`)
    t.match(body.detail, url.split('?')[0] as string, 'the detail names the path')
  }
})

t.test('HTTP/1.1 without Host, or with an unknown Expect: a problem+json, not Node\'s empty answer', async (t) => {
  const { app } = await makeApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  // A route that answers 200 once the request has a Host: only the Host check refuses it.
  const withHost = await rawRequest(port, Buffer.from('GET /v1/collections HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
  t.equal(withHost.status, 200, 'control: with a Host, 200')
  const noHost = await rawRequest(port, Buffer.from('GET /v1/collections HTTP/1.1\r\nConnection: close\r\n\r\n'))
  t.equal(noHost.status, 400, 'without a Host: 400')
  t.strictSame(problemViolations(noHost), [], 'without a Host: a problem+json')
  const expect = await rawRequest(port, Buffer.from('POST /v1/collections/c/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: garbage\r\nConnection: close\r\n\r\n'))
  t.equal(expect.status, 417, 'an unknown Expect: 417')
  t.strictSame(problemViolations(expect), [], 'an unknown Expect: a problem+json')
})

t.test('the request id: made when absent, a caller\'s safe X-Request-Id kept, an unsafe one replaced', async (t) => {
  const { app } = await makeApp(t)
  const made = await app.inject('/nope')
  t.match(made.headers['x-request-id'], UUID, 'a UUID is made')
  const again = await app.inject('/nope')
  t.not(again.headers['x-request-id'], made.headers['x-request-id'], 'one per request')

  const kept = await app.inject({ url: '/nope', headers: { 'x-request-id': 'trace-42.abc:XYZ_1' } })
  t.equal(kept.headers['x-request-id'], 'trace-42.abc:XYZ_1', 'a safe id is kept')
  t.equal(kept.json().instance, problem(t, kept, 404).instance)
  t.match(kept.json().instance, /trace-42\.abc:XYZ_1/, 'and used in instance')

  for (const unsafe of ['has spaces', '<script>', 'x'.repeat(129), 'a/b', 'semi;colon']) {
    const res = await app.inject({ url: '/nope', headers: { 'x-request-id': unsafe } })
    t.match(res.headers['x-request-id'], UUID, `unsafe ${JSON.stringify(unsafe.slice(0, 20))} is replaced`)
    t.notOk((res.json().instance as string).includes(unsafe), 'and not echoed')
  }

  const ok = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'live-1' } })
  t.equal(ok.headers['x-request-id'], 'live-1', 'successes carry it too')
})

t.test('bad bodies: invalid JSON, empty, too large, wrong or no media type', async (t) => {
  const { app, dataDir } = await makeApp(t, { BODY_LIMIT: '2048' })
  await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', ...json({ v: 1 }) })
  const before = await snapshot(dataDir)

  problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload: '{"a":', headers: JSON_CT }), 400, 'invalid JSON')
  problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', payload: "{'a':1}", headers: JSON_CT }), 400, 'invalid JSON on PUT')
  problem(t, await app.inject({ method: 'PATCH', url: '/v1/collections/c/documents/x', payload: '{"a"', headers: { 'content-type': 'application/merge-patch+json' } }), 400, 'invalid merge patch JSON')
  problem(t, await app.inject({ method: 'PATCH', url: '/v1/collections/c/documents/x', payload: '[{', headers: { 'content-type': 'application/json-patch+json' } }), 400, 'invalid JSON Patch JSON')
  problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload: '', headers: JSON_CT }), 400, 'empty JSON body')
  problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', payload: '', headers: JSON_CT }), 400, 'empty JSON body on PUT')

  const big = JSON.stringify({ text: 'x'.repeat(3000) })
  problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload: big, headers: JSON_CT }), 413, 'body over BODY_LIMIT')
  problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', payload: big, headers: JSON_CT }), 413, 'PUT body over BODY_LIMIT')
  problem(t, await app.inject({ method: 'PATCH', url: '/v1/collections/c/documents/x', payload: big, headers: { 'content-type': 'application/merge-patch+json' } }), 413, 'PATCH body over BODY_LIMIT')

  for (const [what, headers] of [['text/plain', { 'content-type': 'text/plain' }], ['application/xml', { 'content-type': 'application/xml' }], ['no content type', {}]] as const) {
    const post = problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload: '{"a":1}', headers }), 415, `POST with ${what}`)
    t.match(post.type, /unsupported-media-type/)
    problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', payload: '{"a":1}', headers }), 415, `PUT with ${what}`)
  }
  // JSON media types the service parses, sent to a route that does not name them: only the route's own check refuses these.
  for (const [method, url, type] of [
    ['POST', '/v1/collections/c/documents', 'application/merge-patch+json'],
    ['PUT', '/v1/collections/c/documents/x', 'application/json-patch+json'],
    ['POST', '/v1/collections/c/documents', 'application/json-patch+json']
  ] as const) {
    problem(t, await app.inject({ method, url, payload: '{"a":1}', headers: { 'content-type': type } }), 415, `${method} with ${type}`)
  }
  t.same(await snapshot(dataDir), before, 'nothing written')

  const justUnder = JSON.stringify({ text: 'x'.repeat(1900) })
  t.equal((await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload: justUnder, headers: JSON_CT })).statusCode, 201, 'a body under the limit is fine')
})

t.test('validation errors list each failed field with `in` and `pointer`', async (t) => {
  const { app } = await makeApp(t)
  const body = problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', ...json({ id: 'bad id!' }) }), 400, 'bad body id')
  t.match(body.errors, [{ in: 'body', pointer: '/id', message: String }])

  const query = problem(t, await app.inject(`/v1/collections/c/documents?limit=0&q=${'x'.repeat(300)}`), 400, 'bad query')
  const qErrors = query.errors as Array<{ in: string, pointer: string, message: string }>
  t.same(qErrors.map((e) => e.pointer).sort(), ['/limit', '/q'], 'every failed query field is listed')
  for (const e of qErrors) {
    t.equal(e.in, 'querystring')
    t.type(e.message, 'string')
  }

  const params = problem(t, await app.inject('/v1/collections/bad.name/documents/bad.id'), 400, 'bad params')
  const pErrors = params.errors as Array<{ in: string, pointer: string }>
  t.same(pErrors.map((e) => e.pointer).sort(), ['/collection', '/id'], 'both bad params are listed')
  t.ok(pErrors.every((e) => e.in === 'params'))

  const patch = problem(t, await app.inject({
    method: 'PATCH',
    url: '/v1/collections/c/documents/x',
    payload: JSON.stringify([{ op: 'add', value: 1 }, { op: 'nope', path: '/a' }]),
    headers: { 'content-type': 'application/json-patch+json' }
  }), 400, 'bad JSON Patch')
  const patchPointers = (patch.errors as Array<{ pointer: string, in: string }>).map((e) => e.pointer)
  t.ok(patchPointers.includes('/0/path'), `the missing path is named (${patchPointers.join(', ')})`)
  t.ok(patchPointers.some((p) => p.startsWith('/1')), 'the bad op is named')
})

t.test('poisoned and non-object bodies are 400 and write nothing', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', ...json({ v: 1 }) })
  const before = await snapshot(dataDir)
  const poisoned = [
    '{"__proto__":{"polluted":"yes"}}',
    '{"a":{"__proto__":{"polluted":"yes"}}}',
    '{"constructor":{"prototype":{}}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"a":[{"constructor":{"prototype":{"polluted":"yes"}}}]}'
  ]
  for (const payload of poisoned) {
    problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload, headers: JSON_CT }), 400, `POST ${payload}`)
    problem(t, await app.inject({ method: 'POST', url: '/v1/collections/newc/documents', payload, headers: JSON_CT }), 400, `POST to a new collection ${payload}`)
    problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', payload, headers: JSON_CT }), 400, `PUT ${payload}`)
    problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c', payload: `{"schema":${payload}}`, headers: JSON_CT }), 400, `PUT collection ${payload}`)
  }
  for (const payload of ['[]', '[{"a":1}]', '"a string"', '42', 'true', 'null']) {
    problem(t, await app.inject({ method: 'POST', url: '/v1/collections/c/documents', payload, headers: JSON_CT }), 400, `POST ${payload}`)
    problem(t, await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/x', payload, headers: JSON_CT }), 400, `PUT ${payload}`)
  }
  problem(t, await app.inject({ method: 'PATCH', url: '/v1/collections/c/documents/x', payload: '"str"', headers: { 'content-type': 'application/merge-patch+json' } }), 400, 'merge patch that is a string')
  t.equal(({} as Doc).polluted, undefined, 'Object.prototype is not polluted')
  t.same(await snapshot(dataDir), before, 'nothing written')
  t.same((await app.inject('/v1/collections/c/documents/x')).json(), { id: 'x', v: 1 })
})

// ---- API_TOKENS -----------------------------------------------------------------------------

t.test('API_TOKENS: writes need a valid bearer token, reads stay open', async (t) => {
  const dataDir = await seededDataDir(t)
  const { app } = await makeApp(t, { API_TOKENS: 's3cret,other', DATA_DIR: dataDir })
  const before = await snapshot(dataDir)

  for (const w of writes()) {
    const res = await app.inject(w)
    const body = problem(t, res, 401, `${w.name} without a token`)
    t.match(body.type, /unauthorized/)
    t.match(res.headers['www-authenticate'], /^Bearer\b/, `${w.name}: WWW-Authenticate: Bearer`)
  }
  for (const authorization of ['Bearer wrong', 'Bearer s3cret2', 'Bearer s3cre', 'Basic czNjcmV0', 's3cret', 'Bearer ', 'Bearer s3cret,other', 'Bearer s3cret other']) {
    for (const w of writes({ authorization })) {
      const res = await app.inject(w)
      problem(t, res, 401, `${w.name} with "${authorization}"`)
      t.match(res.headers['www-authenticate'], /^Bearer\b/)
    }
  }
  t.same(await snapshot(dataDir), before, 'nothing written without a valid token')

  // Reads need no token.
  t.equal((await app.inject('/v1/collections')).statusCode, 200)
  t.equal((await app.inject('/v1/collections/books')).statusCode, 200)
  t.equal((await app.inject('/v1/collections/books/documents')).statusCode, 200)
  const read = await app.inject('/v1/collections/books/documents/dune')
  t.equal(read.statusCode, 200)
  t.same(read.json(), { id: 'dune', title: 'Dune' })
  t.equal((await app.inject({ method: 'HEAD', url: '/v1/collections/books/documents/dune' })).statusCode, 200)
  t.equal((await app.inject('/health/ready')).statusCode, 200)

  // Each token works.
  const first = await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/a', ...json({ by: 1 }), headers: { ...JSON_CT, authorization: 'Bearer s3cret' } })
  t.equal(first.statusCode, 201, 'the first token works')
  const second = await app.inject({ method: 'PUT', url: '/v1/collections/books/documents/b', ...json({ by: 2 }), headers: { ...JSON_CT, authorization: 'Bearer other' } })
  t.equal(second.statusCode, 201, 'the second token works')
  t.equal(JSON.parse(await readFile(join(dataDir, 'books', 'b.json'), 'utf8')).by, 2)
  const lower = await app.inject({ method: 'DELETE', url: '/v1/collections/books/documents/a', headers: { authorization: 'bearer s3cret' } })
  t.equal(lower.statusCode, 204, 'the scheme is case-insensitive')
  for (const w of writes({ authorization: 'Bearer other' })) {
    const res = await app.inject(w)
    t.ok(res.statusCode < 300, `${w.name} with a valid token → ${res.statusCode}`)
  }
})

// ---- READ_ONLY ------------------------------------------------------------------------------

t.test('READ_ONLY: writes are 405 problems with Allow, reads work, nothing changes', async (t) => {
  const dataDir = await seededDataDir(t)
  const { app } = await makeApp(t, { READ_ONLY: 'true', DATA_DIR: dataDir })
  const before = await snapshot(dataDir)
  for (const w of writes()) {
    const res = await app.inject(w)
    const body = problem(t, res, 405, w.name)
    t.match(body.type, /read-only/)
    const allow = String(res.headers.allow ?? '')
    t.match(allow, /\bGET\b/, `${w.name}: Allow names GET`)
    t.notMatch(allow, new RegExp(`\\b${w.method}\\b`), `${w.name}: Allow does not name ${w.method}`)
  }
  t.same(await snapshot(dataDir), before, 'nothing written')

  const read = await app.inject('/v1/collections/books/documents/dune')
  t.equal(read.statusCode, 200)
  t.equal(read.body, pretty({ id: 'dune', title: 'Dune' }))
  t.same((await app.inject('/v1/collections/books/documents')).json(), { items: [{ id: 'dune', title: 'Dune' }], nextCursor: null })
  t.same((await app.inject('/v1/collections')).json(), { items: [{ name: 'books', count: 1 }] })
  t.equal((await app.inject('/health/ready')).statusCode, 200)
  t.equal((await app.inject({ method: 'HEAD', url: '/v1/collections/books/documents/dune' })).statusCode, 200)
})

// ---- CORS -----------------------------------------------------------------------------------

t.test('CORS_ORIGIN: preflight allows that origin and the API\'s methods; responses expose etag, location, link', async (t) => {
  const { app } = await makeApp(t, { CORS_ORIGIN: 'http://example.test' })
  const origin = 'http://example.test'
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/v1/collections/books/documents/dune',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type, if-match, authorization' }
    })
    t.ok(res.statusCode === 204 || res.statusCode === 200, `preflight for ${method} → ${res.statusCode}`)
    t.equal(res.headers['access-control-allow-origin'], origin, `preflight for ${method}: allow-origin`)
    const methods = String(res.headers['access-control-allow-methods'] ?? '').split(',').map((m) => m.trim())
    t.ok(methods.includes(method), `preflight for ${method}: allow-methods includes it (got ${methods.join(',')})`)
    const allowed = String(res.headers['access-control-allow-headers'] ?? '').toLowerCase()
    for (const h of ['content-type', 'if-match', 'authorization']) t.match(allowed, h, `preflight allows the ${h} header`)
    const exposed = String(res.headers['access-control-expose-headers'] ?? '').toLowerCase()
    for (const h of ['etag', 'location', 'link']) t.match(exposed, h, `preflight: ${h} is exposed`)
  }

  const created = await app.inject({ method: 'POST', url: '/v1/collections/books/documents', payload: '{"id":"dune"}', headers: { ...JSON_CT, origin } })
  t.equal(created.statusCode, 201)
  t.equal(created.headers['access-control-allow-origin'], origin)
  const exposed = String(created.headers['access-control-expose-headers'] ?? '').toLowerCase().split(',').map((h) => h.trim())
  for (const h of ['etag', 'location', 'link']) t.ok(exposed.includes(h), `the response exposes ${h}`)

  const other = await app.inject({ method: 'OPTIONS', url: '/v1/collections/books/documents', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } })
  t.equal(other.headers['access-control-allow-origin'], undefined, 'another origin is not allowed')
  const otherGet = await app.inject({ url: '/v1/collections/books/documents/dune', headers: { origin: 'http://evil.test' } })
  t.equal(otherGet.headers['access-control-allow-origin'], undefined)

  const { app: noCors } = await makeApp(t)
  const off = await noCors.inject({ url: '/health/live', headers: { origin } })
  t.equal(off.headers['access-control-allow-origin'], undefined, 'CORS is off by default')
})

// ---- health ---------------------------------------------------------------------------------

t.test('health: live 200; ready 200, then a 503 problem when DATA_DIR is removed, 200 again when back', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const live = await app.inject('/health/live')
  t.equal(live.statusCode, 200)
  t.same(live.json(), { status: 'ok' })
  const ready = await app.inject('/health/ready')
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready' })

  await rm(dataDir, { recursive: true, force: true })
  const gone = await app.inject('/health/ready')
  const body = problem(t, gone, 503, 'ready without DATA_DIR')
  t.match(body.type, /not-ready/)
  t.equal((await app.inject('/health/live')).statusCode, 200, 'still live')

  await mkdir(dataDir)
  t.equal((await app.inject('/health/ready')).statusCode, 200, 'ready again once the folder is back')
})

// ---- corrupt files on disk ------------------------------------------------------------------

t.test('a file with invalid JSON: GET is a 500 problem without a stack; listings name it under unreadable', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await mkdir(join(dataDir, 'c'))
  await writeFile(join(dataDir, 'c', 'bad.json'), '{"id": "bad", oops')
  await writeFile(join(dataDir, 'c', 'array.json'), '[1, 2]')
  await writeFile(join(dataDir, 'c', 'good.json'), pretty({ id: 'good', v: 1 }))

  for (const id of ['bad', 'array']) {
    const res = await app.inject(`/v1/collections/c/documents/${id}`)
    const body = problem(t, res, 500, `GET ${id}`)
    t.match(body.detail, new RegExp(`${id}\\.json`), 'the detail names the file')
    t.notOk((body.detail as string).includes(dataDir), 'the detail does not leak the host path')
  }
  const listing = await app.inject('/v1/collections/c/documents')
  t.equal(listing.statusCode, 200)
  t.same(listing.json(), {
    items: [{ id: 'good', v: 1 }],
    nextCursor: null,
    unreadable: [
      { id: 'array', file: 'c/array.json', detail: 'c/array.json does not hold a JSON object.' },
      { id: 'bad', file: 'c/bad.json', detail: 'c/bad.json is not valid JSON.' }
    ]
  }, 'the listing serves the documents and names the files it cannot serve')
  t.same((await app.inject('/v1/collections')).json(), { items: [{ name: 'c', count: 3 }] }, 'the count is of files')

  // Fixed on disk: served again.
  await writeFile(join(dataDir, 'c', 'bad.json'), pretty({ id: 'bad', fixed: true }))
  t.equal((await app.inject('/v1/collections/c/documents/bad')).statusCode, 200)
  t.same((await app.inject('/v1/collections/c/documents')).json().items.map((d: Doc) => d.id), ['bad', 'good'])
})

t.test('a listed document that becomes invalid JSON on disk is left out of the next listing, and named as unreadable', async (t) => {
  const { app, dataDir } = await makeApp(t)
  await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/a', ...json({ v: 1 }) })
  await app.inject({ method: 'PUT', url: '/v1/collections/c/documents/b', ...json({ v: 2 }) })
  t.same((await app.inject('/v1/collections/c/documents')).json().items, [{ id: 'a', v: 1 }, { id: 'b', v: 2 }], 'listed (index loaded)')

  await changeSeenByWatchers(join(dataDir, 'c'), 'a.json', async () => { await writeFile(join(dataDir, 'c', 'a.json'), '{ not json any more') })
  problem(t, await app.inject('/v1/collections/c/documents/a'), 500, 'GET of the corrupted document')
  const listing = await app.inject('/v1/collections/c/documents')
  t.equal(listing.statusCode, 200, `the listing still answers (got ${listing.statusCode})`)
  t.same(listing.json().items, [{ id: 'b', v: 2 }], 'without the corrupted document, and without its old version')
  t.same(listing.json().unreadable.map((u: { id: string }) => u.id), ['a'], 'reported, not hidden')
  const filtered = await app.inject('/v1/collections/c/documents?v=1')
  t.equal(filtered.statusCode, 200)
  t.same(filtered.json().items, [], 'the old version is not served through a filter either')
})
