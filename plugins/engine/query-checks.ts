// A listing query that cannot mean what it says is refused, not answered with a page that looks right.
import type { JsonObject } from './json-types'
import type { PageQuery } from './list-query'
import { fieldOf } from './query'
import { StoreError } from './store-errors'

const RANGE_OPERATORS: ReadonlySet<string> = new Set(['gt', 'gte', 'lt', 'lte'])

/**
 * Refuses (invalid-query) what is most likely a typo, as an unknown sort
 * field is refused: a `fields=` name that no document has (nor the schema
 * declares: `declares`), and a range filter whose bound is not a number on
 * a field whose values are numbers (`year[gt]=abc` would match nothing, or
 * everything with `[ne]`, whatever the data). An empty collection accepts
 * anything. Costs a scan only when a name or bound is suspect.
 */
export async function checkQueryMeaning (
  collection: string,
  docs: () => Iterable<JsonObject>,
  query: PageQuery,
  declares: (field: string) => Promise<boolean>
): Promise<void> {
  for (const field of query.fields ?? []) {
    if (field === '') {
      throw new StoreError('invalid-query', 'fields= holds an empty name: list the fields to return, comma-separated (fields=title,author.name), or leave it out for whole documents.')
    }
    if (field === 'id' || someHas(docs(), (doc) => fieldOf(doc, field) !== undefined) !== false || await declares(field)) continue
    throw new StoreError('invalid-query', `Cannot return field "${field}": no document of "${collection}" has it (nor does its schema declare it). ` +
      'Check its spelling: field names are case-sensitive; dotted paths (author.name) reach into objects.')
  }
  for (const filter of query.filters) {
    if (!RANGE_OPERATORS.has(filter.op)) continue
    const bound = filter.values[0] ?? ''
    if (bound.trim() !== '' && !Number.isNaN(Number(bound))) continue
    // Not a number: fine where the field holds texts (dates, names compare as text), refused where it only holds numbers.
    let numbers = false
    let texts = false
    for (const doc of docs()) {
      const value = fieldOf(doc, filter.field)
      if (typeof value === 'number') numbers = true
      else if (typeof value === 'string') texts = true
      if (texts) break
    }
    if (numbers && !texts) {
      throw new StoreError('invalid-query', `Cannot compare "${filter.field}[${filter.op}]=${bound}": "${filter.field}" holds numbers in "${collection}", ` +
        `and ${bound === '' ? 'the bound is empty' : `"${bound}" is not a number`}. Give a number, for example ${filter.field}[${filter.op}]=2000.`)
    }
  }
}

/** True when some doc passes `test`; undefined when there are no docs at all (an empty collection refuses nothing). */
function someHas (docs: Iterable<JsonObject>, test: (doc: JsonObject) => boolean): boolean | undefined {
  let any = false
  for (const doc of docs) {
    any = true
    if (test(doc)) return true
  }
  return any ? false : undefined
}
