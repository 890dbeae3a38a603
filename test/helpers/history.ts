/**
 * The history checker of the crash and power-loss suites (test/reliability/crash.test.ts,
 * power-loss.test.ts), and the write storm they both run through the real service.
 *
 * Each file is checked as a linearizable register whose writes are creates, replaces, merge
 * and JSON patches, deletes, collection settings and imports: every write carries a unique tag
 * (`w` in a document, `$comment` in a collection schema), so the file on disk names the write
 * that produced it. A write acknowledged with a 2xx took effect before its answer; a write
 * whose request was sent after that answer arrived took effect later. So the file must be
 *   - the exact bytes of a write acknowledged that no other acknowledged write definitely
 *     followed (sent after its answer), or
 *   - the result of a write that was in flight at the crash (it may or may not have happened,
 *     and may have happened last), or
 *   - unchanged, when no write to it was acknowledged in this round.
 * Anything else — an older acknowledged state, a state no request produced, a torn or empty
 * file, a file an acknowledged delete removed — is a lost or corrupted write.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { Test } from 'tap'
import { call, listFiles, readIfExists, sleep } from './reliability'

export type Kind = 'create' | 'replace' | 'patch' | 'json-patch' | 'delete' | 'settings' | 'import'
export type Doc = Record<string, unknown>

export interface Op {
  tag: string
  kind: Kind
  /** The file it writes: `<collection>/<id>` (the file is `<key>.json`), or `<collection>/.collection` for settings. */
  key: string
  /**
   * create/replace/settings/import: the whole file's content, parsed; patch and json-patch: the
   * change as a merge patch (a JSON patch here only adds members, so it has one).
   */
  sent?: Doc
  sentAt: number
  ackAt?: number
  /** acked: a 2xx arrived, body included; refused: a 404/409 said nothing changed; unknown: in flight at the crash. */
  outcome: 'acked' | 'refused' | 'unknown'
  status?: number
  /** For acked writes: the bytes the file must hold (those the server answered with, for documents), null for a delete. */
  result?: string | null
  error?: string
}

/** The tag of the write a file's content names. */
export function tagOf (doc: Doc): unknown {
  return doc.w ?? (doc.schema as Doc | undefined)?.$comment
}

export function mergePatch (target: Doc, patch: Doc): Doc {
  const out: Doc = { ...target }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = v
  }
  return out
}

export function describeDisk (bytes: string | null): string {
  if (bytes === null) return 'absent'
  try {
    const doc = JSON.parse(bytes) as Doc
    return `w=${String(tagOf(doc))} (${bytes.length} bytes)`
  } catch {
    return `unparseable (${bytes.length} bytes: ${JSON.stringify(bytes.slice(0, 40))}…)`
  }
}

function describeOp (op: Op): string {
  return `${op.kind} ${op.tag}${op.status === undefined ? '' : ` → ${op.status}`}`
}

const isPatch = (op: Op): boolean => op.kind === 'patch' || op.kind === 'json-patch'

/** Explains `disk` (the file's bytes, null when absent) by the history of one key, or says why it cannot. */
export function explain (key: string, disk: string | null, baseline: string | null, ops: Op[]): string | undefined {
  const mine = ops.filter((o) => o.key === key)
  const acked = mine.filter((o) => o.outcome === 'acked')
  const unknown = mine.filter((o) => o.outcome === 'unknown')
  // Acknowledged writes that no other acknowledged write definitely followed.
  const latest = acked.filter((x) => !acked.some((y) => y.sentAt > (x.ackAt as number)))

  if (latest.some((x) => x.result === disk)) return undefined
  if (acked.length === 0 && disk === baseline) return undefined
  if (disk === null && unknown.some((o) => o.kind === 'delete')) return undefined

  let doc: Doc | undefined
  if (disk !== null) {
    try { doc = JSON.parse(disk) as Doc } catch {}
  }
  const inFlight = doc === undefined ? undefined : unknown.find((o) => o.tag === tagOf(doc))
  if (doc !== undefined && inFlight !== undefined) {
    if (!isPatch(inFlight)) {
      if (isDeepStrictEqual(doc, inFlight.sent)) return undefined
    } else {
      // A patch in flight applied to any state the document may have had then.
      const priors = new Map<string, Doc>()
      const add = (d: Doc): void => { priors.set(JSON.stringify(Object.entries(d).sort()), d) }
      if (baseline !== null) add(JSON.parse(baseline) as Doc)
      for (const o of acked) if (o.result !== null && o.result !== undefined) add(JSON.parse(o.result) as Doc)
      for (const o of unknown) if (o.kind === 'create' || o.kind === 'replace') add(o.sent as Doc)
      const patches = unknown.filter(isPatch)
      for (let i = 0; i < patches.length && priors.size < 5000; i++) {
        for (const d of [...priors.values()]) for (const p of patches) add(mergePatch(d, p.sent as Doc))
      }
      for (const prior of priors.values()) {
        if (isDeepStrictEqual(doc, mergePatch(prior, inFlight.sent as Doc))) return undefined
      }
    }
  }

  const origin = doc === undefined ? undefined : mine.find((o) => o.tag === tagOf(doc))
  const why = disk !== null && doc === undefined
    ? 'the file is torn or corrupt'
    : origin?.outcome === 'acked' && !latest.includes(origin)
      ? `it holds ${origin.tag}, an acknowledged write that a later acknowledged write replaced${latest.some((o) => o.kind === 'delete') ? ' or DELETED' : ''}: that later write was LOST`
      : origin?.outcome === 'acked'
        ? `it holds ${origin.tag} but not the bytes the server acknowledged`
        : disk === null
          ? 'the file is gone, yet no delete could have been last'
          : doc !== undefined && tagOf(doc) === (baseline === null ? undefined : tagOf(JSON.parse(baseline) as Doc))
            ? 'it still holds the state from before this round: the acknowledged writes were LOST'
            : 'no request could have produced this state'
  return `${key}: on disk ${describeDisk(disk)} — ${why}. Acknowledged and not superseded: [${latest.map(describeOp).join(', ')}]; ` +
    `in flight at the crash: [${unknown.map(describeOp).join(', ')}]`
}

/**
 * The checks after a restart, on the folder the service's DATA_DIR is stored in: every `*.json`
 * parses, none is a file no request named, every key's file is explained by its history (see
 * above), and the restarted service at `url` serves each document of `served` as it is on disk.
 * Returns each key's bytes (the next round's baseline) and how many files were lost or torn.
 */
export async function checkVolume (t: Test, label: string, options: {
  dir: string
  url: string
  keys: readonly string[]
  served: readonly string[]
  baseline: Map<string, string | null>
  ops: Op[]
  /** Reads answered 503 by the idle restarted service (retried, as a client would). */
  idle503: string[]
}): Promise<{ disk: Map<string, string | null>, lost: number }> {
  const { dir, keys, ops } = options
  const unparseable: string[] = []
  const strays: string[] = []
  for (const path of await listFiles(dir)) {
    if (!path.endsWith('.json')) continue
    const text = await readFile(join(dir, path), 'utf8')
    try { JSON.parse(text) } catch { unparseable.push(`${path} (${text.length} bytes)`) }
    if (!keys.includes(path.replace(/\.json$/, ''))) strays.push(path)
  }
  t.same(unparseable, [], `${label}: every *.json file parses`)
  t.same(strays, [], `${label}: no document file that no request named`)

  const disk = new Map<string, string | null>()
  for (const key of keys) disk.set(key, (await readIfExists(join(dir, `${key}.json`))) ?? null)
  const lost: string[] = []
  for (const key of keys) {
    const problem = explain(key, disk.get(key) ?? null, options.baseline.get(key) ?? null, ops)
    if (problem !== undefined) lost.push(problem)
  }
  const acked = ops.filter((o) => o.outcome === 'acked').length
  const inFlight = ops.filter((o) => o.outcome === 'unknown').length
  t.same(lost, [], `${label}: every file is its last acknowledged state or a write in flight at the crash ` +
    `(${ops.length} writes: ${acked} acknowledged, ${inFlight} in flight)`)

  const served: string[] = []
  for (const key of options.served) {
    const [collection, id] = key.split('/') as [string, string]
    const url = `${options.url}/v1/collections/${collection}/documents/${id}`
    let answer = await call(url, 'GET')
    // A 503 (shed while the restarted service settles) is retried until a deadline, not a count of
    // tries: a busy machine settles slower. Each one is noted; only the final answer is judged.
    for (const started = Date.now(); answer.status === 503 && Date.now() - started < 60_000;) {
      options.idle503.push(`${key}: ${answer.text.slice(0, 160)}`)
      await sleep(100)
      answer = await call(url, 'GET')
    }
    const bytes = disk.get(key) ?? null
    if (bytes === null ? answer.status !== 404 : answer.status !== 200 || answer.text !== bytes) {
      served.push(`${key}: served ${answer.status} ${describeDisk(answer.status === 200 ? answer.text : null)}, disk ${describeDisk(bytes)}`)
    }
  }
  t.same(served, [], `${label}: after restart every document is served as it is on disk`)
  return { disk, lost: lost.length }
}
