import type { Test } from 'tap'

/**
 * The one rule for tests whose prerequisites may be missing (an engine, a
 * browser, root, a corpus): `missing` says what is missing and how to get it,
 * undefined when nothing is. On a user's machine the test is skipped with that
 * reason; under CI=true it fails, since a guarantee never tested is none
 * (.ci/run installs every prerequisite, so there a missing one is a bug).
 */
export function prerequisiteTest (tap: Test, name: string, missing: string | undefined, fn: (t: Test) => Promise<void>): void {
  if (missing === undefined) {
    tap.test(name, fn)
  } else if (process.env.CI === 'true') {
    tap.test(name, async (t) => { t.fail(`${missing}; CI=true, so this cannot be skipped: .ci/run must provide it`) })
  } else {
    tap.test(name, { skip: `${missing} (under CI=true this fails instead of skipping)` }, fn)
  }
}

/** A whole test file behind prerequisites: `suite` declares its tests when nothing is missing; else one test stands for them, by the rule above. */
export function prerequisiteSuite (tap: Test, name: string, missing: string | undefined, suite: () => Promise<void>): void {
  if (missing === undefined) void suite()
  else prerequisiteTest(tap, name, missing, async () => {})
}
