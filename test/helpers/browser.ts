import { accessSync, constants } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium, type Locator, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { repoRoot } from './docker'

// Swagger UI in a real (headless) Chromium: the shared parts of the browser suites.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function chromiumUnavailable (): string | undefined {
  try {
    accessSync(chromiumPath, constants.X_OK)
    return undefined
  } catch {
    return `no Chromium executable at ${chromiumPath} (install chromium, or set CHROMIUM_PATH)`
  }
}

export const TIMEOUT = 30_000
export const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

export interface Operation { method: string, path: string, tags: string[] }
export interface OpenApi { openapi: string, info: { title: string, version: string }, tags?: Array<{ name: string }>, paths: Record<string, Record<string, { tags?: string[] }>> }

/** The operations of an OpenAPI document, as Swagger UI lists them. */
export function operationsOf (spec: OpenApi): Operation[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, tags: op.tags ?? [] })))
}

/** Swagger UI may put zero-width spaces / <wbr> in long paths. */
export function visibleText (text: string): string {
  return text.replace(/[\u200b\u00a0]/g, ' ').replace(/\s+/g, ' ').trim()
}

/** Polls a locator's count until it is `expected` (or the time is up); returns the last count. */
export async function countWhenSettled (locator: Locator, expected: number, timeoutMs = TIMEOUT): Promise<number> {
  const deadline = Date.now() + timeoutMs
  let count = await locator.count()
  while (count !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    count = await locator.count()
  }
  return count
}

/** The rendered operation block for a method and path, found by what Swagger UI shows, not by its generated ids. */
export function operationBlock (scope: Page | Locator, page: Page, method: string, path: string): Locator {
  return scope.locator(`.opblock.opblock-${method.toLowerCase()}`)
    .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) })
}

/** A fresh headless Chromium page; `problems` collects whatever the browser complains about (CSP, CORS, script errors, failed loads). */
export async function openPage (t: Test): Promise<{ page: Page, problems: string[] }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(async () => await browser.close())
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(TIMEOUT)
  context.setDefaultNavigationTimeout(TIMEOUT)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`) })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`))
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`) })
  return { page, problems }
}

/** Polls a locator's text until it matches `expected` (or the time is up); returns the last text. */
export async function textWhenSettled (locator: Locator, expected: RegExp, timeoutMs = TIMEOUT): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let text = visibleText(await locator.innerText())
  while (!expected.test(text) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    text = visibleText(await locator.innerText())
  }
  return text
}

/**
 * The README's screenshot: an executed operation, from its summary to its live
 * response. UPDATE_SCREENSHOT=1 refreshes the committed picture; other runs keep theirs in .tap/.
 */
export async function screenshot (t: Test, page: Page, block: Locator): Promise<void> {
  const summary = block.locator('.opblock-summary').first()
  await summary.scrollIntoViewIfNeeded()
  const top = await summary.boundingBox()
  const bottom = await block.locator('.live-responses-table').boundingBox()
  if (!t.ok(top !== null && bottom !== null, 'the executed operation has a layout box') || top === null || bottom === null) return
  const scrollY = await page.evaluate('window.scrollY') as number
  const y = Math.max(0, Math.floor(top.y + scrollY - 12))
  const clip = { x: 0, y, width: 1280, height: Math.ceil(bottom.y + bottom.height + scrollY + 6) - y }
  const target = process.env.UPDATE_SCREENSHOT === '1' ? join(repoRoot, 'docs', 'swagger-ui.png') : join(repoRoot, '.tap', 'swagger-ui.png')
  await mkdir(join(target, '..'), { recursive: true })
  const png = await page.screenshot({ path: target, fullPage: true, clip })
  t.ok(png.length > 10_000, `screenshot written to ${target} (${png.length} bytes, ${clip.width}×${clip.height})`)
}

