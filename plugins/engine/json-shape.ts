/** Deeper JSON is refused: nothing a document needs, and recursion everywhere downstream. */
export const MAX_JSON_DEPTH = 100

/**
 * Keys refused anywhere in stored JSON: they name the prototype machinery of
 * the objects that carry them, and are one careless merge away from
 * prototype pollution in whatever code (ours or a client's) handles the data.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Why a parsed JSON value cannot be stored as it is, or undefined when it
 * can: more than MAX_JSON_DEPTH levels of nesting, a number JSON.parse
 * turned into Infinity (1e400 would otherwise be stored as null), or a
 * reserved key.
 */
export function jsonShapeProblem (root: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number]
    if (typeof value === 'number' && !Number.isFinite(value)) return 'it holds a number too large to store'
    if (value === null || typeof value !== 'object') continue
    if (depth > MAX_JSON_DEPTH) return `it is nested deeper than ${MAX_JSON_DEPTH} levels`
    if (Array.isArray(value)) {
      for (const child of value) stack.push([child, depth + 1])
      continue
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) return `it holds the reserved key "${key}"`
      stack.push([(value as Record<string, unknown>)[key], depth + 1])
    }
  }
  return undefined
}
