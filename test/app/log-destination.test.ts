import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import t from 'tap'
import { stdoutLogDestination } from '../../app/log-destination'

t.test('the log lines of one event-loop turn reach stdout in one write, as soon as the turn ends', async (t) => {
  const writes: string[] = []
  const destination = stdoutLogDestination({ write: (text) => writes.push(text) })
  destination.write('{"msg":"incoming request"}\n')
  destination.write('{"msg":"request completed"}\n')
  destination.write('{"msg":"incoming request"}\n')
  t.same(writes, [], 'nothing is written in the middle of the turn')
  await nextTurn()
  t.same(writes, ['{"msg":"incoming request"}\n{"msg":"request completed"}\n{"msg":"incoming request"}\n'], 'one write after it, every line in order')
  destination.write('{"msg":"later"}\n')
  await nextTurn()
  t.equal(writes.length, 2, 'the next turn writes again')
})

t.test('lines still pending when the process exits are written on the way out', async (t) => {
  const script = `
    const { stdoutLogDestination } = require(${JSON.stringify(join(__dirname, '..', '..', 'app', 'log-destination.ts'))})
    const destination = stdoutLogDestination()
    for (let i = 0; i < 3; i++) destination.write(JSON.stringify({ i }) + '\\n')
    process.exit(3)
  `
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: join(__dirname, '..', '..') })
  t.equal(child.status, 3, child.stderr)
  t.equal(child.stdout, '{"i":0}\n{"i":1}\n{"i":2}\n', 'all three lines, though process.exit() came in the same turn')
})
