import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { dockerUnavailable, repoRoot, run, type CommandResult } from '../helpers/docker'
import { prerequisiteSuite } from '../helpers/prerequisites'

// .ci/stand-in-base.sh on the real engine, under throw-away names (JSONDOCK_STANDIN_REPO and
// JSONDOCK_STANDIN_BASE_TAG), so the stand-in that node:26-alpine names here is never touched:
// what it says it did is what the engine then holds, when it tags the stand-in as the base and
// when a real image already holds the base's tag.
const MAJOR = '26'
const LABEL = 'io.jsondock.ci.standin'

async function imageId (name: string): Promise<string> {
  const inspected = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', name])
  return inspected.code === 0 ? inspected.stdout.trim() : ''
}

async function suite (): Promise<void> {
  const prefix = `jsondock-standin-test-${randomBytes(4).toString('hex')}`
  const repo = `${prefix}/node-standin`
  const base = `${prefix}/node:${MAJOR}-alpine`
  const standIn = `${repo}:${MAJOR}`
  const script = async (env: Record<string, string> = {}): Promise<CommandResult> =>
    await run('bash', [join(repoRoot, '.ci', 'stand-in-base.sh'), MAJOR], { cwd: repoRoot, env: { JSONDOCK_STANDIN_REPO: repo, JSONDOCK_STANDIN_BASE_TAG: base, ...env } })
  // Untags only: the stand-in image itself stays while another name (node:26-alpine) holds it.
  t.teardown(async () => { await run('docker', ['image', 'rm', standIn, base]) })

  const says = (t: Test, result: CommandResult, what: string): string[] => {
    if (!t.equal(result.code, 0, what)) t.comment(result.stderr.slice(-3000))
    t.equal(result.stdout.trim().split('\n').pop(), standIn, 'its last line on stdout is the stand-in\'s name')
    return result.stderr.split('\n').filter((line) => line.startsWith('[stand-in-base]'))
  }

  t.test('no image holds the base tag: a stand-in is built and tagged as the base, and it says so', async (t) => {
    t.equal(await imageId(base), '', `${base} is not there yet`)
    // Forced, so the "built" line is what is checked (a cache hit takes the same tagging path).
    const lines = says(t, await script({ JSONDOCK_STANDIN_FORCE: '1' }), 'the script succeeds')
    const id = await imageId(standIn)
    t.not(id, '', `${standIn} exists`)
    t.equal(await imageId(base), id, `${base} is the stand-in`)
    t.equal((await run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, id])).stdout.trim(), 'true', 'labelled as the stand-in')
    const built = lines.find((line) => line.startsWith('[stand-in-base] built '))
    t.match(built, `[stand-in-base] built ${standIn} = ${base} (`, `it reports what it tagged: ${built ?? '(no "built" line)'}`)
    t.notOk(lines.some((line) => line.includes('WARNING')), 'no warning')
    t.comment(lines.join('\n'))
  })

  t.test('a real image holds the base tag: it is left untouched, and the script says only that', async (t) => {
    // A "real" base: an image the script did not make (no stand-in label), imported from an empty archive.
    const imported = await run('sh', ['-c', `tar -cf - -T /dev/null | docker import - ${base}`])
    t.equal(imported.code, 0, `${base} is a real image now`)
    const realId = await imageId(base)
    const lines = says(t, await script(), 'the script succeeds')
    t.equal(await imageId(base), realId, `${base} still is the real image`)
    const id = await imageId(standIn)
    t.not(id, realId, `${standIn} is the stand-in, not the real image`)
    t.equal((await run('docker', ['image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, id])).stdout.trim(), 'true')
    t.ok(lines.includes(`[stand-in-base] WARNING: ${base} exists locally and is not a stand-in (a real image?): left untouched; use --build-arg NODE_IMAGE=${standIn}`), 'it warns that it left the real image alone')
    const summary = lines.find((line) => / (built|cached:) /.test(line)) ?? ''
    t.match(summary, `${standIn} only (${base} is a real image, kept)`, `its summary names only the stand-in: ${summary}`)
    t.notOk(summary.includes(`= ${base}`), 'and never claims the base tag')
    t.comment(lines.join('\n'))
  })
}

prerequisiteSuite(t, 'the stand-in base script', dockerUnavailable(), suite)
