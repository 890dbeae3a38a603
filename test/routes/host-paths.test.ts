import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import t from 'tap'

/*
 * A message that asks the user to fix a folder names it as the host knows it
 * too (issue 28, item 2): in the container DATA_DIR is /data, on the host
 * ./volumes/data, and the chown must be typed on the host.
 */

const repoRoot = resolve(__dirname, '../..')

t.test('check names a folder it cannot write both ways, and the chown takes the host path', async (t) => {
  // As root, mode bits bind nobody: the probe runs as uid 65534 instead.
  const asRoot = process.getuid?.() === 0
  const child = spawnSync(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'test/helpers/host-path-probe.ts')], {
    encoding: 'utf8', cwd: tmpdir(), env: { ...process.env, HOME: tmpdir() }, ...(asRoot ? { uid: 65534, gid: 65534 } : {})
  })
  t.equal(child.status, 0, child.stderr)
  const seen = JSON.parse(child.stdout) as { dataDir: string, uid: number, collection: string, whole: string }
  const ids = `${seen.uid}:${seen.uid}`
  t.match(seen.collection, `The folder ${seen.dataDir}/npmcoll (on the host: ./volumes/data/npmcoll) is not writable by uid ${seen.uid}`, 'a collection folder: both names')
  t.match(seen.collection, `sudo chown -R ${ids} ./volumes/data/npmcoll"`, 'the fix names the host folder')
  t.match(seen.whole, `DATA_DIR ${seen.dataDir} (on the host: ./volumes/data) is not writable by uid ${seen.uid}`, 'DATA_DIR: both names')
  t.match(seen.whole, `sudo chown -R ${ids} ./volumes/data"`, 'the fix names the host folder')
})

t.test('the host name of a path: under DATA_DIR only, and only when one is set', async (t) => {
  const { bothNames, hostPathOf, nameOnHost } = await import('../../plugins/engine/host-paths')
  nameOnHost('/srv/data-x', './volumes/data/')
  t.equal(hostPathOf('/srv/data-x'), './volumes/data')
  t.equal(hostPathOf('/srv/data-x/notes'), './volumes/data/notes')
  t.equal(hostPathOf('/srv/data-xy'), undefined, 'a sibling folder is not under it')
  t.equal(hostPathOf('/srv'), undefined)
  t.equal(bothNames('/srv/data-x/notes'), '/srv/data-x/notes (on the host: ./volumes/data/notes)')
  t.equal(bothNames('/elsewhere'), '/elsewhere', 'no host name: the path alone')
  nameOnHost('/srv/data-x', '')
  t.equal(hostPathOf('/srv/data-x/notes'), undefined, 'an empty DATA_DIR_ON_HOST forgets it')
  nameOnHost('/same', '/same')
  t.equal(bothNames('/same/a'), '/same/a', 'a host that names it the same: said once')
  nameOnHost('/same', '')
})
