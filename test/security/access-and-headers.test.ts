import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'
import { json, makeApp, tempDir } from '../helpers/app'
import { serviceBundle, startServer } from '../helpers/process'
import { waitFor } from '../helpers/wait'

const DOC = '/v1/collections/notes/documents'

t.test('API_TOKENS: writes need a valid bearer token, compared against every token', async (t) => {
  const { app } = await makeApp(t, { API_TOKENS: 'alpha-token,beta-token' })
  const noToken = await app.inject({ method: 'POST', url: DOC, ...json({ a: 1 }) })
  t.equal(noToken.statusCode, 401)
  t.equal(noToken.headers['www-authenticate'], 'Bearer realm="jsondock"')
  t.match(noToken.headers['content-type'], /^application\/problem\+json/)
  const wrong = await app.inject({ method: 'POST', url: DOC, ...json({ a: 1 }), headers: { ...json({}).headers, authorization: 'Bearer alpha-tokeN' } })
  t.equal(wrong.statusCode, 401)
  t.match(wrong.headers['www-authenticate'], /error="invalid_token"/)
  for (const token of ['alpha-token', 'beta-token']) {
    const ok = await app.inject({ method: 'POST', url: DOC, ...json({ a: 1 }), headers: { ...json({}).headers, authorization: `Bearer ${token}` } })
    t.equal(ok.statusCode, 201, `token ${token} may write`)
  }
  t.equal((await app.inject(DOC)).statusCode, 200, 'reads stay open without AUTH_READS')
})

t.test('AUTH_READS: reads need a token too, but probes and the API docs stay open', async (t) => {
  const { app } = await makeApp(t, { API_TOKENS: 's3cret', AUTH_READS: 'true' })
  t.equal((await app.inject(DOC)).statusCode, 401)
  t.equal((await app.inject('/v1/collections')).statusCode, 401)
  t.equal((await app.inject({ url: DOC, headers: { authorization: 'Bearer s3cret' } })).statusCode, 404, 'with the token: a real answer (no such collection)')
  for (const open of ['/', '/health/live', '/health/ready', '/docs', '/docs/json']) {
    t.equal((await app.inject(open)).statusCode, 200, `${open} is open`)
  }
  const spec = (await app.inject('/docs/json')).json() as { components: { securitySchemes: Record<string, { scheme: string }> }, paths: Record<string, Record<string, { security?: unknown[] }>> }
  t.equal(spec.components.securitySchemes.bearerAuth?.scheme, 'bearer', 'the OpenAPI document declares the bearer scheme (Swagger UI\'s Authorize button)')
  t.same(spec.paths['/v1/collections/{collection}/documents']?.post?.security, [{ bearerAuth: [] }])
  t.same(spec.paths['/v1/collections/{collection}/documents']?.get?.security, [{ bearerAuth: [] }], 'reads list the scheme too, so Swagger UI sends the token once authorized')
  t.same(spec.paths['/health/ready']?.get?.security, [], 'probes need none')
})

t.test('tokens never appear in the logs, even at trace level', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done() } })
  const dataDir = await tempDir(t)
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, API_TOKENS: 'super-secret-token-value', MAX_EVENT_LOOP_DELAY_MS: '0' }), { logger: { level: 'trace', stream } })
  t.teardown(async () => await app.close())
  await app.inject({ method: 'POST', url: DOC, ...json({ a: 1 }), headers: { ...json({}).headers, authorization: 'Bearer super-secret-token-value' } })
  await app.inject({ method: 'POST', url: DOC, ...json({ a: 1 }), headers: { ...json({}).headers, authorization: 'Bearer super-secret-token-valuX' } })
  t.ok(lines.length >= 4, 'requests were logged')
  t.notMatch(lines.join(''), /super-secret-token-valu/, 'no token, right or wrong, in any log line')

  // The service's own logger settings (app/app.ts), not the test's logger above: the bundle, at trace.
  const server = await startServer(t, await serviceBundle(), { DATA_DIR: await tempDir(t), API_TOKENS: 'super-secret-token-value', LOG_LEVEL: 'trace', MAX_EVENT_LOOP_DELAY_MS: '0' })
  for (const token of ['super-secret-token-value', 'super-secret-token-valuX']) {
    const res = await fetch(`${server.url}${DOC}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"a":1}' })
    await res.arrayBuffer()
  }
  const completed = (): number => server.stdout.filter((line) => line.includes('request completed')).length
  await waitFor('the service\'s "request completed" log lines of both requests', (note) => { note(`${completed()} lines`); return completed() >= 2 ? true : undefined }).catch((err: Error) => t.comment(err.message))
  await server.stop()
  t.equal(completed(), 2, 'the service logged both requests')
  t.notMatch(server.stdout.join('\n'), /super-secret-token-valu/, 'no token, right or wrong, in the service\'s own log lines')
})

t.test('security headers, with a CSP that still lets Swagger UI run', async (t) => {
  const { app } = await makeApp(t)
  const api = await app.inject('/health/live')
  t.equal(api.headers['x-content-type-options'], 'nosniff')
  t.equal(api.headers['x-frame-options'], 'SAMEORIGIN')
  t.ok(api.headers['strict-transport-security'])
  const docs = await app.inject('/docs')
  const csp = String(docs.headers['content-security-policy'])
  t.match(csp, /default-src 'self'/)
  t.match(csp, /script-src 'self'/, 'scripts only from this origin (Swagger UI ships no inline script; the browser suite checks it runs)')
  t.notMatch(csp, /script-src[^;]*unsafe-(inline|eval)/, 'no inline or eval\'d scripts')
  t.match(csp, /frame-ancestors 'none'/)
  t.notMatch(csp, /upgrade-insecure-requests/, 'Swagger UI must load over plain HTTP from any address')
})

t.test('RATE_LIMIT: beyond the limit, 429 problem+json with Retry-After; probes are never limited', async (t) => {
  const { app } = await makeApp(t, { RATE_LIMIT: '3' })
  const statuses: number[] = []
  for (let i = 0; i < 5; i++) statuses.push((await app.inject('/v1/collections')).statusCode)
  t.same(statuses, [200, 200, 200, 429, 429])
  const limited = await app.inject('/v1/collections')
  t.match(limited.headers['content-type'], /^application\/problem\+json/)
  t.equal(limited.json().type, '/problems/rate-limited')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After')
  for (let i = 0; i < 5; i++) t.equal((await app.inject('/health/ready')).statusCode, 200)
})

t.test('load shedding: while the event loop lags, 503 problem+json with Retry-After; liveness stays up', async (t) => {
  const { app } = await makeApp(t, { MAX_EVENT_LOOP_DELAY_MS: '20' })
  await app.ready()
  // Past the start-up grace (1.5 s after ready, plugins/protection.ts): a span of time is the
  // state here, and a timer never fires early.
  await new Promise((resolve) => setTimeout(resolve, 1600))
  // Keep the event loop stalling in 1.1 s slices until the sampler (once a second) sees it.
  const blocker = setInterval(() => { const until = Date.now() + 1100; while (Date.now() < until) { /* busy */ } }, 1)
  try {
    // Requests until one is shed (each waits out a stall): a deadline, not a count of tries.
    const shed = await waitFor('a request shed while the event loop stalls', async (note) => {
      const response = await app.inject('/v1/collections')
      note(`status ${response.statusCode}`)
      return response.statusCode !== 200 ? response : undefined
    }, { intervalMs: 0 }).catch((err: Error) => { t.comment(err.message); return undefined })
    t.equal(shed?.statusCode, 503, 'requests are shed')
    t.equal(shed?.json().type, '/problems/overloaded')
    t.equal(shed?.headers['retry-after'], '2')
    t.equal((await app.inject('/health/live')).statusCode, 200, 'liveness is never shed')
  } finally {
    clearInterval(blocker)
  }
})

t.test('/metrics: Prometheus text with requests by route and status, store operations, fsync latency, documents per collection, process metrics', async (t) => {
  const { app } = await makeApp(t)
  t.equal((await app.inject({ method: 'POST', url: DOC, ...json({ id: 'n1' }) })).statusCode, 201)
  t.equal((await app.inject(`${DOC}/n1`)).statusCode, 200)
  t.equal((await app.inject(`${DOC}/missing`)).statusCode, 404)
  const res = await app.inject('/metrics')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = res.body
  t.match(text, /jsondock_http_requests_total\{method="POST",route="\/v1\/collections\/:collection\/documents",status="201"\} 1/)
  t.match(text, /jsondock_http_requests_total\{method="GET",route="\/v1\/collections\/:collection\/documents\/:id",status="404"\} 1/)
  t.match(text, /jsondock_http_request_duration_seconds_bucket\{le="0\.005",method="GET"/)
  t.match(text, /jsondock_store_operation_duration_seconds_count\{operation="create",outcome="ok"\} 1/)
  t.match(text, /jsondock_store_operation_duration_seconds_count\{operation="get",outcome="error"\} 1/)
  t.match(text, /jsondock_fsync_duration_seconds_count [2-9]/, 'the file and its folder were fsynced')
  t.match(text, /jsondock_documents\{collection="notes"\} 1/)
  t.match(text, /process_cpu_user_seconds_total/)
  t.notMatch(text, /n1|missing/, 'no raw URLs or ids as label values')
})
