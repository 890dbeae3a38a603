/**
 * Group commit of folder fsyncs (plugins/engine/folder-sync.ts), on a real
 * folder with real renames and real fsyncs: every write is acknowledged only
 * after a folder fsync that started after its rename completed, and
 * concurrent writes do share fsyncs.
 */
import { constants } from 'node:fs'
import { mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { FolderSyncs } from '../../plugins/engine/folder-sync'

type Event = { kind: 'start' | 'end', round: number } | { kind: 'renamed' | 'acked', writer: number }

async function realFsync (dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  try { await handle.sync() } finally { await handle.close() }
}

async function folder (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jsondock-folder-sync-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

t.test('an acknowledgement always follows a folder fsync that started after its rename', async (t) => {
  const dir = await folder(t)
  const events: Event[] = []
  let rounds = 0
  const syncs = new FolderSyncs(async (d) => {
    const round = rounds++
    events.push({ kind: 'start', round })
    await realFsync(d)
    events.push({ kind: 'end', round })
  })
  const WRITERS = 40
  await Promise.all(Array.from({ length: WRITERS }, async (_, writer) => {
    for (let i = 0; i < 5; i++) {
      // Spread the renames over time, so some land while an fsync is running.
      await new Promise((resolve) => setTimeout(resolve, (writer * 7 + i * 3) % 5))
      const temp = join(dir, `.tmp-${writer}-${i}`)
      await writeFile(temp, `{"writer":${writer},"i":${i}}`)
      await rename(temp, join(dir, `${writer}.json`))
      events.push({ kind: 'renamed', writer })
      await syncs.sync(dir)
      events.push({ kind: 'acked', writer })
    }
  }))

  const problems: string[] = []
  const renamedAt = new Map<number, number>()
  events.forEach((event, at) => {
    if (event.kind === 'renamed') renamedAt.set(event.writer, at)
    if (event.kind !== 'acked') return
    const renamed = renamedAt.get(event.writer) ?? Infinity
    // Some fsync started after the rename and ended before the acknowledgement.
    const covered = events.some((start, s) => start.kind === 'start' && s > renamed &&
      events.some((end, e) => end.kind === 'end' && end.round === start.round && e < at))
    if (!covered) problems.push(`writer ${event.writer}: acknowledged at event ${at} with no fsync started after its rename (event ${renamed})`)
  })
  t.same(problems, [], `all ${WRITERS * 5} acknowledgements covered by an fsync started after their rename`)
  t.ok(rounds < WRITERS * 5, `writes shared fsyncs: ${rounds} folder fsyncs for ${WRITERS * 5} writes`)
  let running = 0
  let most = 0
  for (const event of events) {
    if (event.kind === 'start') most = Math.max(most, ++running)
    if (event.kind === 'end') running--
  }
  t.equal(most, 1, 'one fsync of the folder at a time')
})

t.test('a failed folder fsync fails every write that waited on it, and the next round still runs', async (t) => {
  const dir = await folder(t)
  let calls = 0
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const syncs = new FolderSyncs(async (d) => {
    const call = calls++
    if (call === 0) { await gate; return await realFsync(d) }
    if (call === 1) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })
    await realFsync(d)
  })
  const first = syncs.sync(dir)
  // These arrive while the first fsync runs: they share the second, which fails.
  const waiting = [syncs.sync(dir), syncs.sync(dir), syncs.sync(dir)]
  release()
  await t.resolves(first, 'the first round succeeds')
  for (const w of waiting) await t.rejects(w, { code: 'EIO' }, 'a write that waited on the failed fsync fails')
  await t.resolves(syncs.sync(dir), 'a later write gets a fresh fsync')
  t.equal(calls, 3, 'three rounds: the first, the failed one shared by three writes, a fresh one')
})

t.test('folders are synced independently', async (t) => {
  const a = await folder(t)
  const b = await folder(t)
  const seen: string[] = []
  const syncs = new FolderSyncs(async (d) => { seen.push(d); await realFsync(d) })
  await Promise.all([syncs.sync(a), syncs.sync(b)])
  t.same(seen.sort(), [a, b].sort(), 'each folder got its own fsync, at once')
})
