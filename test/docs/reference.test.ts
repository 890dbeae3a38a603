import { readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { STATUS_CODES } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { makeApp } from '../helpers/app'
import { configBlockOf, fencedBlocks, renderConfigReference, repoRoot } from '../helpers/docs'

// The reference parts of the docs are checked against the code they describe:
// the configuration table (generated from the TypeBox schema), the problem types,
// the endpoints, and the Kubernetes manifests shown in docs/docker.md.

async function page (path: string): Promise<string> {
  return await readFile(join(repoRoot, path), 'utf8')
}

function sourceFiles (dir: string): string[] {
  return readdirSync(join(repoRoot, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(repoRoot, path)).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

t.test('docs/operations.md: the configuration reference is the one generated from schemas/config.ts', async (t) => {
  const block = configBlockOf(await page('docs/operations.md'))
  t.ok(block !== undefined, 'the page has the <!-- config:start --> … <!-- config:end --> block')
  t.equal(block, renderConfigReference(), 'up to date (regenerate with: npx tsx test/helpers/docs.ts config)')
})

/** Every problem type the code can answer with, read from the sources. */
async function problemTypesInCode (): Promise<Set<string>> {
  const slugs = new Set<string>()
  for (const file of [...sourceFiles('app'), ...sourceFiles('plugins')]) {
    const text = await readFile(join(repoRoot, file), 'utf8')
    for (const m of text.matchAll(/new HttpProblem\(\s*[^,]+,\s*'([a-z0-9-]+)'/g)) slugs.add(m[1] as string)
    for (const m of text.matchAll(/\bbase\(\s*\d+,\s*'([a-z0-9-]+)'/g)) slugs.add(m[1] as string)
    for (const m of text.matchAll(/\bproblemBody\(\s*\d+,\s*'([a-z0-9-]+)'/g)) slugs.add(m[1] as string)
    for (const m of text.matchAll(/['`]\/problems\/([a-z0-9-]+)['`]/g)) slugs.add(m[1] as string)
  }
  const errors = await page('plugins/errors.ts')
  const fastifySlugs = /const fastifySlugs[^{]*\{([^}]*)\}/.exec(errors)?.[1] ?? ''
  for (const m of fastifySlugs.matchAll(/:\s*'([a-z0-9-]+)'/g)) slugs.add(m[1] as string)
  // Requests Node's parser rejects: the statuses clientErrorHandler picks, named by slugOf.
  const clientStatuses = /function clientErrorHandler[\s\S]*?const status = ([^\n]+)/.exec(errors)?.[1] ?? ''
  for (const m of clientStatuses.matchAll(/\b(\d{3})\b/g)) {
    slugs.add((STATUS_CODES[Number(m[1])] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-'))
  }
  const storeCodes = /export type StoreErrorCode =([^]*?)\n\n/.exec(await page('plugins/engine/store-errors.ts'))?.[1] ?? ''
  for (const m of storeCodes.matchAll(/'([a-z0-9-]+)'/g)) slugs.add(m[1] as string)
  return slugs
}

t.test('docs/api.md lists every problem type the code can produce, and no other', async (t) => {
  const code = await problemTypesInCode()
  t.ok(code.size >= 30, `found ${code.size} problem types in the code`)
  const documented = new Set([...(await page('docs/api.md')).matchAll(/^\| `\/problems\/([a-z0-9-]+)` \|/gm)].map((m) => m[1] as string))
  t.same([...code].filter((s) => !documented.has(s)).sort(), [], 'every type in the code is in the table')
  t.same([...documented].filter((s) => !code.has(s)).sort(), [], 'every type in the table is in the code')
})

t.test('docs/api.md shows every endpoint of the OpenAPI document', async (t) => {
  const { app } = await makeApp(t)
  const openapi = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> }
  const api = await page('docs/api.md')
  const endpoints = Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.keys(methods).filter((m) => m !== 'head').map((method) => `${method.toUpperCase()} ${path}`))
  t.ok(endpoints.length >= 14, `${endpoints.length} endpoints`)
  t.same(endpoints.filter((e) => !api.includes(`\`${e}\``)), [], 'each is named in api.md as `METHOD /path`')
  for (const e of ['GET /docs', 'GET /docs/json']) t.match(api, `\`${e}\``, `${e} (not in the OpenAPI document) too`)
})

t.test('docs/docker.md: the Kubernetes manifests parse and agree with the image', async (t) => {
  const docker = await page('docs/docker.md')
  const marker = docker.indexOf('<!-- kubernetes-manifests -->')
  t.ok(marker > 0, 'the manifests are marked')
  const block = fencedBlocks(docker.slice(marker))[0]
  t.equal(block?.info, 'yaml')
  const docs = parseAllDocuments(block?.code ?? '')
  t.same(docs.flatMap((d) => d.errors.map((e) => e.message)), [], 'valid YAML')
  const objects = docs.map((d) => d.toJS() as { kind: string, spec: Record<string, any> })
  t.same(objects.map((o) => o.kind), ['PersistentVolumeClaim', 'Deployment', 'Service'])
  const dockerfile = await page('Dockerfile')
  const exposed = Number(/^EXPOSE (\d+)/m.exec(dockerfile)?.[1])
  const pod = objects[1]?.spec.template.spec
  const container = pod.containers[0]
  t.equal(container.ports[0].containerPort, exposed, 'containerPort is the EXPOSEd port')
  t.equal(objects[2]?.spec.ports[0].targetPort, exposed, 'the Service targets it')
  t.match(dockerfile, /^USER node$/m, 'the image runs as node…')
  t.equal(pod.securityContext.runAsUser, 1000, '…which is uid 1000, as the pod says')
  t.equal(container.readinessProbe.httpGet.path, '/health/ready')
  t.equal(container.livenessProbe.httpGet.path, '/health/live')
  t.same(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort(), ['/data', '/tmp'], 'the data volume at /data, a writable /tmp')
  t.match(dockerfile, /DATA_DIR=\/data/, 'the image keeps its data in /data')
})
