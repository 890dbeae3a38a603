import { constants } from 'node:fs'
import { access, lstat, mkdir, realpath } from 'node:fs/promises'
import { bothNames, hostPathOf, nameOnHost } from './host-paths'
import { StartupError } from './store-errors'
import type { Logger } from './observer'

/**
 * Checks DATA_DIR at start-up and returns its real path, and whether the
 * store may write there. Throws StartupError with the one line to print when
 * the service cannot run on it.
 */
export async function openDataDir (dataDir: string, readOnly: boolean, log: Logger, onHost?: string): Promise<{ dataDir: string, writable: boolean }> {
  if (!readOnly) await mkdir(dataDir, { recursive: true }).catch(() => {})
  // DATA_DIR itself may be a symlink (an alias of the mounted folder): it is
  // the operator's choice, so it is resolved once, here. Every path below it
  // is then checked with lstat, and no other symlink is ever followed.
  const real = await realpath(dataDir).catch(() => undefined)
  if (real !== undefined && onHost !== undefined) nameOnHost(real, onHost)
  const stats = real === undefined ? undefined : await lstat(real).catch(() => undefined)
  if (real === undefined || stats === undefined || !stats.isDirectory()) {
    throw new StartupError(`DATA_DIR ${dataDir} is not a folder: create it, or point DATA_DIR at one.`)
  }
  if (readOnly) return { dataDir: real, writable: false }
  try {
    await access(real, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EROFS') {
      // A read-only mount: serve reads; writes answer 503 and readiness says why.
      log.warn({ dataDir: real }, 'DATA_DIR is on a read-only mount: serving reads only.')
      return { dataDir: real, writable: false }
    }
    const uid = process.getuid?.() ?? '?'
    const gid = process.getgid?.() ?? '?'
    throw new StartupError(
      `DATA_DIR ${bothNames(real)} is not writable by uid ${uid} (gid ${gid}): ` +
      `on the host run "sudo chown -R ${uid}:${gid} ${hostPathOf(real) ?? '<the mounted folder>'}", ` +
      'or run the container as the folder\'s owner (compose "user:" / docker run --user), or set READ_ONLY=true.'
    )
  }
  return { dataDir: real, writable: true }
}

/** Ready when DATA_DIR can be read, and written unless the store is read-only. */
export async function checkDataDirReady (dataDir: string, readOnly: boolean): Promise<{ ready: boolean, reason?: string }> {
  const mode = constants.R_OK | (readOnly ? 0 : constants.W_OK)
  try {
    await access(dataDir, mode)
    return { ready: true }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    const why = code === 'EROFS' ? ': the volume is mounted read-only (set READ_ONLY=true to serve reads only)' : ''
    return { ready: false, reason: `DATA_DIR ${bothNames(dataDir)} is not ${readOnly ? 'readable' : 'readable and writable'} (${code})${why}.` }
  }
}
