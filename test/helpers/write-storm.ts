/**
 * The write storm of the crash and power-loss suites: concurrent clients sending document
 * writes to the real service, each request recorded with what became of it (an Op of
 * ./history.ts), for the history checker to explain every file by.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { Op, Kind, Doc } from './history'
import { call, randomInt, type Answer } from './reliability'

/**
 * A client gives up waiting after this long and moves on (the request stays "in flight": it
 * may still happen, until the crash), so one slow request (a schema change or an import holding
 * its collection, a loaded machine) cannot stall a client's share of the storm. Kernel locks are
 * freed by a holder's death, so no write waits for a killed writer.
 */
const REQUEST_TIMEOUT_MS = 400

export function pick<T> (items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T
}

function padding (): string {
  const size = Math.random() < 0.5 ? randomInt(0, 2_000) : randomInt(2_000, 50_000)
  return randomBytes(Math.ceil(size * 0.75) + 3).toString('base64').slice(0, size)
}

/** Which share of the requests is of each kind (cumulative thresholds are derived from these). */
export type Mix = Partial<Record<'create' | 'replace' | 'patch' | 'json-patch' | 'delete', number>>
export const CRASH_MIX: Mix = { create: 0.25, replace: 0.3, patch: 0.25, delete: 0.2 }

function newOp (keys: readonly string[], mix: Mix, tag: string, seq: number): Op {
  const key = pick(keys)
  const id = key.split('/')[1] as string
  let roll = Math.random() * Object.values(mix).reduce((a, b) => a + b, 0)
  let kind: Kind = 'delete'
  for (const [k, share] of Object.entries(mix) as Array<[Kind, number]>) {
    if ((roll -= share) < 0) { kind = k; break }
  }
  const op: Op = { tag, kind, key, sentAt: 0, outcome: 'unknown' }
  if (kind === 'create' || kind === 'replace') {
    op.sent = { id, w: tag, kind, note: `note of ${tag}`, pad: padding() }
  } else if (kind === 'patch') {
    op.sent = { w: tag, kind, patched: seq, note: Math.random() < 0.5 ? null : `patched by ${tag}` }
    if (Math.random() < 0.5) op.sent.pad = padding()
  } else if (kind === 'json-patch') {
    op.sent = { w: tag, kind, patched: seq }
  }
  return op
}

/** Sends one document write. */
async function send (url: string, op: Op, signal: AbortSignal): Promise<Answer> {
  const [collection, id] = op.key.split('/') as [string, string]
  const base = `${url}/v1/collections/${collection}/documents`
  const headers = { 'x-request-id': op.tag }
  switch (op.kind) {
    case 'create': return await call(base, 'POST', op.sent, headers, signal)
    case 'replace': return await call(`${base}/${id}`, 'PUT', op.sent, headers, signal)
    case 'patch': return await call(`${base}/${id}`, 'PATCH', op.sent, { ...headers, 'content-type': 'application/merge-patch+json' }, signal)
    case 'json-patch': {
      // Only "add"s of members: the same change as the merge patch recorded in op.sent.
      const ops = Object.entries(op.sent as Doc).map(([k, value]) => ({ op: 'add', path: `/${k}`, value }))
      return await call(`${base}/${id}`, 'PATCH', ops, { ...headers, 'content-type': 'application/json-patch+json' }, signal)
    }
    default: return await call(`${base}/${id}`, 'DELETE', undefined, headers, signal)
  }
}

export interface StormLog {
  ops: Op[]
  /** Answers no request of the storm may get. */
  unexpected: string[]
  /** Storm requests refused with a 503 problem (load shed, lock busy). */
  shed: number
}

/**
 * Records an answer on its Op: a 2xx is acknowledged (`result` = the bytes answered, null for a
 * delete); a 404/409 that says nothing changed is refused; a 503 problem is a refusal kept
 * "unknown", so the check stays sound even if a 503 had written.
 */
export function record (op: Op, answer: Answer, log: StormLog, result: string | null = op.kind === 'delete' ? null : answer.text): void {
  op.ackAt = performance.now()
  op.status = answer.status
  if (answer.status >= 200 && answer.status < 300) {
    op.outcome = 'acked'
    op.result = result
  } else if ((answer.status === 404 && (op.kind === 'patch' || op.kind === 'json-patch' || op.kind === 'delete')) || (answer.status === 409 && op.kind === 'create')) {
    op.outcome = 'refused'
  } else if (answer.status === 503 && (answer.headers.get('content-type') ?? '').startsWith('application/problem+json')) {
    op.outcome = 'unknown'
    log.shed++
  } else {
    // Not an answer this storm can legitimately get. A 5xx may have written: keep it "unknown".
    op.outcome = answer.status >= 500 ? 'unknown' : 'refused'
    log.unexpected.push(`${op.kind} ${op.key} (${op.tag}) answered ${answer.status}: ${answer.text.slice(0, 300)}`)
  }
}

/** Runs `write` for Op after Op until told to stop; a request cut by the crash stays "unknown". */
export async function repeat (state: { stop: boolean }, log: StormLog, next: (seq: number) => Op, write: (op: Op, signal: AbortSignal) => Promise<void>): Promise<void> {
  for (let seq = 0; !state.stop; seq++) {
    const op = next(seq)
    log.ops.push(op)
    op.sentAt = performance.now()
    try {
      await write(op, AbortSignal.timeout(REQUEST_TIMEOUT_MS))
    } catch (err) {
      op.outcome = 'unknown'
      op.error = String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name)
    }
  }
}

/** One storm client: document writes over `keys` until told to stop. */
export async function documentClient (url: string, keys: readonly string[], mix: Mix, prefix: string, state: { stop: boolean }, log: StormLog): Promise<void> {
  await repeat(state, log, (seq) => newOp(keys, mix, `${prefix}-s${seq}`, seq), async (op, signal) => {
    record(op, await send(url, op, signal), log)
  })
}
