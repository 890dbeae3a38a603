import { once } from 'node:events'
import { readdir } from 'node:fs/promises'
import { connect, type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LINGER_MS, MAX_JSON_DEPTH } from '../../plugins/json-body'
import { makeApp } from '../helpers/app'
import { STATE_TIMEOUT_MS } from '../helpers/wait'

const URL = '/v1/collections/c/documents'

/** `depth` objects, one inside the other. */
function nested (depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
}

t.test('strict JSON bodies: refused with 400 problem+json, and nothing is written', async (t) => {
  const { app, dataDir } = await makeApp(t)
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /not valid UTF-8/],
    ['overlong UTF-8 encoding of "/"', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), /not valid UTF-8/],
    ['a number beyond double range', '{"n": 1e400}', /number too large/],
    ['a negative one', '{"n": [-1e309]}', /number too large/],
    [`nesting deeper than ${MAX_JSON_DEPTH}`, nested(MAX_JSON_DEPTH + 1), /nested deeper than 100/],
    ['10,000-deep arrays', '['.repeat(10_000) + ']'.repeat(10_000), /nested deeper than 100/],
    ['__proto__ at the top', '{"__proto__": {"polluted": true}}', /forbidden prototype property/],
    ['__proto__ nested', '{"a": {"b": [{"__proto__": {"polluted": true}}]}}', /forbidden prototype property/],
    ['constructor.prototype', '{"constructor": {"prototype": {"polluted": true}}}', /forbidden prototype property/],
    ['trailing garbage', '{"a": 1} x', /not acceptable JSON/],
    ['single quotes', "{'a': 1}", /not acceptable JSON/],
    ['an empty body', '', /./],
    ['a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), /byte order mark/],
    ['a constructor key', '{"constructor": "x"}', /reserved key "constructor"/],
    ['a nested prototype key', '{"a": [{"prototype": 1}]}', /reserved key "prototype"/]
  ]
  for (const [name, payload, detail] of cases) {
    const response = await app.inject({ method: 'POST', url: URL, payload, headers: { 'content-type': 'application/json' } })
    t.equal(response.statusCode, 400, `${name}: 400`)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json().detail, detail, `${name}: says why`)
  }
  t.same(await readdir(dataDir), ['.jsondock.lock'], 'nothing was written (but the lock file, made at start)')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
})

t.test('the limits leave ordinary documents alone', async (t) => {
  const { app } = await makeApp(t)
  const deep = await app.inject({ method: 'POST', url: URL, payload: nested(MAX_JSON_DEPTH), headers: { 'content-type': 'application/json' } })
  t.equal(deep.statusCode, 201, `${MAX_JSON_DEPTH} levels are fine`)
  const numbers = await app.inject({ method: 'POST', url: URL, payload: '{"big": 1.7976931348623157e308, "small": 5e-324, "neg": -0.5}', headers: { 'content-type': 'application/json' } })
  t.equal(numbers.statusCode, 201)
  t.same(JSON.parse(numbers.body).big, 1.7976931348623157e308)
  const unicode = await app.inject({ method: 'POST', url: URL, payload: '{"name": "Zoë 🐳 مرحبا"}', headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.equal(JSON.parse(unicode.body).name, 'Zoë 🐳 مرحبا')
  const keys = await app.inject({ method: 'POST', url: URL, payload: '{"Constructor": 1, "proto": 2, "__proto": 3}', headers: { 'content-type': 'application/json' } })
  t.equal(keys.statusCode, 201, 'only the three exact reserved names are refused')
})

/**
 * An early answer (413 before the body is read) must not be lost to a TCP
 * reset: the connection half-closes, keeps reading what the client still
 * sends for LINGER_MS, and only then closes. Without that, bytes sent after
 * the answer meet a closed socket and the client sees ECONNRESET or EPIPE,
 * often before it has read the 413.
 *
 * The client sends on only well within the window the server promises (a
 * quarter of LINGER_MS after the answer), in 64 KiB chunks: the server parses what it
 * discards on this process's event loop, and 10,000 1-byte chunks a write took
 * ~200 ms each on a loaded machine, so 20 of them outlasted the linger and
 * met its (intended) close as EPIPE. Past LINGER_MS a reset is the contract.
 */
for (const refusal of [
  {
    name: 'a declared length beyond BODY_LIMIT (413)',
    status: 413,
    head: 'Content-Length: 10000000',
    start: '{"a":"' + 'x'.repeat(4096),
    more: (): string => 'x'.repeat(64 * 1024)
  },
  {
    name: 'a chunked body in thousands of 1-byte chunks (400)',
    status: 400,
    head: 'Transfer-Encoding: chunked',
    start: '1\r\n{\r\n' + '1\r\n \r\n'.repeat(3000),
    // The refusal is already made; the rest of the body comes in chunks the server reads cheaply.
    more: (): string => '10000\r\n' + ' '.repeat(0x10000) + '\r\n'
  }
]) {
  t.test(`${refusal.name}: the answer, then a FIN, and no reset while the client still sends`, async (t) => {
    const { app } = await makeApp(t, { BODY_LIMIT: '1024' })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    // Half-open, like curl: the server's FIN ends only its side; this side goes on sending.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
    await once(socket, 'connect')
    const errors: string[] = []
    socket.on('error', (err: NodeJS.ErrnoException) => errors.push(err.code ?? err.message))
    const closed = new Promise((resolve) => socket.once('close', resolve))
    let answer = ''
    let ended = false
    let answeredAt = 0
    socket.on('data', (chunk: Buffer) => { answeredAt ||= Date.now(); answer += chunk.toString('latin1') })
    socket.on('end', () => { ended = true })
    socket.write(`POST ${URL} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${refusal.head}\r\nConnection: close\r\n\r\n`)
    socket.write(refusal.start)
    const deadline = Date.now() + STATE_TIMEOUT_MS
    while (!ended && errors.length === 0 && Date.now() < deadline) await sleep(10)
    t.match(answer, new RegExp(`^HTTP/1\\.1 ${refusal.status} `), `the ${refusal.status} arrived`)
    t.ok(ended, 'then the server half-closed (FIN)')
    // The client goes on sending, as a client that streams its body without reading would.
    let writes = 0
    // The first chunk at once, whenever this loop gets to run; more only in the first quarter of
    // the linger, which leaves the server time to read them all on a busy machine.
    while (writes < 20 && !socket.destroyed && (writes === 0 || Date.now() - answeredAt < LINGER_MS / 4)) {
      socket.write(refusal.more())
      writes++
      await sleep(20)
    }
    t.ok(writes > 0, `the client sent ${writes} more chunks of the body after the answer`)
    t.strictSame(errors, [], 'the server went on reading: no ECONNRESET or EPIPE')
    // The client ends its side: the connection closes cleanly, without a reset either.
    socket.end()
    await closed
    t.strictSame(errors, [], 'and closed without a reset once the client was done')
  })
}
