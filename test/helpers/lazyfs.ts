/**
 * LazyFS (github:dsrhaslab/lazyfs, built from shared/lazyfs by .ci/lazyfs-setup.sh): a FUSE file
 * system with its own page cache, from which `lazyfs::clear-cache` drops every byte not fsynced,
 * as a power cut drops the kernel's. It cannot lose directory entries (create, rename, link,
 * unlink and mkdir go straight to the backing folder): test/reliability/syscall-order.test.ts
 * proves the folder fsyncs instead.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { constants, existsSync, openSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { killServices, mountProbe, sleep } from './reliability'

const run = promisify(execFile)
/** The setup script of this checkout (not of JSONDOCK_ROOT's scratch copy). */
const setupScript = join(__dirname, '..', '..', '.ci', 'lazyfs-setup.sh')

/**
 * The lazyfs binary (built by .ci/lazyfs-setup.sh, cached; built here when missing), or the
 * reason it cannot be had (root, /dev/fuse, a failed build). JSONDOCK_LAZYFS names a binary to use instead.
 */
export function lazyfsBinary (): { bin: string } | { reason: string } {
  const probe = mountProbe()
  if (probe !== undefined) return { reason: `${probe}; LazyFS needs root` }
  if (!existsSync('/dev/fuse')) return { reason: 'no /dev/fuse: LazyFS is a FUSE file system (load the fuse module, or give the container --device /dev/fuse)' }
  const given = process.env.JSONDOCK_LAZYFS
  if (given !== undefined && given !== '') return { bin: given }
  try {
    // Synchronous: tap needs its tests declared before the file's first await.
    const stdout = execFileSync('bash', [setupScript], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
    return { bin: stdout.trim().split('\n').pop() as string }
  } catch (err) {
    return { reason: `LazyFS could not be built by .ci/lazyfs-setup.sh: ${String((err as { stderr?: string }).stderr ?? err).trim().split('\n').slice(-3).join(' / ')}` }
  }
}

export interface LazyFs {
  /** Where the service's DATA_DIR goes (the FUSE mount). */
  mountpoint: string
  /** The folder LazyFS stores into: what survived the power cut. */
  backing: string
  /**
   * A power cut, once every process writing to the mount has exited: every byte not fsynced is
   * dropped, then the file system is unmounted and mounted again (a new, empty cache).
   */
  powerCut: () => Promise<void>
}

async function isMounted (dir: string): Promise<boolean> {
  const mounts = await readFile('/proc/self/mounts', 'utf8')
  return mounts.split('\n').some((line) => line.split(' ')[1] === dir)
}

/** Mounts LazyFS on a fresh folder; unmounted and removed on teardown (after the services are killed). */
export async function mountLazyFs (t: { teardown: (fn: () => unknown) => void }, bin: string): Promise<LazyFs> {
  const dir = await mkdtemp(join(tmpdir(), 'jsondock-lazyfs-'))
  const mountpoint = join(dir, 'mnt')
  const backing = join(dir, 'backing')
  const faults = join(dir, 'faults.fifo')
  const completed = join(dir, 'faults-done.fifo')
  const config = join(dir, 'lazyfs.toml')
  await mkdir(mountpoint)
  await mkdir(backing)
  await run('mkfifo', [faults, completed])
  await writeFile(config, [
    '[faults]', `fifo_path="${faults}"`, `fifo_path_completed="${completed}"`,
    '[cache]', 'apply_eviction=false',
    '[cache.simple]', 'custom_size="0.25GB"', 'blocks_per_page=1',
    '[filesystem]', 'log_all_operations=false', 'logfile=""', ''
  ].join('\n'))

  // The completion fifo is opened for reading before LazyFS starts (otherwise two commands can
  // be read as one); read-write, so the open neither blocks nor sees an end of file.
  const answers = new Socket({ fd: openSync(completed, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false })
  let answered = ''
  answers.on('data', (chunk: Buffer) => { answered += chunk.toString() })

  let lazyfs: ChildProcess | undefined
  let output = ''
  const start = async (): Promise<void> => {
    // The config path is given relative to its folder: LazyFS ignores a --config-path that contains
    // "-o" anywhere, case-insensitively (strcasestr in its main.cpp), and falls back to
    // config/default.toml — which a mkdtemp name like jsondock-lazyfs-oJk9rg does 1 time in 31.
    const child = spawn(bin, [mountpoint, '--config-path', basename(config), '-o', 'allow_other', '-o', 'modules=subdir', '-o', `subdir=${backing}`, '-f'],
      { cwd: dirname(config), stdio: ['ignore', 'pipe', 'pipe'] })
    lazyfs = child
    child.stdout.on('data', (c: Buffer) => { output = (output + c.toString()).slice(-4000) })
    child.stderr.on('data', (c: Buffer) => { output = (output + c.toString()).slice(-4000) })
    for (let waited = 0; !(await isMounted(mountpoint)); waited += 20) {
      if (child.exitCode !== null || child.signalCode !== null || waited > 30_000) {
        throw new Error(`LazyFS did not mount ${mountpoint}: ${output}`)
      }
      await sleep(20)
    }
  }
  const stop = async (): Promise<void> => {
    const child = lazyfs
    if (await isMounted(mountpoint)) {
      // Busy while a killed process still closes its files: a minute's deadline, not 50 tries.
      for (const started = Date.now(); ;) {
        try {
          await run('umount', [mountpoint])
          break
        } catch (err) {
          if (Date.now() - started > 60_000) throw new Error(`umount ${mountpoint} awaited for 60 s (busy): ${(err as Error).message}`)
          await sleep(100)
        }
      }
    }
    // LazyFS ends itself once unmounted (aborting: "terminate called without an active exception").
    if (child !== undefined && child.exitCode === null && child.signalCode === null) await once(child, 'exit')
  }
  t.teardown(async () => {
    await killServices()
    await stop().catch(() => {})
    if (lazyfs !== undefined && lazyfs.exitCode === null && lazyfs.signalCode === null) lazyfs.kill('SIGKILL')
    answers.destroy()
    await run('umount', ['-l', mountpoint]).catch(() => {})
    await rm(dir, { recursive: true, force: true })
  })
  await start()

  return {
    mountpoint,
    backing,
    powerCut: async () => {
      answered = ''
      await writeFile(faults, 'lazyfs::clear-cache\n')
      for (let waited = 0; !answered.includes('finished::clear-cache'); waited += 10) {
        if (waited > 30_000) throw new Error(`LazyFS did not confirm clear-cache (answered ${JSON.stringify(answered)}): ${output}`)
        await sleep(10)
      }
      await stop()
      await start()
    }
  }
}
