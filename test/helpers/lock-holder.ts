/**
 * A separate process that takes one lock of a DATA_DIR and keeps it until it
 * is killed: `node --import tsx lock-holder.ts <dataDir> document|collection|stage <key> [name]`.
 * Prints "held" once it holds the lock.
 */
import { VolumeLocks } from '../../plugins/engine/volume-locks'

const [dataDir, kind, key, name] = process.argv.slice(2) as [string, string, string, string | undefined]
const locks = new VolumeLocks(dataDir, { timeoutMs: 60_000 })
const forever = async (): Promise<void> => {
  process.stdout.write('held\n')
  await new Promise(() => setInterval(() => {}, 1 << 30))
}
if (kind === 'document') void locks.withDocument(key, name ?? 'x.json', forever)
else if (kind === 'collection') void locks.withCollections([key], forever)
else void locks.withStage(key, forever)
