import { compareValues } from './query'
import type { JsonValue } from './json-types'
import type { SortSpec } from './list-query'

export interface Sortable {
  id: string
}

/** How an entry is keyed for a sort: its value for the field (id for `id`). */
export type ValueOf<E> = (entry: E, field: string) => JsonValue | undefined

/** Sort orders kept up to date after the first request for them; the least recently used are dropped. */
const MAX_ORDERS = 8

/** Entries per chunk of a sorted list: a chunk splits in two past twice this. */
const CHUNK = 512

/**
 * A sorted sequence held as a list of chunks of at most 2 × CHUNK entries.
 * Finding a position is two binary searches; inserting or removing moves at
 * most one chunk's entries (an array splice of 100,000 entries moves them
 * all: at 100,000 documents that splice was a quarter of a PATCH's CPU).
 */
class ChunkedList<E> {
  chunks: E[][]

  constructor (sorted: E[]) {
    this.chunks = []
    for (let at = 0; at < sorted.length; at += CHUNK) this.chunks.push(sorted.slice(at, at + CHUNK))
  }

  /**
   * The first position whose entry `isAfter` holds for, as [chunk, offset];
   * `isAfter` must be false for a prefix of the sequence and true after it.
   */
  position (isAfter: (entry: E) => boolean): [number, number] {
    let lo = 0
    let hi = this.chunks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const chunk = this.chunks[mid] as E[]
      if (isAfter(chunk[chunk.length - 1] as E)) hi = mid
      else lo = mid + 1
    }
    if (lo === this.chunks.length) return [lo, 0]
    const chunk = this.chunks[lo] as E[]
    let from = 0
    let to = chunk.length
    while (from < to) {
      const mid = (from + to) >>> 1
      if (isAfter(chunk[mid] as E)) to = mid
      else from = mid + 1
    }
    return [lo, from]
  }

  insertAt ([c, i]: [number, number], entry: E): void {
    if (this.chunks.length === 0) {
      this.chunks.push([entry])
      return
    }
    // Past the end: append to the last chunk.
    const at: [number, number] = c === this.chunks.length ? [c - 1, (this.chunks[c - 1] as E[]).length] : [c, i]
    const chunk = this.chunks[at[0]] as E[]
    chunk.splice(at[1], 0, entry)
    if (chunk.length > 2 * CHUNK) this.chunks.splice(at[0] + 1, 0, chunk.splice(CHUNK))
  }

  removeAt (c: number, i: number): void {
    const chunk = this.chunks[c] as E[]
    chunk.splice(i, 1)
    if (chunk.length === 0) this.chunks.splice(c, 1)
  }

  /** The position of this very entry, by identity (a fallback: O(n)). */
  find (entry: E): [number, number] | undefined {
    for (let c = 0; c < this.chunks.length; c++) {
      const i = (this.chunks[c] as E[]).indexOf(entry)
      if (i >= 0) return [c, i]
    }
    return undefined
  }

  entryAt (c: number, i: number): E | undefined {
    return this.chunks[c]?.[i]
  }

  * from ([c, i]: [number, number]): Generator<E> {
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c] as E[]
      for (; i < chunk.length; i++) yield chunk[i] as E
    }
  }
}

/** One sort order's entries, for walking a page from a cursor. */
export interface SortedView<E> {
  /** The entries after (value, id) in this order (from the start without a cursor). */
  after: (cursor?: { value: JsonValue | undefined, id: string }) => Iterable<E>
}

/**
 * The collection's entries in each requested sort order, built once
 * (O(n log n)) and then kept sorted as entries come and go (two binary
 * searches and a splice within one chunk per write), so that a page in any
 * recently used order costs O(log n + page), not a sort per request. Ties
 * are broken by id, ascending, in both directions.
 */
export class SortedOrders<E extends Sortable> {
  readonly #orders = new Map<string, { sort: SortSpec, list: ChunkedList<E> }>()

  constructor (private readonly valueOf: ValueOf<E>) {}

  compare (sort: SortSpec, a: E, b: E): number {
    return this.compareKey(sort, this.valueOf(a, sort.field), a.id, b)
  }

  /** Orders (value, id) against an entry, in the sort's direction. */
  compareKey (sort: SortSpec, value: JsonValue | undefined, id: string, entry: E): number {
    const order = compareValues(value, this.valueOf(entry, sort.field))
    if (order !== 0) return sort.descending ? -order : order
    return id < entry.id ? -1 : id > entry.id ? 1 : 0
  }

  /** The entries in `sort` order; built from `all` the first time. */
  get (sort: SortSpec, all: () => Iterable<E>): SortedView<E> {
    const key = `${sort.descending ? '-' : ''}${sort.field}`
    let order = this.#orders.get(key)
    if (order === undefined) {
      order = { sort, list: new ChunkedList([...all()].sort((a, b) => this.compare(sort, a, b))) }
      if (this.#orders.size >= MAX_ORDERS) this.#orders.delete(this.#orders.keys().next().value as string)
    } else {
      this.#orders.delete(key) // re-inserted below: most recently used last
    }
    this.#orders.set(key, order)
    const { list } = order
    return {
      after: (cursor) => list.from(cursor === undefined ? [0, 0] : this.#after(sort, list, cursor.value, cursor.id))
    }
  }

  /** The position of the first entry after (value, id). */
  #after (sort: SortSpec, list: ChunkedList<E>, value: JsonValue | undefined, id: string): [number, number] {
    return list.position((entry) => this.compareKey(sort, value, id, entry) < 0)
  }

  insert (entry: E): void {
    for (const { sort, list } of this.#orders.values()) {
      list.insertAt(this.#after(sort, list, this.valueOf(entry, sort.field), entry.id), entry)
    }
  }

  remove (entry: E): void {
    for (const { sort, list } of this.#orders.values()) {
      // The entry itself is the last one not after its own key.
      const [c, i] = this.#after(sort, list, this.valueOf(entry, sort.field), entry.id)
      const at: [number, number] | undefined = i > 0 ? [c, i - 1] : c > 0 ? [c - 1, (list.chunks[c - 1] as E[]).length - 1] : undefined
      if (at !== undefined && list.entryAt(...at) === entry) {
        list.removeAt(...at)
      } else {
        // The entry's value changed under us (it should not): fall back to a search by identity.
        const found = list.find(entry)
        if (found !== undefined) list.removeAt(...found)
      }
    }
  }

  clear (): void {
    this.#orders.clear()
  }
}
