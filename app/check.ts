import { DocumentStore, StartupError } from '../plugins/engine'
import type { AppConfig } from './config'

/**
 * `node server.js check` (compose's one-shot `check` service, a Kubernetes
 * initContainer): the start-up checks the server runs (DocumentStore.check,
 * the very code open() runs), without serving. It stops on what would stop
 * the server, and also on a collection folder this uid cannot write, which
 * the server would only report as not ready: a check that passes means every
 * write can work. Prints one line per problem; returns the exit code.
 */
export async function runCheck (config: AppConfig, out: NodeJS.WritableStream = process.stderr): Promise<number> {
  const store = new DocumentStore({ dataDir: config.DATA_DIR, dataDirOnHost: config.DATA_DIR_ON_HOST, readOnly: config.READ_ONLY, log: { warn: (obj, msg) => { out.write(`jsondock: ${msg}\n`) } } })
  try {
    const report = await store.check()
    for (const reason of report.unwritableCollections) out.write(`jsondock: ${reason}\n`)
    if (report.unwritableCollections.length > 0) return 1
    const uid = process.getuid?.() ?? '?'
    out.write(report.writable
      ? `jsondock: check passed: DATA_DIR ${store.dataDir} and its collection folders are writable by uid ${uid}, with working file locks.\n`
      : `jsondock: check passed: DATA_DIR ${store.dataDir} is served read-only (nothing is written).\n`)
    return 0
  } catch (err) {
    if (!(err instanceof StartupError)) throw err
    out.write(`jsondock: ${err.message}\n`)
    return 1
  } finally {
    store.close()
  }
}
