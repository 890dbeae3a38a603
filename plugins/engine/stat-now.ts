import { lstatSync, type BigIntStats } from 'node:fs'

/**
 * lstat, synchronously; undefined when nothing is at `path` (or a folder on
 * the way is missing or is not a folder).
 *
 * Synchronous on purpose. The store looks at metadata all the time — every
 * read and every listed document is validated by an lstat, every write
 * checks its folder, its settings and the collection's exclusive lock — and
 * on a local file system the answer comes from the kernel's inode cache in
 * about a microsecond, while the async form costs ten times that in CPU (a
 * trip through libuv's thread pool and back) and waits behind the fsyncs
 * that hold the pool's threads. It was the largest cost in the benchmark's
 * profile of reads and listings (docs/performance.md). The trade-off: on a
 * network file system with no attribute cache, a slow lstat stalls the event
 * loop for its duration (docs/storage.md).
 */
export function lstatNow (path: string): BigIntStats | undefined {
  try {
    return lstatSync(path, { bigint: true, throwIfNoEntry: false })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw err
  }
}

/**
 * A real folder: lstat, so a symlink to one is not. Without bigint fields
 * (only the type is read): it runs before every read by id, and the bigint
 * form allocates some twenty BigInts per call.
 */
export function isRealFolderNow (path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return false
    throw err
  }
}

/**
 * A file whose mtime is this close to the moment we read it may still change
 * within the same timestamp tick without its stats changing (coarse clocks,
 * FAT's 2 s). What was read of it is re-read until it is older ("racy git").
 */
const RACY_WINDOW_NS = 2_000_000_000n

/** True while stats with this mtime cannot yet tell one version of the file from the next. */
export function isRacy (mtimeNs: bigint): boolean {
  return BigInt(Date.now()) * 1_000_000n - mtimeNs < RACY_WINDOW_NS
}
