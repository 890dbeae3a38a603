import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { parseAllDocuments, parse } from 'yaml'
import { repoRoot } from '../helpers/docker'

// The manifests of docs/deploy/kubernetes/, checked offline: each against the
// Kubernetes API's JSON schemas (kubernetes-models: types, required fields,
// formats), and against the image they run. No cluster runs here or in CI.
const dir = join(repoRoot, 'docs', 'deploy', 'kubernetes')

interface Manifest { apiVersion: string, kind: string, metadata: { name: string }, spec: Record<string, any> }

/** Where kubernetes-models keeps the models of each API group version. */
const MODEL_FOLDERS: Record<string, string> = { 'apps/v1': 'apps/v1', v1: 'v1', 'policy/v1': 'policy/v1' }

/**
 * The model class of an apiVersion/kind, from kubernetes-models. The package is
 * an ES module that exports only `import` conditions; this suite is CommonJS,
 * so it loads the file by its path (Node 20.19+ can require an ES module).
 */
async function modelOf (apiVersion: string, kind: string): Promise<(new (data: unknown) => { validate: () => void }) | undefined> {
  const folder = MODEL_FOLDERS[apiVersion]
  if (folder === undefined) return undefined
  const models = await import(join(repoRoot, 'node_modules', 'kubernetes-models', folder, 'index.js')) as Record<string, unknown>
  return models[kind] as (new (data: unknown) => { validate: () => void }) | undefined
}

async function manifests (): Promise<Array<{ file: string, object: Manifest }>> {
  const kustomization = parse(await readFile(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }
  const found: Array<{ file: string, object: Manifest }> = []
  for (const file of kustomization.resources) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`)
      found.push({ file, object: doc.toJS() as Manifest })
    }
  }
  return found
}

/** The schema errors of one object, or [] when it is valid. */
export async function schemaErrors (object: Manifest): Promise<string[]> {
  const Model = await modelOf(object.apiVersion, object.kind)
  if (Model === undefined) return [`no schema known for ${object.apiVersion} ${object.kind}`]
  try {
    new Model(object).validate()
    return []
  } catch (err) {
    return [(err as Error).message]
  }
}

t.test('every manifest validates against the Kubernetes API schemas', async (t) => {
  const all = await manifests()
  t.same(all.map((m) => m.object.kind).sort(), ['Deployment', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service'])
  for (const { file, object } of all) t.same(await schemaErrors(object), [], `${file}: ${object.kind} ${object.metadata.name}`)
})

t.test('the validator rejects a broken manifest', async (t) => {
  const deployment = (await manifests()).find((m) => m.object.kind === 'Deployment')?.object as Manifest
  const wrongType = structuredClone(deployment)
  wrongType.spec.replicas = 'three'
  t.match((await schemaErrors(wrongType)).join('\n'), /replicas must be integer/, 'a string where an integer belongs')
  const unnamed = structuredClone(deployment)
  delete unnamed.spec.template.spec.containers[0].name
  t.match((await schemaErrors(unnamed)).join('\n'), /containers\/0 must have required property name/, 'a container without its required name')
  const badProbe = structuredClone(deployment)
  badProbe.spec.template.spec.containers[0].readinessProbe.periodSeconds = 5.5
  t.match((await schemaErrors(badProbe)).join('\n'), /periodSeconds must be integer/, 'a fraction where an int32 belongs')
})

t.test('the Deployment runs the image as the compose file does, on a shared volume', async (t) => {
  const all = await manifests()
  const by = (kind: string): Manifest => all.find((m) => m.object.kind === kind)?.object as Manifest
  const dockerfile = await readFile(join(repoRoot, 'Dockerfile'), 'utf8')
  const exposed = Number(/^EXPOSE (\d+)/m.exec(dockerfile)?.[1])
  const deployment = by('Deployment')
  const pod = deployment.spec.template.spec
  const container = pod.containers[0]
  t.ok(deployment.spec.replicas >= 2, `replicas: ${deployment.spec.replicas}`)
  t.same(deployment.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, 'a rolling update that keeps every replica serving')
  t.equal(container.ports[0].containerPort, exposed, 'containerPort is the EXPOSEd port')
  t.equal(container.readinessProbe.httpGet.path, '/health/ready')
  t.equal(container.livenessProbe.httpGet.path, '/health/live')
  t.match(dockerfile, /^USER node$/m)
  t.match(pod.securityContext, { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }, 'non-root (uid 1000, the image\'s node), seccomp RuntimeDefault')
  t.same(container.securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, 'read-only root, no escalation, no capabilities')
  t.same(container.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort(), ['/data', '/tmp'])
  // The start-up checks first, as compose's check service: the same image, hardening and volume, the image's `check` command.
  const check = pod.initContainers?.[0]
  t.match(check, { image: container.image, args: ['check'], securityContext: container.securityContext }, 'an initContainer runs `check` from the same image, as hardened')
  t.same(check?.volumeMounts, container.volumeMounts.filter((m: { mountPath: string }) => m.mountPath === '/data'), 'on the same volume')
  t.match(await readFile(join(repoRoot, 'app', 'server.ts'), 'utf8'), /^ {2}check: async \(\) =>/m, 'a command the bundle has')
  t.match(dockerfile, /DATA_DIR=\/data/)
  const claim = by('PersistentVolumeClaim')
  t.same(claim.spec.accessModes, ['ReadWriteMany'], 'ReadWriteMany: every node mounts the documents')
  t.equal(pod.volumes.find((v: { name: string }) => v.name === 'data').persistentVolumeClaim.claimName, claim.metadata.name)
  t.same(by('Service').spec.selector, deployment.spec.selector.matchLabels, 'the Service selects the pods')
  t.same(by('PodDisruptionBudget').spec.selector.matchLabels, deployment.spec.selector.matchLabels, 'the budget covers them')
})

t.test('kubectl kustomize builds the folder', async (t) => {
  const version = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' })
  if (version.error !== undefined || version.status !== 0) {
    // kubectl is not a prerequisite of the project, also not under CI: the schemas above are the check.
    t.pass('kubectl kustomize', { skip: 'kubectl is not installed' })
    return
  }
  const built = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })
  t.equal(built.status, 0, `kubectl kustomize ${built.stderr}`)
  const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as Manifest)
  t.same(objects.map((o) => o.kind).sort(), ['Deployment', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service'])
  for (const object of objects) t.same(await schemaErrors(object), [], `built ${object.kind} validates`)
})
