/**
 * Start-up recovery racing live writers, with the race's order forced: a
 * starting replica lists a temp file (or an import stage) while its live
 * writer still holds the lock, and the writer finishes — renames the temp
 * file into place, removes the stage, lets go — before the replica claims
 * the lock. The claim then succeeds, yet there is nothing left to recover:
 * the replica must neither count a removal nor warn of a dropped import.
 * (replicas.test.ts saw the first, once in four runs, as "Removed temp files"
 * during a storm with 0 failed writes.) Real folders, real kernel locks.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { SettingsCache } from '../../plugins/engine/collection-settings'
import { sweepTempFiles, TEMP_PREFIX } from '../../plugins/engine/durable-fs'
import { recoverImports } from '../../plugins/engine/importer'
import { VolumeLocks } from '../../plugins/engine/volume-locks'

async function dataDir (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jsondock-start-up-sweep-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

t.test('a temp file its writer renamed into place between the listing and the claim is not counted as removed', async (t) => {
  const dir = await dataDir(t)
  const folder = join(dir, 'storm')
  mkdirSync(folder)
  const locks = new VolumeLocks(dir)
  const finished = `${TEMP_PREFIX}a.json-0123456789ab`
  const orphan = `${TEMP_PREFIX}b.json-ba9876543210`
  writeFileSync(join(folder, finished), '{"id":"a"}\n')
  writeFileSync(join(folder, orphan), '{"id":"b"}\n')
  const removed = await sweepTempFiles(folder, (target) => {
    // The live writer of a.json completes its rename and releases its lock just before this claim.
    if (target === 'a.json') renameSync(join(folder, finished), join(folder, target))
    return locks.tryDocument('storm', target)
  })
  t.equal(removed, 1, 'only the orphan (its writer dead) was removed and counted')
  t.same((await readdir(folder)).sort(), ['a.json'], 'the finished write is in place; no temp file is left')
})

t.test('a temp file whose writer holds its lock is kept', async (t) => {
  const dir = await dataDir(t)
  const folder = join(dir, 'storm')
  mkdirSync(folder)
  const live = `${TEMP_PREFIX}c.json-00aa00aa00aa`
  writeFileSync(join(folder, live), '{}')
  const writer = new VolumeLocks(dir)
  let release!: () => void
  const holding = writer.withDocument('storm', 'c.json', async () => await new Promise<void>((resolve) => { release = resolve }))
  const starting = new VolumeLocks(dir)
  t.equal(await sweepTempFiles(folder, (target) => starting.tryDocument('storm', target)), 0)
  t.same(await readdir(folder), [live], 'a live write\'s temp file is untouched')
  release()
  await holding
})

/** Locks whose stage claim comes just after the live importer removed its stage and let go. */
class ImporterFinishesFirst extends VolumeLocks {
  constructor (private readonly dir: string) { super(dir) }
  override tryStage (stage: string): ReturnType<VolumeLocks['tryStage']> {
    rmSync(join(this.dir, stage), { recursive: true, force: true })
    return super.tryStage(stage)
  }
}

t.test('an import stage its live importer removed between the listing and the claim is left alone, with no warning', async (t) => {
  const dir = await dataDir(t)
  mkdirSync(join(dir, '.import-0190d6c4-7c1e-7000-8000-000000000000', 'big'), { recursive: true })
  const warnings: string[] = []
  await recoverImports({
    dataDir: dir,
    locks: new ImporterFinishesFirst(dir),
    settings: new SettingsCache(),
    log: { warn: (_fields: object, message: string) => { warnings.push(message) } },
    maxDocumentBytes: Number.POSITIVE_INFINITY,
    collectionDir: (name) => join(dir, name)
  })
  t.same(warnings, [], 'no "dropped an import" warning for an import that finished')
})
