import t from 'tap'
import { tempDir } from '../helpers/app'
import {
  chromiumUnavailable, countWhenSettled, openPage, operationBlock, operationsOf, screenshot, textWhenSettled, type OpenApi
} from '../helpers/browser'
import { prerequisiteSuite } from '../helpers/prerequisites'
import { serviceBundle, startServer } from '../helpers/process'

// Swagger UI in headless Chromium, as a newcomer uses it, against the bundle run as
// a plain process: "Execute" with the defaults on every operation (the padlocks of
// the other configurations: swagger-ui-padlocks.test.ts). Without Chromium the suite skips, saying why; under CI=true
// that is a failure.
prerequisiteSuite(t, 'the Swagger UI browser suite', chromiumUnavailable(), suite)

/**
 * "Execute" with nothing but Swagger UI's defaults (required inputs hold their
 * examples, optional ones stay empty), on a fresh DATA_DIR, in this order: the
 * status each should answer and why. Every operation of the spec is here.
 */
const EXECUTE_WITH_DEFAULTS: Array<[string, number, string]> = [
  ['GET /', 200, 'the links, as JSON (Swagger UI asks for application/json)'],
  ['GET /health/live', 200, 'alive'],
  ['GET /health/ready', 200, 'ready'],
  ['GET /metrics', 200, 'the metrics'],
  ['GET /v1/collections', 200, 'no collection yet: an empty list'],
  ['PUT /v1/collections/{collection}', 201, 'the example collection, with the example schema'],
  ['GET /v1/collections/{collection}', 200, 'its settings'],
  ['DELETE /v1/collections/{collection}', 204, 'still empty, so deleted without force'],
  ['POST /v1/collections/{collection}/documents', 201, 'the example document, at the example id the other operations name (issue 28: the defaults chain)'],
  ['GET /v1/collections/{collection}/documents', 200, 'a page with that document: no filter is pre-filled'],
  ['PUT /v1/collections/{collection}/documents/{id}', 200, 'the document POST created, replaced'],
  ['GET /v1/collections/{collection}/documents/{id}', 200, 'that document'],
  ['PATCH /v1/collections/{collection}/documents/{id}', 200, 'the example merge patch'],
  ['GET /json-server/{collection}', 200, 'the same collection, as a json-server array'],
  ['POST /json-server/{collection}', 201, 'the example json-server document'],
  ['GET /json-server/{collection}/{id}', 200, 'the document at the example id'],
  ['PUT /json-server/{collection}/{id}', 200, 'replaced'],
  ['PATCH /json-server/{collection}/{id}', 200, 'updated'],
  ['GET /json-server/{parent}/{id}/{collection}', 200, 'its children: none yet'],
  ['POST /json-server/{parent}/{id}/{collection}', 201, 'a child of it'],
  ['DELETE /json-server/{collection}/{id}', 200, 'deleted: `{}`, as json-server answers'],
  ['GET /json-server/db', 200, 'the whole database, as a db.json'],
  ['GET /json-server/__rules', 404, 'no JSON_SERVER_ROUTES file is set: `{}`, as json-server answers without --routes'],
  ['PUT /json-server/{collection}', 404, 'the example name is a collection, not a singular resource: `{}`, as json-server answers'],
  ['PATCH /json-server/{collection}', 404, 'the same: no singular resource of that name'],
  ['POST /v1/import', 200, 'the example db.json: the example id again'],
  ['DELETE /v1/collections/{collection}/documents/{id}', 204, 'the imported document deleted'],
  ['GET /v1/export', 200, 'a db.json of it all'],
  ['GET /v1/collections/{collection}/export', 200, 'the collection as NDJSON']
]

async function suite (): Promise<void> {
  t.test('"Try it out → Execute" with Swagger UI\'s defaults, on every operation: each answers what a user expects', async (t) => {
    const server = await startServer(t, await serviceBundle(), { DATA_DIR: await tempDir(t), MAX_EVENT_LOOP_DELAY_MS: '0' })
    const spec = await (await fetch(`${server.url}/docs/json`)).json() as OpenApi
    const operations = operationsOf(spec)
    const names = operations.map((op) => `${op.method} ${op.path}`)
    const planned = EXECUTE_WITH_DEFAULTS.map(([name]) => name)
    t.same(names.filter((name) => !planned.includes(name)), [], 'every operation of the spec is executed below')
    t.same(planned.filter((name) => !names.includes(name)), [], 'and nothing else')

    const { page, problems } = await openPage(t)
    t.equal((await page.goto(`${server.url}/docs`))?.status(), 200, 'Swagger UI loads')
    t.equal(await countWhenSettled(page.locator('.opblock'), operations.length), operations.length, 'every operation is rendered')
    // The defaults run without API_TOKENS: nothing to authorize, so no padlock and no Authorize button.
    t.equal(await page.locator('.opblock .authorization__btn').count(), 0, 'no operation shows a padlock')
    t.equal(await page.locator('.auth-wrapper .btn.authorize').count(), 0, 'no Authorize button')

    // The planned 4xx answers (documented, for a resource that does not exist) are not the browser's problems.
    const planned4xx: string[] = []
    for (const [name, expected, why] of EXECUTE_WITH_DEFAULTS) {
      const [method, path] = name.split(' ') as [string, string]
      const block = operationBlock(page, page, method, path)
      await block.locator('.opblock-summary').first().click()
      await block.getByRole('button', { name: 'Try it out' }).click()
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`)
      const sent = page.waitForResponse((response) => response.request().method() === method && pattern.test(new URL(response.url()).pathname))
      await block.locator('button.execute').click()
      const answer = await sent
      const url = new URL(answer.url())
      // Chromium reports each of them twice: the response, and a console line for it.
      if (expected >= 400) planned4xx.push(`HTTP ${expected}: ${method} ${answer.url()}`, `console: Failed to load resource: the server responded with a status of ${expected} (Not Found)`)
      t.equal(answer.status(), expected, `${name} → ${expected}: ${why} (sent ${url.pathname}${url.search})`)
      t.equal(await textWhenSettled(block.locator('.live-responses-table tbody tr.response .response-col_status').first(), /^\d{3}\b/), String(expected),
        `${name}: Swagger UI shows ${expected}`)
      if (name === 'POST /v1/collections/{collection}/documents') await screenshot(t, page, block)
      await block.locator('.opblock-summary').first().click() // fold it again: the page stays short
    }
    const unplanned = [...problems]
    for (const expected of planned4xx) {
      const at = unplanned.indexOf(expected)
      if (at >= 0) unplanned.splice(at, 1)
    }
    t.same(unplanned, [], 'no console errors, page errors, failed or failing requests in the browser')
  })
}
