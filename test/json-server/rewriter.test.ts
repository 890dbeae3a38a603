/**
 * JSON_SERVER_ROUTES, json-server's `--routes routes.json`: the same rules
 * rewrite the same URLs as json-server 0.17.4's own rewriter (driven here
 * side by side), only under the json-server prefix; a routes file that cannot
 * be used stops the start with one line naming it.
 */
import { writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../app/app'
import { ConfigError, loadConfig } from '../../app/config'
import { json, makeApp, tempDir } from '../helpers/app'

const DB = {
  posts: [{ id: 1, title: 'one' }, { id: 2, title: 'two' }],
  comments: [{ id: 1, body: 'a', postId: 1 }, { id: 2, body: 'b', postId: 2 }, { id: 3, body: 'c', postId: 2 }]
}
const RULES = {
  '/api/v1/*': '/api/$1', // rules apply in order: this one feeds the next
  '/api/*': '/$1',
  '/posts/:id/show': '/posts/:id',
  '/p/:id/c': '/comments?postId=:id&_sort=id&_order=desc',
  '/search\\?term=:term': '/posts?q=:term',
  '/first': '/posts/1?_embed=comments'
}
const URLS = ['/api/v1/posts/2', '/api/posts', '/posts/2/show', '/p/2/c', '/search?term=two', '/first', '/api/posts/1/comments', '/posts', '/__rules', '/nothing/here']

interface JsonServerModule {
  create: () => { use: (handler: unknown) => void, listen: (port: number, host: string) => import('node:http').Server }
  router: (db: unknown) => unknown
  rewriter: (rules: unknown) => unknown
  defaults: (options: { logger: boolean }) => unknown
}

async function routesFile (t: Parameters<typeof tempDir>[0], text: string): Promise<string> {
  const path = join(await tempDir(t), 'routes.json')
  await writeFile(path, text)
  return path
}

t.test('the same rules rewrite the same URLs as json-server 0.17.4', async (t) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsonServer = require('json-server') as JsonServerModule
  const server = jsonServer.create()
  server.use(jsonServer.defaults({ logger: false }))
  server.use(jsonServer.rewriter(RULES))
  server.use(jsonServer.router(structuredClone(DB)))
  const listener = server.listen(0, '127.0.0.1')
  await new Promise((resolve) => listener.once('listening', resolve))
  t.teardown(async () => await new Promise((resolve) => listener.close(resolve)))
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`

  const { app } = await makeApp(t, { JSON_SERVER_ROUTES: await routesFile(t, JSON.stringify(RULES)) })
  t.equal((await app.inject({ method: 'POST', url: '/v1/import', ...json(DB) })).statusCode, 200)
  for (const url of URLS) {
    const theirs = await fetch(base + url)
    const ours = await app.inject({ method: 'GET', url: `/json-server${url}` })
    t.equal(ours.statusCode, theirs.status, `${url}: status`)
    t.same(ours.json(), await theirs.json(), `${url}: body`)
  }
})

t.test('rules apply under the json-server prefix only, and to every method', async (t) => {
  const { app } = await makeApp(t, { JSON_SERVER_PREFIX: '/api', JSON_SERVER_ROUTES: await routesFile(t, JSON.stringify({ '/v1/*': '/$1', '/new-post': '/posts' })) })
  t.equal((await app.inject({ method: 'POST', url: '/api/new-post', ...json({ title: 'x' }) })).statusCode, 201, 'POST through a rule')
  t.same((await app.inject({ method: 'GET', url: '/api/v1/posts/1' })).json(), { id: 1, title: 'x' }, 'under the prefix: rewritten')
  t.equal((await app.inject({ method: 'GET', url: '/v1/collections' })).statusCode, 200, 'the v1 API is never rewritten')
  t.same((await app.inject({ method: 'GET', url: '/api/__rules' })).json(), { '/v1/*': '/$1', '/new-post': '/posts' })
  const { app: none } = await makeApp(t)
  const rules = await none.inject({ method: 'GET', url: '/json-server/__rules' })
  t.equal(rules.statusCode, 404, 'no routes file: /__rules is not there, as in json-server without --routes')
  t.same(rules.json(), {})
})

t.test('a routes file that cannot be used stops the start, naming it and what to fix', async (t) => {
  const dataDir = await tempDir(t)
  const cases: Array<[string | undefined, RegExp]> = [
    [undefined, /^Invalid configuration: JSON_SERVER_ROUTES=".*missing\.json": cannot read the routes file: ENOENT/],
    ['{"/api/*": "/$1",', /^Invalid configuration: JSON_SERVER_ROUTES=".*": the routes file is not JSON: /],
    ['["/api/*"]', /^Invalid configuration: JSON_SERVER_ROUTES=".*": the file is not a JSON object\. A routes file is one JSON object of rules, each "\/pattern": "\/target"/],
    ['{"/api/*": 1}', /: the target of "\/api\/\*" is not a text that starts with "\/"\./],
    ['{"api/*": "/$1"}', /: the pattern "api\/\*" does not start with "\/"\./],
    ['{"/api/*": "$1"}', /: the target of "\/api\/\*" is not a text that starts with "\/"\./]
  ]
  for (const [text, message] of cases) {
    const path = text === undefined ? join(dataDir, 'missing.json') : await routesFile(t, text)
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, JSON_SERVER_ROUTES: path })
    await t.rejects(buildApp(config, { logger: false }), ConfigError, text ?? 'a missing file')
    await buildApp(config, { logger: false }).catch((err: Error) => {
      t.match(err.message, message)
      t.notMatch(err.message, /\n/, 'one line')
    })
  }
})
