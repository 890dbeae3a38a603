import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Conformance cases that fail because of the validator, each with its
 * upstream issue; docs/api.md lists them too. A listed case that starts to
 * pass fails its suite, so the list stays true.
 * Key: `<draft>/<file> | <group> | <test>` (JSON Schema), `json-patch/<file> | <comment>` (JSON Patch).
 */
const DYNAMIC = { issue: 'https://github.com/ajv-validator/ajv/issues/1573' }
const RECURSIVE = { issue: 'https://github.com/ajv-validator/ajv/issues/1709' }
const ENUM = { issue: 'https://github.com/ajv-validator/ajv/issues/1893' }
const IF = { issue: 'https://github.com/ajv-validator/ajv/pull/2639' }
const SIBLINGS = { issue: 'none filed: Ajv applies the keywords beside $ref in every draft' }
const RELATIVE = { issue: 'none filed: Ajv overflows the stack compiling relative $ref with nested $id' }
const VOCABULARY = { issue: 'none filed: Ajv does not implement $vocabulary' }

export const KNOWN_LIMITS: Record<string, { issue: string }> = {
  'draft4/ref.json | ref overrides any sibling keywords | ref valid, maxItems ignored': SIBLINGS,
  'draft6/ref.json | ref overrides any sibling keywords | ref valid, maxItems ignored': SIBLINGS,
  'draft7/ref.json | ref overrides any sibling keywords | ref valid, maxItems ignored': SIBLINGS,
  'draft2019-09/enum.json | empty enum | object is invalid': ENUM,
  'draft2019-09/recursiveRef.json | $recursiveRef with no $recursiveAnchor in the initial target schema resource | leaf node matches: recursion uses the inner schema': RECURSIVE,
  'draft2019-09/ref.json | refs with relative uris and defs | invalid on inner field': RELATIVE,
  'draft2019-09/ref.json | refs with relative uris and defs | invalid on outer field': RELATIVE,
  'draft2019-09/ref.json | refs with relative uris and defs | valid on both fields': RELATIVE,
  'draft2019-09/ref.json | relative refs with absolute uris and defs | invalid on inner field': RELATIVE,
  'draft2019-09/ref.json | relative refs with absolute uris and defs | invalid on outer field': RELATIVE,
  'draft2019-09/ref.json | relative refs with absolute uris and defs | valid on both fields': RELATIVE,
  'draft2019-09/unevaluatedProperties.json | unevaluatedProperties with if/then/else, then not defined | when if is true and has no unevaluated properties': IF,
  'draft2019-09/unevaluatedProperties.json | unevaluatedProperties can see annotations from if without then and else | valid in case if is evaluated': IF,
  'draft2019-09/vocabulary.json | schema that uses custom metaschema with with no validation vocabulary | no validation: invalid number, but it still validates': VOCABULARY,
  'draft2020-12/dynamicRef.json | A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope | The recursive part is valid against the root': DYNAMIC,
  'draft2020-12/dynamicRef.json | A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope | The recursive part is not valid against the root': DYNAMIC,
  'draft2020-12/dynamicRef.json | A $dynamicRef that initially resolves to a schema without a matching $dynamicAnchor behaves like a normal $ref to $anchor | The recursive part doesn\'t need to validate against the root': DYNAMIC,
  'draft2020-12/dynamicRef.json | multiple dynamic paths to the $dynamicRef keyword | number list with string values': DYNAMIC,
  'draft2020-12/dynamicRef.json | multiple dynamic paths to the $dynamicRef keyword | string list with number values': DYNAMIC,
  'draft2020-12/dynamicRef.json | tests for implementation dynamic anchor and reference link | correct extended schema': DYNAMIC,
  'draft2020-12/dynamicRef.json | $ref and $dynamicAnchor are independent of order - $defs first | correct extended schema': DYNAMIC,
  'draft2020-12/dynamicRef.json | $ref and $dynamicAnchor are independent of order - $ref first | correct extended schema': DYNAMIC,
  'draft2020-12/dynamicRef.json | $dynamicRef points to a boolean schema | follow $dynamicRef to a false schema': DYNAMIC,
  'draft2020-12/dynamicRef.json | $dynamicRef skips over intermediate resources - direct reference | integer property passes': DYNAMIC,
  'draft2020-12/enum.json | empty enum | object is invalid': ENUM,
  'draft2020-12/ref.json | refs with relative uris and defs | invalid on inner field': RELATIVE,
  'draft2020-12/ref.json | refs with relative uris and defs | invalid on outer field': RELATIVE,
  'draft2020-12/ref.json | refs with relative uris and defs | valid on both fields': RELATIVE,
  'draft2020-12/ref.json | relative refs with absolute uris and defs | invalid on inner field': RELATIVE,
  'draft2020-12/ref.json | relative refs with absolute uris and defs | invalid on outer field': RELATIVE,
  'draft2020-12/ref.json | relative refs with absolute uris and defs | valid on both fields': RELATIVE,
  'draft2020-12/unevaluatedProperties.json | unevaluatedProperties with if/then/else, then not defined | when if is true and has no unevaluated properties': IF,
  'draft2020-12/unevaluatedProperties.json | unevaluatedProperties with $dynamicRef | with no unevaluated properties': DYNAMIC,
  'draft2020-12/unevaluatedProperties.json | unevaluatedProperties with $dynamicRef | with unevaluated properties': DYNAMIC,
  'draft2020-12/unevaluatedProperties.json | unevaluatedProperties can see annotations from if without then and else | valid in case if is evaluated': IF,
  'draft2020-12/vocabulary.json | schema that uses custom metaschema with with no validation vocabulary | no validation: invalid number, but it still validates': VOCABULARY,
}

export interface SuiteCounts {
  passed: number
  notApplicable: Record<string, number>
  knownLimits: number
}

/**
 * The counts docs/api.md gives for one part of a suite, from its table row
 * `| suite | part | passed | not applicable (reason n, …) | known limits |`.
 */
export function documentedCounts (suite: string, part: string): SuiteCounts | undefined {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8')
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim())
    if (cells[1] !== suite || cells[2] !== part) continue
    const notApplicable: Record<string, number> = {}
    for (const [, reason, count] of (cells[4] ?? '').matchAll(/([a-z][a-z ]*?) (\d+)/g)) notApplicable[reason as string] = Number(count)
    return { passed: Number(cells[3]), notApplicable, knownLimits: Number(cells[5]) }
  }
  return undefined
}
