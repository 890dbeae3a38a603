// Run by test/routes/edges.test.ts in a child process, as a uid that file modes bind (root writes through
// any mode bits): a collection folder made read-only, then a write, a delete and a readiness probe.
// Prints one JSON line: each answer's status and detail.
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'

async function main (): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'edges-unwritable-'))
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' }), { logger: false })
  try {
    const put = async (id: string): Promise<{ statusCode: number, body: string }> =>
      await app.inject({ method: 'PUT', url: `/v1/collections/locked/documents/${id}`, payload: '{}', headers: { 'content-type': 'application/json' } })
    const answer = (r: { statusCode: number, body: string }): [number, string] => [r.statusCode, (JSON.parse(r.body) as { detail?: string }).detail ?? '']
    const created = (await put('a')).statusCode
    await chmod(join(dataDir, 'locked'), 0o555)
    const write = answer(await put('b'))
    const remove = answer(await app.inject({ method: 'DELETE', url: '/v1/collections/locked/documents/a' }))
    const ready = answer(await app.inject('/health/ready'))
    await chmod(join(dataDir, 'locked'), 0o755)
    process.stdout.write(JSON.stringify({ dir: join(dataDir, 'locked'), uid: process.getuid?.(), created, write, remove, ready }) + '\n')
  } finally {
    await app.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

void main()
