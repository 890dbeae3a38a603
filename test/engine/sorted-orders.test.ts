import t from 'tap'
import { compareValues } from '../../plugins/engine/query'
import type { JsonValue } from '../../plugins/engine/json-types'
import type { SortSpec } from '../../plugins/engine/list-query'
import { SortedOrders } from '../../plugins/engine/sorted-orders'

interface Item { id: string, value: JsonValue | undefined }

/** A small deterministic PRNG, so a failure replays. */
function prng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function reference (items: Iterable<Item>, sort: SortSpec): Item[] {
  const key = (item: Item): JsonValue | undefined => sort.field === 'id' ? item.id : item.value
  return [...items].sort((a, b) => {
    const order = compareValues(key(a), key(b))
    if (order !== 0) return sort.descending ? -order : order
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })
}

// Thousands of entries (several chunks, so chunks split and empty), with duplicate values,
// missing values and mixed types, inserted, changed and removed at random: every order
// must stay exactly what a fresh sort gives, and every cursor must resume right after itself.
t.test('kept sort orders equal a fresh sort after random inserts, changes and removals', async (t) => {
  const random = prng(20261201)
  const live = new Map<string, Item>()
  const orders = new SortedOrders<Item>((item, field) => field === 'id' ? item.id : item.value)
  const sorts: SortSpec[] = [{ field: 'value', descending: false }, { field: 'value', descending: true }, { field: 'id', descending: false }]
  const valueOf = (): JsonValue | undefined => {
    const r = random()
    return r < 0.1 ? undefined : r < 0.2 ? `s${Math.floor(random() * 50)}` : r < 0.25 ? null : Math.floor(random() * 300)
  }
  for (let i = 0; i < 3000; i++) live.set(`id${i}`, { id: `id${i}`, value: valueOf() })
  for (const sort of sorts) orders.get(sort, () => live.values())
  let next = 3000
  let mismatches = 0
  for (let round = 0; round < 20; round++) {
    for (let op = 0; op < 400; op++) {
      const r = random()
      const ids = [...live.keys()]
      if (r < 0.4 || ids.length === 0) {
        const item = { id: `id${next++}`, value: valueOf() }
        live.set(item.id, item)
        orders.insert(item)
      } else if (r < 0.75) {
        const old = live.get(ids[Math.floor(random() * ids.length)] as string) as Item
        orders.remove(old)
        const changed = { id: old.id, value: valueOf() }
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
        const resumed = [...view.after({ value: sort.field === 'id' ? cursor.id : cursor.value, id: cursor.id })].map((i) => i.id)
        if (resumed.join() !== expected.slice(at + 1).join()) mismatches++
      }
    }
  }
  t.equal(mismatches, 0, `every order matched a fresh sort, and every cursor resumed in place, over 20 rounds (${live.size} entries at the end)`)
})
