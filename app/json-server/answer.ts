/*
 * What a json-server route answers, as plain data: the route file hands it to
 * one reply helper (plugins/json-server-http.ts, which defines Answer: imports
 * flow from here down to the plugins), so no module here knows HTTP.
 */
import type { Answer } from '../../plugins/json-server-http'

export type { Answer }

/** json-server's answer for anything that is not there: 404 and `{}`. */
export function notFound (): Answer {
  return { status: 404, body: {}, headers: {} }
}

export function ok (body: unknown, headers: Record<string, string> = {}): Answer {
  return { status: 200, body, headers }
}
