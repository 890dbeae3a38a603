import { Transform, type Readable } from 'node:stream'
import secureJson from 'secure-json-parse'
import { parser } from 'stream-json'
import Assembler from 'stream-json/Assembler'
import { RESERVED_KEYS } from './json-shape'
import { StoreError } from './store-errors'

/** One document read from an import, with the collection it belongs to. */
export interface ImportItem {
  collection: string
  /** Marks the end of a collection: its documents are all read. */
  end?: true
  /** The key of the document in a db.json "object of objects" collection: its id when the document has none. */
  key?: string
  doc?: unknown
}

/** Bounds on what one document of an import may hold in memory. */
export interface ImportLimits {
  /**
   * The largest document, in bytes: an NDJSON line, or a db.json document's
   * JSON text (its whitespace left uncounted). The service passes BODY_LIMIT,
   * so an import accepts any document a POST would, and holds no more.
   */
  maxDocumentBytes?: number
}

/** The limit when none is given: BODY_LIMIT's default. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024

interface Token {
  name: string
  value?: string
}

function invalid (message: string): StoreError {
  return new StoreError('invalid-document', message)
}

function tooLarge (what: string, max: number): StoreError {
  return invalid(`${what} is larger than ${max} bytes, the limit for one document (BODY_LIMIT).`)
}

/**
 * Passes bytes through unchanged once they are known to be UTF-8. The JSON
 * parser decodes leniently (a bad byte becomes U+FFFD, silently changing the
 * data), so an import is checked first; streamed, so a character split
 * between two chunks is fine.
 */
function strictUtf8 (): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const check = (chunk?: Buffer): StoreError | undefined => {
    try {
      if (chunk === undefined) decoder.decode()
      else decoder.decode(chunk, { stream: true })
      return undefined
    } catch {
      return invalid('The import is not valid UTF-8.')
    }
  }
  return new Transform({
    transform (chunk: Buffer, _encoding, callback) {
      const error = check(chunk)
      if (error === undefined) callback(null, chunk)
      else callback(error)
    },
    flush (callback) {
      callback(check())
    }
  })
}

/**
 * Streams the documents of a json-server db.json without holding the file in
 * memory: `{"posts": [{…}, …], "profile": {"1": {…}}}` — each top-level key a
 * collection, whose value is an array of documents or an object of documents
 * keyed by id. Documents come out one at a time, collection after collection.
 * Reserved keys (json-shape.ts) are refused as they are read, as in request bodies.
 */
export async function * readDbJson (input: Readable, limits: ImportLimits = {}): AsyncGenerator<ImportItem> {
  const max = limits.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES
  const utf8 = strictUtf8()
  // packValues: false: the parser hands over each string and number in
  // pieces of at most a few hundred characters instead of gathering it whole,
  // so a huge value is refused at the limit rather than first held in full.
  const tokens = input.pipe(utf8).pipe(parser({ packValues: false }))
  // pipe() does not forward errors: a failing source (a missing file) or bad UTF-8 must end the parse.
  input.once('error', (err) => utf8.destroy(err))
  utf8.once('error', (err) => tokens.destroy(err))
  // The key, string or number being read, and the size of the document being assembled.
  let value = ''
  let size = 0
  let depth = 0
  let collection: string | undefined
  let mode: 'array' | 'map' | undefined
  let key: string | undefined
  let assembler: Assembler | undefined

  try {
    for await (const piece of tokens as AsyncIterable<Token>) {
      let token = piece
      switch (piece.name) {
        case 'startKey': case 'startString': case 'startNumber':
          value = ''
          continue
        case 'stringChunk': case 'numberChunk':
          value += piece.value ?? ''
          if (value.length > max) throw tooLarge(assembler === undefined ? 'A key of the import' : `A document of "${collection ?? ''}"`, max)
          continue
        case 'endKey': token = { name: 'keyValue', value }; break
        case 'endString': token = { name: 'stringValue', value }; break
        case 'endNumber': token = { name: 'numberValue', value }; break
      }
      if (assembler !== undefined) {
        // Characters, not bytes, and no quotes or commas: never more than the
        // document's JSON text in bytes, so nothing within the limit is refused.
        size += (token.value?.length ?? 0) + 1
        if (size > max) throw tooLarge(`A document of "${collection ?? ''}"`, max)
        if (token.name === 'keyValue' && RESERVED_KEYS.has(token.value ?? '')) {
          throw invalid(`The import holds the reserved key "${token.value ?? ''}".`)
        }
        assembler.consume(token)
        if (assembler.done) {
          yield { collection: collection as string, ...(key === undefined ? {} : { key }), doc: assembler.current }
          assembler = undefined
          key = undefined
        }
        continue
      }
      const opens = token.name === 'startObject' || token.name === 'startArray'
      const closes = token.name === 'endObject' || token.name === 'endArray'
      if (depth === 0) {
        if (token.name !== 'startObject') throw invalid('A db.json import must be an object whose keys are collections.')
      } else if (depth === 1) {
        if (token.name === 'keyValue') collection = token.value
        else if (token.name === 'startArray') mode = 'array'
        else if (token.name === 'startObject') mode = 'map'
        else if (!closes) throw invalid(`Collection "${collection ?? ''}" must be an array of documents or an object of documents.`)
      } else if (depth === 2) {
        if (mode === 'map' && token.name === 'keyValue') {
          key = token.value
          continue
        }
        if (token.name === 'startObject') {
          assembler = new Assembler()
          size = 1
          assembler.consume(token)
          continue
        }
        if (!closes) throw invalid(`Every document of "${collection ?? ''}" must be a JSON object.`)
        yield { collection: collection as string, end: true }
      }
      if (opens) depth++
      if (closes) depth--
    }
  } catch (err) {
    if (err instanceof StoreError) throw err
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw err // the source failed, not the JSON
    throw invalid(`The import is not valid JSON: ${(err as Error).message}`)
  }
  if (depth !== 0) throw invalid('The import ended in the middle of the JSON.')
}

/**
 * Streams NDJSON: one JSON object per line, blank lines skipped. Lines are
 * split on bytes (a newline byte never occurs inside a UTF-8 character) and
 * each is decoded strictly; a line longer than the limit is refused as soon
 * as that many bytes have arrived without its end.
 */
export async function * readNdjson (input: Readable, collection: string, limits: ImportLimits = {}): AsyncGenerator<ImportItem> {
  const max = limits.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let line = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  const parse = (bytes: Buffer): ImportItem | undefined => {
    line++
    const end = bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length // CRLF
    if (end > max) throw tooLarge(`Line ${line}`, max)
    let text: string
    try {
      text = decoder.decode(bytes.subarray(0, end))
    } catch {
      throw invalid(`Line ${line} is not valid UTF-8.`)
    }
    if (text.trim() === '') return undefined
    try {
      return { collection, doc: secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) }
    } catch (err) {
      throw invalid(`Line ${line} is not acceptable JSON: ${(err as Error).message}`)
    }
  }
  // destroyOnReturn: false: stopping at a bad line must leave an HTTP request
  // body to the server, which drains it after answering 400.
  for await (const data of input.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data
    let start = 0
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const tail = chunk.subarray(start, newline)
      const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail])
      pending = []
      pendingBytes = 0
      start = newline + 1
      const item = parse(bytes)
      if (item !== undefined) yield item
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start
      // +1: room for the CR of a CRLF line of exactly the limit.
      if (pendingBytes > max + 1) throw tooLarge(`Line ${line + 1}`, max)
      pending.push(chunk.subarray(start))
    }
  }
  if (pending.length > 0) {
    const item = parse(Buffer.concat(pending))
    if (item !== undefined) yield item
  }
}
