import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { tempDir } from '../helpers/app'
import {
  baseIsStandIn, buildComposeImage, COMPOSE_IMAGE, composeProject, dockerUnavailable, freePort, repoRoot, run, withComposeImage, type CommandResult
} from '../helpers/docker'
import { prerequisiteSuite } from '../helpers/prerequisites'
import { waitForOk } from '../helpers/wait'

// The container suite runs on a real Docker engine. On a machine without one
// it skips, saying why; under CI=true a missing engine is a failure.
// compose.yaml builds api on every `up` and `run` (pull_policy); these projects hold compose.yaml alone,
// no sources, and use the image withComposeImage built under the image lock: never rebuild it.
process.env.JSONDOCK_PULL_POLICY = 'missing'

prerequisiteSuite(t, 'the container suite', dockerUnavailable(), suite)

/** Asserts a command succeeded; its output is shown only when it did not. */
function expectSuccess (t: Test, result: CommandResult, what: string): void {
  if (!t.equal(result.code, 0, what)) t.comment(result.stderr.slice(-3000))
}

/** Compose's output without the terminal escapes it writes even to a pipe (\x1b[2K: erase the line). */
function plainText (text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
}

async function json (response: Response): Promise<Record<string, unknown>> {
  return await response.json() as Record<string, unknown>
}

async function suite (): Promise<void> {
  const standIn = await baseIsStandIn()
  t.comment(standIn
    ? 'NOTE: the base image node:26-alpine is the CI stand-in built by .ci/stand-in-base.sh (busybox + glibc Node), not real Alpine: no registry is reachable here.'
    : 'base image: node:26-alpine')

  t.test('the image builds with compose, and with the README\'s plain docker build', async (t) => {
    const built = await buildComposeImage()
    expectSuccess(t, built, 'docker compose build')
    const plain = await run('docker', ['build', '-t', 'jsondock:0.1', '.'], { cwd: repoRoot })
    expectSuccess(t, plain, 'docker build -t jsondock:0.1 .')

    const inspect = await run('docker', ['image', 'inspect', '--format', '{{json .Config}}', COMPOSE_IMAGE])
    const config = JSON.parse(inspect.stdout) as { User: string, Env: string[], ExposedPorts: Record<string, unknown>, Entrypoint: string[], Healthcheck?: { Test: string[] }, Labels: Record<string, string> }
    t.equal(config.User, 'node', 'runs as the non-root node user')
    t.ok(config.Env.includes('NODE_ENV=production'))
    t.ok(config.Env.includes('HOST=0.0.0.0'))
    t.ok(config.Env.includes('DATA_DIR=/data'))
    t.ok(config.ExposedPorts['3000/tcp'], 'exposes 3000')
    t.same(config.Entrypoint, ['node', 'server.js'], 'exec-form entrypoint: node is PID 1')
    t.equal(config.Healthcheck?.Test[0], 'CMD', 'has a HEALTHCHECK')
    t.equal(config.Labels['org.opencontainers.image.title'], 'jsondock', 'OCI labels')

    // Only the bundle, the file-lock addon and Swagger UI's static files: no node_modules, no sources, no npm cache.
    const files = await run('docker', ['run', '--rm', '--entrypoint', 'sh', COMPOSE_IMAGE, '-c',
      'ls -A /app; ls -A /app/static | wc -l; wc -c < /app/server.js; test -e /app/node_modules && echo HAS_NODE_MODULES; ls -A /root/.npm 2>/dev/null | wc -l'])
    const lines = files.stdout.trim().split('\n')
    t.same(lines.slice(0, 3), ['native', 'server.js', 'static'])
    t.notMatch(files.stdout, /HAS_NODE_MODULES/)
    const bundleBytes = Number(lines[4])
    const imageSize = Number((await run('docker', ['image', 'inspect', '--format', '{{.Size}}', COMPOSE_IMAGE])).stdout)
    const baseSize = Number((await run('docker', ['image', 'inspect', '--format', '{{.Size}}', 'node:26-alpine'])).stdout)
    const mb = (n: number): string => (n / 1024 / 1024).toFixed(1) + ' MB'
    t.comment(`bundle: ${mb(bundleBytes)}; image: ${mb(imageSize)}; added above the base${standIn ? ' (CI stand-in)' : ''}: ${mb(imageSize - baseSize)}`)
    t.ok(imageSize - baseSize < 10 * 1024 * 1024, 'the app adds less than 10 MB above its base')
  })

  t.test('docker compose up: the API over the published port, documents as files on the host', async (t) => {
    const project = await composeProject(t)
    const up = await project.compose('up', '-d', '--wait', '--no-build')
    expectSuccess(t, up, 'docker compose up -d --wait')
    const id = await project.containerId()
    t.equal((await run('docker', ['inspect', '--format', '{{.State.Health.Status}}', id])).stdout.trim(), 'healthy', 'health check says healthy')

    const base = `${project.url}/v1/collections/books/documents`
    const created = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'dune', title: 'Dune', year: 1965 }) })
    t.equal(created.status, 201)
    const createdText = await created.text()
    t.equal(await readFile(join(project.dataDir, 'books', 'dune.json'), 'utf8'), createdText, 'the host file holds exactly what was answered')

    const auto = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Emma', year: 1815 }) })
    const autoDoc = await json(auto)
    t.equal(auto.status, 201)

    const read = await fetch(`${base}/dune`)
    t.same(await json(read), { id: 'dune', title: 'Dune', year: 1965 })
    const etag = read.headers.get('etag') ?? ''

    const patched = await fetch(`${base}/dune`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json', 'if-match': etag }, body: '{"year":1966}' })
    t.equal(patched.status, 200)
    t.same(JSON.parse(await readFile(join(project.dataDir, 'books', 'dune.json'), 'utf8')), { id: 'dune', title: 'Dune', year: 1966 })

    const listed = await json(await fetch(`${base}?sort=year`))
    t.same((listed.items as Array<{ id: string }>).map((d) => d.id), [autoDoc.id, 'dune'])

    // A file edited on the host is what the API serves next.
    await writeFile(join(project.dataDir, 'books', 'dune.json'), '{\n  "id": "dune",\n  "title": "Dune (edited on the host)"\n}\n')
    t.equal((await json(await fetch(`${base}/dune`))).title, 'Dune (edited on the host)')

    const deleted = await fetch(`${base}/${String(autoDoc.id)}`, { method: 'DELETE' })
    t.equal(deleted.status, 204)
    await t.rejects(readFile(join(project.dataDir, 'books', `${String(autoDoc.id)}.json`)), { code: 'ENOENT' }, 'the file is gone from the host')

    // Hardening, as a user can check it.
    t.equal((await project.compose('exec', '-T', 'api', 'id', '-u')).stdout.trim(), '1000', 'the process runs as uid 1000')
    // app/threadpool.ts sizes libuv's pool to 16 (the pool started with the writes above): main + 16 + V8's own.
    const threads = Number(/^Threads:\s+(\d+)/m.exec((await project.compose('exec', '-T', 'api', 'cat', '/proc/1/status')).stdout)?.[1])
    t.ok(threads >= 17, `libuv's pool of 16 is running: PID 1 has ${threads} threads`)
    const write = await project.compose('exec', '-T', 'api', 'sh', '-c', 'echo x > /app/x')
    t.not(write.code, 0, 'writing to the root filesystem fails')
    t.match(write.stderr, /Read-only file system/)
    const hostConfig = JSON.parse((await run('docker', ['inspect', '--format', '{{json .HostConfig}}', id])).stdout) as {
      ReadonlyRootfs: boolean, CapDrop: string[], SecurityOpt: string[], Memory: number, PidsLimit: number, RestartPolicy: { Name: string }
    }
    t.equal(hostConfig.ReadonlyRootfs, true)
    t.same(hostConfig.CapDrop, ['ALL'])
    t.ok(hostConfig.SecurityOpt.includes('no-new-privileges:true'))
    t.ok(hostConfig.Memory > 0, 'memory limit')
    t.ok(hostConfig.PidsLimit > 0, 'pids limit')
    t.equal(hostConfig.RestartPolicy.Name, 'unless-stopped')

    // down, then up: every document is still there.
    t.equal((await project.compose('down')).code, 0)
    t.equal((await project.compose('up', '-d', '--wait', '--no-build')).code, 0)
    t.equal((await json(await fetch(`${base}/dune`))).title, 'Dune (edited on the host)', 'documents survive down/up')

    // stop: SIGTERM, drained, exit 0 inside the grace period. Exit code 0 is the proof (past the
    // grace period compose kills: 137), whatever the load; the wall time of the compose CLI (once
    // held to 3 s) counts the engine's and the CLI's own work too, so it is only reported.
    const stop = await project.compose('stop')
    t.equal(stop.code, 0)
    t.comment(`docker compose stop took ${stop.ms} ms`)
    const state = (await run('docker', ['inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', await project.containerId()])).stdout.trim()
    t.equal(state, '0 false', 'exit code 0, not 137')
  })

  t.test('the seed profile reaches the API by service name over the compose network', async (t) => {
    const project = await composeProject(t)
    t.equal((await project.compose('up', '-d', '--wait', '--no-build')).code, 0)
    const seeded = await project.compose('--profile', 'seed', 'run', '--rm', 'seed')
    expectSuccess(t, seeded, 'docker compose --profile seed run --rm seed')
    t.match(seeded.stdout, /201 PUT http:\/\/api:3000\/v1\/collections\/books\/documents\/dune/)
    const dune = JSON.parse(await readFile(join(project.dataDir, 'books', 'dune.json'), 'utf8')) as { title: string }
    t.equal(dune.title, 'Dune', 'the seeded document is a file on the host')
    // A user edits a seeded document; seeding again creates only what is missing.
    const edited = await fetch(`${project.url}/v1/collections/books/documents/dune`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Dune (mine)' }) })
    t.equal(edited.status, 200)
    const again = await project.compose('--profile', 'seed', 'run', '--rm', 'seed')
    expectSuccess(t, again, 'the seed profile run a second time')
    t.match(again.stdout, /412 PUT http:\/\/api:3000\/v1\/collections\/books\/documents\/dune \(exists, kept\)/)
    t.equal(JSON.parse(await readFile(join(project.dataDir, 'books', 'dune.json'), 'utf8')).title, 'Dune (mine)', 'the user\'s edit is kept')
    const authors = await json(await fetch(`${project.url}/v1/collections/authors/documents`))
    t.equal((authors.items as unknown[]).length, 2)
  })

  t.test('docker compose run --rm api import: a json-server db.json, into the running service\'s volume', async (t) => {
    const project = await composeProject(t)
    t.equal((await project.compose('up', '-d', '--wait', '--no-build')).code, 0)
    await writeFile(join(project.dataDir, 'db.json'), JSON.stringify({
      posts: [{ id: 1, title: 'json-server' }, { id: 2, title: 'jsondock' }],
      comments: [{ id: 1, body: 'nice', postId: 1 }]
    }))
    const imported = await project.compose('run', '--rm', '--no-deps', 'api', 'import', '/data/db.json')
    expectSuccess(t, imported, 'docker compose run --rm api import /data/db.json')
    t.match(imported.stderr, /importing posts: 2 documents/, 'a progress line per collection')
    t.match(imported.stderr, /imported 3 documents into 2 collection\(s\)/)
    t.equal(JSON.parse(await readFile(join(project.dataDir, 'posts', '2.json'), 'utf8')).title, 'jsondock')
    const listed = await json(await fetch(`${project.url}/v1/collections/posts/documents`))
    t.same((listed.items as Array<{ id: number }>).map((d) => d.id), [1, 2], 'the running service serves them at once, ids still numbers')
  })

  t.test('the plain-Docker life cycle the README teaches', async (t) => {
    const dataDir = await tempDir(t, 'jsondock-docker-run-')
    await chmod(dataDir, 0o777)
    const port = await freePort()
    const name = `jsondock-readme-${port}`
    t.teardown(async () => await run('docker', ['rm', '-f', name]))
    const started = await run('docker', ['run', '-d', '--name', name, '-p', `${port}:3000`, '-v', `${dataDir}:/data`, 'jsondock:0.1'])
    expectSuccess(t, started, 'docker run -d -p … -v … jsondock:0.1')
    t.match((await run('docker', ['ps', '--filter', `name=${name}`, '--format', '{{.Names}} {{.Image}}'])).stdout, `${name} jsondock:0.1`)
    await waitForOk(`http://127.0.0.1:${port}/health/ready`, 'the container\'s API ready on the published port')
    t.pass('the API answers on the published port')
    const put = await fetch(`http://127.0.0.1:${port}/v1/collections/notes/documents/hello`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' })
    t.equal(put.status, 201)
    t.ok(JSON.parse(await readFile(join(dataDir, 'notes', 'hello.json'), 'utf8')), 'the bind mount holds the file')
    t.match((await run('docker', ['logs', name])).stdout, /"msg":"Server listening at http:\/\/[\d.]+:3000"/, 'docker logs shows the JSON log')
    // The promise: on SIGTERM the service drains and exits by itself, long before docker stop's
    // SIGKILL at 10 s. Exit code 0 proves that (a kill is 137) whatever the load; the CLI's wall
    // time (once held to 3 s) also counts the engine's and the CLI's own work on a busy machine.
    const stop = await run('docker', ['stop', name])
    t.equal(stop.code, 0)
    t.equal((await run('docker', ['inspect', '--format', '{{.State.ExitCode}}', name])).stdout.trim(), '0', 'exited by itself (0), not killed at docker stop\'s 10 s (137)')
    t.comment(`docker stop took ${stop.ms} ms of wall time`)
    t.equal((await run('docker', ['rm', name])).code, 0)
    t.equal((await run('docker', ['ps', '-a', '--filter', `name=${name}`, '-q'])).stdout.trim(), '', 'removed')
  })

  t.test('docker compose up on a data folder uid 1000 cannot write: the check service fails it at once, names the fix, and nothing restarts', {
    skip: process.getuid?.() === 1000 ? 'this user is uid 1000, so its folders are writable by the container' : false
  }, async (t) => await withComposeImage(async (built) => {
    expectSuccess(t, built, 'docker compose build (cached)')
    const project = await composeProject(t)
    await chmod(project.dataDir, 0o755) // a real bind mount, owned by this test's uid: not 1000's to write
    const up = await project.compose('up', '-d', '--wait', '--no-build')
    t.equal(up.code, 1, 'docker compose up -d --wait fails')
    t.match(up.stderr, /service "check" didn't complete successfully: exit 1/, 'naming the check service')
    t.comment(`docker compose up -d --wait failed after ${up.ms} ms`)
    const state = async (service: string): Promise<string> =>
      (await run('docker', ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} restarts={{.RestartCount}}', await project.containerId(service)])).stdout.trim()
    // Failing fast: compose did not wait for api's health check to give up, api was never started.
    t.equal(await state('api'), 'created 0 restarts=0', 'api was never started')
    const checkLog = async (): Promise<string> => plainText((await project.compose('logs', '--no-log-prefix', 'check')).stdout).trim()
    const line = await checkLog()
    t.equal(line.split('\n').length, 1, 'the check printed one line')
    t.match(line, /^jsondock: DATA_DIR \/data \(on the host: \.\/volumes\/data\) is not writable by uid 1000 \(gid 1000\): on the host run "sudo chown -R 1000:1000 \.\/volumes\/data"/, 'naming the folder (as the host names it too), the uid and the fix')
    // This wait is the observation itself, not a stand-in: a restart policy would restart a failed
    // container within a second (Docker's first back-off is 100 ms); 3 s without one shows there is none.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    t.same([await state('check'), await state('api')], ['exited 1 restarts=0', 'created 0 restarts=0'], 'no restart loop: 3 s later, nothing ran again')
    // In the foreground too: compose stops, naming the check (the check's line is shown when compose
    // attached in time; a container this quick can exit first, so the logs are what the docs point to).
    const attached = await project.compose('up', '--no-build')
    t.equal(attached.code, 1, 'docker compose up (attached) fails too, and returns')
    t.match(plainText(attached.stdout + attached.stderr), /service "check" didn't complete successfully: exit 1/)
    t.equal(await state('api'), 'created 0 restarts=0', 'api still never started')
    // Fixed: up works; a collection folder made by another uid is caught the same way.
    await chmod(project.dataDir, 0o777)
    expectSuccess(t, await project.compose('up', '-d', '--wait', '--no-build'), 'fixed: docker compose up -d --wait')
    t.match(await checkLog(), /jsondock: check passed: /)
    t.equal((await project.compose('down')).code, 0)
    await mkdir(join(project.dataDir, 'books'), { mode: 0o755 })
    const again = await project.compose('up', '-d', '--wait', '--no-build')
    t.equal(again.code, 1, 'a collection folder uid 1000 cannot write fails the check too')
    t.match(await checkLog(),
      /jsondock: The folder \/data\/books \(on the host: \.\/volumes\/data\/books\) is not writable by uid 1000 \(gid 1000\), which runs jsondock: on the host run "sudo chown -R 1000:1000 \.\/volumes\/data\/books"/)
    await project.compose('down', '--timeout', '5')
  }))

  t.test('a data folder uid 1000 cannot write stops the container with one line naming the path, the uid and the fix', {
    skip: process.getuid?.() === 1000 ? 'this user is uid 1000, so its folders are writable by the container' : false
  }, async (t) => {
    const dataDir = await tempDir(t, 'jsondock-owned-')
    await mkdir(join(dataDir, 'x'))
    await chmod(dataDir, 0o755)
    const result = await run('docker', ['run', '--rm', '-v', `${dataDir}:/data`, 'jsondock:0.1'])
    t.equal(result.code, 1)
    const line = result.stderr.trim()
    t.equal(line.split('\n').length, 1, 'one line')
    t.match(line, /DATA_DIR \/data is not writable by uid 1000 \(gid 1000\)/)
    t.match(line, /chown -R 1000:1000/)
    t.match(line, /user:/)
  })
}
