/** Deeper JSON is refused: nothing a document needs, and recursion everywhere downstream. */
export const MAX_JSON_DEPTH = 100

/**
 * Why a parsed JSON value cannot be stored as it is, or undefined when it
 * can: more than MAX_JSON_DEPTH levels of nesting, or a number JSON.parse
 * turned into Infinity (1e400 would otherwise be stored as null).
 */
export function jsonShapeProblem (root: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number]
    if (typeof value === 'number' && !Number.isFinite(value)) return 'it holds a number too large to store'
    if (value === null || typeof value !== 'object') continue
    if (depth > MAX_JSON_DEPTH) return `it is nested deeper than ${MAX_JSON_DEPTH} levels`
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1])
  }
  return undefined
}
