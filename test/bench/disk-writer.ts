/**
 * Entry of the disk-ceiling process (bundled by the runner):
 *   node disk-writer.js <dir> <writers> <seconds>   < payload
 * Prints one run's RunStats as JSON.
 */
import { diskRun } from './disk'

async function main (): Promise<void> {
  const [dir, writers, seconds] = process.argv.slice(2)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const stats = await diskRun(dir as string, Number(writers), Number(seconds), Buffer.concat(chunks))
  process.stdout.write(JSON.stringify(stats))
}

main().catch((err: unknown) => {
  process.stderr.write(`disk-writer: ${(err as Error).message}\n`)
  process.exitCode = 1
})
