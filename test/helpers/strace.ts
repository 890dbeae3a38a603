/**
 * Reads an `strace -f -yy` log of the service (test/reliability/syscall-order.test.ts) and checks
 * the order of system calls the durability argument needs, before the answer is sent:
 *   write the new file → fsync it → rename/link it into place (or unlink, mkdir, rmdir) →
 *   fsync the folder → send the answer.
 * Each call is known from its start (the line it appears on) to its end (the line it returns
 * on: strace prints a call that another thread interrupts as "<unfinished ...>", then
 * "<... resumed>"), so "A before B" means A returned before B began. A folder fsync counts for a
 * change only if it BEGAN after the change returned: one fsync shared by several writes (a group
 * commit) satisfies each of them, an fsync already under way does not.
 */
import { dirname } from 'node:path'

export interface Call {
  pid: number
  name: string
  /** The arguments as strace printed them (`fd<path>` with -yy). */
  args: string
  ret: string
  start: number
  end: number
}

/** The system calls traced by the suite (strace -e trace=…). */
export const TRACED = ['openat', 'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'fsync', 'fdatasync', 'rename', 'renameat', 'renameat2',
  'link', 'linkat', 'unlink', 'unlinkat', 'rmdir', 'mkdir', 'mkdirat', 'sendto', 'sendmsg']

export function parseTrace (text: string): Call[] {
  const calls: Call[] = []
  const pending = new Map<string, Call>()
  text.split('\n').forEach((line, index) => {
    const resumed = /^(\d+) +<\.\.\. (\w+) resumed>(.*)\) += (.*)$/.exec(line)
    if (resumed !== null) {
      const call = pending.get(`${resumed[1] as string} ${resumed[2] as string}`)
      if (call === undefined) return
      pending.delete(`${resumed[1] as string} ${resumed[2] as string}`)
      call.args += resumed[3] as string
      call.ret = resumed[4] as string
      call.end = index
      calls.push(call)
      return
    }
    const unfinished = /^(\d+) +(\w+)\((.*) <unfinished \.\.\.>$/.exec(line)
    if (unfinished !== null) {
      pending.set(`${unfinished[1] as string} ${unfinished[2] as string}`,
        { pid: Number(unfinished[1]), name: unfinished[2] as string, args: unfinished[3] as string, ret: '', start: index, end: Infinity })
      return
    }
    const whole = /^(\d+) +(\w+)\((.*)\) += (.*)$/.exec(line)
    if (whole !== null) calls.push({ pid: Number(whole[1]), name: whole[2] as string, args: whole[3] as string, ret: whole[4] as string, start: index, end: index })
  })
  return calls.sort((a, b) => a.start - b.start)
}

/** The path of a call's first fd argument (`12</a/b>` → `/a/b`). */
export function fdPath (call: Call): string | undefined {
  return /^\d+<([^>]*)>/.exec(call.args)?.[1]
}

/** The file a call opens or creates (openat with O_CREAT), or undefined. */
export function created (calls: Call[], file: string): Call | undefined {
  return calls.find((c) => c.name === 'openat' && pathArgs(c)[0] === file && c.args.includes('O_CREAT') && ok(c))
}

/** The quoted path arguments of a call, in order. */
export function pathArgs (call: Call): string[] {
  return [...call.args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string)
}

const ok = (call: Call): boolean => /^0\b/.test(call.ret) || /^\d+\b/.test(call.ret)

/** The first write of an HTTP answer on the connection whose client port is `port`, after line `after` (a port may be reused). */
export function answerOn (calls: Call[], port: number, after = -1): Call | undefined {
  return calls.find((c) => c.start > after && (c.name === 'write' || c.name === 'writev' || c.name === 'sendto' || c.name === 'sendmsg') &&
    new RegExp(`->[^\\]]*:${port}\\]>`).test(c.args) && c.args.includes('"HTTP/1.1 '))
}

export type Change = 'rename' | 'link' | 'unlink' | 'mkdir' | 'rmdir'

const NAMES: Record<Change, string[]> = {
  rename: ['rename', 'renameat', 'renameat2'],
  link: ['link', 'linkat'],
  unlink: ['unlink', 'unlinkat'],
  mkdir: ['mkdir', 'mkdirat'],
  rmdir: ['rmdir', 'unlinkat']
}

/** The last successful change of `kind` whose target (the last path argument) is `target`, before `answer`. */
export function lastChange (calls: Call[], kind: Change, target: string, answer: Call): Call | undefined {
  return calls.filter((c) => NAMES[kind].includes(c.name) && c.start < answer.start && ok(c) && pathArgs(c).at(-1) === target &&
    (kind !== 'rmdir' || c.name === 'rmdir' || c.args.includes('AT_REMOVEDIR')) &&
    (kind !== 'unlink' || !c.args.includes('AT_REMOVEDIR'))).at(-1)
}

const isSync = (c: Call): boolean => (c.name === 'fsync' || c.name === 'fdatasync') && /^0\b/.test(c.ret)

/** Whether an fsync of `path` (a file or folder) began after line `after` and returned before line `before`. */
export function syncedBetween (calls: Call[], path: string, after: number, before: number): boolean {
  return calls.some((c) => isSync(c) && fdPath(c) === path && c.start > after && c.end < before)
}

/** Problems (none: the order holds) with: the folder holding `change`'s target fsynced after it, before `answer`. */
export function folderSynced (calls: Call[], change: Call, answer: Call, what: string): string[] {
  const dir = dirname(pathArgs(change).at(-1) as string)
  return syncedBetween(calls, dir, change.end, answer.start)
    ? []
    : [`${what}: no fsync of the folder ${dir} began after the ${change.name} (line ${change.end + 1}) and returned before the ${answer.name} (line ${answer.start + 1})`]
}

const WRITES = ['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2']

/**
 * Problems with: every write to `file` returned before an fsync of it began, which returned
 * before `before`. With `empty`, the file may have no write at all (a marker); otherwise a file
 * without a traced write is a problem (the check would pass vacuously).
 */
export function fileSynced (calls: Call[], file: string, before: Call, what: string, empty = false): string[] {
  const writes = calls.filter((c) => WRITES.includes(c.name) && fdPath(c) === file && c.start < before.start)
  if (writes.length === 0 && !empty) return [`${what}: no write to ${file} in the trace`]
  const lastWrite = Math.max(-1, ...writes.map((c) => c.end))
  const opened = created(calls, file)
  if (opened === undefined) return [`${what}: ${file} was never created`]
  return syncedBetween(calls, file, lastWrite, before.start) ? [] : [`${what}: no fsync of ${file} began after its last write (line ${lastWrite + 1}) and returned before the ${before.name} (line ${before.start + 1})`]
}

/** Problems with a new file put in place by rename or link: written, fsynced, renamed/linked, folder fsynced, then answered. */
export function durablyReplaced (calls: Call[], kind: 'rename' | 'link', target: string, answer: Call, what: string): string[] {
  const change = lastChange(calls, kind, target, answer)
  if (change === undefined) return [`${what}: no ${kind} onto ${target} before the answer`]
  const temp = pathArgs(change)[0] as string
  return [...fileSynced(calls, temp, change, what), ...folderSynced(calls, change, answer, what)]
}
