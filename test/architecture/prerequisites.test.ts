import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers/app'

// A suite whose prerequisites are missing skips with the reason on a user's machine and fails under
// CI=true: one rule, one helper (test/helpers/prerequisites.ts), which no test file works around.
const root = resolve(__dirname, '..', '..')
const HELPER = 'test/helpers/prerequisites.ts'

function testFiles (dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) return testFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

t.test('only the prerequisites helper reads CI', async (t) => {
  const readers = testFiles('test').filter((file) => file !== HELPER && /process\.env\.CI\b|env\[['"]CI['"]\]/.test(readFileSync(join(root, file), 'utf8')))
  t.same(readers, [], `these decide on CI themselves: use ${HELPER}`)
})

t.test('a missing prerequisite: skipped with the reason, a failure under CI=true', async (t) => {
  const dir = await tempDir(t, 'jsondock-prerequisites-')
  const script = join(dir, 'suite.ts')
  const helper = relative(dir, join(root, HELPER)).replace(/\.ts$/, '')
  await writeFile(script, `import t from 'tap'\nimport { prerequisiteSuite } from '${helper}'\n` +
    "prerequisiteSuite(t, 'a suite', 'the widget is missing: apt-get install widget', async () => { t.test('never declared', async (t) => { t.fail('ran') }) })\n")
  const runIt = (ci: string | undefined): { status: number | null, out: string } => {
    const env: NodeJS.ProcessEnv = { ...process.env, TAP: '0', NODE_PATH: join(root, 'node_modules') }
    delete env.CI
    delete env.TAP_CHILD_ID
    if (ci !== undefined) env.CI = ci
    const child = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [script], { encoding: 'utf8', env, cwd: root })
    return { status: child.status, out: child.stdout + child.stderr }
  }
  const user = runIt(undefined)
  t.equal(user.status, 0, 'on a user\'s machine the file passes')
  t.match(user.out, /ok 1 - a suite # SKIP the widget is missing: apt-get install widget \(under CI=true this fails instead of skipping\)/, 'skipped, saying why')
  const ci = runIt('true')
  t.not(ci.status, 0, 'under CI=true it fails')
  t.match(ci.out, /not ok 1 - a suite/)
  t.match(ci.out, /the widget is missing: apt-get install widget; CI=true, so this cannot be skipped/, 'saying why')
})
