import { randomUUID } from 'node:crypto'
import { constants, type BigIntStats } from 'node:fs'
import { link, lstat, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { SyncFolder } from './folder-sync'

/** Prefix of in-flight writes; such files are never documents and are swept at start. */
export const TEMP_PREFIX = '.tmp-'
/** A temp file's name: the prefix, the target's name, a dash and random hex digits. */
const TEMP_FILE = /^\.tmp-(.+)-[0-9a-f]+$/

/** Told how long each fsync took, in seconds (for the metrics). */
export type FsyncTimer = (seconds: number) => void

/** Runs one fsync (or fdatasync) and tells `timer` how long it took. */
export async function timedSync (sync: () => Promise<void>, timer: FsyncTimer | undefined): Promise<void> {
  const started = process.hrtime.bigint()
  await sync()
  timer?.(Number(process.hrtime.bigint() - started) / 1e9)
}

/** fsync a directory, so that a rename, link or unlink inside it survives a crash. */
export async function fsyncDir (dir: string, timer?: FsyncTimer): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  try {
    await timedSync(async () => await handle.sync(), timer)
  } finally {
    await handle.close()
  }
}

export type WriteMode = 'replace' | 'create'

/**
 * Writes `data` to `dir/name` so that a reader (or a crash) sees either the old
 * file or the new one, never a torn one, and resolves only once it is durable:
 * temp file in the same folder → write → fdatasync → rename (or link, for an
 * exclusive create) → fsync the folder. Returns the new file's stats.
 *
 * `create` uses link(2), which fails with EEXIST when the target exists: an
 * exclusive create that the file system itself arbitrates, across processes.
 * `syncFolder` fsyncs the folder once the rename is done; the store passes
 * its group commit (folder-sync.ts), which may share that fsync with other
 * writes but always with one that started after this rename.
 */
export async function writeFileDurable (
  dir: string,
  name: string,
  data: Uint8Array,
  mode: WriteMode,
  timer?: FsyncTimer,
  syncFolder: SyncFolder = async (folder) => await fsyncDir(folder, timer)
): Promise<BigIntStats> {
  const target = join(dir, name)
  // 48 random bits (a v4 UUID's last group): randomUUID draws from a cached batch, where
  // randomBytes made a call into the system's generator per write (2 % of a PATCH).
  const temp = join(dir, `${TEMP_PREFIX}${name}-${randomUUID().slice(24)}`)
  let stats: BigIntStats
  const handle = await open(temp, 'wx', 0o644)
  try {
    await handle.writeFile(data)
    // fdatasync: the bytes and the size, which is all a reader needs. The stats are the
    // write's (an fsync changes none of them), so they are asked for alongside it.
    const [, written] = await Promise.all([timedSync(async () => await handle.datasync(), timer), handle.stat({ bigint: true })])
    stats = written
  } catch (err) {
    await handle.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw err
  }
  // The file is durable and its handle has no more to do: it closes while the name moves.
  const closed = handle.close()
  try {
    if (mode === 'create') {
      await link(temp, target)
    } else {
      await rename(temp, target)
    }
  } catch (err) {
    await closed.catch(() => {})
    await unlink(temp).catch(() => {})
    throw err
  }
  // A create's temp name goes while the folder is fsynced: the fsync covers the link, which is
  // what the write needs; a temp name a crash keeps is swept at start (sweepTempFiles).
  const removed = mode === 'create' ? unlink(temp).catch(() => {}) : undefined
  await Promise.all([closed, syncFolder(dir), removed])
  return stats
}

/** Removes a file and makes the removal durable (`syncFolder`: as for writeFileDurable). */
export async function unlinkDurable (path: string, timer?: FsyncTimer, syncFolder: SyncFolder = async (folder) => await fsyncDir(folder, timer)): Promise<void> {
  await unlink(path)
  await syncFolder(dirname(path))
}

/**
 * Creates a folder (and makes its entry in the parent durable). Returns false
 * when a real folder already existed. mkdir(2) answers EEXIST for anything
 * holding the name, a symlink (to a folder anywhere) or a plain file too:
 * those reject with ENOTDIR, so no caller goes on to write through them.
 */
export async function mkdirDurable (dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { mode: 0o755 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    if ((await lstat(dir)).isDirectory()) return false
    throw Object.assign(new Error(`${dir} exists and is not a folder`), { code: 'ENOTDIR' })
  }
  await fsyncDir(dirname(dir))
  return true
}

/** Removes a folder and everything in it, durably. */
export async function rmDirDurable (dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await fsyncDir(dirname(dir))
}

/**
 * Deletes the temp files a crash left in `dir`: only those whose target's
 * lock `claim` can take now, so whose writer is gone (a writer holds it for
 * as long as its temp file exists). Returns how many it removed.
 *
 * A temp file listed here may be renamed into place by its live writer
 * before the claim (which then succeeds, the writer done): its unlink
 * answers ENOENT, and nothing was removed, so nothing is counted.
 */
export async function sweepTempFiles (dir: string, claim: (target: string) => { release: () => void } | undefined): Promise<number> {
  let removed = 0
  for (const name of await readdir(dir)) {
    const target = TEMP_FILE.exec(name)?.[1]
    if (target === undefined) continue
    const held = claim(target)
    if (held === undefined) continue
    try {
      if (await unlink(join(dir, name)).then(() => true, () => false)) removed++
    } finally {
      held.release()
    }
  }
  if (removed > 0) await fsyncDir(dir)
  return removed
}
