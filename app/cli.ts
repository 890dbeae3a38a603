import type { ReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename, extname, posix, resolve } from 'node:path'
import { DocumentStore, ImportError, readDbJson, readNdjson } from '../plugins/engine'
import type { AppConfig } from './config'

const USAGE = 'usage: import <db.json | file.ndjson> [--collection <name>]'
const PROGRESS_MS = 5000

/** A file the command cannot find: in a container it sees only the mounted folder, so say where to put it. */
function missingFile (file: string, config: AppConfig): string {
  const inContainer = config.DATA_DIR_ON_HOST === ''
    ? ''
    : ` The command runs in the container, which sees only the folder mounted at ${config.DATA_DIR}: put the file in ${config.DATA_DIR_ON_HOST} on the host, ` +
      `and name it as the container sees it: import ${posix.join(config.DATA_DIR, basename(file))}.`
  return `there is no file ${JSON.stringify(file)} (looked for ${resolve(file)}).${inContainer}`
}

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
    input = (await open(file).catch((err: NodeJS.ErrnoException) => { throw err.code === 'ENOENT' ? new Error(missingFile(file, config)) : err })).createReadStream()
    await store.open()
    const items = ndjson ? readNdjson(input, collection, limits) : readDbJson(input, limits)
    // One line per collection once it is in, in the order read; while a large one is read, a
    // progress line at its first thousand and then at most every PROGRESS_MS.
    const reported = new Set<string>()
    let lastProgress = 0
    const summary = await store.importDocuments(items, (name, documents, phase) => {
      const count = `${documents.toLocaleString('en')} document${documents === 1 ? '' : 's'}`
      if (phase === 'imported') {
        if (!reported.has(`imported ${name}`)) out.write(`importing ${name}: ${count}\n`)
        reported.add(`imported ${name}`)
      } else if (!reported.has(`reading ${name}`) || Date.now() - lastProgress >= PROGRESS_MS) {
        out.write(`reading ${name}: ${count} so far\n`)
        reported.add(`reading ${name}`)
        lastProgress = Date.now()
      }
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
