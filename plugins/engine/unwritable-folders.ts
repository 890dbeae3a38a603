import { StoreError } from './store-errors'
import { notWritableReason, translatePermissionError } from './permissions'

/**
 * The collection folders this uid is known not to be able to write in, each
 * with the line that names it, the uid and the fix. Known from the start-up
 * scan and from writes the file system refused (EACCES / EPERM); a folder
 * leaves the list when a write to it succeeds or a re-check finds it fixed.
 * So a readiness probe re-checks only the folders on the list (usually none),
 * not every collection of the volume: its cost does not grow with them.
 */
export class UnwritableFolders {
  readonly #dirs = new Set<string>()

  /** Checks each folder (at start): the ones this uid cannot write go on the list. Returns their lines. */
  scan (dirs: string[]): string[] {
    const reasons: string[] = []
    for (const dir of dirs) {
      const reason = notWritableReason(dir)
      if (reason === undefined) continue
      this.#dirs.add(dir)
      reasons.push(reason)
    }
    return reasons
  }

  /** A write error in `dir`, as translatePermissionError makes it; a refusal puts the folder on the list. */
  refused (err: unknown, dir: string): unknown {
    const translated = translatePermissionError(err, dir)
    if (translated instanceof StoreError && translated.code === 'storage-not-writable') {
      this.#dirs.add(dir)
    }
    return translated
  }

  /** A write in `dir` succeeded: it is writable again. */
  wrote (dir: string): void {
    this.#dirs.delete(dir)
  }

  /** The first listed folder still not writable (the others fixed meanwhile leave the list), or undefined. */
  recheck (): string | undefined {
    for (const dir of [...this.#dirs].sort()) {
      const reason = notWritableReason(dir)
      if (reason === undefined) this.#dirs.delete(dir)
      else return reason
    }
    return undefined
  }
}
