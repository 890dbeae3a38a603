import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import t from 'tap'
import { runImport } from '../../app/cli'
import { loadConfig } from '../../app/config'
import { tempDir } from '../helpers/app'

/*
 * The import command as a new user meets it (issue 28, items 3 and 10): one
 * line per collection and a total at the end; a file it cannot find is
 * explained (in the container it sees only the mounted folder).
 */

function collect (): { out: PassThrough, text: () => string } {
  const out = new PassThrough()
  let text = ''
  out.on('data', (chunk: Buffer) => { text += chunk.toString() })
  return { out, text: () => text }
}

t.test('one "importing" line per collection, in the order read, then the total', async (t) => {
  const dataDir = await tempDir(t)
  const file = join(await tempDir(t), 'db.json')
  const db = {
    comments: Array.from({ length: 2279 }, (_, i) => ({ id: i + 1, body: `c${i}`, postId: 1 })),
    posts: [{ id: 1, title: 'hello' }],
    profile: { name: 'typicode' }
  }
  await writeFile(file, JSON.stringify(db))
  const { out, text } = collect()
  t.equal(await runImport([file], loadConfig({ DATA_DIR: dataDir }), out), 0)
  const lines = text().trim().split('\n')
  t.comment(lines.join('\n'))
  const importing = lines.filter((line) => line.startsWith('importing '))
  t.same(importing, ['importing comments: 2,279 documents', 'importing posts: 1 document', 'importing json-server-singular: 1 document'], 'each collection once, with its final count')
  t.notOk(lines.some((line) => /^importing comments: (?!2,279 )/.test(line)), 'never a partial count under "importing"')
  t.match(lines[lines.length - 1], /^imported 2,281 documents into 3 collection\(s\) in [\d.]+ s: /, 'the total comes last')
  t.ok(lines.every((line) => /^(reading|importing|imported) /.test(line)), 'nothing else')
})

t.test('a file the command cannot find: where it looked, and, under compose, where to put it', async (t) => {
  const dataDir = await tempDir(t)
  const { out, text } = collect()
  t.equal(await runImport(['db.json'], loadConfig({ DATA_DIR: dataDir, DATA_DIR_ON_HOST: './volumes/data' }), out), 1)
  t.match(text(), /^import failed: there is no file "db\.json" \(looked for \/[^)]*\/db\.json\)\. /)
  t.match(text(), `The command runs in the container, which sees only the folder mounted at ${dataDir}: put the file in ./volumes/data on the host, and name it as the container sees it: import ${dataDir}/db.json.`)
  t.notMatch(text(), /ENOENT/, 'not the system call\'s error')

  const plain = collect()
  t.equal(await runImport(['nowhere/db.json'], loadConfig({ DATA_DIR: dataDir }), plain.out), 1)
  t.match(plain.text(), /^import failed: there is no file "nowhere\/db\.json" \(looked for \/.*nowhere\/db\.json\)\.\n$/, 'without a host name: where it looked, nothing about containers')
})
