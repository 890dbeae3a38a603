import t from 'tap'
import { makeApp } from '../helpers/app'

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'

t.test('GET /: a browser is sent to Swagger UI, an API client gets the links', async (t) => {
  const { app } = await makeApp(t)
  const browser = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } })
  t.equal(browser.statusCode, 302, 'a browser: redirected')
  t.equal(browser.headers.location, '/docs', 'to Swagger UI')
  t.match(browser.headers.vary, /accept/i, 'the answer varies by Accept, so caches keep both')

  const links = { docs: '/docs', openapi: '/docs/json', health: '/health/ready', collections: '/v1/collections' }
  for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/plain, */*', 'text/html;q=0.5, application/json']) {
    const client = await app.inject({ url: '/', headers: accept === undefined ? {} : { accept } })
    t.equal(client.statusCode, 200, `Accept: ${accept ?? '(none)'}: 200`)
    t.match(client.headers['content-type'], /^application\/json/)
    t.same(client.json(), { name: 'jsondock', version: (await import('../../package.json')).version, links }, 'the links')
  }
  for (const link of Object.values(links)) t.equal((await app.inject(link)).statusCode, 200, `${link} answers 200`)
})

t.test('GET /: with AUTH_READS, still open (links only)', async (t) => {
  const { app } = await makeApp(t, { API_TOKENS: 'index-token', AUTH_READS: 'true' })
  t.equal((await app.inject('/')).statusCode, 200, 'no token needed')
  t.equal((await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } })).headers.location, '/docs', 'a browser still gets to Swagger UI (open too)')
})
