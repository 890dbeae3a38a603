import { RE2JS } from 're2js'

/**
 * JSON Schema patterns are ECMA-262 regular expressions, which V8 runs by
 * backtracking: a pattern such as `^(a+)+$` takes exponential time on a
 * long near-miss and freezes the event loop. Schemas come from users, so
 * their patterns run on RE2 (re2js, pure JavaScript), which matches in time
 * linear in the input. The few ECMA-262 escapes RE2 spells differently are
 * rewritten; what RE2 cannot run in linear time (look-around, back-references)
 * is refused, with the reason, when the schema is compiled.
 */

/** ECMA-262 `\s`: white space and line terminators (RE2's `\s` is ASCII only). */
const ECMA_SPACE = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}'
/** ECMA-262 `.` matches anything but a line terminator (RE2's excludes only \n). */
const ECMA_DOT = '[^\\n\\r\\x{2028}\\x{2029}]'
/** ECMA-262 long General_Category names (`\p{Letter}`) as RE2's short ones (`\p{L}`). */
const CATEGORIES: Record<string, string> = {
  Letter: 'L', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Mark: 'M', Nonspacing_Mark: 'Mn', Spacing_Mark: 'Mc', Enclosing_Mark: 'Me',
  Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl', Other_Number: 'No',
  Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd', Open_Punctuation: 'Ps', Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf', Other_Punctuation: 'Po',
  Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Other_Symbol: 'So',
  Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Surrogate: 'Cs', Private_Use: 'Co', Unassigned: 'Cn'
}
const PROPERTY = /^\{(?:(?:General_Category|gc|Script|sc|Script_Extensions|scx)=)?([A-Za-z_]+)\}/
const HEX4 = /^[0-9A-Fa-f]{4}$/
const HEX_BRACED = /^\{([0-9A-Fa-f]{1,6})\}/

/** Why a pattern cannot run here, in words for the one who wrote the schema. */
export class PatternError extends Error {
  override readonly name = 'PatternError'
}

/** Rewrites an ECMA-262 pattern into RE2 syntax with the same meaning. */
export function toRe2Syntax (pattern: string): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string
    if (char === '\\') {
      const next = pattern[i + 1] ?? ''
      if (next === 'u') {
        const braced = HEX_BRACED.exec(pattern.slice(i + 2))
        const hex = braced?.[1] ?? pattern.slice(i + 2, i + 6)
        if (braced === null && !HEX4.test(hex)) throw new PatternError(`"\\u" must be followed by four hex digits or {hex} (at ${i})`)
        out += `\\x{${hex}}`
        i += 1 + (braced === null ? 4 : (braced[0]).length)
        continue
      }
      if (next === 'c' && /[A-Za-z]/.test(pattern[i + 2] ?? '')) {
        out += `\\x{${((pattern.charCodeAt(i + 2)) % 32).toString(16)}}`
        i += 2
        continue
      }
      const property = next === 'p' || next === 'P' ? PROPERTY.exec(pattern.slice(i + 2)) : null
      if (property !== null) {
        const name = property[1] as string
        out += `\\${next}{${CATEGORIES[name] ?? name}}`
        i += 1 + property[0].length
        continue
      }
      if (next === 's') out += inClass ? ECMA_SPACE : `[${ECMA_SPACE}]`
      else if (next === 'S' && !inClass) out += `[^${ECMA_SPACE}]`
      else if (/[1-9]/.test(next) && !inClass) throw new PatternError(`back-references such as "\\${next}" cannot run in linear time`)
      else out += char + next
      i++
      continue
    }
    if (inClass) {
      if (char === ']') inClass = false
      out += char
      continue
    }
    if (char === '[') {
      inClass = true
      out += char
      // A "]" right after "[" or "[^" is a literal in RE2 but ends an empty class in ECMA-262.
      if (pattern[i + 1] === '^') { out += '^'; i++ }
      if (pattern[i + 1] === ']') throw new PatternError(`"[]" and "[^]" are not supported (at ${i}); write (?:) or [\\s\\S]`)
      continue
    }
    if (char === '(' && pattern[i + 1] === '?' && /[=!<]/.test(pattern[i + 2] ?? '') && !(pattern[i + 2] === '<' && /[A-Za-z]/.test(pattern[i + 3] ?? ''))) {
      throw new PatternError(`look-ahead and look-behind groups such as "(?${pattern[i + 2] ?? ''}" cannot run in linear time`)
    }
    if (char === '(' && pattern[i + 1] === '?' && pattern[i + 2] === '<') {
      out += '(?P<'
      i += 2
      continue
    }
    out += char === '.' ? ECMA_DOT : char
  }
  return out
}

/** Compiles a schema pattern for linear-time matching; throws a PatternError saying why it cannot. */
export function linearRegExp (pattern: string): { test: (input: string) => boolean } {
  const syntax = toRe2Syntax(pattern)
  try {
    return RE2JS.compile(syntax)
  } catch (err) {
    throw new PatternError(`the pattern "${pattern}" is not supported: ${(err as Error).message.replace(/^error parsing regexp: /, '')}`)
  }
}
