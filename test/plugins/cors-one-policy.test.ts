import t from 'tap'
import { makeApp } from '../helpers/app'
import { problem } from '../helpers/assertions'

/*
 * One CORS policy for the v1 API and the json-server routes (issue 28, item 1):
 * front ends on this machine out of the box, other origins through
 * CORS_ORIGIN, and a refused preflight that says why (not "No route OPTIONS").
 */

const preflight = (url: string, origin: string, method = 'POST') => ({
  method: 'OPTIONS' as const, url, headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type, if-match' }
})

t.test('a local front end calls the v1 API and the json-server routes alike, out of the box', async (t) => {
  const { app } = await makeApp(t)
  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3001']) {
    for (const url of ['/v1/collections/books/documents', '/json-server/books']) {
      const res = await app.inject(preflight(url, origin))
      t.equal(res.statusCode, 204, `${origin} → ${url}: the preflight is allowed`)
      t.equal(res.headers['access-control-allow-origin'], origin, `${origin} → ${url}: reflected`)
      t.match(res.headers['access-control-allow-methods'], /PATCH/)
    }
    const read = await app.inject({ url: '/v1/collections', headers: { origin } })
    t.equal(read.headers['access-control-allow-origin'], origin, `${origin}: a v1 read is readable by the page`)
    t.match(read.headers['access-control-expose-headers'], /etag/)
  }
})

t.test('another origin: the preflight is a 403 problem that says why and what to set; CORS_ORIGIN allows it', async (t) => {
  const { app } = await makeApp(t)
  for (const url of ['/v1/collections/books/documents', '/json-server/books']) {
    const body = problem(t, await app.inject(preflight(url, 'https://app.example.com')), 403, `preflight to ${url}`)
    t.equal(body.type, '/problems/cors-origin-not-allowed')
    t.match(body.detail, /"https:\/\/app\.example\.com" may not call this service: .*localhost.*CORS_ORIGIN is empty\. Add the origin to CORS_ORIGIN/)
  }
  const plain = await app.inject({ url: '/v1/collections', headers: { origin: 'https://app.example.com' } })
  t.equal(plain.statusCode, 200, 'a simple request is answered (the browser withholds it from the page)')
  t.equal(plain.headers['access-control-allow-origin'], undefined)
  const options = await app.inject({ method: 'OPTIONS', url: '/v1/collections' })
  t.equal(options.statusCode, 404, 'an OPTIONS that is no preflight is still no route')

  const { app: configured } = await makeApp(t, { CORS_ORIGIN: 'https://app.example.com' })
  const allowed = await configured.inject(preflight('/v1/collections/books/documents', 'https://app.example.com'))
  t.equal(allowed.statusCode, 204)
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.com')
  const other = problem(t, await configured.inject(preflight('/v1/collections', 'https://evil.example.com', 'DELETE')), 403, 'an origin not listed')
  t.match(other.detail, /CORS_ORIGIN is "https:\/\/app\.example\.com"/)
})
