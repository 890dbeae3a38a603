import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import t from 'tap'

/*
 * A wait shown in the docs ends (issue 28, item 11): `until curl …/health/ready; do sleep; done`
 * loops forever when the container has exited, so every such loop in README.md and docs/ also
 * gives up (a count, a timeout) and says what to look at (the container's log).
 */

const repoRoot = resolve(__dirname, '../..')

t.test('every readiness wait in the docs is bounded and points at the log', async (t) => {
  const pages = ['README.md', ...(await readdir(join(repoRoot, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  let loops = 0
  for (const page of pages) {
    const text = await readFile(join(repoRoot, page), 'utf8')
    for (const match of text.matchAll(/until [^\n]*health\/ready[^\n]*; do([\s\S]*?)done/g)) {
      loops++
      const body = match[1] ?? ''
      t.match(body, /-lt \d+|timeout/, `${page}: "${match[0].split('\n')[0]}" gives up`)
      t.match(body, /docker (compose )?logs/, `${page}: and shows the log when it does`)
    }
  }
  t.ok(loops > 0, `found ${loops} readiness loops`)
})
