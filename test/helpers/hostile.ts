import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { lstat, readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

// ---- raw HTTP/1.1 over one TCP connection -------------------------------------------------------

export interface RawResponse {
  /** The status code of the first response, or null when no status line came back. */
  status: number | null
  statusLine: string
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>
  body: Buffer
  /** The body arrived whole, as framed by Content-Length / chunked / connection close. */
  complete: boolean
  /** Everything the server sent, raw (for reports). */
  raw: Buffer
  /** A socket error seen while writing or reading (EPIPE, ECONNRESET, …), if any. */
  socketError?: string
  timedOut: boolean
  ms: number
}

export interface RawRequestOptions {
  /** Give up waiting for an answer after this long. */
  timeoutMs?: number
  /** Half-close the connection (FIN) once the request bytes are written. */
  endAfterWrite?: boolean
  /** The request is a HEAD: the answer has no body whatever its headers say. */
  head?: boolean
}

interface Parsed {
  status: number | null
  statusLine: string
  headers: Record<string, string>
  body: Buffer
  complete: boolean
}

/** Parses the first HTTP/1.1 response in `raw`; `closed` tells whether the server has closed the connection. */
export function parseResponse (raw: Buffer, closed: boolean, isHead = false): Parsed | undefined {
  // Interim 1xx answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(raw.subarray(0, 13).toString('latin1'))) {
    const interimEnd = raw.indexOf('\r\n\r\n')
    if (interimEnd === -1) break
    raw = raw.subarray(interimEnd + 4)
  }
  const end = raw.indexOf('\r\n\r\n')
  if (end === -1) {
    if (!closed) return undefined
    const text = raw.toString('latin1')
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(text)
    return { status: match === null ? null : Number(match[1]), statusLine: text.split('\r\n')[0] ?? '', headers: {}, body: Buffer.alloc(0), complete: false }
  }
  const head = raw.subarray(0, end).toString('latin1').split('\r\n')
  const statusLine = head[0] ?? ''
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
  const headers: Record<string, string> = {}
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
  }
  const status = match === null ? null : Number(match[1])
  const rest = raw.subarray(end + 4)
  const noBody = isHead || (status !== null && (status === 204 || status === 304 || (status >= 100 && status < 200)))
  if (noBody) return { status, statusLine, headers, body: Buffer.alloc(0), complete: true }
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked') === true) {
    const chunks: Buffer[] = []
    let at = 0
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at)
      if (lineEnd === -1) break
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16)
      if (Number.isNaN(size)) break
      if (size === 0) return { status, statusLine, headers, body: Buffer.concat(chunks), complete: true }
      if (rest.length < lineEnd + 2 + size + 2) break
      chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size))
      at = lineEnd + 2 + size + 2
    }
    return closed ? { status, statusLine, headers, body: Buffer.concat(chunks), complete: false } : undefined
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length'])
    if (rest.length >= length) return { status, statusLine, headers, body: rest.subarray(0, length), complete: true }
    return closed ? { status, statusLine, headers, body: rest, complete: false } : undefined
  }
  // No framing: the body runs to the close.
  return closed ? { status, statusLine, headers, body: rest, complete: true } : undefined
}

/**
 * Writes `request` (exact bytes) to a new TCP connection and reads the first
 * response. Resolves once that response is whole, or the server closes, or
 * the time is up — never rejects: a dropped connection is a result too.
 */
export async function rawRequest (port: number, request: Buffer | Buffer[], options: RawRequestOptions = {}): Promise<RawResponse> {
  const started = Date.now()
  const timeoutMs = options.timeoutMs ?? 15_000
  return await new Promise<RawResponse>((resolve) => {
    const received: Buffer[] = []
    let socketError: string | undefined
    let settled = false
    const socket = connect({ port, host: '127.0.0.1' })
    const finish = (closed: boolean, timedOut: boolean): void => {
      if (settled) return
      const raw = Buffer.concat(received)
      const parsed = parseResponse(raw, closed || timedOut, options.head === true)
      if (parsed === undefined) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...parsed, raw, ...(socketError === undefined ? {} : { socketError }), timedOut, ms: Date.now() - started })
    }
    const timer = setTimeout(() => finish(true, true), timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk)
      finish(false, false)
    })
    socket.on('error', (err: NodeJS.ErrnoException) => { socketError ??= err.code ?? err.message })
    socket.on('close', () => finish(true, false))
    socket.on('connect', () => {
      // A server may answer early (413) and close while the body is still coming, and a socket
      // whose write fails (EPIPE) is destroyed by Node with that answer unread. So the head goes
      // first; a big body follows only if no answer came within a moment, in 16 KB slices, each
      // after the previous drained and a moment for an answer, and none once an answer has
      // begun (as curl does).
      const all = Array.isArray(request) ? Buffer.concat(request) : request
      const headEnd = all.indexOf('\r\n\r\n')
      const split = headEnd === -1 || all.length - headEnd < 64 * 1024 ? all.length : headEnd + 4
      const answered = (): boolean => received.length > 0 || socket.destroyed
      const waitFor = async (ms: number): Promise<void> => await new Promise<void>((resolve) => {
        const done = (): void => { clearTimeout(timer); socket.off('drain', done).off('close', done).off('data', done); resolve() }
        const timer = setTimeout(done, ms)
        socket.on('drain', done).on('close', done).on('data', done)
      })
      const write = async (): Promise<void> => {
        socket.write(all.subarray(0, split))
        if (split < all.length) await waitFor(50)
        for (let at = split; at < all.length; at += 16 * 1024) {
          if (answered()) return
          if (!socket.write(all.subarray(at, at + 16 * 1024))) await waitFor(timeoutMs)
          // A moment for an answer to what was sent (a 413 once past the limit) before more.
          if (!answered()) await waitFor(10)
        }
        if (options.endAfterWrite === true && !socket.destroyed) socket.end()
      }
      void write()
    })
  })
}

// ---- building request bytes ---------------------------------------------------------------------

export interface RequestSpec {
  method: string
  /** The request target exactly as sent (a string is sent as latin1 bytes, so "\xff" is the byte 0xFF). */
  target: string | Buffer
  headers?: Array<[string, string | Buffer]>
  body?: string | Buffer
  /** Content-Length to declare; default: the body's length when there is a body. `null`: send none. */
  contentLength?: number | null
}

/** HTTP/1.1 request bytes: request line, Host, Connection: close, the given headers, Content-Length, body. */
export function requestBytes (spec: RequestSpec): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8')
  const parts: Buffer[] = [
    Buffer.from(`${spec.method} `, 'latin1'),
    Buffer.isBuffer(spec.target) ? spec.target : Buffer.from(spec.target, 'latin1'),
    Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n', 'latin1')
  ]
  for (const [name, value] of spec.headers ?? []) {
    parts.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'))
  }
  const length = spec.contentLength === undefined ? body?.length : spec.contentLength
  if (length !== undefined && length !== null) parts.push(Buffer.from(`Content-Length: ${length}\r\n`))
  parts.push(Buffer.from('\r\n'))
  if (body !== undefined) parts.push(body)
  return Buffer.concat(parts)
}

/** A chunked body in `chunkSize` pieces, with the final zero chunk. */
export function chunked (body: Buffer, chunkSize: number): Buffer {
  const parts: Buffer[] = []
  for (let at = 0; at < body.length; at += chunkSize) {
    const piece = body.subarray(at, at + chunkSize)
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from('0\r\n\r\n'))
  return Buffer.concat(parts)
}

// ---- the problem+json contract --------------------------------------------------------------------

/** A V8 stack frame: `at fn (file:line:col)` or `at file:line:col`. */
const STACK_FRAME = /\n\s+at \S|\bat (?:async )?(?:[\w$.<>[\] ]+ \()?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+/
const FILE_PATH = /\/work\/|node_modules|dist\/server\.js|\.ts:\d+|\.js:\d+/

/**
 * Everything wrong with an error response, as short sentences; empty when it
 * is a proper problem+json 4xx. `allowNoAnswer`: Node's parser may drop the
 * connection without a word.
 */
export function problemViolations (
  res: RawResponse,
  options: { allowNoAnswer?: boolean, head?: boolean, secret?: string, forbidden?: string[] } = {}
): string[] {
  const out: string[] = []
  if (res.status === null) {
    if (options.allowNoAnswer === true) return out
    out.push(res.timedOut ? 'no answer (timed out)' : `connection closed without an answer${res.socketError === undefined ? '' : ` (${res.socketError})`}`)
    return out
  }
  if (res.status >= 500) out.push(`5xx status ${res.status}`)
  else if (res.status < 400) out.push(`not an error: status ${res.status}`)
  const type = res.headers['content-type'] ?? '(none)'
  if (!/^application\/problem\+json\b/i.test(type)) out.push(`content-type ${type}`)
  if (options.head === true) return out
  if (!res.complete) out.push('truncated body')
  const text = res.body.toString('utf8')
  let body: Record<string, unknown> | undefined
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>
  } catch {}
  if (body === undefined) {
    out.push('body is not a JSON object')
  } else {
    for (const key of ['type', 'title', 'detail', 'instance']) {
      if (typeof body[key] !== 'string') out.push(`no string "${key}"`)
    }
    if (body.status !== res.status) out.push(`body status ${String(body.status)} ≠ ${res.status}`)
  }
  if (STACK_FRAME.test(text)) out.push('stack frame in body')
  if (FILE_PATH.test(text)) out.push('file path in body')
  if (options.secret !== undefined && res.raw.includes(options.secret)) out.push('leaks the secret outside DATA_DIR')
  for (const word of options.forbidden ?? []) if (text.includes(word)) out.push(`body names ${word}`)
  return out
}

// ---- file tree snapshots ----------------------------------------------------------------------------

export interface TreeEntry {
  type: 'file' | 'dir' | 'symlink' | 'other'
  size: number
  mtimeMs: number
}

/** Every path under `root` (relative, "/" separated), without following symlinks; `skip` paths are not descended into. */
export async function snapshotTree (root: string, skip: string[] = []): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>()
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const full = join(dir, name)
      const rel = relative(root, full).split(sep).join('/')
      const stats = await lstat(full)
      const type = stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'other'
      out.set(rel, { type, size: stats.size, mtimeMs: stats.mtimeMs })
      if (type === 'dir' && !skip.includes(rel)) await walk(full)
    }
  }
  await walk(root)
  return out
}

/** The differences between two snapshots, one line each. */
export function diffTrees (before: Map<string, TreeEntry>, after: Map<string, TreeEntry>): string[] {
  const out: string[] = []
  for (const [path, entry] of before) {
    const now = after.get(path)
    if (now === undefined) out.push(`removed: ${path}`)
    else if (now.type !== entry.type || now.size !== entry.size || now.mtimeMs !== entry.mtimeMs) {
      out.push(`changed: ${path} (${entry.type} ${entry.size} B @${entry.mtimeMs} → ${now.type} ${now.size} B @${now.mtimeMs})`)
    }
  }
  for (const path of after.keys()) if (!before.has(path)) out.push(`added: ${path}`)
  return out
}

/** Resident set size of a process, in bytes (Linux /proc): now (VmRSS), or its peak so far (VmHWM). */
export async function rssOf (pid: number, which: 'VmRSS' | 'VmHWM' = 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${which}:\\s+(\\d+)\\s+kB`, 'm').exec(status)
  if (match === null) throw new Error(`no ${which} in /proc/${pid}/status`)
  return Number(match[1]) * 1024
}

// ---- the corpus ---------------------------------------------------------------------------------------

/**
 * `reject`: the only right answer is a 4xx problem+json.
 * `tolerate`: unusual but legitimate (e.g. a body just under BODY_LIMIT); any
 * answer but a 5xx or a dropped connection, errors as problem+json, and the
 * case's own `check` on a success.
 */
export type Expectation = 'reject' | 'tolerate'

export interface HostileCase {
  category: string
  name: string
  request: Buffer
  expect: Expectation
  /** Node's HTTP parser itself must refuse these bytes: closing without an answer is allowed (an answer must still be a 4xx problem). */
  parser?: boolean
  /** Half-close after writing (a client that lied about the length and gave up). */
  endAfterWrite?: boolean
  /** HEAD: the answer has headers only. */
  head?: boolean
  /** Extra checks on the answer (mainly for `tolerate` successes); returns what is wrong. */
  check?: (res: RawResponse) => string[]
}

/** Names the corpus relies on: created by the test before the corpus runs. */
export const FIXTURE = {
  collection: 'docs',
  document: 'target',
  body: { id: 'target', a: { b: 1 }, list: [1, 2, 3], title: 'fixture' }
}

/** Keys a prototype-pollution payload would add to Object.prototype. */
export const POLLUTION_KEYS = ['polluted', 'isAdmin']

const JSON_TYPE = 'application/json'
const MERGE_PATCH = 'application/merge-patch+json'
const JSON_PATCH = 'application/json-patch+json'
const DOCS = `/v1/collections/${FIXTURE.collection}/documents`
const TARGET = `${DOCS}/${FIXTURE.document}`

/** A short, printable label for bytes: non-ASCII and controls escaped, long runs elided. */
export function label (value: string | Buffer, max = 110): string {
  const full = Buffer.isBuffer(value) ? value.toString('latin1') : value
  const text = full.slice(0, 200_000)
  const escape = (ch: string): string => {
    const code = ch.codePointAt(0) ?? 0
    return code < 0x20 || code === 0x7f || code > 0x7e ? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`) : ch
  }
  let out = ''
  const chars = [...text]
  for (let i = 0; i < chars.length && out.length <= max;) {
    let j = i
    while (j < chars.length && chars[j] === chars[i]) j++
    out += j - i >= 25 ? `${escape(chars[i] as string)}×${j - i}` : escape(chars[i] as string).repeat(j - i)
    i = j
  }
  return out.length > max ? `${out.slice(0, max)}…(${full.length} chars)` : out
}

function bytes (method: string, target: string | Buffer, headers: Array<[string, string | Buffer]> = [], body?: string | Buffer, contentLength?: number | null): Buffer {
  return requestBytes({ method, target, headers, ...(body === undefined ? {} : { body }), ...(contentLength === undefined ? {} : { contentLength }) })
}

function withType (type: string | undefined, extra: Array<[string, string | Buffer]> = []): Array<[string, string | Buffer]> {
  return type === undefined ? extra : [['Content-Type', type], ...extra]
}

/** A JSON body that is fine apart from what the test puts in it, for each write route. */
interface WriteRoute {
  name: string
  method: string
  target: (n: number) => string
  type: string
  /** Wraps a JSON value text into a body this route takes. */
  wrap: (value: string) => string
}

const documentWrites: WriteRoute[] = [
  { name: 'POST doc', method: 'POST', target: () => DOCS, type: JSON_TYPE, wrap: (v) => `{"title":"x","v":${v}}` },
  { name: 'PUT doc', method: 'PUT', target: (n) => `${DOCS}/put-${n}`, type: JSON_TYPE, wrap: (v) => `{"title":"x","v":${v}}` },
  { name: 'PATCH merge', method: 'PATCH', target: () => TARGET, type: MERGE_PATCH, wrap: (v) => `{"v":${v}}` },
  { name: 'PATCH json-patch', method: 'PATCH', target: () => TARGET, type: JSON_PATCH, wrap: (v) => `[{"op":"add","path":"/v","value":${v}}]` },
  { name: 'PUT collection', method: 'PUT', target: (n) => `/v1/collections/coll-${n}`, type: JSON_TYPE, wrap: (v) => `{"schema":{"type":"object","default":${v}}}` }
]

/**
 * A body beyond BODY_LIMIT sent as 1-byte chunks (~400 KB on the wire): cheap
 * to send, and each chunk costs the server an object of its own. Sent many at
 * once, apart from the corpus, to measure the memory it costs.
 */
export function oneByteChunkFlood (): Buffer {
  const over = Buffer.from(`{"title":"x","s":"${'s'.repeat(65_536)}"}`)
  return requestBytes({ method: 'POST', target: DOCS, headers: [['Content-Type', JSON_TYPE], ['Transfer-Encoding', 'chunked']], body: chunked(over, 1), contentLength: null })
}

/** Builds the whole corpus. Deterministic: replaying it sends the same bytes. */
export function buildCorpus (): HostileCase[] {
  const cases: HostileCase[] = []
  let counter = 0
  const next = (): number => ++counter
  const add = (c: Omit<HostileCase, 'expect'> & { expect?: Expectation }): void => { cases.push({ expect: 'reject', ...c }) }

  // -- path traversal, every encoding, in the collection and id positions ----------------------------
  const traversal = [
    '..', '.', '%2e%2e', '%2E%2e', '%2e%2E%2f', '..%2f', '..%2F..%2Foutside', '..%2foutside%2fsecret', '%2e%2e%2foutside',
    '%2e%2e%2f%2e%2e%2foutside%2fsecret', '%252e%252e', '%252e%252e%252foutside', '..%252f', '..%5c', '..%5C..%5Coutside',
    '%2e%2e%5c', '%c0%ae%c0%ae', '%c0%ae%c0%ae%c0%afoutside', '%e0%80%ae%e0%80%ae', '..%c0%af', '..%c1%9c', '%ef%bc%8e%ef%bc%8e',
    '%00', 'secret%00', 'docs%00..', '..%00', '.%2e', '.%2e%2f', '%2e.', '..\\', '..\\..\\outside', '%2fetc%2fpasswd',
    '%2Fetc%2Fpasswd%00', '....%2f%2f', '....%5c%5c', '..;', '%5c%5c..%5c', '~', '%7e%2f', '.json', 'secret.json', '.collection',
    '.tmp-1', 'docs%2f..%2f..%2foutside', '%u002e%u002e', '..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd'
  ]
  for (const p of traversal) {
    const settings = '{}'
    const doc = '{"title":"x"}'
    add({ category: 'traversal', name: `GET collection=${p}`, request: bytes('GET', `/v1/collections/${p}`) })
    add({ category: 'traversal', name: `PUT collection=${p}`, request: bytes('PUT', `/v1/collections/${p}`, withType(JSON_TYPE), settings) })
    add({ category: 'traversal', name: `DELETE collection=${p}?force=true`, request: bytes('DELETE', `/v1/collections/${p}?force=true`) })
    add({ category: 'traversal', name: `GET list collection=${p}`, request: bytes('GET', `/v1/collections/${p}/documents`) })
    add({ category: 'traversal', name: `POST collection=${p}`, request: bytes('POST', `/v1/collections/${p}/documents`, withType(JSON_TYPE), '{"id":"secret","title":"x"}') })
    add({ category: 'traversal', name: `GET collection=${p} id=secret`, request: bytes('GET', `/v1/collections/${p}/documents/secret`) })
    add({ category: 'traversal', name: `PUT collection=${p} id=secret`, request: bytes('PUT', `/v1/collections/${p}/documents/secret`, withType(JSON_TYPE), doc) })
    add({ category: 'traversal', name: `GET id=${p}`, request: bytes('GET', `${DOCS}/${p}`) })
    add({ category: 'traversal', name: `PUT id=${p}`, request: bytes('PUT', `${DOCS}/${p}`, withType(JSON_TYPE), doc) })
    add({ category: 'traversal', name: `PATCH id=${p}`, request: bytes('PATCH', `${DOCS}/${p}`, withType(MERGE_PATCH), '{"title":"y"}') })
    add({ category: 'traversal', name: `DELETE id=${p}`, request: bytes('DELETE', `${DOCS}/${p}`) })
  }
  // Decoded traversal strings in the body id (POST) and a body id that differs from a safe path id (PUT).
  const bodyIds = ['..', '../outside/secret', '../../outside/secret', '..\\..\\outside\\secret', '/etc/passwd', '/tmp/x', '.', '',
    'secret\u0000', 'a/b', '.collection', '.tmp-1', 'con.json', '....//', '%2e%2e', 'x'.repeat(129), '\u202egnp.exe', 'a\u200bb', '😀']
  for (const id of bodyIds) {
    add({ category: 'traversal', name: `POST body id=${label(JSON.stringify(id))}`, request: bytes('POST', DOCS, withType(JSON_TYPE), JSON.stringify({ id, title: 'x' })) })
    add({ category: 'traversal', name: `PUT id=safe body id=${label(JSON.stringify(id))}`, request: bytes('PUT', `${DOCS}/safe-${next()}`, withType(JSON_TYPE), JSON.stringify({ id, title: 'x' })) })
  }
  for (const target of ['/etc/passwd', '//etc/passwd', '/v1/collections//etc/passwd', '/v1/collections/docs/documents/x/../../../../etc/passwd',
    '/v1/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/v1/collections/docs/documents//etc/passwd', '/./v1/collections/docs/documents/x',
    '/v1/collections/docs/./documents/x', '/v1/collections/docs/documents/.', '/v1/collections/docs/documents/..', '/%2e%2e/%2e%2e/etc/passwd',
    '/docs/static/..%2f..%2f..%2fetc%2fpasswd', '/docs/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/docs/static/....//....//etc/passwd',
    '/docs/static/..%5c..%5c..%5cetc%5cpasswd', '/docs/%2e%2e/%2e%2e/package.json', 'http://127.0.0.1/v1/collections/..%2f..%2foutside/documents/secret',
    '/v1/collections/docs/documents/%2e%2e%2f%2e%2e%2f%2e%2e%2foutside%2fsecret']) {
    add({ category: 'traversal', name: `GET ${target}`, request: bytes('GET', target) })
  }

  // -- names: overlong, unicode, RTL, zero-width, emoji, invalid percent-encoding ----------------------
  const names: Array<[string, string]> = [
    ['65 chars', 'a'.repeat(65)], ['129 chars', 'a'.repeat(129)], ['257 chars', 'a'.repeat(257)], ['10,000 chars', 'a'.repeat(10_000)],
    ['uppercase', 'Docs'], ['leading -', '-docs'], ['leading _', '_docs'], ['space', 'a%20b'], ['plus', 'a+b'], ['tab', 'a%09b'],
    ['newline', 'a%0ab'], ['CRLF header injection', 'a%0d%0aX-Injected:%20yes'], ['NUL', 'a%00b'], ['é', '%C3%A9t%C3%A9'],
    ['CJK', '%E6%96%87%E6%A1%A3'], ['RTL override', '%E2%80%AEfdp.exe'], ['zero-width space', 'do%E2%80%8Bcs'],
    ['zero-width joiner', 'do%E2%80%8Dcs'], ['BOM', '%EF%BB%BFdocs'], ['emoji', '%F0%9F%98%80'], ['emoji ZWJ sequence', '%F0%9F%91%A8%E2%80%8D%F0%9F%91%A9%E2%80%8D%F0%9F%91%A7'],
    ['combining accent', 'doc%CC%81s'], ['Cyrillic homoglyph', 'd%D0%BEcs'], ['fullwidth', '%EF%BD%84%EF%BD%8F%EF%BD%83%EF%BD%93'],
    ['U+FFFF', '%EF%BF%BF'], ['surrogate (CESU)', '%ED%A0%80'], ['lone continuation', '%80'], ['overlong NUL', '%C0%80'],
    ['invalid UTF-8 %ff', '%ff'], ['truncated UTF-8', '%E2%82'], ['5-byte UTF-8', '%F8%88%80%80%80'], ['invalid %zz', '%zz'],
    ['lone %', '%'], ['%2 at end', 'a%2'], ['%g0', '%g0'], ['%%', '%%'], ['%u encoding', '%u0064ocs'], ['encoded slash', 'a%2Fb'],
    ['semicolon', 'docs;x'], ['matrix param', 'docs;jsessionid=1'], ['hash', 'a%23b'], ['question', 'a%3Fb'], ['colon', 'c:']
  ]
  // 65 characters and upper case are fine for an id (only the GET of a missing one is sent there).
  const validIds = new Set(['65 chars', 'uppercase'])
  for (const [what, name] of names) {
    add({ category: 'names', name: `GET collection ${what}`, request: bytes('GET', `/v1/collections/${name}/documents`) })
    add({ category: 'names', name: `PUT collection ${what}`, request: bytes('PUT', `/v1/collections/${name}`, withType(JSON_TYPE), '{}') })
    add({ category: 'names', name: `POST into collection ${what}`, request: bytes('POST', `/v1/collections/${name}/documents`, withType(JSON_TYPE), '{"title":"x"}') })
    add({ category: 'names', name: `GET id ${what}`, request: bytes('GET', `${DOCS}/${name}`) })
    if (validIds.has(what)) continue
    add({ category: 'names', name: `PUT id ${what}`, request: bytes('PUT', `${DOCS}/${name}`, withType(JSON_TYPE), '{"title":"x"}') })
    add({ category: 'names', name: `PATCH id ${what}`, request: bytes('PATCH', `${DOCS}/${name}`, withType(MERGE_PATCH), '{"title":"x"}') })
    add({ category: 'names', name: `DELETE id ${what}`, request: bytes('DELETE', `${DOCS}/${name}`) })
  }

  // -- invalid UTF-8 and other raw bytes in the request target (Node's parser may refuse them) -----------
  const rawTargets: Array<[string, Buffer]> = [
    ['0xFF', Buffer.from([0xff])], ['0xC0 0xAE overlong dot', Buffer.from([0xc0, 0xae, 0xc0, 0xae])], ['surrogate ED A0 80', Buffer.from([0xed, 0xa0, 0x80])],
    ['lone 0x80', Buffer.from([0x80])], ['raw é (valid UTF-8)', Buffer.from('é', 'utf8')], ['raw emoji', Buffer.from('😀', 'utf8')],
    ['raw RTL override', Buffer.from('\u202e', 'utf8')], ['NUL byte', Buffer.from([0x00])], ['DEL byte', Buffer.from([0x7f])],
    ['0x01', Buffer.from([0x01])], ['raw tab', Buffer.from('\t')], ['raw backslash ..\\..', Buffer.from('..\\..\\outside')]
  ]
  for (const [what, raw] of rawTargets) {
    for (const [where, build] of [
      ['collection', (b: Buffer) => Buffer.concat([Buffer.from('/v1/collections/'), b, Buffer.from('/documents')])],
      ['id', (b: Buffer) => Buffer.concat([Buffer.from(`${DOCS}/a`), b])],
      ['query', (b: Buffer) => Buffer.concat([Buffer.from(`${DOCS}?q=`), b])]
    ] as Array<[string, (b: Buffer) => Buffer]>) {
      // A backslash is an ordinary character in a search term.
      if (where === 'query' && what.startsWith('raw backslash')) continue
      add({ category: 'raw bytes in path', name: `GET ${where} with ${what}`, request: bytes('GET', build(raw)), parser: true })
    }
    add({ category: 'raw bytes in path', name: `PUT id with ${what}`, request: bytes('PUT', Buffer.concat([Buffer.from(`${DOCS}/a`), raw]), withType(JSON_TYPE), '{}'), parser: true })
  }

  // -- invalid UTF-8 in JSON bodies ----------------------------------------------------------------------
  const badUtf8: Array<[string, Buffer]> = [
    ['0xFF in a string', Buffer.from([0x22, 0x61, 0xff, 0x62, 0x22])],
    ['0xC0 0xAE overlong in a string', Buffer.from([0x22, 0xc0, 0xae, 0x22])],
    ['overlong NUL C0 80', Buffer.from([0x22, 0xc0, 0x80, 0x22])],
    ['UTF-8 surrogate ED A0 80', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['lone continuation 0x80', Buffer.from([0x22, 0x80, 0x22])],
    ['truncated 3-byte E2 82', Buffer.from([0x22, 0xe2, 0x82, 0x22])],
    ['Latin-1 é (0xE9)', Buffer.from([0x22, 0xe9, 0x22])],
    ['5-byte F8', Buffer.from([0x22, 0xf8, 0x88, 0x80, 0x80, 0x80, 0x22])],
    ['beyond U+10FFFF F4 90', Buffer.from([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22])],
    ['0xFE 0xFF', Buffer.from([0x22, 0xfe, 0xff, 0x22])]
  ]
  for (const route of documentWrites) {
    for (const [what, value] of badUtf8) {
      const wrapped = Buffer.from(route.wrap('\u0000'), 'utf8')
      const at = wrapped.indexOf(0)
      const body = Buffer.concat([wrapped.subarray(0, at), value, wrapped.subarray(at + 1)])
      add({ category: 'invalid UTF-8 body', name: `${route.name}: ${what}`, request: bytes(route.method, route.target(next()), withType(route.type), body) })
    }
    add({ category: 'invalid UTF-8 body', name: `${route.name}: 0xFF in a key`, request: bytes(route.method, route.target(next()), withType(route.type), Buffer.concat([Buffer.from('{"a'), Buffer.from([0xff]), Buffer.from('":1}')])) })
    add({ category: 'invalid UTF-8 body', name: `${route.name}: UTF-16LE body`, request: bytes(route.method, route.target(next()), withType(route.type), Buffer.from(route.wrap('1'), 'utf16le')) })
    add({ category: 'invalid UTF-8 body', name: `${route.name}: UTF-16 BOM + body`, request: bytes(route.method, route.target(next()), withType(`${route.type}; charset=utf-16`), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(route.wrap('1'), 'utf16le')])) })
  }

  // -- invalid JSON ----------------------------------------------------------------------------------------
  const invalidJson: Array<[string, string | Buffer]> = [
    ['empty', ''], ['whitespace only', '  \n\t '], ['truncated object', '{"title":'], ['truncated string', '{"title":"x'], ['truncated array', '['],
    ['unclosed object', '{"title":"x"'], ['trailing garbage', '{"title":"x"}x'], ['two values', '{"title":"x"}{"title":"y"}'], ['trailing comma', '{"title":"x",}'],
    ['trailing comma in array', '{"a":[1,]}'], ['single quotes', "{'title':'x'}"], ['unquoted key', '{title:"x"}'], ['NaN', '{"n":NaN}'],
    ['Infinity', '{"n":Infinity}'], ['-Infinity', '{"n":-Infinity}'], ['undefined', '{"n":undefined}'], ['line comment', '{"a":1 // c\n}'],
    ['block comment', '/* c */{"a":1}'], ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"title":"x"}')])],
    ['hex number', '{"n":0x10}'], ['leading zero', '{"n":012}'], ['leading plus', '{"n":+1}'], ['leading dot', '{"n":.5}'], ['trailing dot', '{"n":1.}'],
    ['raw newline in string', '{"s":"a\nb"}'], ['raw tab in string', '{"s":"a\tb"}'], ['raw NUL in string', '{"s":"a\u0000b"}'], ['bad escape \\x', '{"s":"\\x41"}'],
    ['short \\u escape', '{"s":"\\u12"}'], ['NUL after value', '{"a":1}\u0000'], ['JSON null', 'null'], ['JSON array', '[]'], ['JSON string', '"x"'], ['JSON number', '42'],
    ['JSON true', 'true'], ['duplicate id (last is ../x)', '{"id":"ok-dup","id":"../x"}'], ['JavaScript', '{"a":(function(){return 1})()}'],
    ['XML', '<doc><title>x</title></doc>'], ['form encoded', 'title=x&id=..%2fx'], ['only a BOM', Buffer.from([0xef, 0xbb, 0xbf])]
  ]
  for (const [what, body] of invalidJson) {
    for (const route of documentWrites) {
      // The JSON Patch route takes an array: an empty array there is a valid (no-op) patch, and "[]" is left out.
      if (route.name === 'PATCH json-patch' && what === 'JSON array') continue
      add({ category: 'invalid JSON', name: `${route.name}: ${what}`, request: bytes(route.method, route.target(next()), withType(route.type), body) })
    }
  }

  // -- 10,000-deep nesting ----------------------------------------------------------------------------------
  const deep = (n: number, open: string, close: string, inner = '1'): string => open.repeat(n) + inner + close.repeat(n)
  const nestings: Array<[string, string]> = [
    ['10,000 arrays', deep(10_000, '[', ']')], ['10,000 objects', deep(10_000, '{"a":', '}')], ['10,000 mixed', deep(5_000, '{"a":[', ']}')],
    ['10,000 arrays, unclosed', '['.repeat(10_000)], ['10,000 objects, unclosed', '{"a":'.repeat(10_000)], ['1,000 arrays', deep(1_000, '[', ']')],
    ['20,000 arrays (40 KB)', deep(20_000, '[', ']')], ['10,000 empty arrays', deep(10_000, '[', ']', '')]
  ]
  for (const [what, value] of nestings) {
    for (const route of documentWrites) {
      add({ category: 'deep nesting', name: `${route.name}: ${what}`, request: bytes(route.method, route.target(next()), withType(route.type), route.wrap(value)) })
    }
  }
  add({ category: 'deep nesting', name: 'PUT collection: schema with 10,000 nested "not"', request: bytes('PUT', `/v1/collections/coll-${next()}`, withType(JSON_TYPE), `{"schema":${deep(10_000, '{"not":', '}', '{}')}}`) })
  add({ category: 'deep nesting', name: 'PUT collection: schema with 10,000 nested "items"', request: bytes('PUT', `/v1/collections/coll-${next()}`, withType(JSON_TYPE), `{"schema":${deep(10_000, '{"items":', '}', '{}')}}`) })
  add({ category: 'deep nesting', name: 'PATCH json-patch: 10,000-deep path', request: bytes('PATCH', TARGET, withType(JSON_PATCH), JSON.stringify([{ op: 'add', path: '/a'.repeat(10_000), value: 1 }])) })
  for (const n of [1_200, 10_000]) {
    add({ category: 'deep nesting', name: `PATCH json-patch: ${n} operations`, request: bytes('PATCH', TARGET, withType(JSON_PATCH), JSON.stringify(Array.from({ length: n }, () => ({ op: 'test', path: '/id', value: 'target' })))) })
  }

  // -- huge numbers -------------------------------------------------------------------------------------------
  const digits400 = '9'.repeat(400)
  const hugeNumbers: Array<[string, string]> = [
    ['1e400', '1e400'], ['-1e400', '-1e400'], ['1E+400', '1E+400'], ['400-digit integer', digits400], ['-400-digit integer', `-${digits400}`],
    ['400-digit decimal', `${digits400}.5`], ['1e309', '1e309'], ['in an array', `[1,${digits400}]`], ['nested', `{"x":{"y":1e400}}`], ['1e1000000', '1e1000000']
  ]
  for (const [what, value] of hugeNumbers) {
    for (const route of documentWrites) {
      add({ category: 'huge numbers', name: `${route.name}: ${what}`, request: bytes(route.method, route.target(next()), withType(route.type), route.wrap(value)) })
    }
  }
  add({ category: 'huge numbers', name: 'PUT collection: schema maximum 1e400', request: bytes('PUT', `/v1/collections/coll-${next()}`, withType(JSON_TYPE), '{"schema":{"type":"object","properties":{"n":{"maximum":1e400}}}}') })
  add({ category: 'huge numbers', name: 'PATCH json-patch: test value 1e400', request: bytes('PATCH', TARGET, withType(JSON_PATCH), '[{"op":"test","path":"/a/b","value":1e400}]') })
  // Legitimate but extreme numbers: must never be a 5xx, and a stored value must be a finite number.
  const finite = (res: RawResponse): string[] => {
    if (res.status === null || res.status >= 300) return []
    try {
      const doc = JSON.parse(res.body.toString('utf8')) as { v?: unknown }
      return typeof doc.v === 'number' && Number.isFinite(doc.v) ? [] : [`stored v is ${JSON.stringify(doc.v)}`]
    } catch {
      return ['the stored document is not JSON']
    }
  }
  for (const [what, value] of [['-0', '-0'], ['1e-400 (underflows to 0)', '1e-400'], ['2^53 + 1', '9007199254740993'], ['300-digit integer', '9'.repeat(300)], ['5e-324', '5e-324']]) {
    add({ category: 'huge numbers', name: `POST doc: ${what as string}`, expect: 'tolerate', request: bytes('POST', DOCS, withType(JSON_TYPE), `{"title":"x","v":${value as string}}`), check: finite })
  }

  // -- huge strings and bodies beyond BODY_LIMIT (65,536) -----------------------------------------------------
  const LIMIT = 65_536
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 })
  const stringBody = (total: number, prefix = '{"title":"x","s":"', suffix = '"}'): string => prefix + 's'.repeat(total - prefix.length - suffix.length) + suffix
  for (const route of documentWrites) {
    if (route.name === 'PATCH json-patch') continue
    const [prefix, suffix] = route.wrap('\u0000').split('\u0000') as [string, string]
    for (const [what, size] of [['1 byte over', LIMIT + 1], ['2× over', LIMIT * 2], ['1 MB', 1_048_576], ['8 MB', 8 * 1_048_576]] as Array<[string, number]>) {
      add({ category: 'body limit', name: `${route.name}: string body ${what} (${size} B)`, request: bytes(route.method, route.target(next()), withType(route.type), stringBody(size, `${prefix}"`, `"${suffix}`)) })
    }
    add({ category: 'body limit', name: `${route.name}: Content-Length 10,000,000 with a 2-byte body`, request: bytes(route.method, route.target(next()), withType(route.type), '{}', 10_000_000) })
    add({ category: 'body limit', name: `${route.name}: Content-Length 2^53 with a 2-byte body`, request: bytes(route.method, route.target(next()), withType(route.type), '{}', 2 ** 53), parser: true })
    add({ category: 'body limit', name: `${route.name}: Content-Length 100 with 7 bytes, then FIN`, request: bytes(route.method, route.target(next()), withType(route.type), '{"a":1}', 100), endAfterWrite: true, parser: true })
    add({ category: 'body limit', name: `${route.name}: Content-Length 5 with a longer body (rest is garbage)`, request: bytes(route.method, route.target(next()), withType(route.type), '{"title":"xxxxxxxxxxxxxxxx"}', 5), parser: true })
    add({ category: 'body limit', name: `${route.name}: Content-Length -1`, request: bytes(route.method, route.target(next()), withType(route.type, [['Content-Length', '-1']]), '{}', null), parser: true })
    add({ category: 'body limit', name: `${route.name}: Content-Length abc`, request: bytes(route.method, route.target(next()), withType(route.type, [['Content-Length', 'abc']]), '{}', null), parser: true })
    add({ category: 'body limit', name: `${route.name}: two Content-Lengths`, request: bytes(route.method, route.target(next()), withType(route.type, [['Content-Length', '2'], ['Content-Length', '70000']]), '{}', null), parser: true })
    add({ category: 'body limit', name: `${route.name}: Content-Length and Transfer-Encoding`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), chunked(Buffer.from('{}'), 16)), parser: true })
    const over = Buffer.from(stringBody(LIMIT + 1000, `${prefix}"`, `"${suffix}`))
    add({ category: 'body limit', name: `${route.name}: chunked, 4 KB chunks, beyond the limit`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), chunked(over, 4096), null) })
    add({ category: 'body limit', name: `${route.name}: chunked, one chunk beyond the limit`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), chunked(over, over.length), null) })
    add({ category: 'body limit', name: `${route.name}: chunked, 2 MB`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), chunked(Buffer.from(stringBody(2 * 1_048_576, `${prefix}"`, `"${suffix}`)), 65_536), null) })
    add({ category: 'body limit', name: `${route.name}: chunk size ffffffff declared`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), Buffer.from('ffffffff\r\n{"a":1}'), null), endAfterWrite: true, parser: true })
    add({ category: 'body limit', name: `${route.name}: chunk size zz`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), Buffer.from('zz\r\n{}\r\n0\r\n\r\n'), null), parser: true })
    add({ category: 'body limit', name: `${route.name}: chunked without the last chunk, then FIN`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), Buffer.from('2\r\n{}\r\n'), null), endAfterWrite: true, parser: true })
    add({ category: 'body limit', name: `${route.name}: 20 KB chunk extension`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'chunked']]), Buffer.from(`2;${'e'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`), null), parser: true })
    add({ category: 'body limit', name: `${route.name}: Transfer-Encoding gzip`, request: bytes(route.method, route.target(next()), withType(route.type, [['Transfer-Encoding', 'gzip']]), '{}', null), parser: true })
    // The service does not decode content codings: a gzip body must not be stored (nor crash the parser).
    add({ category: 'body limit', name: `${route.name}: Content-Encoding gzip, gzip body`, request: bytes(route.method, route.target(next()), withType(route.type, [['Content-Encoding', 'gzip']]), gzipSync(route.wrap('1'))) })
    add({ category: 'body limit', name: `${route.name}: gzip bomb (64 KB → 64 MB) as Content-Encoding gzip`, request: bytes(route.method, route.target(next()), withType(route.type, [['Content-Encoding', 'gzip']]), bomb) })
  }
  // Within the limit: a legitimate document, stored whole. At the limit itself the body fits but the
  // stored file (pretty-printed, with its id) may not, and then the one acceptable refusal is
  // document-too-large (what is stored must fit BODY_LIMIT, so it can be sent back as served).
  const stored = (length: number, mayBeTooLargeStored: boolean) => (res: RawResponse): string[] => {
    if (res.status === 413 && mayBeTooLargeStored && /"\/problems\/document-too-large"/.test(res.body.toString('utf8'))) return []
    if (res.status === null || res.status >= 300) return res.status === 413 ? [`413 for a body within BODY_LIMIT (${length} B)`] : []
    try {
      const doc = JSON.parse(res.body.toString('utf8')) as { s?: unknown }
      return typeof doc.s === 'string' && doc.s.length >= length - 40 ? [] : ['the stored string is not the one sent']
    } catch {
      return ['the stored document is not JSON']
    }
  }
  for (const [size, atLimit] of [[LIMIT - 200, false], [LIMIT - 1, true], [LIMIT, true]] as const) {
    add({ category: 'body limit', name: `POST doc: string body of ${size} B (within the limit)`, expect: 'tolerate', request: bytes('POST', DOCS, withType(JSON_TYPE), stringBody(size)), check: stored(size, atLimit) })
    add({ category: 'body limit', name: `PUT doc: string body of ${size} B (within the limit)`, expect: 'tolerate', request: bytes('PUT', `${DOCS}/big-${size}`, withType(JSON_TYPE), stringBody(size)), check: stored(size, atLimit) })
  }
  add({ category: 'body limit', name: 'POST doc: 64 KB of multi-byte characters over the limit in bytes, under it in chars', request: bytes('POST', DOCS, withType(JSON_TYPE), `{"s":"${'é'.repeat(40_000)}"}`) })

  // -- __proto__ / constructor / prototype keys in bodies ------------------------------------------------------
  const reservedKeys: Array<[string, string]> = [
    ['__proto__', '"__proto__"'], ['escaped \\u005f__proto__', '"\\u005f\\u005fproto\\u005f\\u005f"'], ['constructor', '"constructor"'],
    ['escaped \\u0063onstructor', '"\\u0063onstructor"'], ['prototype', '"prototype"']
  ]
  const pollution = '{"polluted":true,"isAdmin":true}'
  for (const [what, key] of reservedKeys) {
    const shapes: Array<[string, string]> = [
      ['top level', `{${key}:${pollution}}`],
      ['top level, scalar', `{${key}:1}`],
      ['nested', `{"a":{${key}:${pollution}}}`],
      ['in an array', `{"a":[{${key}:${pollution}}]}`],
      ['.prototype', `{${key}:{"prototype":${pollution}}}`]
    ]
    for (const [shape, body] of shapes) {
      for (const route of documentWrites) {
        if (route.name === 'PATCH json-patch') continue
        const wrapped = route.name === 'PUT collection' ? `{"schema":${body}}` : body
        add({ category: 'reserved keys in bodies', name: `${route.name}: ${what} ${shape}`, request: bytes(route.method, route.target(next()), withType(route.type), wrapped) })
      }
    }
  }
  add({ category: 'reserved keys in bodies', name: 'POST doc: constructor.prototype behind an id', request: bytes('POST', DOCS, withType(JSON_TYPE), `{"id":"ctor-${next()}","constructor":{"prototype":${pollution}}}`) })

  // -- __proto__ / constructor / prototype in JSON Patch paths and from ---------------------------------------------
  const unsafePaths = ['/__proto__', '/__proto__/polluted', '/a/__proto__/polluted', '/constructor', '/constructor/prototype/polluted',
    '/prototype', '/prototype/polluted', '/a/constructor/prototype', '/__proto__/__proto__/polluted', '/list/0/__proto__', '/list/-/__proto__', '/a/b/constructor']
  for (const path of unsafePaths) {
    const ops = [
      { op: 'add', path, value: { polluted: true, isAdmin: true } },
      { op: 'add', path, value: true },
      { op: 'replace', path, value: { polluted: true } },
      { op: 'remove', path },
      { op: 'copy', from: '/a', path },
      { op: 'move', from: '/title', path },
      { op: 'test', path, value: {} }
    ]
    for (const op of ops) {
      add({ category: 'reserved keys in JSON Patch', name: `${op.op} path=${path}`, request: bytes('PATCH', TARGET, withType(JSON_PATCH), JSON.stringify([op])) })
    }
    add({ category: 'reserved keys in JSON Patch', name: `copy from=${path}`, request: bytes('PATCH', TARGET, withType(JSON_PATCH), JSON.stringify([{ op: 'copy', from: path, path: '/x' }])) })
    add({ category: 'reserved keys in JSON Patch', name: `move from=${path}`, request: bytes('PATCH', TARGET, withType(JSON_PATCH), JSON.stringify([{ op: 'move', from: path, path: '/x' }])) })
    add({ category: 'reserved keys in JSON Patch', name: `valid op then add path=${path}`, request: bytes('PATCH', TARGET, withType(JSON_PATCH), JSON.stringify([{ op: 'add', path: '/ok', value: 1 }, { op: 'add', path, value: { polluted: true } }])) })
  }
  add({ category: 'reserved keys in JSON Patch', name: 'add with a value holding __proto__', request: bytes('PATCH', TARGET, withType(JSON_PATCH), `[{"op":"add","path":"/x","value":{"__proto__":${pollution}}}]`) })
  add({ category: 'reserved keys in JSON Patch', name: 'add with a value holding constructor.prototype', request: bytes('PATCH', TARGET, withType(JSON_PATCH), `[{"op":"add","path":"/x","value":{"constructor":{"prototype":${pollution}}}}]`) })
  add({ category: 'reserved keys in JSON Patch', name: 'operation object with __proto__', request: bytes('PATCH', TARGET, withType(JSON_PATCH), `[{"op":"add","path":"/x","value":1,"__proto__":{"op":"remove"}}]`) })

  // -- wrong and missing content types for each write route ------------------------------------------------
  const typeRoutes: Array<{ name: string, method: string, target: () => string, body: string, accepts: string[] }> = [
    { name: 'POST doc', method: 'POST', target: () => DOCS, body: '{"title":"ct"}', accepts: [JSON_TYPE] },
    { name: 'PUT doc', method: 'PUT', target: () => `${DOCS}/ct-${next()}`, body: '{"title":"ct"}', accepts: [JSON_TYPE] },
    { name: 'PATCH doc', method: 'PATCH', target: () => TARGET, body: '{"title":"ct"}', accepts: [MERGE_PATCH, JSON_TYPE] },
    { name: 'PATCH doc (patch array)', method: 'PATCH', target: () => TARGET, body: '[{"op":"add","path":"/ct","value":1}]', accepts: [JSON_PATCH] },
    { name: 'PUT collection', method: 'PUT', target: () => `/v1/collections/ct-${next()}`, body: '{}', accepts: [JSON_TYPE] }
  ]
  const wrongTypes: Array<string | undefined> = [undefined, '', 'text/plain', 'text/plain; charset=utf-8', 'application/xml', 'text/xml',
    'multipart/form-data; boundary=xyz', 'application/x-www-form-urlencoded', 'application/octet-stream', 'text/json', 'application/jsonx',
    'application/json-seq', JSON_TYPE, MERGE_PATCH, JSON_PATCH, 'application/problem+json', 'application/vnd.api+json', '*/*', 'application/*',
    'application/json, text/plain', 'application', 'image/png', ';application/json', 'application/x-ndjson']
  for (const route of typeRoutes) {
    for (const type of wrongTypes) {
      if (type !== undefined && route.accepts.includes(type)) continue
      if (route.name === 'PATCH doc (patch array)' && type !== JSON_TYPE && type !== MERGE_PATCH && type !== undefined && type !== 'text/plain') continue
      const body = type?.startsWith('multipart/') === true
        ? `--xyz\r\nContent-Disposition: form-data; name="doc"\r\nContent-Type: application/json\r\n\r\n${route.body}\r\n--xyz--\r\n`
        : route.body
      add({ category: 'content types', name: `${route.name} with ${type === undefined ? 'no Content-Type' : `Content-Type "${type}"`}`, request: bytes(route.method, route.target(), withType(type), body) })
    }
    add({ category: 'content types', name: `${route.name} with no Content-Type and no body`, request: bytes(route.method, route.target()) })
  }

  // -- abusive headers ----------------------------------------------------------------------------------------
  const missing = `${DOCS}/no-such-doc`
  const header = (name: string, headers: Array<[string, string | Buffer]>, parser = false, method = 'GET', target = missing, body?: string): void =>
    add({ category: 'headers', name, request: bytes(method, target, headers, body), ...(parser ? { parser } : {}) })
  header('20 KB header value', [['X-Big', 'a'.repeat(20_000)]], true)
  header('15 KB header value (under Node\'s 16 KB limit)', [['X-Big', 'a'.repeat(15_000)]])
  header('1 MB of headers', Array.from({ length: 100 }, (_, i) => [`X-Big-${i}`, 'b'.repeat(10_000)] as [string, string]), true)
  header('200 headers', Array.from({ length: 200 }, (_, i) => [`X-H-${i}`, `v${i}`] as [string, string]))
  header('3,000 tiny headers', Array.from({ length: 3000 }, (_, i) => [`X${i}`, ''] as [string, string]), true)
  header('200 copies of one header', Array.from({ length: 200 }, () => ['X-Same', 'v'] as [string, string]))
  const tags = (n: number): string => Array.from({ length: n }, (_, i) => `"t${i}"`).join(', ')
  header('If-Match with 10,000 tags on PUT', [['Content-Type', JSON_TYPE], ['If-Match', tags(10_000)]], true, 'PUT', TARGET, '{"title":"x"}')
  header('If-Match with 10,000 tags on DELETE', [['If-Match', tags(10_000)]], true, 'DELETE', TARGET)
  header('If-Match with 1,500 tags on PUT', [['Content-Type', JSON_TYPE], ['If-Match', tags(1_500)]], false, 'PUT', TARGET, '{"title":"x"}')
  header('If-Match with 1,500 tags on PATCH', [['Content-Type', MERGE_PATCH], ['If-Match', tags(1_500)]], false, 'PATCH', TARGET, '{"title":"x"}')
  header('If-Match with 1,500 tags on DELETE', [['If-Match', tags(1_500)]], false, 'DELETE', TARGET)
  header('If-Match with 1,500 weak tags on DELETE', [['If-Match', Array.from({ length: 1500 }, (_, i) => `W/"t${i}"`).join(',')]], false, 'DELETE', TARGET)
  for (const garbage of ['garbage', '"unterminated', 'W/', '""', '*, "a"', '"a" "b"', ',,,,', '\u0001'.repeat(3), 'W/W/W/"x"', '"'.repeat(5000), '*'.repeat(5000), ' '.repeat(5000) + 'x']) {
    header(`If-Match "${label(garbage, 30)}" on PUT target`, [['Content-Type', JSON_TYPE], ['If-Match', garbage]], garbage.includes('\u0001'), 'PUT', TARGET, '{"title":"x"}')
    header(`If-Match "${label(garbage, 30)}" on DELETE target`, [['If-Match', garbage]], garbage.includes('\u0001'), 'DELETE', TARGET)
    header(`If-None-Match "${label(garbage, 30)}" on GET missing`, [['If-None-Match', garbage]], garbage.includes('\u0001'))
    header(`If-None-Match "${label(garbage, 30)}" on PUT with an invalid body`, [['Content-Type', JSON_TYPE], ['If-None-Match', garbage]], garbage.includes('\u0001'), 'PUT', TARGET, '{"id":"not-target"}')
  }
  header('If-None-Match with 1,500 tags on GET missing', [['If-None-Match', tags(1_500)]])
  const hugeParams = `${JSON_TYPE}; ${Array.from({ length: 1500 }, (_, i) => `p${i}=v`).join('; ')}`
  header('Content-Type with 1,500 parameters, invalid body', [['Content-Type', hugeParams]], false, 'POST', DOCS, '{"id":"../x"}')
  header('Content-Type with a 12 KB charset, invalid body', [['Content-Type', `${JSON_TYPE}; charset=${'x'.repeat(12_000)}`]], false, 'POST', DOCS, '{"id":"../x"}')
  header('Content-Type with a 12 KB boundary on PATCH', [['Content-Type', `multipart/form-data; boundary=${'-'.repeat(12_000)}`]], false, 'PATCH', TARGET, '{}')
  header('Content-Type 20 KB', [['Content-Type', `${JSON_TYPE}; x=${'y'.repeat(20_000)}`]], true, 'POST', DOCS, '{}')
  header('Content-Type with quoted-string tricks, invalid body', [['Content-Type', `${JSON_TYPE}; charset="utf-8\\"; x=\\""`]], false, 'POST', DOCS, '{"id":"../x"}')
  header('Content-Type with a NUL', [['Content-Type', 'application/json\u0000text/plain']], true, 'POST', DOCS, '{}')
  const rid = (name: string, value: string | Buffer, parser = false): void => {
    add({
      category: 'headers',
      name: `X-Request-Id ${name}`,
      request: bytes('GET', missing, [['X-Request-Id', value]]),
      ...(parser ? { parser } : {}),
      check: (res) => {
        const given = Buffer.isBuffer(value) ? value.toString('latin1') : value
        const echoed = res.headers['x-request-id']
        const out: string[] = []
        if (echoed !== undefined && (echoed.length > 128 || !/^[A-Za-z0-9._:-]+$/.test(echoed))) out.push(`x-request-id echoed as ${label(echoed, 40)}`)
        if (given.length > 20 && res.raw.toString('latin1').includes(given.slice(0, 200))) out.push('the abusive X-Request-Id is echoed')
        return out
      }
    })
  }
  rid('with LF', 'abc\ndef', true)
  rid('with CRLF + injected header', 'abc\r\nX-Injected: yes', true)
  rid('with CR', 'abc\rdef', true)
  rid('with NUL', 'abc\u0000def', true)
  rid('10 KB', 'r'.repeat(10_000))
  rid('129 chars', 'r'.repeat(129))
  rid('with a path', '../../etc/passwd')
  rid('with a script', '<script>alert(1)</script>')
  rid('with spaces', 'a b c')
  rid('raw UTF-8', Buffer.from('idé😀', 'utf8'))
  rid('percent-encoded CRLF', 'a%0d%0aX-Injected:%20yes')
  rid('JSON-breaking quotes', '"},"status":200,"x":{"')
  header('X-Request-Id twice', [['X-Request-Id', 'one'], ['X-Request-Id', 'two']])
  header('a second Host, 10 KB', [['Host', 'h'.repeat(10_000)]])
  header('a second Host', [['Host', 'evil.example']])
  header('Authorization 12 KB', [['Authorization', `Bearer ${'t'.repeat(12_000)}`]])
  header('Authorization garbage on DELETE', [['Authorization', 'Basic Og==, Bearer , Bearer\u0009x']], false, 'DELETE', missing)
  header('Range garbage', [['Range', `bytes=${Array.from({ length: 1000 }, () => '0-1').join(',')}`]])
  header('Accept application/xml', [['Accept', 'application/xml']])
  header('Accept 8 KB', [['Accept', Array.from({ length: 800 }, (_, i) => `a/b${i};q=0.${i % 10}`).join(',')]])
  header('Accept-Encoding garbage', [['Accept-Encoding', 'gzip;q=nan, br;q=-1, *;q=1e400, ' + 'x,'.repeat(2000)]])
  header('If-Modified-Since garbage', [['If-Modified-Since', 'yesterday-ish'], ['If-Unmodified-Since', '0'.repeat(500)]])
  header('Origin garbage', [['Origin', `null${'x'.repeat(5000)}`]])
  header('Expect 100-continue with a body beyond the limit', [['Content-Type', JSON_TYPE], ['Expect', '100-continue'], ['Content-Length', '70000']], false, 'POST', DOCS)
  header('Expect garbage', [['Content-Type', JSON_TYPE], ['Expect', 'the-unexpected']], false, 'POST', DOCS, '{"id":"../x"}')
  header('Upgrade websocket', [['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Sec-WebSocket-Key', 'x'], ['Sec-WebSocket-Version', '13']], true)
  header('Upgrade h2c', [['Connection', 'Upgrade, HTTP2-Settings'], ['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAAQAAP__']], true)
  header('Transfer-Encoding chunked on GET', [['Transfer-Encoding', 'chunked']], true, 'GET', missing, '0\r\n\r\n')
  header('header name with a space', [['X Bad', 'v']], true)
  header('header line without a colon', [['X-A', 'v\r\nJustAName']], true)
  header('obs-fold continuation line', [['X-Fold', 'a\r\n  folded']], true)
  header('space before the colon', [['X-Space ', 'v']], true)
  header('raw UTF-8 header value', [['X-Utf8', Buffer.from('é😀', 'utf8')]])
  header('invalid UTF-8 header value', [['X-Bad', Buffer.from([0xff, 0xfe, 0xc0, 0xae])]])

  // -- unknown and odd methods ------------------------------------------------------------------------------
  const methodTargets = ['/v1/collections', `/v1/collections/${FIXTURE.collection}`, DOCS, TARGET, '/health/live']
  for (const method of ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'TRACE', 'SEARCH', 'PURGE', 'LINK', 'UNLINK', 'REPORT', 'MKCALENDAR', 'QUERY', 'ACL']) {
    for (const target of methodTargets) {
      add({
        category: 'methods',
        name: `${method} ${target}`,
        request: bytes(method, target, [['X-Trace-Secret', 'xst-sentinel-4711']]),
        check: (res) => res.raw.includes('xst-sentinel-4711') ? ['echoes the request headers (cross-site tracing)'] : []
      })
    }
  }
  for (const [method, target] of [['POST', '/v1/collections'], ['DELETE', '/v1/collections'], ['PATCH', `/v1/collections/${FIXTURE.collection}`],
    ['POST', `/v1/collections/${FIXTURE.collection}`], ['PUT', DOCS], ['DELETE', DOCS], ['POST', TARGET], ['POST', '/health/live'], ['DELETE', '/metrics'], ['PUT', '/docs/json']]) {
    add({ category: 'methods', name: `${method as string} ${target as string} (no such route)`, request: bytes(method as string, target as string, withType(JSON_TYPE), '{}') })
  }
  for (const [what, raw] of [['lower-case get', 'get'], ['made-up FOO', 'FOO'], ['10 KB method', 'A'.repeat(10_000)], ['method with a NUL', 'GE\u0000T'],
    ['CONNECT to a port', 'CONNECT'], ['PRI (HTTP/2 preface)', 'PRI']] as Array<[string, string]>) {
    const target = raw === 'CONNECT' ? '127.0.0.1:22' : raw === 'PRI' ? '*' : missing
    add({ category: 'methods', name: `${what}`, request: bytes(raw, target), parser: true })
  }
  for (const target of [missing, '/v1/collections/UPPER']) {
    add({ category: 'methods', name: `HEAD ${target}`, request: bytes('HEAD', target), head: true })
  }

  // -- absurd query strings ---------------------------------------------------------------------------------------
  const list = DOCS
  const missingList = '/v1/collections/no-such-collection/documents'
  /** A listing: JSON with an items array whose documents hold no polluting key of their own at the top. */
  const notPolluted = (res: RawResponse): string[] => {
    if (res.status !== 200) return []
    try {
      const page = JSON.parse(res.body.toString('utf8')) as { items?: Array<Record<string, unknown>> }
      if (!Array.isArray(page.items)) return ['a listing without items']
      return page.items.some((item) => POLLUTION_KEYS.some((k) => Object.hasOwn(item, k))) ? ['a polluted key at the top of a listed document'] : []
    } catch {
      return ['the listing is not JSON']
    }
  }
  /** A query that must be refused on the real collection. */
  const query = (name: string, qs: string, parser = false): void =>
    add({ category: 'query strings', name: `${name}: ?${label(qs, 60)}`, request: bytes('GET', `${list}?${qs}`), ...(parser ? { parser } : {}) })
  /** A query that may be fine: tolerated on the real collection, and must still be a 4xx on a missing one. */
  const odd = (name: string, qs: string, check?: (res: RawResponse) => string[]): void => {
    add({ category: 'query strings', name: `${name} (missing collection): ?${label(qs, 60)}`, request: bytes('GET', `${missingList}?${qs}`) })
    add({
      category: 'query strings',
      name: `${name} (tolerated): ?${label(qs, 60)}`,
      expect: 'tolerate',
      request: bytes('GET', `${list}?${qs}`),
      check: (res) => [...notPolluted(res), ...(check?.(res) ?? [])]
    })
  }
  /** No stored document holds a NUL character (the corpus never gets one stored). */
  const findsNothing = (res: RawResponse): string[] => {
    if (res.status !== 200) return []
    const page = JSON.parse(res.body.toString('utf8')) as { items?: unknown[] }
    return (page.items?.length ?? 0) === 0 ? [] : [`a search for NUL lists ${page.items?.length ?? 0} documents, none of which holds one`]
  }
  query('10,000 parameters', Array.from({ length: 10_000 }, (_, i) => `f${i}=1`).join('&'), true)
  odd('1,500 filters', Array.from({ length: 1_500 }, (_, i) => `f${i}=1`).join('&'))
  query('1,500 copies of one filter', Array.from({ length: 1_500 }, () => 'title=x').join('&'))
  query('1,500 copies of limit', Array.from({ length: 1_500 }, () => 'limit=1').join('&'))
  for (const limit of ['1e9', '-1', '0', '1001', 'abc', '1.5', 'NaN', 'Infinity', '99999999999999999999999', '%00', '1%00', '1e400', '-0', '[]', '{}', 'true', '1,2']) {
    query('limit', `limit=${limit}`)
  }
  for (const limit of ['', '0x10', '%201', '1e1', '+5']) odd('limit', `limit=${limit}`)
  for (const cursor of ['garbage', '%00', '%zz', '!!!!', 'e30', 'bnVsbA', Buffer.from('{"s":"id","i":1}').toString('base64url'),
    Buffer.from('{"s":"-title","v":1,"i":"a"}').toString('base64url'), 'x'.repeat(5_000), Buffer.from('['.repeat(5000)).toString('base64url'),
    Buffer.from('"'.repeat(3000)).toString('base64url')]) {
    query('cursor', `cursor=${cursor}`)
  }
  for (const cursor of [Buffer.from('{"s":"id","v":1e400,"i":"a"}').toString('base64url'),
    Buffer.from('{"s":"id","v":{"__proto__":{"polluted":true}},"i":"../../outside/secret"}').toString('base64url'),
    Buffer.from('{"s":"id","v":null,"i":"\u0000"}').toString('base64url')]) {
    odd('crafted cursor', `cursor=${cursor}`)
  }
  for (const sort of ['a[b]', '-', 's'.repeat(200), 'a%5Bb%5D', 'title&sort=id']) query('sort', `sort=${sort}`)
  for (const sort of ['__proto__', '-__proto__', 'constructor', 'prototype', 'toString', '--id', '%00', '%E2%80%AE']) odd('sort', `sort=${sort}`)
  for (const qs of ['field[__proto__]=1', 'field[constructor]=1', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'a[b][c]=1',
    'title[gt]=1&title[gt]=2', 'title[xx]=1', '[gt]=1', `title[in]=${'a,'.repeat(600)}`, `title=${'x'.repeat(2000)}`, `q=${'q'.repeat(300)}`,
    `${'k'.repeat(200)}=1`, 'limit=1&limit=2', 'q=a&q=b', 'cursor=a&cursor=b', 'sort=id&sort=-id', '=1', '==']) {
    query('filter', qs)
  }
  for (const qs of ['__proto__=1', 'constructor=1', 'prototype=1', 'polluted=1', 'hasOwnProperty=1', 'toString[gt]=1', 'title[in]=', '&&&&&&&&&&',
    'a=1=2', '?=1', 'q=%zz', 'q=%', 'q=%ff%fe', 'title=%c0%ae%c0%ae', `title[in]=${','.repeat(1000)}`]) {
    odd('filter', qs)
  }
  odd('search', 'q=%00', findsNothing)
  for (const qs of ['force=maybe', 'force=', 'force=1e400', 'force=true&force=false', 'force[__proto__]=true']) {
    add({ category: 'query strings', name: `DELETE collection ?${qs}`, request: bytes('DELETE', `/v1/collections/no-such-collection?${qs}`) })
  }

  // -- malformed request lines and other bytes Node's parser must refuse -----------------------------------
  const rawRequests: Array<[string, Buffer]> = [
    ['method only', Buffer.from('GET\r\n\r\n')], ['no version', Buffer.from(`GET ${missing}\r\n\r\n`)], ['HTTP/9.9', Buffer.from(`GET ${missing} HTTP/9.9\r\nHost: x\r\n\r\n`)],
    ['HTTP/1.1 without Host', Buffer.from(`GET ${missing} HTTP/1.1\r\nConnection: close\r\n\r\n`)], ['extra token', Buffer.from(`GET ${missing} HTTP/1.1 extra\r\nHost: x\r\n\r\n`)],
    ['double spaces', Buffer.from(`GET  ${missing}  HTTP/1.1\r\nHost: x\r\n\r\n`)], ['tab separators', Buffer.from(`GET\t${missing}\tHTTP/1.1\r\nHost: x\r\n\r\n`)],
    ['bare LF line ends', Buffer.from(`GET ${missing} HTTP/1.1\nHost: x\nConnection: close\n\n`)], ['target without a slash', Buffer.from('GET v1/collections HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')],
    ['binary garbage', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a])], ['TLS ClientHello', Buffer.from('160301007a0100007603035f', 'hex')],
    ['HTTP/2 preface', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')], ['only CRLFs', Buffer.from('\r\n\r\n\r\n\r\n')],
    ['10 KB request target', Buffer.from(`GET /${'a'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)],
    ['20 KB request target', Buffer.from(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)],
    ['HTTP/1.0 with a body and no length', Buffer.from(`POST ${DOCS} HTTP/1.0\r\nContent-Type: application/json\r\n\r\n{"title":"x"`)]
  ]
  for (const [what, raw] of rawRequests) {
    add({ category: 'malformed requests', name: what, request: raw, parser: true, endAfterWrite: true })
  }

  return cases
}
