import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { dockerUnavailable, repoRoot, run } from '../helpers/docker'
import { prerequisiteSuite } from '../helpers/prerequisites'

// The release pipeline run here end to end (scripts/publish-local.sh, which docs/docker.md runs
// too): both platforms built and pushed as one tag to a real registry on loopback, the manifest
// list read back from the registry's own HTTP API, and the arm64 image pulled and run under qemu
// until it serves, writes a document into the mounted folder and loads the lock addon (glibc and
// musl). Slow under emulation (about 1.5 min warm), so it runs beside other files (tap's 2 jobs).

const MUSL_LOADER = join(process.env.JSONDOCK_CI_CACHE ?? '/var/cache/jsondock-ci', 'musl-arm64', 'lib', 'ld-musl-aarch64.so.1')

function missing (): string | undefined {
  const docker = dockerUnavailable()
  if (docker !== undefined) return docker
  if (!existsSync('/usr/bin/docker-registry')) return 'docker-registry is missing (.ci/publish-setup.sh installs it)'
  if (!existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64')) return 'no arm64 emulation in binfmt_misc (.ci/publish-setup.sh registers qemu-user-static)'
  if (!existsSync(MUSL_LOADER)) return `${MUSL_LOADER} is missing (.ci/publish-setup.sh fetches Debian's musl for arm64)`
  return undefined
}

prerequisiteSuite(t, 'the local multi-arch publish', missing(), async () => {
  // The whole file, not only the subtest: a cold build (npm ci) plus the emulated run outlasts tap's 300 s.
  t.setTimeout(900_000)
  await t.test('scripts/publish-local.sh: two platforms, one tag, the arm64 image run under qemu', async (t) => {
    t.setTimeout(900_000)
    const name = `jsondock-publish-test-${randomBytes(3).toString('hex')}`
    const registryScript = join(repoRoot, 'scripts', 'local-registry.sh')
    const started = await run('bash', [registryScript, 'start', name])
    t.teardown(async () => { await run('bash', [registryScript, 'stop', name]) })
    if (!t.equal(started.code, 0, 'a registry starts on loopback')) { t.comment(started.stderr); return }
    const registry = started.stdout.trim()
    t.match(registry, /^127\.0\.0\.1:\d+$/, `it listens on ${registry}`)

    const published = await run('bash', [join(repoRoot, 'scripts', 'publish-local.sh'), registry, '1.2.3'], { cwd: repoRoot, timeoutMs: 840_000 })
    t.comment(published.stderr.split('\n').filter((line) => line.startsWith('[publish-local]')).join('\n'))
    if (!t.equal(published.code, 0, `scripts/publish-local.sh ${registry} 1.2.3 succeeds`)) t.comment(published.stderr.slice(-4000))
    const says = published.stdout
    t.match(says, /^built and pushed linux\/amd64$/m, 'amd64 built and pushed')
    t.match(says, /^built and pushed linux\/arm64$/m, 'arm64 built and pushed')
    t.match(says, /^MediaType: application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json$/m, 'imagetools inspect shows a manifest list')
    t.match(says, /Platform: +linux\/amd64\n +Platform: +linux\/arm64/, 'of both platforms')
    t.match(says, /^pulled linux\/arm64$/m, 'the arm64 image is pulled')
    t.match(says, /^arm64 container: linux\/arm64, \/health\/ready answers 200$/m, 'it runs as arm64 and answers /health/ready')
    t.match(says, /^PUT \/v1\/collections\/notes\/documents\/hello: 201$/m, 'a document is written through it')
    t.match(says, /^in the mounted folder: notes\/hello.json says Hello from arm64$/m, 'and lands in the mounted folder')
    t.match(says, /^lock addon on linux\/arm64 \((glibc|musl)\): loaded, and took and released a lock$/m, 'the lock addon loads and locks on arm64')
    if (/^lock addon on linux\/arm64 \(glibc\)/m.test(says)) {
      t.match(says, /^lock addon on linux\/arm64 \(musl\): every C library symbol resolves$/m, 'and arm64 musl resolves every C library symbol it needs')
    }

    // The registry itself, over its HTTP API: the tag is a manifest list of exactly the two platforms.
    const manifest = await run('curl', ['-sf', '-H', 'Accept: application/vnd.docker.distribution.manifest.list.v2+json', `http://${registry}/v2/jsondock/manifests/1.2.3`])
    t.equal(manifest.code, 0, 'the registry serves jsondock:1.2.3')
    const list = JSON.parse(manifest.stdout || '{}') as { manifests?: Array<{ platform: { os: string, architecture: string } }> }
    t.same((list.manifests ?? []).map((m) => `${m.platform.os}/${m.platform.architecture}`).sort(), ['linux/amd64', 'linux/arm64'], 'the registry holds one tag for both platforms')
    const arm64 = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `${registry}/*`])
    t.equal(arm64.stdout.trim(), '', 'the script left no local tag of the registry behind')
  })
})
