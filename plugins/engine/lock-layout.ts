// Where each lock lives in the lock file, and the steps a claim of each kind takes (plugins/engine/volume-locks.ts runs them).
import { createHash } from 'node:crypto'

/**
 * Each kind of lock has its own region of the lock file, so that a hash
 * collision can only make two locks of one kind one lock (slower, never
 * wrong) and never create a wait cycle between kinds.
 */
const REGION = { document: 1, gate: 2, turnstile: 3, stage: 4 } as const
const REGION_SIZE = 2 ** 48

const offsets = new Map<string, number>()

export function lockOffset (kind: keyof typeof REGION, key: string): number {
  const name = `${kind}:${key}`
  let offset = offsets.get(name)
  if (offset === undefined) {
    offset = REGION[kind] * REGION_SIZE + createHash('sha256').update(key).digest().readUIntBE(0, 6)
    if (offsets.size >= 10_000) offsets.clear()
    offsets.set(name, offset)
  }
  return offset
}

/**
 * What a claim does, in order: queue inside this process for a lock
 * (`queue`), take a kernel lock (`lock`), or let go of one already passed
 * (`pass`: the kernel lock and its queue place, e.g. a turnstile).
 */
export type Op =
  | { op: 'queue', offset: number }
  | { op: 'lock', offset: number, exclusive: boolean }
  | { op: 'pass', offset: number }

/** A document write: its own place first, then through the turnstile to the gate (shared), then the document. */
export function documentOps (collection: string, name: string): Op[] {
  const doc = lockOffset('document', `${collection}/${name}`)
  const turnstile = lockOffset('turnstile', collection)
  return [
    { op: 'queue', offset: doc },
    { op: 'queue', offset: turnstile },
    { op: 'lock', offset: turnstile, exclusive: true },
    { op: 'lock', offset: lockOffset('gate', collection), exclusive: false },
    { op: 'pass', offset: turnstile },
    { op: 'lock', offset: doc, exclusive: true }
  ]
}

/** Whole collections: turnstile and gate of each, kept, in one global order (by gate offset) so that two such claims never wait on each other in a cycle. */
export function collectionOps (collections: string[]): Op[] {
  const gates = [...new Set(collections)].map((c) => ({ c, gate: lockOffset('gate', c) })).sort((a, b) => a.gate - b.gate)
  const seen = new Set<number>()
  const ops: Op[] = []
  for (const { c, gate } of gates) {
    if (seen.has(gate)) continue // two names, one hashed gate: already ours (locking it twice on one description would merge)
    seen.add(gate)
    const turnstile = lockOffset('turnstile', c)
    ops.push({ op: 'queue', offset: turnstile }, { op: 'lock', offset: turnstile, exclusive: true }, { op: 'lock', offset: gate, exclusive: true })
  }
  return ops
}

export function stageOps (stage: string): Op[] {
  const offset = lockOffset('stage', stage)
  return [{ op: 'queue', offset }, { op: 'lock', offset, exclusive: true }]
}
