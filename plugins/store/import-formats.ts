import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import secureJson from 'secure-json-parse'
import { parser } from 'stream-json'
import Assembler from 'stream-json/Assembler'
import { StoreError } from './errors'

/** One document read from an import, with the collection it belongs to. */
export interface ImportItem {
  collection: string
  /** Marks the end of a collection: its documents are all read. */
  end?: true
  /** The key of the document in a db.json "object of objects" collection: its id when the document has none. */
  key?: string
  doc?: unknown
}

interface Token {
  name: string
  value?: string
}

const FORBIDDEN_KEYS = new Set(['__proto__'])

function invalid (message: string): StoreError {
  return new StoreError('invalid-document', message)
}

/**
 * Streams the documents of a json-server db.json without holding the file in
 * memory: `{"posts": [{…}, …], "profile": {"1": {…}}}` — each top-level key a
 * collection, whose value is an array of documents or an object of documents
 * keyed by id. Documents come out one at a time, collection after collection.
 * `__proto__` keys and `constructor.prototype` are refused, as in request bodies.
 */
export async function * readDbJson (input: Readable): AsyncGenerator<ImportItem> {
  const tokens = input.pipe(parser({ streamValues: false }))
  // pipe() does not forward errors: a failing source (a missing file) must end the parse.
  input.once('error', (err) => tokens.destroy(err))
  let depth = 0
  let collection: string | undefined
  let mode: 'array' | 'map' | undefined
  let key: string | undefined
  let assembler: Assembler | undefined
  // Inside a document: the key of each open container, and the key just read.
  const path: string[] = []
  let pendingKey = ''

  try {
    for await (const token of tokens as AsyncIterable<Token>) {
      if (assembler !== undefined) {
        if (token.name === 'keyValue') {
          pendingKey = token.value ?? ''
          if (FORBIDDEN_KEYS.has(pendingKey) || (pendingKey === 'prototype' && path[path.length - 1] === 'constructor')) {
            throw invalid(`The import holds a forbidden key "${pendingKey}".`)
          }
        } else if (token.name === 'startObject' || token.name === 'startArray') {
          path.push(pendingKey)
          pendingKey = ''
        } else if (token.name === 'endObject' || token.name === 'endArray') {
          path.pop()
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
          assembler.consume(token)
          path.push('')
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

/** Streams NDJSON: one JSON object per line, blank lines skipped. */
export async function * readNdjson (input: Readable, collection: string): AsyncGenerator<ImportItem> {
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++
    if (text.trim() === '') continue
    let doc: unknown
    try {
      doc = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
    } catch (err) {
      throw invalid(`Line ${line} is not acceptable JSON: ${(err as Error).message}`)
    }
    yield { collection, doc }
  }
}
