import t from 'tap'
import { compareValues } from '../../plugins/engine/query'
import type { JsonValue } from '../../plugins/engine/json-types'
import type { SortSpec } from '../../plugins/engine/list-query'
import { SortedOrders } from '../../plugins/engine/sorted-orders'

interface Item { id: string, a: JsonValue | undefined, b: JsonValue | undefined }

const valueOfItem = (item: Item, field: string): JsonValue | undefined => field === 'id' ? item.id : field === 'a' ? item.a : item.b

/** A small deterministic PRNG, so a failure replays. */
function prng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function reference (items: Iterable<Item>, sort: SortSpec): Item[] {
  return [...items].sort((x, y) => {
    for (const key of sort) {
      const order = compareValues(valueOfItem(x, key.field), valueOfItem(y, key.field))
      if (order !== 0) return key.descending ? -order : order
    }
    return x.id < y.id ? -1 : x.id > y.id ? 1 : 0
  })
}

// Thousands of entries (several chunks, so chunks split and empty), with duplicate values,
// missing values and mixed types, inserted, changed and removed at random: every order
// must stay exactly what a fresh sort gives, and every cursor must resume right after itself.
t.test('kept sort orders equal a fresh sort after random inserts, changes and removals', async (t) => {
  const random = prng(20261201)
  const live = new Map<string, Item>()
  const orders = new SortedOrders<Item>(valueOfItem)
  const sorts: SortSpec[] = [
    [{ field: 'a', descending: false }], [{ field: 'a', descending: true }], [{ field: 'id', descending: false }],
    // Several keys: few distinct values per key, so the later keys and the id decide often.
    [{ field: 'b', descending: true }, { field: 'a', descending: false }], [{ field: 'a', descending: false }, { field: 'b', descending: true }]
  ]
  const valueOf = (spread: number): JsonValue | undefined => {
    const r = random()
    return r < 0.1 ? undefined : r < 0.2 ? `s${Math.floor(random() * spread / 6)}` : r < 0.25 ? null : Math.floor(random() * spread)
  }
  const item = (id: string): Item => ({ id, a: valueOf(300), b: valueOf(12) })
  for (let i = 0; i < 3000; i++) live.set(`id${i}`, item(`id${i}`))
  for (const sort of sorts) orders.get(sort, () => live.values())
  let next = 3000
  let mismatches = 0
  for (let round = 0; round < 20; round++) {
    for (let op = 0; op < 400; op++) {
      const r = random()
      const ids = [...live.keys()]
      if (r < 0.4 || ids.length === 0) {
        const added = item(`id${next++}`)
        live.set(added.id, added)
        orders.insert(added)
      } else if (r < 0.75) {
        const old = live.get(ids[Math.floor(random() * ids.length)] as string) as Item
        orders.remove(old)
        const changed = item(old.id)
        live.set(old.id, changed)
        orders.insert(changed)
      } else {
        const gone = live.get(ids[Math.floor(random() * ids.length)] as string) as Item
        orders.remove(gone)
        live.delete(gone.id)
      }
    }
    for (const sort of sorts) {
      const expected = reference(live.values(), sort).map((i) => i.id)
      const view = orders.get(sort, () => live.values())
      const actual = [...view.after()].map((i) => i.id)
      if (actual.join() !== expected.join()) mismatches++
      // Resume after a few cursors: exactly the entries after that one.
      for (const at of [0, Math.floor(expected.length / 3), expected.length - 1]) {
        const cursor = live.get(expected[at] as string) as Item
        const resumed = [...view.after({ values: orders.valuesOf(sort, cursor), id: cursor.id })].map((i) => i.id)
        if (resumed.join() !== expected.slice(at + 1).join()) mismatches++
      }
    }
  }
  t.equal(mismatches, 0, `every order matched a fresh sort, and every cursor resumed in place, over 20 rounds (${live.size} entries at the end)`)
})
