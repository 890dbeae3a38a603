import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { repoRoot } from './docker'

export const STACK_FILE = join('docs', 'deploy', 'swarm-stack.yaml')
export const DNSRR_STACK_FILE = join('docs', 'deploy', 'swarm-stack.dnsrr.yaml')

/** The variant's own header (each line gets its `#`). */
const DNSRR_HEADER = [
  ' GENERATED from swarm-stack.yaml by `npx tsx test/helpers/swarm.ts`; test/deploy/swarm.test.ts',
  ' checks that it stays so. The same stack for an engine without IPVS: no routing mesh, no',
  ' service VIPs. Three changes, nothing else: no published port (host-mode ports would clash:',
  ' three replicas on one node), `endpoint_mode: dnsrr` (the name `tasks.api` resolves to every',
  ' task), and an attachable network, so that a client container can join it:',
  '   docker run --network jsondock_default ... http://tasks.api:3000/...'
].join('\n')

/**
 * The dnsrr variant of the stack file, derived from it (comments kept), so
 * that the two cannot drift apart.
 */
export function dnsrrVariant (stackYaml: string): string {
  const doc = parseDocument(stackYaml)
  doc.deleteIn(['services', 'api', 'ports'])
  doc.setIn(['services', 'api', 'deploy', 'endpoint_mode'], 'dnsrr')
  doc.setIn(['networks', 'default', 'attachable'], true)
  // The variant's header first; the main file's line about the mesh does not hold here.
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/^#.*routing mesh publishes.*\n/m, '')
  return DNSRR_HEADER.split('\n').map((line) => `#${line}`).join('\n') + '\n' + text
}

export function readStackFile (path = STACK_FILE): string {
  return readFileSync(join(repoRoot, path), 'utf8')
}

if (require.main === module) process.stdout.write(dnsrrVariant(readStackFile()))
