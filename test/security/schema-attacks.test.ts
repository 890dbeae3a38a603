import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import t from 'tap'
import { json, makeApp } from '../helpers/app'

/**
 * The two attacks a user's collection schema can make (docs/security.md):
 * a pattern with catastrophic backtracking, which would freeze the event
 * loop on the next write, and a schema whose validator recurses without end,
 * which would make every write a 500.
 */

// Textbook exponential-backtracking patterns, and inputs that almost match them.
const CATASTROPHIC: Array<[string, (n: number) => string]> = [
  ['^(a+)+$', (n) => 'a'.repeat(n) + '!'],
  ['^(a|a)*b$', (n) => 'a'.repeat(n)],
  ['^(a|aa)+$', (n) => 'a'.repeat(n) + '!'],
  ['^(\\w+\\s?)*$', (n) => 'ab '.repeat(n / 3) + '!'],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', (n) => 'a'.repeat(n) + '!'],
  ['(.*a){12}$', (n) => 'a'.repeat(n) + '!']
]
// 36 characters already take V8's backtracking engine minutes on the first pattern; the rest are for linear time.
const LENGTHS = [36, 1_000, 100_000]
/**
 * A stall is the event loop held by one synchronous piece of work, so it is
 * bounded by the CPU time that work took: each write's CPU time must stay
 * under 100 ms. The wall-clock delay is measured too; on a machine shared
 * with other processes it also counts time the OS gave them (a second once
 * seemed enough; a core kept busy by another job can take more), so it is
 * held to 10 s — backtracking on these inputs would take minutes.
 */
const MAX_CPU_MS = 100
const MAX_WALL_STALL_MS = 10_000

/**
 * CPU time of the event loop's own thread, where a stall happens: the
 * process-wide figure also counts libuv's pool (the write's fsync), V8's
 * concurrent GC threads and tap's, which under CI load once added 140 ms to
 * a 10 ms write. Node 22.19+ has it; older ones fall back to the process.
 */
const threadCpuUsage = (process as { threadCpuUsage?: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage }).threadCpuUsage
function mainThreadCpu (previous?: NodeJS.CpuUsage): NodeJS.CpuUsage {
  return threadCpuUsage !== undefined ? threadCpuUsage.call(process, previous) : process.cpuUsage(previous)
}

t.test('catastrophic patterns run in linear time: the event loop never stalls, health answers throughout', async (t) => {
  const { app } = await makeApp(t)
  for (const [i, [pattern]] of CATASTROPHIC.entries()) {
    const schema = { properties: { s: { type: 'string', pattern } }, patternProperties: { [pattern]: { type: 'number' } } }
    const put = await app.inject({ method: 'PUT', url: `/v1/collections/redos${i}`, ...json({ schema }) })
    t.equal(put.statusCode, 201, `the schema with ${pattern} is accepted: ${put.body}`)
  }
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  let writing = true
  let healthChecks = 0
  const health = (async () => {
    while (writing) {
      const res = await app.inject('/health/live')
      t.equal(res.statusCode, 200, 'health answers')
      healthChecks++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  let maxCpuMs = 0
  const cpuMs = async (send: () => Promise<number>): Promise<[number, number]> => {
    const before = mainThreadCpu()
    const status = await send()
    const used = mainThreadCpu(before)
    const ms = (used.user + used.system) / 1000
    maxCpuMs = Math.max(maxCpuMs, ms)
    return [status, ms]
  }
  for (const [i, [pattern, input]] of CATASTROPHIC.entries()) {
    for (const n of LENGTHS) {
      const value = input(n)
      const [status, ms] = await cpuMs(async () => (await app.inject({ method: 'POST', url: `/v1/collections/redos${i}/documents`, ...json({ s: value }) })).statusCode)
      t.equal(status, 422, `${pattern} on ${value.length} characters: an answer, and no match`)
      t.ok(ms < MAX_CPU_MS, `${pattern} on ${value.length} characters: ${ms.toFixed(1)} ms of CPU`)
      const [keyStatus, keyMs] = await cpuMs(async () => (await app.inject({ method: 'POST', url: `/v1/collections/redos${i}/documents`, ...json({ [input(Math.min(n, 10_000))]: 'x' }) })).statusCode)
      t.ok(keyStatus < 500, `${pattern} as patternProperties on a long key: ${keyStatus}`)
      t.ok(keyMs < MAX_CPU_MS, `${pattern} as patternProperties: ${keyMs.toFixed(1)} ms of CPU`)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  writing = false
  await health
  delay.disable()
  const maxMs = delay.max / 1e6
  t.comment(`event loop delay: max ${maxMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; CPU per write: max ${maxCpuMs.toFixed(1)} ms; ${healthChecks} health checks`)
  t.ok(maxMs < MAX_WALL_STALL_MS, `the event loop never stalled ${MAX_WALL_STALL_MS} ms of wall-clock time (max ${maxMs.toFixed(1)} ms)`)
  t.ok(healthChecks > 0)
})

t.test('patterns that cannot run in linear time are refused at PUT, saying why', async (t) => {
  const { app } = await makeApp(t)
  for (const [pattern, reason] of [['^(?=a)a', /look-ahead/], ['^(a)\\1$', /back-reference/], ['(?<!a)b', /look-behind/]] as const) {
    const res = await app.inject({ method: 'PUT', url: '/v1/collections/lookaround', ...json({ schema: { properties: { s: { pattern } } } }) })
    t.equal(res.statusCode, 400, pattern)
    t.match(res.json().detail, reason, `${pattern}: ${res.json().detail as string}`)
    t.match(res.json().detail, /linear time/)
  }
})

// Ajv recurses without end on this schema (JSON-Schema-Test-Suite, draft2020-12/unevaluatedProperties.json).
const RECURSIVE = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://example.com/unevaluated-properties-with-dynamic-ref/derived',
  $ref: './baseSchema',
  $defs: {
    derived: { $dynamicAnchor: 'addons', properties: { bar: { type: 'string' } } },
    baseSchema: {
      $id: './baseSchema',
      $comment: 'unevaluatedProperties comes first so it is more likely to catch bugs with implementations that are sensitive to keyword ordering',
      unevaluatedProperties: false,
      type: 'object',
      properties: { foo: { type: 'string' } },
      $dynamicRef: '#addons',
      $defs: { defaultAddons: { $comment: 'Needed to satisfy the bookending requirement', $dynamicAnchor: 'addons' } }
    }
  }
}

t.test('a schema whose validator recurses without end is refused at PUT; found on disk, writes are 400s, not 500s', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const res = await app.inject({ method: 'PUT', url: '/v1/collections/recursive', ...json({ schema: RECURSIVE }) })
  t.equal(res.statusCode, 400)
  t.match(res.json().detail, /recurses without end/)
  t.equal((await app.inject('/v1/collections/recursive')).statusCode, 404, 'nothing was created')

  // The same schema put on the volume by hand.
  t.equal((await app.inject({ method: 'PUT', url: '/v1/collections/byhand', ...json({}) })).statusCode, 201)
  await writeFile(join(dataDir, 'byhand', '.collection.json'), JSON.stringify({ schema: RECURSIVE }))
  const write = await app.inject({ method: 'POST', url: '/v1/collections/byhand/documents', ...json({ foo: 'x' }) })
  t.equal(write.statusCode, 400, write.body)
  t.match(write.json().detail, /recurses without end/)
})
