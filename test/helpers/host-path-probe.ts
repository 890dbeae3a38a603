// Run by test/routes/host-paths.test.ts in a child process, as a uid that file modes bind (root writes through
// any mode bits): `check` on a collection folder, then on a DATA_DIR, that this uid cannot write, with
// DATA_DIR_ON_HOST set as compose.yaml sets it. Prints one JSON line: what each check printed.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { runCheck } from '../../app/check'
import { loadConfig } from '../../app/config'

async function check (dataDir: string): Promise<string> {
  let text = ''
  const out = new PassThrough()
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  await runCheck(loadConfig({ DATA_DIR: dataDir, DATA_DIR_ON_HOST: './volumes/data' }), out)
  return text
}

async function main (): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'host-paths-'))
  try {
    await mkdir(join(dataDir, 'npmcoll'), { mode: 0o555 })
    const collection = await check(dataDir)
    await chmod(dataDir, 0o555)
    const whole = await check(dataDir)
    process.stdout.write(JSON.stringify({ dataDir, uid: process.getuid?.(), collection, whole }) + '\n')
  } finally {
    await chmod(dataDir, 0o755).catch(() => {})
    await chmod(join(dataDir, 'npmcoll'), 0o755).catch(() => {})
    await rm(dataDir, { recursive: true, force: true })
  }
}

void main()
