/*
 * What a json-server route answers, as plain data: the route file hands it to
 * one reply helper (plugins/json-server-http.ts), so no module here knows HTTP.
 */

export interface Answer {
  status: number
  /** A value sent as JSON, or the exact bytes of a file (already JSON). */
  body: unknown
  headers: Record<string, string>
}

/** json-server's answer for anything that is not there: 404 and `{}`. */
export function notFound (): Answer {
  return { status: 404, body: {}, headers: {} }
}

export function ok (body: unknown, headers: Record<string, string> = {}): Answer {
  return { status: 200, body, headers }
}

/** Whether an If-None-Match header matches `etag` (the weak comparison of RFC 9110 §13.1.2; `*` matches any). */
export function notModified (ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  if (ifNoneMatch.trim() === '*') return true
  return (ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => tag.replace(/^W\//, '') === etag)
}
