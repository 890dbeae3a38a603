import { accessSync, constants } from 'node:fs'
import { bothNames, hostPathOf } from './host-paths'
import { StoreError } from './store-errors'

/** EACCES / EPERM: the file system refused this uid, as opposed to a missing file or a full disk. */
export function isPermissionError (err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'EACCES' || code === 'EPERM'
}

/**
 * Why this process cannot write in `dir`, with the fix; undefined when it can.
 * A collection folder made by another uid (`npm start` as root, then the
 * container as uid 1000) is the usual cause.
 */
export function notWritableReason (dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK)
    return undefined
  } catch (err) {
    if (!isPermissionError(err)) return undefined
    const uid = process.getuid?.() ?? '?'
    const gid = process.getgid?.() ?? '?'
    return `The folder ${bothNames(dir)} is not writable by uid ${uid} (gid ${gid}), which runs jsondock: ` +
      `on the host run "sudo chown -R ${uid}:${gid} ${hostPathOf(dir) ?? dir}", or run jsondock as the folder's owner.`
  }
}

/** A write refused by the file system becomes a problem naming the folder, the uid and the fix, when that is the cause. */
export function translatePermissionError (err: unknown, dir: string): unknown {
  if (!isPermissionError(err)) return err
  const reason = notWritableReason(dir)
  return reason === undefined ? err : new StoreError('storage-not-writable', `${reason} Nothing was written.`)
}
