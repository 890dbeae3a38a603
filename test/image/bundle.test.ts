import { cp, readFile, readdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers/app'
import { runToExit, serviceBundle, startServer } from '../helpers/process'


/** `npm run build` (into a private folder), then the bundle and its static files copied to a folder with no node_modules anywhere above it. */
async function bundleInIsolation (t: Parameters<typeof tempDir>[0]): Promise<string> {
  const built = dirname(await serviceBundle())
  const dir = await tempDir(t, 'jsondock-bundle-')
  await cp(built, dir, { recursive: true })
  return dir
}

t.test('the one-file bundle runs with no node_modules', async (t) => {
  const dir = await bundleInIsolation(t)
  t.same((await readdir(dir)).sort(), ['native', 'server.js', 'static'], 'just the bundle, the file-lock addon and Swagger UI\'s static files')
  const size = (await stat(join(dir, 'server.js'))).size
  t.comment(`bundle size: ${(size / 1024).toFixed(0)} KiB`)
  t.match(await readFile(join(dir, 'server.js'), 'utf8'), /^"use strict";/, 'CommonJS')

  const dataDir = await tempDir(t)
  const server = await startServer(t, join(dir, 'server.js'), { DATA_DIR: dataDir })
  const created = await fetch(`${server.url}/v1/collections/notes/documents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'n1', text: 'hello' })
  })
  t.equal(created.status, 201)
  await created.arrayBuffer()
  t.equal(await readFile(join(dataDir, 'notes', 'n1.json'), 'utf8'), '{\n  "id": "n1",\n  "text": "hello"\n}\n')
  t.ok((await readdir(dataDir)).includes('.jsondock.lock'), 'the write was locked with the addon from native/, beside the bundle')
  const read = await fetch(`${server.url}/v1/collections/notes/documents/n1`)
  t.same(await read.json(), { id: 'n1', text: 'hello' })
  const ready = await fetch(`${server.url}/health/ready`)
  t.equal(ready.status, 200)
  await ready.arrayBuffer()
  const docs = await fetch(`${server.url}/docs`)
  t.match(await docs.text(), /swagger-ui/, 'Swagger UI page')
  const css = await fetch(`${server.url}/docs/static/swagger-ui.css`)
  t.equal(css.status, 200, 'Swagger UI static files come from the folder beside the bundle')
  // Read every body: an unread response is still in flight, and shutdown rightly waits for it.
  await css.arrayBuffer()
  const spec = await (await fetch(`${server.url}/docs/json`)).json() as { paths: Record<string, unknown> }
  t.ok(spec.paths['/v1/collections/{collection}/documents/{id}'])

  for (const line of server.stdout) t.doesNotThrow(() => JSON.parse(line), 'log lines are JSON')
  t.ok(server.stdout.some((line) => /"reqId"/.test(line)), 'requests are logged with their id')

  const { code, ms } = await server.stop('SIGTERM')
  t.equal(code, 0, 'SIGTERM exits 0')
  // Idle, it exits at once; the wrong answer is to wait out the 8 s grace period (app/server.ts).
  // Half of that is the bound: a busy machine can hold a process's exit a second or more.
  t.ok(ms < 4000, `and promptly, not at the 8 s grace deadline (${ms} ms)`)
})

t.test('a bad configuration or DATA_DIR stops the bundle with one clear line', async (t) => {
  const dir = await bundleInIsolation(t)
  const badPort = await runToExit(join(dir, 'server.js'), { PORT: 'eighty', DATA_DIR: await tempDir(t) })
  t.equal(badPort.code, 1)
  t.match(badPort.stderr, /^jsondock: Invalid configuration: PORT="eighty"/)
  t.equal(badPort.stderr.trim().split('\n').length, 1, 'one line')

  const file = join(await tempDir(t), 'file')
  await cp(join(dir, 'server.js'), file)
  const badDir = await runToExit(join(dir, 'server.js'), { DATA_DIR: file })
  t.equal(badDir.code, 1)
  t.match(badDir.stderr, /^jsondock: DATA_DIR .* is not a folder/)
})
