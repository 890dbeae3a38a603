import t from 'tap'
import { tempDir } from '../helpers/app'
import {
  chromiumUnavailable, countWhenSettled, openPage, operationBlock, operationsOf, type OpenApi, type Operation
} from '../helpers/browser'
import { prerequisiteSuite } from '../helpers/prerequisites'
import { serviceBundle, startServer } from '../helpers/process'

// Swagger UI in headless Chromium, as a newcomer uses it, against the bundle run as
// a plain process: the padlocks each configuration shows (with the defaults, none:
// swagger-ui-defaults.test.ts). Without Chromium the suite skips, saying why; under CI=true
// that is a failure.
prerequisiteSuite(t, 'the Swagger UI browser suite', chromiumUnavailable(), suite)

async function suite (): Promise<void> {
  t.test('the padlocks show what the running configuration enforces', async (t) => {
    for (const [label, env, secured] of [
      ['API_TOKENS', { API_TOKENS: 'padlock-token' }, (op: Operation) => op.method !== 'GET'],
      ['API_TOKENS + AUTH_READS', { API_TOKENS: 'padlock-token', AUTH_READS: 'true' }, (op: Operation) => op.path !== '/' && !op.path.startsWith('/health/')]
    ] as const) {
      const server = await startServer(t, await serviceBundle(), { DATA_DIR: await tempDir(t), MAX_EVENT_LOOP_DELAY_MS: '0', ...env })
      const spec = await (await fetch(`${server.url}/docs/json`)).json() as OpenApi
      const operations = operationsOf(spec)
      const { page, problems } = await openPage(t)
      await page.goto(`${server.url}/docs`)
      t.equal(await countWhenSettled(page.locator('.opblock'), operations.length), operations.length, `${label}: every operation rendered`)
      t.equal(await page.locator('.auth-wrapper .btn.authorize').count(), 1, `${label}: an Authorize button`)
      const shown = []
      for (const op of operations) {
        if ((await operationBlock(page, page, op.method, op.path).locator('.authorization__btn').count()) > 0) shown.push(`${op.method} ${op.path}`)
      }
      t.same(shown, operations.filter(secured).map((op) => `${op.method} ${op.path}`), `${label}: a padlock on exactly the operations that need the token`)
      t.same(problems, [], `${label}: no complaint from the browser`)
    }
  })
}
