/**
 * The file-lock addon that ships beside the bundle (native/<platform>-<arch>/)
 * must load on the image's musl (node:26-alpine) as well as on glibc. Its
 * prebuild is linked against glibc's libc.so.6, which musl's dynamic loader
 * resolves to itself; what is left is every C library symbol it uses. CI
 * builds the image on a glibc stand-in, so musl is checked here, with
 * Debian's musl loader (`apt-get install musl`, done by .ci/run): it must
 * resolve every symbol but those Node.js itself provides (napi_*, uv_*).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t from 'tap'
import { prerequisiteTest } from './helpers/prerequisites'
import { serviceBundle } from './helpers/process'

const MUSL_LOADER = '/lib/ld-musl-x86_64.so.1'

t.test('the addon ships beside the bundle, for both Linux architectures', async (t) => {
  const addon = join(dirname(await serviceBundle()), 'native', 'linux-x64', 'fs-native-extensions.node')
  t.ok(existsSync(addon), 'shipped for linux-x64 beside the bundle')
  t.ok(existsSync(join(dirname(addon), '..', 'linux-arm64', 'fs-native-extensions.node')), 'and for linux-arm64')
})

prerequisiteTest(t, 'every C library symbol the addon needs is in musl', existsSync(MUSL_LOADER) ? undefined : `${MUSL_LOADER} is missing: apt-get install musl (.ci/run does)`, async (t) => {
  const addon = join(dirname(await serviceBundle()), 'native', 'linux-x64', 'fs-native-extensions.node')
  const listed = spawnSync(MUSL_LOADER, ['--list', addon], { encoding: 'utf8' })
  const output = `${listed.stdout}${listed.stderr}`
  t.match(output, /libc\.so\.6 => \/lib\/ld-musl-x86_64\.so\.1/, 'musl stands in for glibc\'s libc.so.6')
  const missing = [...output.matchAll(/Error relocating [^:]+: ([A-Za-z0-9_]+): symbol not found/g)].map((m) => m[1] as string)
  const libc = missing.filter((symbol) => !/^(napi|uv)_/.test(symbol))
  t.comment(`unresolved under musl: ${missing.length} Node.js symbols (napi_*, uv_*), ${libc.length} others`)
  t.ok(missing.length > 0, 'the check sees unresolved symbols at all (Node.js\'s own)')
  t.same(libc, [], 'every C library symbol the addon needs is in musl')
})
