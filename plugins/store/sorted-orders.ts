import { compareValues, type JsonValue, type SortSpec } from './query'

export interface Sortable {
  id: string
}

/** How an entry is keyed for a sort: its value for the field (id for `id`). */
export type ValueOf<E> = (entry: E, field: string) => JsonValue | undefined

/** Sort orders kept up to date after the first request for them; the least recently used are dropped. */
const MAX_ORDERS = 8

/**
 * The collection's entries in each requested sort order, built once
 * (O(n log n)) and then kept sorted as entries come and go (a binary search
 * and an array splice per write), so that a page in any recently used order
 * costs O(log n + page), not a sort per request. Ties are broken by id,
 * ascending, in both directions.
 */
export class SortedOrders<E extends Sortable> {
  readonly #orders = new Map<string, { sort: SortSpec, entries: E[] }>()

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
  get (sort: SortSpec, all: () => Iterable<E>): E[] {
    const key = `${sort.descending ? '-' : ''}${sort.field}`
    let order = this.#orders.get(key)
    if (order === undefined) {
      order = { sort, entries: [...all()].sort((a, b) => this.compare(sort, a, b)) }
      if (this.#orders.size >= MAX_ORDERS) this.#orders.delete(this.#orders.keys().next().value as string)
    } else {
      this.#orders.delete(key) // re-inserted below: most recently used last
    }
    this.#orders.set(key, order)
    return order.entries
  }

  /** Index of the first entry after (value, id) in `entries`, sorted by `sort`. */
  after (sort: SortSpec, entries: E[], value: JsonValue | undefined, id: string): number {
    let lo = 0
    let hi = entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.compareKey(sort, value, id, entries[mid] as E) >= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  insert (entry: E): void {
    for (const { sort, entries } of this.#orders.values()) {
      entries.splice(this.after(sort, entries, this.valueOf(entry, sort.field), entry.id), 0, entry)
    }
  }

  remove (entry: E): void {
    for (const { sort, entries } of this.#orders.values()) {
      const at = this.after(sort, entries, this.valueOf(entry, sort.field), entry.id) - 1
      if (entries[at] === entry) entries.splice(at, 1)
      else {
        // The entry's value changed under us (it should not): fall back to a search by identity.
        const found = entries.indexOf(entry)
        if (found >= 0) entries.splice(found, 1)
      }
    }
  }

  clear (): void {
    this.#orders.clear()
  }
}
