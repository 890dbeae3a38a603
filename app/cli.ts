import type { ReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { DocumentStore, ImportError, readDbJson, readNdjson } from '../plugins/engine'
import type { AppConfig } from './config'

const USAGE = 'usage: import <db.json | file.ndjson> [--collection <name>]'

/**
 * `node server.js import <file>` (in the image: `docker compose run --rm api
 * import /data/db.json`): imports straight into DATA_DIR through the store
 * engine, printing a progress line per collection. Safe beside a running
 * service: it writes the way the service does. Returns the exit code.
 */
export async function runImport (args: string[], config: AppConfig, out: NodeJS.WritableStream = process.stderr): Promise<number> {
  const file = args[0]
  const flag = args.indexOf('--collection')
  if (file === undefined || file.startsWith('-') || (flag >= 0 && args[flag + 1] === undefined)) {
    out.write(`${USAGE}\n`)
    return 2
  }
  if (config.READ_ONLY) {
    // The service refuses every write when READ_ONLY=true; the import command, which writes beside it, does too.
    out.write('import refused: READ_ONLY=true, so nothing may be written to DATA_DIR; unset it to import.\n')
    return 1
  }
  const ndjson = ['.ndjson', '.jsonl'].includes(extname(file).toLowerCase())
  const collection = flag >= 0 ? args[flag + 1] as string : basename(file, extname(file))
  const store = new DocumentStore({ dataDir: config.DATA_DIR, dataDirOnHost: config.DATA_DIR_ON_HOST, maxDocumentBytes: config.BODY_LIMIT, log: { warn: (obj, msg) => { out.write(`${msg} ${JSON.stringify(obj)}\n`) } } })
  const started = Date.now()
  // One document may be as large as a request body may, and no larger: bounds what the import holds in memory.
  const limits = { maxDocumentBytes: config.BODY_LIMIT }
  let input: ReadStream | undefined
  try {
    // Opened before anything else waits: a stream opened in the background emitted a missing
    // file's error before the reader, which attaches its handler when it starts, was listening.
    input = (await open(file)).createReadStream()
    await store.open()
    const items = ndjson ? readNdjson(input, collection, limits) : readDbJson(input, limits)
    let last = ''
    const summary = await store.importDocuments(items, (name, documents) => {
      const line = `importing ${name}: ${documents.toLocaleString('en')} documents`
      if (line !== last) out.write(`${line}\n`)
      last = line
    })
    const total = summary.imported.reduce((sum, c) => sum + c.documents, 0)
    out.write(`imported ${total.toLocaleString('en')} documents into ${summary.imported.length} collection(s) in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `${summary.imported.map((c) => c.singulars === undefined ? `${c.collection} (${c.documents})` : c.singulars.map((name) => `${name} (singular)`).join(', ')).join(', ')}\n`)
    return 0
  } catch (err) {
    if (err instanceof ImportError) {
      const done = err.summary.imported.map((c) => c.collection).join(', ')
      out.write(`import failed: ${err.message}${done === '' ? '' : ` (already imported: ${done})`}\n`)
      for (const problem of err.errors ?? []) out.write(`  ${problem.pointer}: ${problem.message}\n`)
    } else {
      out.write(`import failed: ${(err as Error).message}\n`)
    }
    return 1
  } finally {
    input?.destroy() // a failed import stops reading; the file stays open otherwise
    store.close()
  }
}
