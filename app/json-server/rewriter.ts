import { readFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { Value } from '@sinclair/typebox/value'
import type { Static } from '@sinclair/typebox'
import rewrite from 'express-urlrewrite'
import { JsonServerRoutes } from '../../schemas/json-server'

/*
 * json-server's URL rewriter (`--routes routes.json`, its lib/server/rewriter.js):
 * each rule, in the file's order, rewrites the URL the next rule and the
 * router see. The matching and the `$1` / `:name` substitution are
 * express-urlrewrite's, the library json-server uses, so a routes.json means
 * the same here. Applied only under JSON_SERVER_PREFIX, to the URL after it.
 */

export type Routes = Static<typeof JsonServerRoutes>

/** The rules of a routes.json; a clear Error (never a partial set) when the file cannot be used. */
export async function loadRoutes (path: string): Promise<Routes> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new Error(`cannot read the routes file: ${(err as Error).message}`)
  }
  let routes: unknown
  try {
    routes = JSON.parse(text)
  } catch (err) {
    throw new Error(`the routes file is not JSON: ${(err as Error).message}`)
  }
  const error = Value.Errors(JsonServerRoutes, routes).First()
  if (error !== undefined) {
    const rule = JSON.stringify(error.path.slice(1).replaceAll('~1', '/').replaceAll('~0', '~'))
    const what = error.path === '' ? 'the file is not a JSON object' : error.schema === JsonServerRoutes ? `the pattern ${rule} does not start with "/"` : `the target of ${rule} is not a text that starts with "/"`
    throw new Error(`${what}. A routes file is one JSON object of rules, each "/pattern": "/target", as json-server's --routes takes (e.g. {"/api/*": "/$1"})`)
  }
  return routes as Routes
}

type Rule = (req: { url: string, originalUrl: string, params: Record<string, string> }, res: unknown, next: () => void) => void

/** Rewrites a raw URL: under `prefix`, every rule in order; `/__rules` itself and any other URL stay as they are. */
export function rewriterFor (prefix: string, routes: Routes): (req: IncomingMessage) => string {
  const rules = Object.entries(routes).map(([from, to]) => rewrite(from, to) as unknown as Rule)
  return (req) => {
    const url = req.url ?? '/'
    const rest = url.slice(prefix.length)
    if (!url.startsWith(prefix) || !(rest === '' || rest.startsWith('/') || rest.startsWith('?'))) return url
    const target = { url: rest.startsWith('/') ? rest : `/${rest}`, originalUrl: '', params: {} }
    if (target.url.split('?')[0] === '/__rules') return url
    const before = target.url
    for (const rule of rules) rule(target, undefined, () => {})
    if (target.url === before) return url
    return `${prefix}${target.url.startsWith('/') ? '' : '/'}${target.url}`
  }
}
