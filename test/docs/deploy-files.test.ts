import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import t from 'tap'
import { fencedBlocks, repoRoot } from '../helpers/docs'
import { DNSRR_STACK_FILE, dnsrrVariant, readStackFile } from '../helpers/swarm'

// docs/docker.md shows the deployment files of docs/deploy/ in full; a block
// under `<!-- file: PATH -->` must be that file, byte for byte. The dnsrr
// stack is generated from the main one and shown as a difference instead.
const MARKER = /<!-- file: (\S+) -->/g

async function deployFiles (dir = join(repoRoot, 'docs', 'deploy')): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...await deployFiles(path))
    else found.push(relative(repoRoot, path))
  }
  return found.sort()
}

t.test('docs/docker.md shows every deployment file as it is', async (t) => {
  const page = await readFile(join(repoRoot, 'docs', 'docker.md'), 'utf8')
  const shown: string[] = []
  for (const m of page.matchAll(MARKER)) {
    const path = m[1] as string
    shown.push(path)
    const block = fencedBlocks(page.slice((m.index ?? 0) + m[0].length))[0]
    const file = await readFile(join(repoRoot, path), 'utf8')
    t.equal(block === undefined ? undefined : block.code + '\n', file, `${path}: the page shows the file`)
  }
  t.same(shown.sort(), (await deployFiles()).filter((f) => f !== DNSRR_STACK_FILE), 'every file of docs/deploy/ is shown (the generated dnsrr stack aside)')
})

t.test('the dnsrr stack is the main stack with its three changes', async (t) => {
  t.equal(readStackFile(DNSRR_STACK_FILE), dnsrrVariant(readStackFile()), `${DNSRR_STACK_FILE} is up to date (npx tsx test/helpers/swarm.ts > ${DNSRR_STACK_FILE})`)
})
