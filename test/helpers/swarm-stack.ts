import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { COMPOSE_IMAGE, repoRoot, run, withImageLock, type CommandResult } from './docker'
import { DNSRR_STACK_FILE } from './swarm'

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** One event line of test/deploy/swarm-client.ts. */
export type ClientEvent = Record<string, any> & { event: string }

export interface ClientRun {
  /** Resolves with the next event of that kind not returned before. */
  next: (event: string) => Promise<ClientEvent>
  send: (command: string) => void
  /** The `result` event, once the client exits. */
  done: Promise<ClientEvent>
}

export interface Stack {
  name: string
  service: string
  network: string
  image: string
  swarmStartedHere: boolean
  docker: (...args: string[]) => Promise<CommandResult>
  /** Ids of the service's running containers. */
  containers: () => Promise<string[]>
  /** Waits until `replicas` tasks run and report healthy (Swarm's own view, via their health checks). */
  waitHealthy: (replicas: number) => Promise<number>
  ipOf: (container: string) => Promise<string>
  client: (collection: string, ...args: string[]) => ClientRun
  remove: () => Promise<string[]>
}

async function swarmState (): Promise<string> {
  return (await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim()
}

/**
 * Deploys docs/deploy/swarm-stack.dnsrr.yaml under a unique name, on this
 * engine's swarm (initialised here when there is none), with a tag of its
 * own for the image so that other suites re-tagging jsondock:0.1.0 meanwhile
 * change nothing under it. `remove` takes away exactly what this made.
 */
export async function deployStack (): Promise<Stack> {
  const suffix = randomBytes(3).toString('hex')
  const name = `swarm-${suffix}`
  const service = `${name}_api`
  const network = `${name}_default`
  const image = `${name}:test`
  const docker = async (...args: string[]): Promise<CommandResult> => await run('docker', args, { env: { JSONDOCK_IMAGE: image }, timeoutMs: 300_000 })

  // The image `docker compose build` makes from these sources, under a tag of our own.
  const tagged = await withImageLock(async () => {
    const built = await run('docker', ['compose', 'build', '--quiet', 'api'], { cwd: repoRoot })
    if (built.code !== 0) return built
    return await docker('tag', COMPOSE_IMAGE, image)
  })
  if (tagged.code !== 0) throw new Error(`building and tagging the image: ${tagged.stderr.slice(-2000)}`)

  const gwbridgeBefore = (await docker('network', 'inspect', 'docker_gwbridge')).code === 0
  let swarmStartedHere = false
  if (await swarmState() !== 'active') {
    const init = await docker('swarm', 'init', '--advertise-addr', '127.0.0.1')
    if (init.code !== 0) throw new Error(`docker swarm init: ${init.stderr}`)
    swarmStartedHere = true
  }

  const containers = async (): Promise<string[]> =>
    (await docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`)).stdout.split('\n').filter(Boolean)

  const stack: Stack = {
    name,
    service,
    network,
    image,
    swarmStartedHere,
    docker,
    containers,
    waitHealthy: async (replicas) => {
      const started = Date.now()
      for (;;) {
        const statuses = (await docker('ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.Status}}')).stdout.split('\n').filter(Boolean)
        if (statuses.length === replicas && statuses.every((s) => s.includes('(healthy)'))) return Date.now() - started
        // The engine is shared: say so plainly if something else made it leave the swarm.
        if (await swarmState() !== 'active') throw new Error('the engine is no longer in a swarm: something else ran `docker swarm leave` meanwhile')
        if (Date.now() - started > 240_000) throw new Error(`${service}: ${replicas} healthy tasks awaited for 4 minutes; now: ${statuses.join(', ')}`)
        await sleep(250)
      }
    },
    ipOf: async (container) =>
      (await docker('inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container)).stdout.trim(),
    client: (collection, ...args) => {
      const child = spawn('docker', ['run', '--rm', '-i', '--name', `${name}-client-${collection}`, '--network', network,
        '-e', 'SERVICE=api', '-e', `COLLECTION=${collection}`, '--read-only', '--cap-drop', 'ALL',
        '-v', `${join(repoRoot, 'test', 'deploy', 'swarm-client.ts')}:/client.ts:ro`,
        '--entrypoint', 'node', image, '/client.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
      const events: ClientEvent[] = []
      /** Events a `next` has returned: each is returned once. */
      const taken = new Set<ClientEvent>()
      const waiters: Array<{ event: string, resolve: (e: ClientEvent) => void }> = []
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
      createInterface({ input: child.stdout }).on('line', (line) => {
        let event: ClientEvent
        try { event = JSON.parse(line) as ClientEvent } catch { stderr += line + '\n'; return }
        events.push(event)
        const waiter = waiters.find((w) => w.event === event.event)
        if (waiter !== undefined) { waiters.splice(waiters.indexOf(waiter), 1); taken.add(event); waiter.resolve(event) }
      })
      const done = new Promise<ClientEvent>((resolve, reject) => {
        child.on('close', (code) => {
          const result = events.find((e) => e.event === 'result')
          if (code === 0 && result !== undefined) resolve(result)
          else reject(new Error(`the client exited ${String(code)}: ${JSON.stringify(events.filter((e) => e.event === 'error'))} ${stderr.slice(-2000)}`))
        })
      })
      return {
        next: async (event) => {
          const seen = events.find((e) => e.event === event && !taken.has(e))
          if (seen !== undefined) { taken.add(seen); return seen }
          const arrived = await Promise.race([new Promise<ClientEvent>((resolve) => waiters.push({ event, resolve })), done])
          taken.add(arrived)
          return arrived
        },
        send: (command) => { child.stdin.write(command + '\n') },
        done
      }
    },
    remove: async () => {
      const notes: string[] = []
      await docker('stack', 'rm', name)
      notes.push(`removed stack ${name}`)
      // The tasks' containers go after the service; the network and volume only then.
      for (let i = 0; i < 120; i++) {
        const left = (await docker('ps', '-aq', '--filter', `label=com.docker.stack.namespace=${name}`)).stdout.trim()
        const clients = (await docker('ps', '-aq', '--filter', `name=${name}-client`)).stdout.split('\n').filter(Boolean)
        if (clients.length > 0) await docker('rm', '-f', ...clients)
        if (left === '' && clients.length === 0) break
        await sleep(500)
      }
      for (let i = 0; i < 20 && (await docker('network', 'inspect', network)).code === 0; i++) {
        await docker('network', 'rm', network)
        await sleep(500)
      }
      if ((await docker('volume', 'rm', `${name}_data`)).code === 0) notes.push(`removed volume ${name}_data`)
      await docker('image', 'rm', image)
      if (swarmStartedHere) {
        await docker('swarm', 'leave', '--force')
        notes.push('left the swarm this suite started')
        if (!gwbridgeBefore && (await docker('network', 'rm', 'docker_gwbridge')).code === 0) notes.push('removed docker_gwbridge')
      }
      return notes
    }
  }
  const deployed = await docker('stack', 'deploy', '-c', join(repoRoot, DNSRR_STACK_FILE), name)
  if (deployed.code !== 0) {
    await stack.remove()
    throw new Error(`docker stack deploy: ${deployed.stderr}`)
  }
  return stack
}
