/**
 * jsondock's kernel locks (fcntl OFD byte-range locks on <DATA_DIR>/.jsondock.lock) on a FUSE
 * volume, LazyFS. LazyFS implements no `lock` operation (its fusepp table leaves it null), so
 * libfuse does not offer FUSE_POSIX_LOCKS and the kernel keeps the locks itself, on the FUSE
 * mount's inode. What that gives, asserted here: processes using the same mount are ordered
 * exactly as on a local disk (a held lock is seen, a killed holder's is free at once), but a
 * process reaching the same files by another path — LazyFS's backing folder, as another host
 * of a network file system would — sees none of them. See docs/storage.md ("FUSE and network volumes").
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { StoreError } from '../../plugins/engine/store-errors'
import { LOCK_FILE, VolumeLocks } from '../../plugins/engine/volume-locks'
import { lazyfsBinary, mountLazyFs } from '../helpers/lazyfs'
import { killHolder, startLockHolder } from '../helpers/lock-holders'
import { prerequisiteTest } from '../helpers/prerequisites'

const TRIALS = 10

const lazyfs = lazyfsBinary()
prerequisiteTest(t, 'locks on a LazyFS (FUSE) mount: another process\'s lock is seen through the same mount, and its death frees it; through the backing folder it is not seen',
  'reason' in lazyfs ? lazyfs.reason : undefined, async (t) => {
    if (!('bin' in lazyfs)) return
    const fs = await mountLazyFs(t, lazyfs.bin)
    const seen: string[] = []
    const woken: number[] = []
    for (let trial = 0; trial < TRIALS; trial++) {
      const holder = await startLockHolder(t, fs.mountpoint, 'document', 'c', `d${trial}.json`)
      const sameMount = new VolumeLocks(fs.mountpoint, { timeoutMs: 300 })
      const other = sameMount.tryDocument('c', `d${trial}.json`)
      const refused = await sameMount.withDocument('c', `d${trial}.json`, async () => 'got it').catch((err: unknown) => err instanceof StoreError ? err.code : String(err))
      const backing = new VolumeLocks(fs.backing).tryDocument('c', `d${trial}.json`)
      seen.push(`${other === undefined ? 'held' : 'FREE'} ${refused} ${backing === undefined ? 'held' : 'free'}`)
      other?.release()
      backing?.release()
      // A waiter through the mount, then the holder's death: the kernel wakes the waiter (its 30 s deadline is only a bound).
      const patient = new VolumeLocks(fs.mountpoint, { timeoutMs: 30_000 })
      let got = 0
      const waiting = patient.withDocument('c', `d${trial}.json`, async () => { got = Date.now() })
      const killed = Date.now()
      await killHolder(holder)
      await waiting
      woken.push(got - killed)
    }
    t.ok(existsSync(join(fs.backing, LOCK_FILE)), 'the lock file itself is an ordinary file of the backing folder')
    t.same(seen.filter((s) => !s.startsWith('held lock-timeout')), [],
      `every trial (${TRIALS}): the other process's lock was seen through the mount, and a write waiting for it got lock-timeout`)
    t.same(seen.filter((s) => !s.endsWith(' free')), [],
      `every trial: through the backing folder the same lock was free: the kernel keeps a FUSE mount's locks on that mount, LazyFS never sees them`)
    t.equal(woken.length, TRIALS, 'every waiter got the lock once its holder was killed, before its deadline')
    t.comment(`waiters woken ${Math.min(...woken)}–${Math.max(...woken)} ms after their holder's SIGKILL`)
  })
