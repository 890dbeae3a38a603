/** Starts test/helpers/lock-holder.ts: a separate process holding one lock of a DATA_DIR until it is killed. */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'

/** Resolves once the process holds the lock; it is killed on teardown. */
export async function startLockHolder (t: { teardown: (fn: () => unknown) => void }, dataDir: string, kind: 'document' | 'collection' | 'stage', key: string, name?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'lock-holder.ts'), dataDir, kind, key, ...(name === undefined ? [] : [name])], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => { out += chunk.toString(); if (out.includes('held')) resolve() })
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${String(code)}`)))
  })
  return child
}

/** Sends `signal` and waits for the process to exit. */
export async function killHolder (child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const exited = once(child, 'exit')
  child.kill(signal)
  await exited
}
