import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'
import { DocumentStore, LOCK_FILE } from '../../plugins/engine'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/** A fresh temp folder, removed when the test ends. */
export async function tempDir (t: Teardown, prefix = 'jsondock-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.teardown(async () => await rm(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The real app on a real temp DATA_DIR, for `app.inject`. `env` holds
 * configuration variables exactly as the process would read them.
 */
export async function makeApp (
  t: Teardown,
  env: Record<string, string> = {}
): Promise<{ app: FastifyInstance, dataDir: string }> {
  const dataDir = env.DATA_DIR ?? await tempDir(t)
  // Load shedding is off unless a test asks for it: in-process apps share a busy
  // test runner's event loop, whose start-up stalls would shed their first requests.
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0', ...env, DATA_DIR: dataDir }), { logger: false })
  t.teardown(async () => await app.close())
  return { app, dataDir }
}

/** The store engine alone (no Fastify) on a real temp folder, or on `dataDir`; closed when the test ends. */
export async function openStore (t: Teardown, dataDir?: string): Promise<DocumentStore> {
  const store = new DocumentStore({ dataDir: dataDir ?? await tempDir(t) })
  await store.open()
  t.teardown(async () => await store.close())
  return store
}

/** JSON body helper for inject. */
export function json (body: unknown): { payload: string, headers: Record<string, string> } {
  return { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
}

/**
 * Every file and folder under `dir`, with each file's inode, mtime and bytes: compare two to prove nothing changed.
 * DATA_DIR's lock file is left out: it holds no data, is made at start and never changes.
 */
export async function snapshot (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (rel: string): Promise<void> => {
    for (const entry of (await readdir(join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`
      if (path === LOCK_FILE) continue
      if (entry.isDirectory()) {
        out[`${path}/`] = 'dir'
        await walk(path)
      } else {
        const st = await lstat(join(dir, path), { bigint: true })
        out[path] = `${st.ino}:${st.mtimeNs}:${(await readFile(join(dir, path))).toString('base64')}`
      }
    }
  }
  await walk('')
  return out
}
