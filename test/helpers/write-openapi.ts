/** Writes the OpenAPI document the app serves to docs/openapi.json (`npm run openapi`). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../app/app'
import { loadConfig } from '../../app/config'

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

if (require.main === module) {
  void servedOpenApi().then(async (text) => {
    await writeFile(join(__dirname, '..', '..', 'docs', 'openapi.json'), text)
    process.stdout.write('wrote docs/openapi.json\n')
  })
}
