import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Test } from 'tap'
import { prerequisiteTest } from './prerequisites'

/**
 * The public conformance corpora (read-only, unchanged): `../shared/conformance` beside the
 * repository, else the machine's /work/shared (a CI clone may live elsewhere), or
 * JSONDOCK_CONFORMANCE_DIR.
 */
export const CONFORMANCE_DIR = process.env.JSONDOCK_CONFORMANCE_DIR ??
  [resolve(__dirname, '..', '..', '..', 'shared', 'conformance'), '/work/shared/conformance'].find((dir) => existsSync(dir)) ??
  resolve(__dirname, '..', '..', '..', 'shared', 'conformance')

/** Declares a test that reads the corpus folder `folder`: a prerequisite (prerequisites.ts). */
export function corpusTest (tap: Test, name: string, folder: string, fn: (t: Test, dir: string) => Promise<void>): void {
  const dir = join(CONFORMANCE_DIR, folder)
  const missing = existsSync(dir) ? undefined : `${dir} is missing: put the shared/conformance corpora beside the repository`
  prerequisiteTest(tap, name, missing, async (t) => { await fn(t, dir) })
}

/** The value at a JSON pointer in `doc`, or undefined when nothing is there. */
export function atPointer (doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc
  let value: unknown = doc
  for (const token of pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, token)) return undefined
    value = (value as Record<string, unknown>)[token]
  }
  return value
}
