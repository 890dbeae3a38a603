/**
 * The kernel locks of a DATA_DIR (plugins/engine/volume-locks.ts), inside one
 * process and against real other processes (test/helpers/lock-holder.ts)
 * that hold a lock until they are killed or frozen.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { StoreError } from '../../plugins/engine/store-errors'
import { LOCK_FILE, VolumeLocks } from '../../plugins/engine/volume-locks'
import { tempDir } from '../helpers/app'
import { killHolder, startLockHolder } from '../helpers/lock-holders'
import { waitFor } from '../helpers/wait'

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until the kernel lists a blocked request (a "->" line of /proc/locks) on the DATA_DIR's lock file. */
async function waitForBlockedWaiter (dir: string): Promise<void> {
  const inode = (await stat(join(dir, LOCK_FILE))).ino
  await waitFor(`a waiter blocked in the kernel on ${LOCK_FILE} (a "->" line of /proc/locks)`, async () => {
    const lines = (await readFile('/proc/locks', 'utf8')).split('\n')
    return lines.some((line) => line.includes('->') && line.split(/\s+/).some((field) => field.endsWith(`:${inode}`))) ? true : undefined
  }, { intervalMs: 10 })
}

/** The wake-up must come from the release, not the waiter's deadline (30 s): a third of it, on any machine. */
const WOKEN_WITHIN_MS = 10_000

t.test('writes of one document run one at a time; of different documents, together', async (t) => {
  const dir = await tempDir(t)
  const locks = new VolumeLocks(dir)
  let inside = 0
  let most = 0
  const write = async (name: string): Promise<void> => await locks.withDocument('c', name, async () => {
    inside++
    most = Math.max(most, inside)
    await sleep(5)
    inside--
  })
  await Promise.all(Array.from({ length: 20 }, async () => await write('a.json')))
  t.equal(most, 1, 'never two holders of one document')
  most = 0
  await Promise.all(Array.from({ length: 20 }, async (_, i) => await write(`d${i}.json`)))
  t.ok(most > 1, `different documents overlap (${most} at once)`)
  t.same(await readdir(dir), [LOCK_FILE], 'one lock file for the whole DATA_DIR, nothing else')
})

t.test('a change to the whole collection waits for its writes, and new writes wait for it', async (t) => {
  const dir = await tempDir(t)
  const locks = new VolumeLocks(dir)
  const events: string[] = []
  let writing = 0
  // A stream of overlapping writers: an exclusive claim still gets in (the turnstile), between them.
  const writers = Array.from({ length: 30 }, async (_, i) => {
    await sleep(i * 2)
    await locks.withDocument('c', `d${i}.json`, async () => { writing++; await sleep(10); writing-- })
  })
  await sleep(15)
  const exclusive = locks.withCollections(['c'], async () => { events.push(`exclusive with ${writing} writing`) })
  await Promise.all([...writers, exclusive])
  t.same(events, ['exclusive with 0 writing'])
})

t.test('a lock held by another process: waiters get lock-timeout, and its death frees the lock at once', async (t) => {
  const dir = await tempDir(t)
  const child = await startLockHolder(t, dir, 'document', 'c', 'a.json')
  const locks = new VolumeLocks(dir, { timeoutMs: 500 })
  const started = Date.now()
  await t.rejects(locks.withDocument('c', 'a.json', async () => {}), { name: 'StoreError', code: 'lock-timeout' })
  t.ok(Date.now() - started >= 450, 'refused at the deadline, not before')
  t.equal(locks.tryDocument('c', 'a.json'), undefined, 'still held')
  await locks.withDocument('c', 'b.json', async () => {})
  t.pass('other documents of the collection are free')

  const patient = new VolumeLocks(dir, { timeoutMs: 30_000 })
  let got = 0
  const waiting = patient.withDocument('c', 'a.json', async () => { got = Date.now() })
  await waitForBlockedWaiter(dir) // in its kernel wait, not about to take a free lock
  const killed = Date.now()
  await killHolder(child)
  await waiting
  t.comment(`woken ${got - killed} ms after the holder's SIGKILL`)
  t.ok(got - killed < WOKEN_WITHIN_MS, `woken by the release, long before the 30 s timeout (${got - killed} ms, < ${WOKEN_WITHIN_MS} ms)`)
})

t.test('a holder frozen with SIGSTOP for longer than any timeout keeps its lock', async (t) => {
  const dir = await tempDir(t)
  const child = await startLockHolder(t, dir, 'collection', 'c')
  child.kill('SIGSTOP')
  t.teardown(() => child.kill('SIGCONT'))
  const locks = new VolumeLocks(dir, { timeoutMs: 300 })
  const refusals: string[] = []
  for (let i = 0; i < 5; i++) {
    await locks.withDocument('c', 'a.json', async () => { refusals.push('GOT THE LOCK') }).catch((err: unknown) => {
      refusals.push(err instanceof StoreError ? err.code : String(err))
    })
  }
  t.same(refusals, Array(5).fill('lock-timeout'), 'frozen 1.5 s (5 timeouts): never handed over')
  t.equal(locks.tryCollection('c'), undefined)
  child.kill('SIGCONT')
  await sleep(100) // a moment running again, in which it would lose the lock if anything took it while frozen
  t.equal(locks.tryCollection('c'), undefined, 'resumed, it still holds it')
  await killHolder(child)
  const free = locks.tryCollection('c')
  t.ok(free !== undefined, 'free once it is dead')
  free?.release()
})

t.test('an abandoned wait leaves nothing behind', async (t) => {
  const dir = await tempDir(t)
  const child = await startLockHolder(t, dir, 'document', 'c', 'a.json')
  const locks = new VolumeLocks(dir, { timeoutMs: 200 })
  // Many callers give up: one is in a kernel wait, the others queued in this process.
  const all = await Promise.allSettled(Array.from({ length: 10 }, async () => await locks.withDocument('c', 'a.json', async () => {})))
  t.ok(all.every((r) => r.status === 'rejected' && (r.reason as StoreError).code === 'lock-timeout'))
  await killHolder(child)
  // The abandoned kernel wait gets the lock in the thread pool, then lets it go on the event loop:
  // a moment on a quiet machine, longer on a busy one, so the free lock is awaited, not slept for.
  const free = await waitFor('the lock let go by the abandoned kernel wait', () => locks.tryDocument('c', 'a.json'))
    .catch((err: Error) => { t.comment(err.message); return undefined })
  t.ok(free !== undefined, 'the kernel wait that outlived its caller let the lock go when it got it')
  free?.release()
  await locks.withDocument('c', 'a.json', async () => {})
  t.pass('and the next claim is served')
})

t.test('an import staging lock is free only once its holder is gone', async (t) => {
  const dir = await tempDir(t)
  const child = await startLockHolder(t, dir, 'stage', '.import-x')
  const locks = new VolumeLocks(dir)
  t.equal(locks.tryStage('.import-x'), undefined, 'a live importer\'s stage is not free')
  const other = locks.tryStage('.import-y')
  t.ok(other !== undefined, 'another stage is')
  other?.release()
  await killHolder(child)
  const free = locks.tryStage('.import-x')
  t.ok(free !== undefined, 'the dead importer\'s stage is')
  free?.release()
})

/** Keeps `width` claims of one document in flight until `until()` (or `cap` claims); counts them in `count.done`. */
async function stream (locks: VolumeLocks, name: string, width: number, until: () => boolean, count: { done: number }, cap = 20_000): Promise<void> {
  await Promise.all(Array.from({ length: width }, async () => {
    while (!until() && count.done < cap) {
      await locks.withDocument('c', name, async () => { await sleep(1) })
      count.done++
    }
  }))
}

t.test('claims of one document queued in this process take over each other\'s kernel lock, yet another process still gets its turn', async (t) => {
  const dir = await tempDir(t)
  const locks = new VolumeLocks(dir, { timeoutMs: 60_000 })
  let otherHeld = false
  const count = { done: 0 }
  // A stream that never lets the queue empty: without a bound on the handovers the other process would never get in.
  const running = stream(locks, 'a.json', 4, () => otherHeld, count)
  await sleep(50)
  const other = await startLockHolder(t, dir, 'document', 'c', 'a.json')
  otherHeld = true
  t.ok(count.done > 0 && count.done < 20_000, `the other process got the lock while this one kept claiming it (${count.done} claims here so far)`)
  t.equal(locks.tryDocument('c', 'a.json'), undefined, 'the other process holds it now')
  await killHolder(other) // the claims already queued here get it back
  await running
  t.pass('and the claims queued here ran once it was gone')
})

t.test('a whole-collection change gets in while claims of one document keep coming', async (t) => {
  const dir = await tempDir(t)
  const locks = new VolumeLocks(dir, { timeoutMs: 60_000 })
  let changed = false
  const count = { done: 0 }
  const running = stream(locks, 'a.json', 4, () => changed, count)
  await sleep(50)
  const asked = count.done
  await locks.withCollections(['c'], async () => { changed = true })
  const waited = count.done - asked
  await running
  // The claims in flight when it asked finish first (4, a few more if they were between steps), then it is next.
  t.ok(waited <= 8, `the change ran after ${waited} more claims of the document (at most 8)`)
})
