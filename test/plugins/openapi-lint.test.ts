import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { tempDir } from '../helpers/app'
import { repoRoot } from '../helpers/docker'
import { servedOpenApi } from '../helpers/write-openapi'

// The linters users run on an OpenAPI document, from node_modules, offline: Redocly's
// recommended rules (redocly.yaml) and Spectral's spectral:oas (.spectral.yaml). Each rule
// turned off there says why. Redocly reports usage and checks for updates unless told not to.
const run = promisify(execFile)
const OFFLINE = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', SCARF_ANALYTICS: 'false' }

async function lint (file: string): Promise<{ redocly: { errors: number, warnings: number, ignored: number, problems: string[] }, spectral: string[] }> {
  const [redocly, spectral] = await Promise.all([run(process.execPath, [
    join(repoRoot, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(repoRoot, 'redocly.yaml'), '--format', 'json'
  ], { cwd: repoRoot, env: OFFLINE, maxBuffer: 64 << 20 }).catch((err: { stdout: string }) => err), run(process.execPath, [
    join(repoRoot, 'node_modules/@stoplight/spectral-cli/dist/index.js'), 'lint', file, '--ruleset', join(repoRoot, '.spectral.yaml'),
    '--format', 'json', '--fail-severity', 'hint', '--quiet'
  ], { cwd: repoRoot, env: OFFLINE, maxBuffer: 64 << 20 }).catch((err: { stdout: string }) => err)])
  // A linter that failed to run prints no JSON: that is a failure here too.
  const report = JSON.parse(redocly.stdout) as { totals: { errors: number, warnings: number, ignored: number }, problems: Array<{ ruleId: string, message: string }> }
  const results = JSON.parse(spectral.stdout === '' ? '[]' : spectral.stdout) as Array<{ code: string, message: string, path: string[] }>
  return {
    redocly: { ...report.totals, problems: report.problems.map((p) => `${p.ruleId}: ${p.message}`) },
    spectral: results.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)
  }
}

t.test('docs/openapi.json: Redocly (recommended) and Spectral (spectral:oas) report nothing', async (t) => {
  const { redocly, spectral } = await lint(join(repoRoot, 'docs', 'openapi.json'))
  t.same(redocly, { errors: 0, warnings: 0, ignored: 0, problems: [] }, 'redocly lint: 0 errors, 0 warnings')
  t.same(spectral, [], 'spectral lint: no result of any severity')
})

t.test('the document a deployment with tokens serves lints clean too', async (t) => {
  const dir = await tempDir(t)
  const variants: Array<[string, Record<string, string>]> = [
    ['writes-need-tokens', { API_TOKENS: 'lint-token' }],
    ['reads-too-read-only', { API_TOKENS: 'lint-token', AUTH_READS: 'true', READ_ONLY: 'true' }]
  ]
  const reports = await Promise.all(variants.map(async ([name, env]) => {
    const file = join(dir, `${name}.json`)
    await writeFile(file, await servedOpenApi(env))
    return await lint(file)
  }))
  variants.forEach(([name], i) => {
    t.same(reports[i]?.redocly, { errors: 0, warnings: 0, ignored: 0, problems: [] }, `${name}: redocly lint: 0 errors, 0 warnings`)
    t.same(reports[i]?.spectral, [], `${name}: spectral lint: nothing`)
  })
})
