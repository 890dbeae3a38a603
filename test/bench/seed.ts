/**
 * The benchmark's documents: ~300 bytes pretty-printed, with a few typed
 * fields (string, number, boolean, tags array), generated from a seeded PRNG
 * so every run holds the same data. Seeded by writing files directly.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { prng } from './lib'

export interface BenchDoc {
  [key: string]: string | number | boolean | string[]
  id: string
  title: string
  category: string
  price: number
  quantity: number
  active: boolean
  tags: string[]
  createdAt: string
  sku: string
  note: string
}

/** How many distinct categories; W5 filters on one (10 % of the documents). */
export const CATEGORIES = 10
const WORDS = ['amber', 'harbor', 'quiet', 'river', 'copper', 'meadow', 'signal', 'lantern', 'granite', 'willow', 'ember', 'tide']
const TAGS = ['red', 'blue', 'green', 'fast', 'eco', 'new', 'sale', 'pro', 'mini', 'max']

export function idOf (i: number): string {
  return `d${String(i).padStart(7, '0')}`
}

/** Document number `i`; `rand` decides the values. Without an id when `withId` is false (a POST body). */
export function makeDoc (i: number, rand: () => number, withId = true): BenchDoc {
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)] as T
  const tagCount = 1 + Math.floor(rand() * 3)
  const tags: string[] = []
  for (let t = 0; t < tagCount; t++) tags.push(pick(TAGS))
  const doc: BenchDoc = {
    id: idOf(i),
    title: `Item ${i}: ${pick(WORDS)} ${pick(WORDS)}`,
    sku: `SKU-${String(i).padStart(7, '0')}`,
    category: `c${i % CATEGORIES}`,
    price: Math.round(rand() * 100_000) / 100,
    quantity: Math.floor(rand() * 500),
    active: rand() < 0.7,
    tags,
    createdAt: new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 365 * 86_400) * 1000).toISOString(),
    note: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} and ${pick(WORDS)}`
  }
  if (!withId) delete (doc as Partial<BenchDoc>).id
  return doc
}

/** What jsondock writes for a document: pretty-printed, with a final newline. */
export function fileBytes (doc: object): string {
  return JSON.stringify(doc, null, 2) + '\n'
}

export interface Seeded {
  ids: string[]
  bytes: number
  ms: number
}

/**
 * Writes `n` documents as `<dir>/<id>.json` (the collection folder jsondock
 * serves) and the same documents as `db.json` for json-server (`{"items": [...]}`),
 * then `sync`s so that their write-back does not land inside a measurement.
 */
export function seed (collectionDir: string, jsonServerDb: string, n: number): Seeded {
  const started = performance.now()
  mkdirSync(collectionDir, { recursive: true })
  const rand = prng(n)
  const ids: string[] = []
  const docs: BenchDoc[] = []
  let bytes = 0
  for (let i = 0; i < n; i++) {
    const doc = makeDoc(i, rand)
    const text = fileBytes(doc)
    writeFileSync(join(collectionDir, `${doc.id}.json`), text)
    bytes += Buffer.byteLength(text)
    ids.push(doc.id)
    docs.push(doc)
  }
  writeFileSync(jsonServerDb, JSON.stringify({ items: docs }, null, 2))
  spawnSync('sync')
  return { ids, bytes, ms: performance.now() - started }
}
