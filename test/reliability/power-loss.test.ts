/**
 * Power loss: a write storm through the real service on a LazyFS mount, the power cut at
 * random moments, the service restarted on what survived. See docs/reliability.md.
 *
 * A power cut here: the service is SIGKILLed (and has exited), then LazyFS drops every byte not
 * fsynced (`lazyfs::clear-cache`), is unmounted and mounted again. The kill comes first so that
 * no system call of the service runs after the bytes are dropped: a rename after the cut would
 * make a state no real power cut can (an emptied temp file renamed into place). The cut is still
 * at a random point of the storm: requests are in flight in every round.
 *
 * Files are checked by the history checker of the crash suite (test/helpers/history.ts), read
 * from LazyFS's backing folder: what a disk would hold after the cut.
 */
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { checkVolume, type Op } from '../helpers/history'
import { lazyfsBinary, mountLazyFs } from '../helpers/lazyfs'
import { prerequisiteTest } from '../helpers/prerequisites'
import { call, randomInt, readIfExists, sleep, startService, tempFiles } from '../helpers/reliability'
import { documentClient, record, repeat, type Mix, type StormLog } from '../helpers/write-storm'

const COLLECTIONS = ['alpha', 'beta']
const IDS_PER_COLLECTION = 16
const DOCUMENT_KEYS = COLLECTIONS.flatMap((c) => Array.from({ length: IDS_PER_COLLECTION }, (_, i) => `${c}/doc-${i}`))
/** The settings file of a collection, as a key of the checker (the file is `<key>.json`). */
const SETTINGS_KEY = 'alpha/.collection'
/** Imports go to a collection of their own, each with new ids: all or nothing is then checkable. */
const IMPORTED = 'imported'
const IMPORT_SIZE = 4
const MIX: Mix = { create: 0.2, replace: 0.25, patch: 0.15, 'json-patch': 0.15, delete: 0.25 }
const CLIENTS = 10
const MIN_ROUNDS = 20
const MAX_ROUNDS = 30
/** Keep cutting past MIN_ROUNDS while the run is younger than this. */
const SOFT_BUDGET_MS = 45_000
/**
 * A safety net only, against a run that hangs: on a badly overloaded machine the 20 rounds come
 * first, even if slower (180 s of the old 240 s net were seen under load in issue 27). The file
 * gets the net plus its checks, past tap's 300 s per file.
 */
const HARD_BUDGET_MS = 600_000
t.setTimeout(HARD_BUDGET_MS + 180_000)

const fileBytes = (doc: unknown): string => JSON.stringify(doc, null, 2) + '\n'

/** Replaces alpha's schema (a no-op schema with the write's tag as $comment) over and over. */
async function settingsClient (url: string, prefix: string, state: { stop: boolean }, log: StormLog): Promise<void> {
  await repeat(state, log, (seq) => {
    const tag = `${prefix}-s${seq}`
    return { tag, kind: 'settings', key: SETTINGS_KEY, sent: { schema: { type: 'object', $comment: tag } }, sentAt: 0, outcome: 'unknown' }
  }, async (op, signal) => {
    record(op, await call(`${url}/v1/collections/alpha`, 'PUT', op.sent, { 'x-request-id': op.tag }, signal), log, fileBytes(op.sent))
  })
}

/** Imports db.json files of IMPORT_SIZE new documents, one after the other; every document is an Op of the import's tag. */
async function importClient (url: string, prefix: string, state: { stop: boolean }, log: StormLog, imports: Op[][]): Promise<void> {
  for (let seq = 0; !state.stop; seq++) {
    const tag = `${prefix}-i${seq}`
    const docs = Array.from({ length: IMPORT_SIZE }, (_, n) => ({ id: `${tag}-d${n}`, w: tag, kind: 'import', n, pad: randomBytes(randomInt(10, 3000)).toString('base64') }))
    const ops: Op[] = docs.map((doc) => ({ tag, kind: 'import', key: `${IMPORTED}/${doc.id}`, sent: doc, sentAt: performance.now(), outcome: 'unknown' }))
    imports.push(ops)
    log.ops.push(...ops)
    try {
      const answer = await call(`${url}/v1/import`, 'POST', { [IMPORTED]: docs }, { 'x-request-id': tag }, AbortSignal.timeout(1000))
      ops.forEach((op, n) => record(op, answer, log, fileBytes(docs[n])))
    } catch (err) {
      for (const op of ops) op.error = String((err as Error).name)
    }
  }
}

const lazyfs = lazyfsBinary()
prerequisiteTest(t, 'power cuts at random moments of a write storm on LazyFS: no acknowledged write or delete is lost, no file torn, nothing left behind',
  'reason' in lazyfs ? lazyfs.reason : undefined, async (t) => {
    if (!('bin' in lazyfs)) return
    const fs = await mountLazyFs(t, lazyfs.bin)
    const env = { DATA_DIR: fs.mountpoint }
    let server = await startService(t, env)
    let baseline = new Map<string, string | null>()
    const keys = [...DOCUMENT_KEYS, SETTINGS_KEY]
    const began = Date.now()
    const storm: StormLog = { ops: [], unexpected: [], shed: 0 }
    const totals = { acked: 0, ackedDeletes: 0, ackedImports: 0, unknown: 0, lost: 0, tempLeft: 0, stagesLeft: 0 }
    const idle503: string[] = []
    const partialImports: string[] = []
    let rounds = 0

    while (rounds < MIN_ROUNDS || (Date.now() - began < SOFT_BUDGET_MS && rounds < MAX_ROUNDS)) {
      if (Date.now() - began > HARD_BUDGET_MS) {
        t.fail(`only ${rounds} power cuts in ${HARD_BUDGET_MS} ms`)
        break
      }
      const round = ++rounds
      storm.ops = []
      const imports: Op[][] = []
      const state = { stop: false }
      const clients = [
        ...Array.from({ length: CLIENTS }, async (_, c) => await documentClient(server.url, DOCUMENT_KEYS, MIX, `r${round}-c${c}`, state, storm)),
        settingsClient(server.url, `r${round}-settings`, state, storm),
        importClient(server.url, `r${round}-import`, state, storm, imports)
      ]
      await sleep(randomInt(250, 1200))
      state.stop = true
      await server.stop('SIGKILL')
      await Promise.all(clients)
      await fs.powerCut()

      totals.tempLeft += (await tempFiles(fs.backing)).length
      totals.stagesLeft += (await readdir(fs.backing)).filter((name) => name.startsWith('.import-')).length
      server = await startService(t, env)
      t.same(await tempFiles(fs.backing), [], `cut ${round}: no .tmp-* file survives start-up`)
      t.same((await readdir(fs.backing)).filter((name) => name.startsWith('.import-')), [], `cut ${round}: no import staging folder survives start-up`)

      for (const ops of imports) keys.push(...ops.map((op) => op.key))
      const { disk, lost } = await checkVolume(t, `cut ${round}`, { dir: fs.backing, url: server.url, keys, served: DOCUMENT_KEYS, baseline, ops: storm.ops, idle503 })
      baseline = disk
      totals.lost += lost

      // An import is all or nothing: one in flight at the cut left all its documents or none.
      for (const ops of imports) {
        const present = (await Promise.all(ops.map(async (op) => await readIfExists(join(fs.backing, `${op.key}.json`))))).filter((x) => x !== undefined).length
        if (present !== 0 && present !== ops.length) partialImports.push(`${ops[0]?.tag ?? ''}: ${present} of ${ops.length} documents`)
      }
      for (const op of storm.ops) {
        if (op.outcome === 'acked') {
          totals.acked++
          if (op.kind === 'delete') totals.ackedDeletes++
          if (op.kind === 'import') totals.ackedImports++
        }
        if (op.outcome === 'unknown') totals.unknown++
      }
    }
    t.same(partialImports, [], 'no import was cut in half: each left all its documents or none')
    t.same(storm.unexpected, [], 'every answer of the storm is one its request allows')
    await server.stop('SIGKILL')

    t.ok(rounds >= MIN_ROUNDS, `cut the power ${rounds} times (at least ${MIN_ROUNDS})`)
    // Loose enough for a machine at load 20 (rounds whose writes wait for a killed writer's lock acknowledge nothing).
    t.ok(totals.acked >= rounds, `checked ${totals.acked} acknowledged writes`)
    t.ok(totals.ackedDeletes > 0 && totals.ackedImports > 0, `of them ${totals.ackedDeletes} deletes and ${totals.ackedImports} imported documents`)
    t.ok(totals.unknown > 0, `${totals.unknown} writes were in flight at a cut, so cuts did land mid-write`)
    t.equal(totals.lost, 0, 'lost = 0')
    t.comment(`power-loss: ${rounds} power cuts in ${((Date.now() - began) / 1000).toFixed(1)} s; acknowledged writes checked ${totals.acked} ` +
      `(${totals.ackedDeletes} deletes, ${totals.ackedImports} imported documents, the rest creates, replaces, merge and JSON patches, settings); ` +
      `lost ${totals.lost}; in flight at a cut ${totals.unknown}; ${totals.tempLeft} temp files and ${totals.stagesLeft} import staging folders left by cuts, ` +
      `swept at start; ${storm.shed} storm requests refused with 503`)
    if (idle503.length > 0) t.comment(`NOTE: the restarted, idle service answered ${idle503.length} reads with 503 (retried)`)
  })
