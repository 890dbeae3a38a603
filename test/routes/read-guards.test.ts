import { mkdir, rename, symlink, unlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { json, makeApp, tempDir } from '../helpers/app'

/*
 * What a GET by id still guarantees once its per-request work is made cheap
 * (docs/performance.md): a document read and cached a moment ago is checked
 * against the disk again on the very next request, and what it is checked
 * through (the folder, the file) must not be a symlink, even when the
 * symlink leads to the very inodes that were cached.
 */

const docUrl = (c: string, id: string): string => `/v1/collections/${c}/documents/${id}`
const pretty = (doc: unknown): string => JSON.stringify(doc, null, 2) + '\n'
const HOUR_AGO = new Date(Date.now() - 3600_000)

async function cachedDoc (t: Test): Promise<{ app: FastifyInstance, dataDir: string }> {
  const { app, dataDir } = await makeApp(t)
  t.equal((await app.inject({ method: 'PUT', url: docUrl('c', 'a'), ...json({ v: 1 }) })).statusCode, 201)
  // An old mtime: the cached copy is trusted by its stats, not re-read as "too recent".
  await utimes(join(dataDir, 'c', 'a.json'), HOUR_AGO, HOUR_AGO)
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 200, 'read once')
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 200, 'and served from the cache')
  return { app, dataDir }
}

t.test('a cached document whose folder is moved away and replaced by a symlink to it is gone at once', async (t) => {
  const { app, dataDir } = await cachedDoc(t)
  // The same inodes, reached through a symlink: the cache's stats would still match.
  await rename(join(dataDir, 'c'), join(dataDir, 'moved'))
  await symlink(join(dataDir, 'moved'), join(dataDir, 'c'))
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 404, 'never served through a symlinked folder')
})

t.test('a cached document whose folder becomes a symlink to another folder is gone at once', async (t) => {
  const { app, dataDir } = await cachedDoc(t)
  const outside = await tempDir(t)
  await mkdir(join(outside, 'c'))
  await writeFile(join(outside, 'c', 'a.json'), pretty({ id: 'a', secret: 1 }))
  await rename(join(dataDir, 'c'), join(dataDir, 'old'))
  await symlink(join(outside, 'c'), join(dataDir, 'c'))
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 404)
})

t.test('a cached document file replaced by a symlink (to its own moved bytes) is gone at once', async (t) => {
  const { app, dataDir } = await cachedDoc(t)
  await rename(join(dataDir, 'c', 'a.json'), join(dataDir, 'c', 'a.json.bak'))
  await symlink(join(dataDir, 'c', 'a.json.bak'), join(dataDir, 'c', 'a.json'))
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 404)
  await unlink(join(dataDir, 'c', 'a.json'))
  t.equal((await app.inject(docUrl('c', 'a'))).statusCode, 404, 'and after the link is removed')
})

t.test('Last-Modified and ETag follow a hand edit on the next request, and every answer carries its headers', async (t) => {
  const { app, dataDir } = await cachedDoc(t)
  const before = await app.inject(docUrl('c', 'a'))
  t.equal(before.headers['last-modified'], HOUR_AGO.toUTCString())
  const file = join(dataDir, 'c', 'a.json')
  await writeFile(file, pretty({ id: 'a', v: 2 })) // same size
  const dayAgo = new Date(Date.now() - 86_400_000)
  await utimes(file, dayAgo, dayAgo)
  const after = await app.inject(docUrl('c', 'a'))
  t.equal(after.body, pretty({ id: 'a', v: 2 }))
  t.equal(after.headers['last-modified'], dayAgo.toUTCString(), 'the new mtime, not a cached string')
  t.not(after.headers.etag, before.headers.etag)
  for (const res of [before, after]) {
    t.match(res.headers['x-request-id'], /\S/)
    t.match(res.headers['content-security-policy'], /default-src 'self'/)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  }
  const notModified = await app.inject({ url: docUrl('c', 'a'), headers: { 'if-none-match': String(after.headers.etag) } })
  t.equal(notModified.statusCode, 304)
  t.match(notModified.headers['content-security-policy'], /default-src 'self'/, 'a 304 too')
})
