/**
 * The two index designs issue 24 names, measured side by side at 1,000,000 entries, before one
 * is chosen (docs/performance.md, "Issue 24: the index candidates"):
 *   A. a compact in-memory table: sorted ids, file stats in typed arrays, documents on disk;
 *   B. node:sqlite on disk with a bounded page cache: ids and stats, the indexed fields and the
 *      text, with an expression index for a filter + sort and FTS5 for `q`.
 * The entries are synthetic (what a folder of ~400-byte notes would give the index); no files are
 * read, so the figures are the index's own. Each candidate runs in a fresh process so that one's
 * heap never counts against the other. It reports; it asserts nothing.
 *
 *   npx tsx test/bench/index-candidates.ts [--n 1000000] [--dir DIR]   (node:sqlite needs Node 22.13+)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

type Figures = Record<string, number>

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? process.argv[at + 1] ?? fallback : fallback
}

/** Time-ordered ids like the server makes (UUIDv7's shape), in creation order. */
function idOf (i: number): string {
  const hex = (1_700_000_000_000 + i).toString(16).padStart(12, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${(i % 4096).toString(16).padStart(3, '0')}-8000-${i.toString(16).padStart(12, '0')}`
}
const WORDS = ['river', 'lamp', 'orbit', 'maple', 'quartz', 'ember', 'harbor', 'violet', 'cedar', 'signal', 'meadow', 'copper']
const yearOf = (i: number): number => 1900 + ((i * 7919) % 125)
const titleOf = (i: number): string => `${WORDS[i % 12] ?? ''} ${WORDS[(i * 7) % 12] ?? ''} ${WORDS[(i * 13) % 11] ?? ''} note ${i}`

const mb = (bytes: number): number => Math.round(bytes / 1048576 * 10) / 10
const ms = (since: number): number => Math.round((performance.now() - since) * 10) / 10

function compactTable (n: number): Figures {
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  const t0 = performance.now()
  const ids: string[] = new Array(n)
  const mtimes = new Float64Array(n)
  const sizes = new Uint32Array(n)
  const years = new Int16Array(n)
  for (let i = 0; i < n; i++) { ids[i] = idOf(i); mtimes[i] = 1.7e12 + i; sizes[i] = 380 + (i % 40); years[i] = yearOf(i) }
  const build = ms(t0)
  global.gc?.()
  const rss = process.memoryUsage().rss
  // A page after a cursor: a binary search in the sorted ids.
  const t1 = performance.now()
  const cursor = idOf(Math.floor(n / 2))
  let lo = 0; let hi = n
  while (lo < hi) { const mid = (lo + hi) >> 1; if ((ids[mid] as string) <= cursor) lo = mid + 1; else hi = mid }
  const page = ids.slice(lo, lo + 20)
  const pageMs = ms(t1)
  // A filter + sort on a field the table keeps: a full scan (no order kept per field).
  const t2 = performance.now()
  const hits: number[] = []
  for (let i = 0; i < n; i++) if (years[i] === 1969) hits.push(i)
  hits.sort((a, b) => (mtimes[b] as number) - (mtimes[a] as number))
  const filterMs = ms(t2)
  return { build_ms: build, rss_before_mb: mb(rssBefore), rss_mb: mb(rss), page_after_cursor_ms: pageMs, filter_sort_scan_ms: filterMs, page_len: page.length, hits: hits.length }
}

function sqliteIndex (n: number, dir: string): Figures {
  // The types of @types/node 20 predate node:sqlite: the little used here, by hand.
  interface Statement { run: (...values: unknown[]) => unknown, all: (...values: unknown[]) => unknown[], get: (...values: unknown[]) => unknown }
  interface Database { exec: (sql: string) => void, prepare: (sql: string) => Statement, close: () => void }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DatabaseSync } = require('node:sqlite') as { DatabaseSync: new (file: string) => Database }
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  const file = join(dir, 'index.sqlite')
  const open = (): Database => {
    const db = new DatabaseSync(file)
    db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384; PRAGMA mmap_size=0; PRAGMA temp_store=FILE')
    return db
  }
  let db = open()
  db.exec(`CREATE TABLE docs (id TEXT PRIMARY KEY, mtime REAL, size INTEGER, year INTEGER, title TEXT) WITHOUT ROWID;
           CREATE VIRTUAL TABLE text USING fts5(id UNINDEXED, title)`)
  const t0 = performance.now()
  const insert = db.prepare('INSERT INTO docs VALUES (?, ?, ?, ?, ?)')
  const insertText = db.prepare('INSERT INTO text VALUES (?, ?)')
  const BATCH = 10_000
  let maxBatchMs = 0
  for (let start = 0; start < n; start += BATCH) {
    const b0 = performance.now()
    db.exec('BEGIN')
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      insert.run(idOf(i), 1.7e12 + i, 380 + (i % 40), yearOf(i), titleOf(i))
      insertText.run(idOf(i), titleOf(i))
    }
    db.exec('COMMIT')
    maxBatchMs = Math.max(maxBatchMs, ms(b0))
  }
  const build = ms(t0)
  const t1 = performance.now()
  db.exec('CREATE INDEX by_year_mtime ON docs (year, mtime)')
  const fieldIndex = ms(t1)
  const rssBuilt = process.memoryUsage().rss
  db.close()

  // A restart: open the file and answer, with nothing rebuilt.
  const t2 = performance.now()
  db = open()
  const cursor = idOf(Math.floor(n / 2))
  const page = db.prepare('SELECT id FROM docs WHERE id > ? ORDER BY id LIMIT 20').all(cursor)
  const firstPageAfterOpen = ms(t2)
  const t3 = performance.now()
  const count = (db.prepare('SELECT count(*) AS c FROM docs').get() as { c: number }).c
  const countMs = ms(t3)
  const t4 = performance.now()
  const filtered = db.prepare('SELECT id FROM docs WHERE year = ? ORDER BY mtime DESC LIMIT 20').all(1969)
  const filterMs = ms(t4)
  const t5 = performance.now()
  db.prepare('SELECT id FROM docs WHERE year = ? ORDER BY mtime DESC LIMIT 20').all(1984)
  const filterNewValueMs = ms(t5)
  const t6 = performance.now()
  const found = db.prepare('SELECT id FROM text WHERE text MATCH ? LIMIT 20').all('quartz AND ember')
  const ftsMs = ms(t6)
  const rss = process.memoryUsage().rss
  db.close()
  return {
    build_ms: build,
    rss_before_mb: mb(rssBefore),
    slowest_10k_batch_ms: maxBatchMs,
    field_index_ms: fieldIndex,
    rss_after_build_mb: mb(rssBuilt),
    first_page_after_open_ms: firstPageAfterOpen,
    count_ms: countMs,
    filter_sort_page_ms: filterMs,
    filter_sort_new_value_ms: filterNewValueMs,
    fts_ms: ftsMs,
    rss_after_queries_mb: mb(rss),
    file_mb: mb(statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0)),
    page_len: page.length,
    count,
    filtered: filtered.length,
    found: found.length
  }
}

const candidate = process.env.INDEX_CANDIDATE
const n = Number(arg('n', '1000000'))
if (candidate === 'compact') {
  process.stdout.write(JSON.stringify(compactTable(n)))
} else if (candidate === 'sqlite') {
  process.stdout.write(JSON.stringify(sqliteIndex(n, arg('dir', tmpdir()))))
} else {
  const dir = mkdtempSync(join(arg('dir', tmpdir()), 'jsondock-index-candidates-'))
  try {
    const runOne = (name: string): Figures => JSON.parse(execFileSync(process.execPath, [
      '--expose-gc', '--import', 'tsx', __filename, '--n', String(n), '--dir', dir
    ], { env: { ...process.env, INDEX_CANDIDATE: name }, maxBuffer: 1 << 20 }).toString()) as Figures
        console.log(JSON.stringify({ n, node: process.version, compact: runOne('compact'), sqlite: runOne('sqlite') }, null, 2))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
