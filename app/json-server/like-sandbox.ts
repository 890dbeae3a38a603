import vm from 'node:vm'
import { HttpProblem } from '../../plugins/errors'

/*
 * `_like` filters are case-insensitive regular expressions, as in json-server.
 * A regex can backtrack for ages, so each pattern is length-capped and
 * checked, and all matching runs in a separate V8 context with a hard CPU
 * timeout: no query can stall the event loop.
 */

/** Longest `_like` pattern accepted. */
export const MAX_LIKE_PATTERN = 256
/** CPU time all `_like` patterns of one request may use; beyond it the request is a 400. */
export const LIKE_TIMEOUT_MS = 250

/** One pattern and the texts it is tested on (null: no value, never a match). */
export interface LikeTask { pattern: string, subjects: Array<string | null> }

let likeContext: vm.Context | undefined
const likeScript = new vm.Script(
  '(() => { const out = []; for (const t of tasks) { const re = new RegExp(t.pattern, "i"); const hits = [];' +
  ' for (const s of t.subjects) hits.push(s !== null && re.test(s)); out.push(hits) } return out })()'
)

/** Refuses a pattern that is too long or not a regular expression, naming the field it filters. */
export function checkLikePattern (field: string, pattern: string): void {
  if (pattern.length > MAX_LIKE_PATTERN) {
    throw new HttpProblem(400, 'invalid-query', `The ${field}_like pattern is longer than ${MAX_LIKE_PATTERN} characters.`)
  }
  try {
    // eslint-disable-next-line no-new
    new RegExp(pattern, 'i')
  } catch (err) {
    throw new HttpProblem(400, 'invalid-query', `The ${field}_like pattern is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}.`)
  }
}

/** The timeout error comes from the sandbox's realm: not an `instanceof Error` here, so it is told by its code. */
function isTimeout (err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
}

/** Runs every task in the sandbox: for each task, whether each subject matches. */
export function runLikeTasks (tasks: LikeTask[]): boolean[][] {
  if (tasks.length === 0) return []
  likeContext ??= vm.createContext(Object.create(null))
  likeContext.tasks = tasks
  try {
    const hits: unknown = likeScript.runInContext(likeContext, { timeout: LIKE_TIMEOUT_MS })
    return Array.isArray(hits) ? hits.map((row) => (Array.isArray(row) ? row.map((hit) => hit === true) : [])) : []
  } catch (err) {
    if (isTimeout(err)) {
      throw new HttpProblem(400, 'invalid-query', `A _like pattern took longer than ${LIKE_TIMEOUT_MS} ms to match: simplify it (avoid nested repetition such as (a+)+).`)
    }
    throw err
  } finally {
    likeContext.tasks = undefined
  }
}
