import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { tempDir } from '../helpers/app'
import {
  chromiumUnavailable, countWhenSettled, openPage, operationBlock, operationsOf, textWhenSettled, visibleText, type OpenApi
} from '../helpers/browser'
import { buildComposeImage, composeProject, dockerUnavailable, type CommandResult } from '../helpers/docker'
import { prerequisiteSuite, prerequisiteTest } from '../helpers/prerequisites'
import { serviceBundle, startServer } from '../helpers/process'

// Swagger UI in a real (headless) Chromium: against the container compose starts
// (needs a Docker engine), and against the bundle run as a plain process (only the
// browser). Without a prerequisite the cases that need it skip, saying why;
// under CI=true a missing prerequisite is a failure.
prerequisiteSuite(t, 'the Swagger UI browser suite', chromiumUnavailable(), suite)

/** The operations DESIGN.md promises; the spec may grow, but never lose these. */
const KNOWN_OPERATIONS = [
  'GET /health/live', 'GET /health/ready',
  'GET /v1/collections', 'PUT /v1/collections/{collection}', 'GET /v1/collections/{collection}', 'DELETE /v1/collections/{collection}',
  'GET /v1/collections/{collection}/documents', 'POST /v1/collections/{collection}/documents',
  'GET /v1/collections/{collection}/documents/{id}', 'PUT /v1/collections/{collection}/documents/{id}',
  'PATCH /v1/collections/{collection}/documents/{id}', 'DELETE /v1/collections/{collection}/documents/{id}'
]

function expectSuccess (t: Test, result: CommandResult, what: string): void {
  if (!t.equal(result.code, 0, what)) t.comment(result.stderr.slice(-3000))
}

async function suite (): Promise<void> {
  prerequisiteTest(t, 'Swagger UI at /docs renders every operation, and "Try it out" writes a file on the host', dockerUnavailable(), async (t) => {
    expectSuccess(t, await buildComposeImage(), 'docker compose build (cached)')
    const project = await composeProject(t)
    expectSuccess(t, await project.compose('up', '-d', '--wait', '--no-build'), 'docker compose up -d --wait')
    const origin = `http://localhost:${project.port}`

    // The OpenAPI document, as the test reads it.
    const specResponse = await fetch(`${origin}/docs/json`)
    t.equal(specResponse.status, 200, 'GET /docs/json')
    const spec = await specResponse.json() as OpenApi
    const operations = operationsOf(spec)
    const listed = operations.map((op) => `${op.method} ${op.path}`)
    t.same(KNOWN_OPERATIONS.filter((op) => !listed.includes(op)), [], 'the OpenAPI document lists every designed operation')
    t.comment(`the OpenAPI document has ${operations.length} operations`)

    // Whatever the browser complains about is a failure.
    const { page, problems } = await openPage(t)

    const loaded = await page.goto(`${origin}/docs`)
    t.equal(loaded?.status(), 200, 'GET /docs answers 200 in the browser')

    // The header: the API's title and version from the OpenAPI document.
    const title = page.locator('.information-container .info .title')
    await title.waitFor({ state: 'visible' })
    t.match(visibleText(await title.innerText()), new RegExp(`^${spec.info.title}\\b`), 'the header shows the API title')
    t.equal(visibleText(await title.locator('small:not(.version-stamp) > .version').innerText()), spec.info.version, 'the header shows the API version')
    t.equal(visibleText(await title.locator('.version-stamp').innerText()), `OAS ${spec.openapi.split('.').slice(0, 2).join('.')}`, 'the header shows the OpenAPI version badge')

    // The tag sections.
    const tagNames = await Promise.all((await page.locator('.opblock-tag-section .opblock-tag').all()).map(async (tag) => await tag.getAttribute('data-tag')))
    const specTags = [...new Set(operations.flatMap((op) => op.tags))].sort()
    t.same([...tagNames].sort(), specTags, `one section per tag of the spec: ${specTags.join(', ')}`)
    t.ok(['collections', 'documents', 'health'].every((tag) => specTags.includes(tag)), 'including collections, documents and health')

    // Every operation of the document, and nothing else, with its method and path, under its tag.
    t.equal(await countWhenSettled(page.locator('.opblock'), operations.length), operations.length, `Swagger UI renders ${operations.length} operation blocks`)
    for (const op of operations) {
      const name = `${op.method} ${op.path}`
      const block = operationBlock(page, page, op.method, op.path)
      if (!t.equal(await block.count(), 1, `${name} is rendered once`)) continue
      t.equal(visibleText(await block.locator('.opblock-summary-method').innerText()), op.method, `${name}: method label`)
      t.equal(visibleText(await block.locator('.opblock-summary-path').innerText()), op.path, `${name}: path label`)
      for (const tag of op.tags) {
        const section = page.locator('.opblock-tag-section').filter({ has: page.locator(`.opblock-tag[data-tag="${tag}"]`) })
        t.equal(await operationBlock(section, page, op.method, op.path).count(), 1, `${name} is listed under "${tag}"`)
      }
    }

    // "Try it out" on POST /v1/collections/{collection}/documents.
    const collection = 'browser-test'
    const doc = { id: 'from-swagger', title: 'Made in Swagger UI' }
    const post = operationBlock(page, page, 'POST', '/v1/collections/{collection}/documents')
    await post.locator('.opblock-summary').first().click()
    await post.getByRole('button', { name: 'Try it out' }).click()
    await post.locator('tr[data-param-name="collection"][data-param-in="path"] input').fill(collection)
    const body = post.locator('textarea.body-param__text')
    await body.fill(JSON.stringify(doc, null, 2))
    t.same(JSON.parse(await body.inputValue()), doc, 'the request body holds the document')

    const expectedPath = `/v1/collections/${collection}/documents`
    const sent = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === expectedPath)
    await post.locator('button.execute').click()
    const answer = await sent
    t.equal(answer.status(), 201, 'the browser sent the POST and the API answered 201')
    const answeredText = await answer.text()

    const live = post.locator('.live-responses-table tbody tr.response')
    await live.first().waitFor({ state: 'visible' })
    t.equal(await live.count(), 1, 'one live response')
    t.equal(visibleText(await live.locator('.response-col_status').innerText()), '201', 'Swagger UI shows status 201')
    const shownBody = await live.locator('.response-col_description .highlight-code pre').first().innerText()
    t.same(JSON.parse(shownBody), doc, 'Swagger UI shows the created document as the response body')
    const headerLines = (await live.locator('.headerline').allInnerTexts()).map(visibleText)
    t.ok(headerLines.includes(`location: ${expectedPath}/${doc.id}`), 'Swagger UI shows the Location header')
    t.ok(headerLines.some((line) => /^etag: "[^"]+"$/.test(line)), 'Swagger UI shows a strong ETag')
    t.equal(visibleText(await post.locator('.request-url pre').innerText()), `${origin}${expectedPath}`, 'the request URL is the container\'s')

    // The document is a pretty-printed JSON file on the host, exactly what was answered.
    const onDisk = await readFile(join(project.dataDir, collection, `${doc.id}.json`), 'utf8')
    t.same(JSON.parse(onDisk), doc, `${collection}/${doc.id}.json on the host holds the document`)
    t.equal(onDisk.trimEnd(), JSON.stringify(doc, null, 2), 'the file is pretty-printed JSON')
    t.equal(onDisk, answeredText, 'the file holds exactly the bytes the browser received')

    t.same(problems, [], 'no console errors, page errors, failed or failing requests in the browser')
  })
  t.test('AUTH_READS: after Authorize, "Try it out" on a read sends the token and gets 200 (401 before)', async (t) => {
    // Swagger UI sends the Authorize dialog's token only to operations whose `security`
    // lists the scheme; this is the read that got 401 while only writes listed it.
    const token = 'swagger-ui-reader-token'
    const server = await startServer(t, await serviceBundle(), {
      DATA_DIR: await tempDir(t), API_TOKENS: token, AUTH_READS: 'true', MAX_EVENT_LOOP_DELAY_MS: '0'
    })
    const doc = { id: 'read-me', title: 'Readable once authorized' }
    const seeded = await fetch(`${server.url}/v1/collections/notes/documents`, {
      method: 'POST', body: JSON.stringify(doc), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    })
    t.equal(seeded.status, 201, 'a document to read')

    const { page, problems } = await openPage(t)
    t.equal((await page.goto(`${server.url}/docs`))?.status(), 200, '/docs stays open under AUTH_READS')
    const path = '/v1/collections/{collection}/documents/{id}'
    const expectedPath = `/v1/collections/notes/documents/${doc.id}`
    const get = operationBlock(page, page, 'GET', path)
    await get.locator('.opblock-summary').first().click()
    await get.getByRole('button', { name: 'Try it out' }).click()
    await get.locator('tr[data-param-name="collection"][data-param-in="path"] input').fill('notes')
    await get.locator('tr[data-param-name="id"][data-param-in="path"] input').fill(doc.id)
    // Nothing else is filled in: the conditional headers have no example for Swagger UI to pre-fill.
    const status = get.locator('.live-responses-table tbody tr.response .response-col_status')
    const execute = async (): Promise<{ status: number, authorization: string | undefined }> => {
      const sent = page.waitForResponse((response) => response.request().method() === 'GET' && new URL(response.url()).pathname === expectedPath)
      await get.locator('button.execute').click()
      const answer = await sent
      return { status: answer.status(), authorization: (await answer.request().allHeaders()).authorization }
    }
    t.same(problems, [], 'Swagger UI loaded without a complaint')

    // Not authorized yet: no token is sent, and AUTH_READS refuses the read.
    t.same(await execute(), { status: 401, authorization: undefined }, 'before Authorize: no token sent, 401')
    // The read documents no 401, so Swagger UI labels it "Undocumented" after the code.
    t.match(await textWhenSettled(status.first(), /^401\b/), /^401\b/, 'Swagger UI shows 401')
    problems.length = 0 // that 401 (and the console line the browser logs for it) was the point

    // Authorize with the token, as a user would.
    await page.locator('.auth-wrapper .btn.authorize').click()
    const dialog = page.locator('.modal-ux')
    await dialog.locator('input#auth-bearer-value').fill(token)
    await dialog.getByRole('button', { name: 'Apply credentials' }).click()
    await dialog.locator('button.btn-done').click()
    await dialog.waitFor({ state: 'detached' })
    t.equal(await get.getByRole('button', { name: 'authorization button locked' }).count(), 1, 'the operation shows as authorized (its lock closed)')

    t.same(await execute(), { status: 200, authorization: `Bearer ${token}` }, 'after Authorize: the token is sent, 200')
    t.equal(await textWhenSettled(status.first(), /^200$/), '200', 'Swagger UI shows 200')
    t.same(JSON.parse(await get.locator('.live-responses-table .response-col_description .highlight-code pre').first().innerText()), doc, 'and the document')
    t.same(problems, [], 'no console errors, page errors, failed or failing requests once authorized')
  })
}
