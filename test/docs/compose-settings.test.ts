import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helpers/app'
import { dockerUnavailable, repoRoot, run } from '../helpers/docker'
import { prerequisiteSuite } from '../helpers/prerequisites'

/*
 * compose.yaml as a new user meets it (issue 28, items 5 and 6): `up` rebuilds
 * what changed (pull_policy: build, so a `git pull` is not followed by the old
 * image), and a `.env` beside it keeps a setting for every later command.
 * Compose itself resolves the file (`docker compose config`): no engine work.
 */

interface Resolved { services: Record<string, { pull_policy?: string, image?: string, ports?: Array<{ published: string }> }> }

async function resolved (t: Parameters<typeof tempDir>[0], env: Record<string, string>, dotEnv?: string): Promise<Resolved> {
  const dir = await tempDir(t, 'jsondock-compose-config-')
  await copyFile(join(repoRoot, 'compose.yaml'), join(dir, 'compose.yaml'))
  if (dotEnv !== undefined) await writeFile(join(dir, '.env'), dotEnv)
  // Only what this test sets: the caller's PORT or JSONDOCK_PULL_POLICY would hide what the file says.
  const { PORT: _port, JSONDOCK_PULL_POLICY: _policy, ...base } = process.env
  const out = await run('docker', ['compose', 'config', '--format', 'json'], { cwd: dir, env: { ...base, ...env } })
  if (out.code !== 0) throw new Error(`docker compose config failed: ${out.stderr}`)
  return JSON.parse(out.stdout) as Resolved
}

prerequisiteSuite(t, 'compose.yaml as compose resolves it', dockerUnavailable(), async () => {
  t.test('api is built on every up (from cache when nothing changed); the image name the suites use stays', async (t) => {
    const config = await resolved(t, {})
    t.equal(config.services.api?.pull_policy, 'build', 'pull_policy: build, so `up` never runs an image older than the sources')
    t.equal(config.services.api?.image, 'jsondock:0.1.0', 'the image keeps its name (check, seed and the test suites use it)')
    t.equal(config.services.check?.image, 'jsondock:0.1.0')
    t.equal((await resolved(t, { JSONDOCK_PULL_POLICY: 'missing' })).services.api?.pull_policy, 'missing', 'the suites keep the image they built')
  })

  t.test('a .env beside compose.yaml holds for every command; the docs say so', async (t) => {
    const config = await resolved(t, {}, '# comments are fine\nPORT=3100\n')
    t.equal(config.services.api?.ports?.[0]?.published, '3100', 'PORT from .env, with nothing on the command line')
    t.equal((await resolved(t, { PORT: '3200' }, 'PORT=3100\n')).services.api?.ports?.[0]?.published, '3200', 'the shell still wins')
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
    const docker = await readFile(join(repoRoot, 'docs', 'docker.md'), 'utf8')
    t.match(readme, /`\.env` file beside\s+compose\.yaml/, 'README.md tells where to keep PORT')
    t.match(docker, /# \.env — settings compose uses on every command/, 'docs/docker.md shows a commented .env')
    t.match(await readFile(join(repoRoot, 'compose.yaml'), 'utf8'), /go in a `\.env` file beside this one/, 'compose.yaml says it too')
  })
})
