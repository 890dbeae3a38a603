/**
 * The order of system calls behind every acknowledged write: the service bundle runs under
 * `strace -f -yy` (every thread: the fsyncs run on libuv's pool), one request at a time on a
 * connection of its own, and for each write path the trace must show, before the answer's first
 * byte is written to that connection: the new file written, fsynced, renamed or linked into
 * place (or the file unlinked, the folder made or removed), and the folder then fsynced.
 * LazyFS (power-loss.test.ts) cannot lose directory entries; this is the proof of the folder
 * fsyncs. See docs/reliability.md.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { dirname, join } from 'node:path'
import t from 'tap'
import { serviceBundle, startServer } from '../helpers/process'
import { prerequisiteTest } from '../helpers/prerequisites'
import { scratchDir } from '../helpers/reliability'
import { answerOn, created, durablyReplaced, fileSynced, folderSynced, lastChange, parseTrace, pathArgs, syncedBetween, TRACED, type Call } from '../helpers/strace'

/** Why strace cannot trace here, or undefined. */
function straceProbe (): string | undefined {
  if (process.platform !== 'linux') return `strace needs Linux (this is ${process.platform})`
  if (spawnSync('strace', ['-V']).error !== undefined) {
    if (process.getuid?.() !== 0) return 'strace is not installed (apt-get install strace, or run .ci/lazyfs-setup.sh as root)'
    try {
      execFileSync('bash', [join(__dirname, '..', '..', '.ci', 'lazyfs-setup.sh')], { stdio: 'ignore' })
    } catch {
      return 'strace is not installed and .ci/lazyfs-setup.sh could not install it'
    }
  }
  const probe = spawnSync('strace', ['-f', '-qq', '-e', 'trace=fsync', 'true'], { encoding: 'utf8' })
  return probe.status === 0 ? undefined : `strace cannot trace here (${probe.stderr.trim()}): ptrace is not allowed`
}

/** One request on a new connection; with the client's port, to find the answer in the trace. */
async function exchange (url: string, method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number, text: string, port: number }> {
  return await new Promise((resolve, reject) => {
    const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    const req = request(new URL(path, url), {
      method,
      agent: false,
      headers: { connection: 'close', ...(bytes === undefined ? {} : { 'content-type': type, 'content-length': String(bytes.length) }) }
    }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, port }))
    })
    let port = 0
    req.once('socket', (socket) => socket.once('connect', () => { port = socket.localPort ?? 0 }))
    req.once('error', reject)
    req.end(bytes)
  })
}

prerequisiteTest(t, 'every write path makes its change durable, in order, before it answers', straceProbe(), async (t) => {
  const dataDir = await scratchDir(t, 'jsondock-strace-')
  const traceFile = join(await scratchDir(t, 'jsondock-strace-log-'), 'trace.txt')
  const server = await startServer(t, await serviceBundle(), { DATA_DIR: dataDir, LOG_LEVEL: 'info' }, undefined,
    ['strace', '-f', '-qq', '-yy', '-s', '40', '-e', `trace=${TRACED.join(',')}`, '-o', traceFile])
  // The traced process is strace's child: kill it (strace then ends); killing strace would leave it running.
  const servicePid = (): number => Number((execFileSync('cat', [`/proc/${server.child.pid ?? 0}/task/${server.child.pid ?? 0}/children`], { encoding: 'utf8' })).trim().split(' ')[0])
  const pid = servicePid()
  t.teardown(() => { try { process.kill(pid, 'SIGKILL') } catch {} })

  const col = join(dataDir, 'made')
  const steps: Array<{ what: string, method: string, path: string, body?: unknown, type?: string, status: number, check: (calls: Call[], answer: Call) => string[] }> = [
    {
      what: 'collection create (PUT /v1/collections/made)', method: 'PUT', path: '/v1/collections/made', body: {}, status: 201,
      check: (calls, answer) => {
        const made = lastChange(calls, 'mkdir', col, answer)
        return made === undefined ? ['no mkdir of the collection folder'] : [...folderSynced(calls, made, answer, 'collection create'), ...durablyReplaced(calls, 'rename', join(col, '.collection.json'), answer, 'collection create: its settings')]
      }
    },
    {
      what: 'create (POST: a new file linked into place)', method: 'POST', path: '/v1/collections/made/documents', body: { id: 'a', v: 1 }, status: 201,
      check: (calls, answer) => durablyReplaced(calls, 'link', join(col, 'a.json'), answer, 'create')
    },
    {
      what: 'replace (PUT: renamed into place)', method: 'PUT', path: '/v1/collections/made/documents/a', body: { id: 'a', v: 2 }, status: 200,
      check: (calls, answer) => durablyReplaced(calls, 'rename', join(col, 'a.json'), answer, 'replace')
    },
    {
      what: 'create by PUT', method: 'PUT', path: '/v1/collections/made/documents/b', body: { id: 'b' }, status: 201,
      check: (calls, answer) => durablyReplaced(calls, 'link', join(col, 'b.json'), answer, 'create by PUT')
    },
    {
      what: 'merge patch', method: 'PATCH', path: '/v1/collections/made/documents/a', body: { v: 3 }, type: 'application/merge-patch+json', status: 200,
      check: (calls, answer) => durablyReplaced(calls, 'rename', join(col, 'a.json'), answer, 'merge patch')
    },
    {
      what: 'JSON patch', method: 'PATCH', path: '/v1/collections/made/documents/a', body: [{ op: 'add', path: '/v', value: 4 }], type: 'application/json-patch+json', status: 200,
      check: (calls, answer) => durablyReplaced(calls, 'rename', join(col, 'a.json'), answer, 'JSON patch')
    },
    {
      what: 'delete (DELETE: unlinked)', method: 'DELETE', path: '/v1/collections/made/documents/a', status: 204,
      check: (calls, answer) => {
        const gone = lastChange(calls, 'unlink', join(col, 'a.json'), answer)
        return gone === undefined ? ['no unlink of the document'] : folderSynced(calls, gone, answer, 'delete')
      }
    },
    {
      what: 'collection settings (PUT with a schema)', method: 'PUT', path: '/v1/collections/made', body: { schema: { type: 'object' } }, status: 200,
      check: (calls, answer) => durablyReplaced(calls, 'rename', join(col, '.collection.json'), answer, 'collection settings')
    },
    {
      what: 'import commit (POST /v1/import)', method: 'POST', path: '/v1/import', body: { made: [{ id: 'i1' }, { id: 'i2' }] }, status: 200,
      check: (calls, answer) => {
        const problems: string[] = []
        const moves = ['i1', 'i2'].map((id) => lastChange(calls, 'rename', join(col, `${id}.json`), answer))
        if (moves.some((m) => m === undefined)) return ['the imported documents were not renamed into the collection']
        const first = moves.reduce((a, b) => ((a as Call).start < (b as Call).start ? a : b)) as Call
        // The stage is DATA_DIR/.import-<id>/, with a folder per collection (<stage>/made/i1.json) and the marker at its top.
        const stagedDir = dirname(pathArgs(first)[0] as string)
        const stage = dirname(stagedDir)
        const marker = created(calls, `${stage}/.commit`)
        if (marker === undefined) return ['no commit marker was written in the staging folder']
        // Staged files durable, then their folder entries, before the marker; the marker and its entry durable before any move.
        const staged = (moves as Call[]).map((move) => pathArgs(move)[0] as string)
        for (const file of staged) problems.push(...fileSynced(calls, file, marker, 'import: a staged document'))
        const lastStaged = Math.max(...staged.map((file) => created(calls, file)?.end ?? Infinity))
        if (!syncedBetween(calls, stagedDir, lastStaged, marker.start)) problems.push('import: no fsync of the staged collection\'s folder between the staged documents and the commit marker')
        if (!syncedBetween(calls, stage, lastStaged, marker.start)) problems.push('import: no fsync of the staging folder between the staged documents and the commit marker')
        problems.push(...fileSynced(calls, `${stage}/.commit`, first, 'import: the commit marker', true))
        if (!syncedBetween(calls, stage, marker.end, first.start)) problems.push('import: no fsync of the staging folder between the commit marker and the first move')
        const last = moves.reduce((a, b) => ((a as Call).end > (b as Call).end ? a : b)) as Call
        problems.push(...folderSynced(calls, last, answer, 'import: the moves into the collection'))
        return problems
      }
    },
    {
      what: 'collection delete (DELETE ?force=true)', method: 'DELETE', path: '/v1/collections/made?force=true', status: 204,
      check: (calls, answer) => {
        const removed = lastChange(calls, 'rmdir', col, answer)
        return removed === undefined ? ['no rmdir of the collection folder'] : folderSynced(calls, removed, answer, 'collection delete')
      }
    }
  ]

  const answered: Array<{ port: number }> = []
  for (const step of steps) {
    const answer = await exchange(server.url, step.method, step.path, step.body, step.type)
    t.equal(answer.status, step.status, `${step.what}: answered ${step.status}`, { body: answer.text.slice(0, 300) })
    answered.push(answer)
  }
  process.kill(pid, 'SIGKILL')
  await new Promise((resolve) => server.child.exitCode !== null ? resolve(undefined) : server.child.once('exit', resolve))

  const calls = parseTrace(await readFile(traceFile, 'utf8'))
  t.ok(calls.filter((c) => c.name === 'fsync').length > 0, `the trace holds ${calls.length} calls`)
  let previous = -1
  steps.forEach((step, i) => {
    const answer = answerOn(calls, answered[i]?.port ?? -1, previous)
    if (answer === undefined) {
      t.fail(`${step.what}: its answer is not in the trace`)
      return
    }
    previous = answer.start
    const order = step.method === 'DELETE' ? 'unlink/rmdir → fsync of the folder' : 'write → fsync of the file → rename/link → fsync of the folder'
    t.same(step.check(calls, answer), [], `${step.what}: ${order}, all before the answer`)
  })
})
