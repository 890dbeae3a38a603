/**
 * Writes the OpenAPI document the app serves to docs/openapi.json, and the client
 * types openapi-typescript makes from it to test/client/jsondock-api.ts (`npm run openapi`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'

export const OPENAPI_FILE = join(__dirname, '..', '..', 'docs', 'openapi.json')
export const CLIENT_TYPES_FILE = join(__dirname, '..', 'client', 'jsondock-api.ts')

/** The document the app serves with the defaults, or with `env` (say, API_TOKENS) on top. */
export async function servedOpenApi (env: Record<string, string> = {}): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'jsondock-openapi-'))
  const app = await buildApp(loadConfig({ ...env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { logger: false })
  try {
    const response = await app.inject({ method: 'GET', url: '/docs/json' })
    return JSON.stringify(response.json(), null, 2) + '\n'
  } finally {
    await app.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

/** What `npx openapi-typescript docs/openapi.json` makes of the document: the types openapi-fetch takes. */
export async function clientTypes (openapi: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(openapi) as Parameters<typeof openapiTS>[0])
  return '// Generated from docs/openapi.json by openapi-typescript (`npm run openapi`); do not edit.\n\n' + astToString(ast)
}

if (require.main === module) {
  void servedOpenApi().then(async (text) => {
    await writeFile(OPENAPI_FILE, text)
    await writeFile(CLIENT_TYPES_FILE, await clientTypes(text))
    process.stdout.write('wrote docs/openapi.json and test/client/jsondock-api.ts\n')
  })
}
