import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ConfigSchema } from '../../schemas/config'

const root = join(__dirname, '..', '..')

t.test('the README\'s configuration table lists every variable of the config schema, with its default', async (t) => {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const rows = new Map<string, string>()
  for (const match of readme.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)) rows.set(match[1] as string, (match[2] as string).trim())
  const properties = ConfigSchema.properties as Record<string, { default: unknown }>
  t.same([...rows.keys()].sort(), Object.keys(properties).sort(), 'same variables')
  for (const [name, schema] of Object.entries(properties)) {
    const shown = rows.get(name) ?? ''
    const expected = schema.default === '' ? 'empty' : `\`${String(schema.default)}\``
    t.ok(shown.startsWith(expected), `${name}: README says ${shown}, the schema's default is ${expected}`)
  }
})

t.test('the README\'s test command is the one CI runs', async (t) => {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const ci = await readFile(join(root, '.ci', 'run'), 'utf8')
  const command = /## Test it\n\n```sh\n(.+)\n```/.exec(readme)?.[1]
  t.ok(command, 'the README gives a test command')
  t.match(ci, `TEST_COMMAND='${command ?? ''}'`)
})
