import { lstat, readdir, readFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import t from 'tap'
import { baseIsStandIn, buildComposeImage, dockerUnavailable, setSuiteBudget, swarmTurn, withImageLock } from '../helpers/docker'
import { EXAMPLE_FILES, prepareExampleEnv, repoRoot, runExamples, runnableExamples, type ExampleOutcome } from '../helpers/docs'
import { prerequisiteSuite } from '../helpers/prerequisites'

// Every shell example marked `runnable` in README.md, docs/api.md, docs/docker.md and
// docs/operations.md is run, in order, one bash session per file, against a real engine
// and a real jsondock container; its output must match what the page prints under it.
// The convention is described in test/helpers/docs.ts and docs/docker.md.
//
// DOCS_EXAMPLES=docs/api.md,/tmp/copy.md runs only those files (for writing docs, and to
// prove a stale copy fails); `npx tsx test/helpers/docs.ts run <file>` prints actual outputs.

prerequisiteSuite(t, 'the documentation examples', dockerUnavailable(), async () => {
  // Every page's examples, one shell each: 2 to 5 minutes (280 s under load, seen in issue 27),
  // which tap's 300 s per file would cut short on a busier machine.
  setSuiteBudget(15 * 60_000)
  // Not beside the Swarm suite's swarm init and leave, which cut a running compose project (swarmTurn).
  const release = await swarmTurn()
  try {
    await suite()
  } finally {
    await release()
  }
})

function describe (outcome: ExampleOutcome): string {
  const first = outcome.example.code.split('\n')[0] ?? ''
  return `${outcome.example.file}:${outcome.example.line} \`${first.length > 70 ? first.slice(0, 69) + '…' : first}\``
}

async function suite (): Promise<void> {
  const started = Date.now()
  t.comment(await baseIsStandIn()
    ? 'NOTE: node:26-alpine here is the CI stand-in (.ci/stand-in-base.sh), not real Alpine; the pages say so where they show sizes.'
    : 'base image: node:26-alpine')

  const files = (process.env.DOCS_EXAMPLES ?? '').split(',').map((f) => f.trim()).filter(Boolean)
  const selected = files.length > 0 ? files : EXAMPLE_FILES
  const pages: Array<{ file: string, examples: ReturnType<typeof runnableExamples> }> = []
  for (const file of selected) {
    const path = isAbsolute(file) ? file : join(repoRoot, file)
    const shown = relative(repoRoot, path).startsWith('..') ? path : relative(repoRoot, path)
    pages.push({ file: shown, examples: runnableExamples(await readFile(path, 'utf8'), shown) })
  }

  // The image the examples use is the one `docker compose up` builds from these sources.
  const built = await buildComposeImage()
  if (!t.equal(built.code, 0, 'docker compose build (the image the examples run)')) {
    t.comment(built.stderr.slice(-3000))
    return
  }

  const counts: string[] = []
  // One file after another: they share the host's CPUs with the containers they start.
  for (const page of pages) {
    counts.push(`${page.file}: ${page.examples.length}`)
    await t.test(page.file, async (t) => {
      t.ok(page.examples.length > 0, `${page.file} has runnable examples`)
      const fileStarted = Date.now()
      const env = await prepareExampleEnv()
      let outcomes: ExampleOutcome[] = []
      let unwritable: string[] = []
      // A page that builds jsondock:0.1.0 itself keeps every other suite from re-tagging it meanwhile.
      const buildsTheImage = page.examples.some((example) => /\bdocker build\b[^\n]*jsondock:0\.1\.0/.test(example.code))
      try {
        outcomes = buildsTheImage
          ? await withImageLock(async () => await runExamples(page.examples, env))
          : await runExamples(page.examples, env)
        unwritable = await foldersNotWritable(env.dir)
      } finally {
        const notes = await env.cleanup()
        if (notes.length > 0) t.comment(`cleanup: ${notes.join('; ')}`)
      }
      for (const outcome of outcomes) {
        if (outcome.skipped !== undefined) {
          t.pass(describe(outcome), { skip: outcome.skipped })
          continue
        }
        if (!t.ok(outcome.problems.length === 0, describe(outcome))) {
          t.comment(outcome.problems.join('\n'))
        }
      }
      // A reader who runs the page in their checkout must not be left with a folder they cannot write (or delete in).
      t.same(unwritable, [], `${page.file}: the examples leave no unwritable folder in the checkout`)
      t.comment(`${page.file}: ${outcomes.length} examples in ${((Date.now() - fileStarted) / 1000).toFixed(1)} s`)
    })
  }
  t.comment(`runnable examples: ${counts.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** The folders under `dir` (volumes/data aside: it belongs to the container's uid) that their owner may not write. */
async function foldersNotWritable (dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isDirectory()) continue
    const path = join(entry.parentPath, entry.name)
    const shown = relative(dir, path)
    if (shown === 'volumes/data' || shown.startsWith('volumes/data/')) continue
    if (((await lstat(path)).mode & 0o200) === 0) found.push(shown)
  }
  return found
}
