import type { FastifyCorsOptions, FastifyCorsOptionsDelegateCallback } from '@fastify/cors'
import type { onRequestHookHandler } from 'fastify'
import { HttpProblem } from './errors'

/*
 * Who may call the service from a browser: one policy for the v1 API and
 * the json-server routes alike. Any front end on this machine (localhost,
 * 127.0.0.1 or [::1], any port), as every json-server user expects, and the
 * origins in CORS_ORIGIN (`*`: any). Allowed origins are reflected, with
 * credentials, as json-server does. What each answer exposes differs: the
 * v1 API its ETag/Location/Link/x-request-id, each json-server route the
 * headers json-server exposes. A preflight from any other origin is refused
 * with a 403 problem that says why and what to set, not left to the 404
 * "No route OPTIONS …" that would point at the wrong cause.
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

/** The one rule: may a page from this origin call the service? */
function originAllowed (corsOrigin: string): (origin: string) => boolean {
  const allowed = configured(corsOrigin)
  return (origin) => LOCAL_ORIGIN.test(origin) || allowed === '*' || allowed.includes(origin)
}

/** @fastify/cors options for each request (its `delegator`). */
export function corsDelegator ({ corsOrigin, jsonServerPrefix }: CorsPolicy): FastifyCorsOptionsDelegateCallback {
  const allows = originAllowed(corsOrigin)
  return (request, callback) => {
    const origin = request.headers.origin
    const ok = origin !== undefined && allows(origin)
    const options: FastifyCorsOptions = { origin: ok, credentials: true, methods: METHODS }
    // json-server routes set their own exposed headers, as json-server does (plugins/json-server-http.ts).
    if (!isJsonServer(request.url ?? '', jsonServerPrefix)) options.exposedHeaders = ['etag', 'location', 'link', 'x-request-id']
    callback(null, options)
  }
}

/** A 403 problem for a preflight (OPTIONS with Access-Control-Request-Method) from an origin the policy refuses. Runs after @fastify/cors. */
export function refusedPreflight ({ corsOrigin }: CorsPolicy): onRequestHookHandler {
  const allows = originAllowed(corsOrigin)
  const listed = corsOrigin.trim() === '' ? 'CORS_ORIGIN is empty' : `CORS_ORIGIN is "${corsOrigin}"`
  return (request, _reply, done) => {
    const origin = request.headers.origin
    if (request.method !== 'OPTIONS' || origin === undefined || request.headers['access-control-request-method'] === undefined || allows(origin)) {
      done()
      return
    }
    done(new HttpProblem(403, 'cors-origin-not-allowed',
      `A page from ${JSON.stringify(origin.slice(0, 200))} may not call this service: browsers may call it from front ends on localhost, 127.0.0.1 or [::1] (any port) ` +
      `and from the origins in CORS_ORIGIN, and ${listed}. Add the origin to CORS_ORIGIN (comma-separated, scheme://host[:port]) and restart.`))
  }
}
