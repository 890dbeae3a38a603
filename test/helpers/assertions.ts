import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'

export type Res = Awaited<ReturnType<FastifyInstance['inject']>>
export type Doc = Record<string, unknown>

/** How a document's file reads on disk (docs/storage.md): 2-space indent and a final newline. */
export const pretty = (doc: unknown): string => JSON.stringify(doc, null, 2) + '\n'

/** Asserts a problem+json answer with the given status and returns its body. */
export function problem (t: Test, res: Res, status: number, what = ''): Doc {
  t.equal(res.statusCode, status, `${what} answers ${status}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${what} is problem+json`)
  const body = res.json() as Doc
  t.equal(body.status, status, `${what} problem.status`)
  t.type(body.type, 'string')
  t.type(body.detail, 'string')
  return body
}

/** Asserts that an engine call rejects with a StoreError of this code. */
export async function expectStoreError (t: Test, promise: Promise<unknown>, code: string, what?: string): Promise<void> {
  await t.rejects(promise, { name: 'StoreError', code }, what === undefined ? `rejects with ${code}` : `${what}: ${code}`)
}
