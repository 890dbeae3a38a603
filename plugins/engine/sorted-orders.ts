import { compareValues } from './query'
import type { JsonValue } from './json-types'
import { sortName, type SortKey, type SortSpec } from './list-query'
import type { CursorPosition } from './cursor'

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
  /** The entries after (values, id) in this order (from the start without a cursor). */
  after: (cursor?: CursorPosition) => Iterable<E>
  /** The first key's field that no entry has (undefined when every key's field is on some entry, or there are none). */
  fieldNoEntryHas: () => string | undefined
}

interface Order<E> {
  sort: SortSpec
  list: ChunkedList<E>
  size: number
  /** Per key: how many entries have its field. */
  present: number[]
}

/**
 * The collection's entries in each requested sort order (one per sort spec,
 * several keys each), built once (O(n log n)) and then kept sorted as entries
 * come and go (two binary searches and a splice within one chunk per write),
 * so that a page in any recently used order costs O(log n + page), not a sort
 * per request. The keys are compared in turn; the last ties are broken by
 * id, ascending, in every direction.
 */
export class SortedOrders<E extends Sortable> {
  readonly #orders = new Map<string, Order<E>>()

  constructor (private readonly valueOf: ValueOf<E>) {}

  valuesOf (sort: SortSpec, entry: E): Array<JsonValue | undefined> {
    return sort.map((key) => this.valueOf(entry, key.field))
  }

  /** Orders (values, id) against an entry, in the sort's directions. */
  compareKey (sort: SortSpec, values: Array<JsonValue | undefined>, id: string, entry: E): number {
    for (let k = 0; k < sort.length; k++) {
      const key = sort[k] as SortKey
      const order = compareValues(values[k], this.valueOf(entry, key.field))
      if (order !== 0) return key.descending ? -order : order
    }
    return id < entry.id ? -1 : id > entry.id ? 1 : 0
  }

  /** The entries in `sort` order; built from `all` the first time. */
  get (sort: SortSpec, all: () => Iterable<E>): SortedView<E> {
    const key = sortName(sort)
    let order = this.#orders.get(key)
    if (order === undefined) {
      const entries = [...all()]
      const keyed = entries.map((entry) => ({ entry, values: this.valuesOf(sort, entry) }))
      keyed.sort((a, b) => this.compareKey(sort, a.values, a.entry.id, b.entry))
      const present = sort.map((_, k) => keyed.reduce((n, { values }) => values[k] === undefined ? n : n + 1, 0))
      order = { sort, list: new ChunkedList(keyed.map(({ entry }) => entry)), size: entries.length, present }
      if (this.#orders.size >= MAX_ORDERS) this.#orders.delete(this.#orders.keys().next().value as string)
    } else {
      this.#orders.delete(key) // re-inserted below: most recently used last
    }
    this.#orders.set(key, order)
    const kept = order
    return {
      after: (cursor) => kept.list.from(cursor === undefined ? [0, 0] : this.#after(sort, kept.list, cursor.values, cursor.id)),
      fieldNoEntryHas: () => kept.size === 0 ? undefined : sort.find((_, k) => kept.present[k] === 0)?.field
    }
  }

  /** The position of the first entry after (values, id). */
  #after (sort: SortSpec, list: ChunkedList<E>, values: Array<JsonValue | undefined>, id: string): [number, number] {
    return list.position((entry) => this.compareKey(sort, values, id, entry) < 0)
  }

  insert (entry: E): void {
    for (const order of this.#orders.values()) {
      const values = this.valuesOf(order.sort, entry)
      order.list.insertAt(this.#after(order.sort, order.list, values, entry.id), entry)
      this.#count(order, values, 1)
    }
  }

  remove (entry: E): void {
    for (const order of this.#orders.values()) {
      const { sort, list } = order
      const values = this.valuesOf(sort, entry)
      // The entry itself is the last one not after its own key.
      const [c, i] = this.#after(sort, list, values, entry.id)
      const at: [number, number] | undefined = i > 0 ? [c, i - 1] : c > 0 ? [c - 1, (list.chunks[c - 1] as E[]).length - 1] : undefined
      let found: [number, number] | undefined = at !== undefined && list.entryAt(...at) === entry ? at : undefined
      // The entry's value changed under us (it should not): fall back to a search by identity.
      found ??= list.find(entry)
      if (found === undefined) continue
      list.removeAt(...found)
      this.#count(order, values, -1)
    }
  }

  #count (order: Order<E>, values: Array<JsonValue | undefined>, by: 1 | -1): void {
    order.size += by
    values.forEach((value, k) => { if (value !== undefined) order.present[k] = (order.present[k] as number) + by })
  }

  clear (): void {
    this.#orders.clear()
  }
}
