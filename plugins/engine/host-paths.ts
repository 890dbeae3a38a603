import { isAbsolute, relative } from 'node:path'

/*
 * In a container, DATA_DIR (/data) is a folder the user knows by another
 * name on the host (./volumes/data). Messages that tell the user to fix a
 * folder name it both ways, so the fix is typed where it applies. The host
 * name is what DATA_DIR_ON_HOST says (compose.yaml sets it); the container
 * cannot find it out by itself.
 */

const hostNames = new Map<string, string>()

/** Records how the host names this DATA_DIR (its real path). Empty: no other name. */
export function nameOnHost (dataDir: string, onHost: string): void {
  if (onHost === '') hostNames.delete(dataDir)
  else hostNames.set(dataDir, onHost.replace(/\/+$/, ''))
}

/** The host's name of a path under a DATA_DIR that has one; undefined otherwise. */
export function hostPathOf (path: string): string | undefined {
  for (const [dataDir, onHost] of hostNames) {
    const rel = relative(dataDir, path)
    if (rel === '') return onHost
    if (!rel.startsWith('..') && !isAbsolute(rel)) return `${onHost}/${rel}`
  }
  return undefined
}

/** `/data/notes (on the host: ./volumes/data/notes)`, or the path alone when the host calls it the same. */
export function bothNames (path: string): string {
  const onHost = hostPathOf(path)
  return onHost === undefined || onHost === path ? path : `${path} (on the host: ${onHost})`
}
