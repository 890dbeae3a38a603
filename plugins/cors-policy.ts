import type { FastifyCorsOptions, FastifyCorsOptionsDelegateCallback } from '@fastify/cors'

/*
 * Who may call the service from a browser. The v1 API: only CORS_ORIGIN
 * (none when it is empty). The json-server routes: also any front end on
 * this machine (localhost or 127.0.0.1, any port), as every json-server user
 * expects, with json-server's reflected origin and credentials; each route
 * exposes the headers json-server exposes.
 */

/** A front end on this machine, any port: what json-server users run (vite, webpack, CRA…). */
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

function configured (corsOrigin: string): string[] | '*' {
  return corsOrigin === '*' ? '*' : corsOrigin.split(',').map((o) => o.trim()).filter((o) => o !== '')
}

export interface CorsPolicy { corsOrigin: string, jsonServerPrefix: string }

function isJsonServer (url: string, prefix: string): boolean {
  return prefix !== '' && (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`))
}

/** @fastify/cors options for each request (its `delegator`). */
export function corsDelegator ({ corsOrigin, jsonServerPrefix }: CorsPolicy): FastifyCorsOptionsDelegateCallback {
  const allowed = configured(corsOrigin)
  const v1: FastifyCorsOptions = { origin: allowed.length === 0 ? false : allowed, methods: METHODS, exposedHeaders: ['etag', 'location', 'link', 'x-request-id'] }
  return (request, callback) => {
    if (!isJsonServer(request.url ?? '', jsonServerPrefix)) {
      callback(null, v1)
      return
    }
    const origin = request.headers.origin
    const ok = origin !== undefined && (LOCAL_ORIGIN.test(origin) || allowed === '*' || allowed.includes(origin))
    callback(null, { origin: ok, credentials: true, methods: METHODS })
  }
}
