// Run by test/routes/edges.test.ts in a child process, as a uid that file modes bind (root writes through
// any mode bits): a collection folder made read-only, then a write, a delete and readiness probes; the fix,
// and readiness again; a start on the broken folder, and `check`. Prints one JSON line: each answer's status and detail.
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { buildApp } from '../../app/app'
import { runCheck } from '../../app/check'
import { loadConfig } from '../../app/config'

type Answer = [number, string]
const answer = (r: { statusCode: number, body: string }): Answer => [r.statusCode, (JSON.parse(r.body) as { detail?: string }).detail ?? '']

async function start (dataDir: string): Promise<Awaited<ReturnType<typeof buildApp>>> {
  return await buildApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' }), { logger: false })
}

async function check (dataDir: string): Promise<[number, string]> {
  let text = ''
  const out = new PassThrough()
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  const code = await runCheck(loadConfig({ DATA_DIR: dataDir }), out)
  return [code, text]
}

async function main (): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'edges-unwritable-'))
  const locked = join(dataDir, 'locked')
  let app = await start(dataDir)
  try {
    const put = async (id: string): Promise<{ statusCode: number, body: string }> =>
      await app.inject({ method: 'PUT', url: `/v1/collections/locked/documents/${id}`, payload: '{}', headers: { 'content-type': 'application/json' } })
    const created = (await put('a')).statusCode
    await chmod(locked, 0o555)
    const readyBeforeWrite = answer(await app.inject('/health/ready'))
    const write = answer(await put('b'))
    const remove = answer(await app.inject({ method: 'DELETE', url: '/v1/collections/locked/documents/a' }))
    const settings = answer(await app.inject({ method: 'PUT', url: '/v1/collections/locked', payload: '{}', headers: { 'content-type': 'application/json' } }))
    const dropped = answer(await app.inject({ method: 'DELETE', url: '/v1/collections/locked?force=true' }))
    const ready = answer(await app.inject('/health/ready'))
    await chmod(locked, 0o755)
    const readyFixed = answer(await app.inject('/health/ready'))
    await app.close()

    // Broken before the start: known from the first probe, without a write; a write clears it once fixed.
    await chmod(locked, 0o555)
    const checked = await check(dataDir)
    app = await start(dataDir)
    const readyAtStart = answer(await app.inject('/health/ready'))
    await chmod(locked, 0o755)
    const writeFixed = (await put('c')).statusCode
    const readyAfterWrite = answer(await app.inject('/health/ready'))
    const checkedFixed = await check(dataDir)
    process.stdout.write(JSON.stringify({
      dir: locked, uid: process.getuid?.(), created, readyBeforeWrite, write, remove, settings, dropped, ready, readyFixed, checked, readyAtStart, writeFixed, readyAfterWrite, checkedFixed
    }) + '\n')
  } finally {
    await chmod(locked, 0o755).catch(() => {})
    await app.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

void main()
