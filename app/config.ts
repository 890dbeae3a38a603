import { Value } from '@sinclair/typebox/value'
import { ConfigSchema, ORIGIN_PATTERN, type AppConfig } from '../schemas/config'

export type { AppConfig } from '../schemas/config'

/** A configuration error; its message is the one line the process prints before exiting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/**
 * Settings whose value is a secret. The start-up error goes to stderr, and so
 * into docker logs and log shippers: it must locate the mistake without
 * copying any of the value (a typo'd token is still mostly the real token).
 */
const SECRET_SETTINGS = new Set(['API_TOKENS'])

/** Where a secret value breaks its pattern: its length, and the position and token of the first bad character, never a character itself. */
function describeSecret (value: unknown, pattern: string | undefined): string {
  // Counted in characters as a person reads them (code points), not UTF-16 units.
  const chars = [...String(value)]
  const summary = `<secret, ${chars.length} characters>`
  if (pattern === undefined) return summary
  // The patterns are single-character classes repeated (`^[…]*$`), so each character can be tested alone.
  const allowed = new RegExp(pattern)
  const at = chars.findIndex((char) => !allowed.test(char))
  if (at < 0) return summary
  const tokens = chars.join('').split(',').length
  const token = chars.slice(0, at).join('').split(',').length
  return `${summary} (character ${at + 1} of ${chars.length}, in token ${token} of ${tokens}, is not allowed)`
}

/** The first listed origin a browser could never send, and what to write instead. */
function describeOrigins (value: unknown): string | undefined {
  const origin = new RegExp(`^${ORIGIN_PATTERN}$`)
  const bad = String(value).split(',').map((o) => o.trim()).find((o) => !origin.test(o))
  if (bad === undefined) return undefined
  const fixed = /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(bad)?.[0].toLowerCase()
  const instead = fixed !== undefined && origin.test(fixed) ? ` (write "${fixed}")` : ''
  return `"${bad}" is not an origin: a browser sends scheme://host[:port], lower-case, with no path or trailing slash${instead}, so it would match nothing`
}

/** Settings whose pattern failure gets a reason that names the bad part. */
const EXPLAIN: Record<string, (value: unknown) => string | undefined> = { CORS_ORIGIN: describeOrigins }

/**
 * Reads the configuration from environment variables: defaults applied,
 * strings converted to the schema's types, and every value validated once.
 * Unknown variables are ignored (the environment holds much else).
 */
export function loadConfig (env: NodeJS.ProcessEnv | Record<string, string | undefined>): AppConfig {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key]
    // An empty variable means "unset", except for text settings, where empty is a value (API_TOKENS=, JSON_SERVER_PREFIX=).
    const isText = (ConfigSchema.properties as Record<string, { type?: string }>)[key]?.type === 'string'
    if (value !== undefined && (value !== '' || isText)) raw[key] = value
  }
  const config = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, { ...raw }))
  const error = Value.Errors(ConfigSchema, config).First()
  if (error !== undefined) {
    const name = error.path.replace(/^\//, '')
    const property = (ConfigSchema.properties as Record<string, { description?: string, pattern?: string, anyOf?: Array<{ const?: unknown }> }>)[name]
    // A union of literals: name the allowed values rather than "Expected union value".
    const allowed = property?.anyOf?.map((option) => option.const).filter((value) => value !== undefined)
    const reason = allowed !== undefined && allowed.length > 0
      ? `expected one of ${allowed.join(', ')}`
      : EXPLAIN[name]?.(raw[name]) ?? error.message
    const shown = SECRET_SETTINGS.has(name) ? describeSecret(raw[name], property?.pattern) : JSON.stringify(raw[name])
    throw new ConfigError(
      `Invalid configuration: ${name}=${shown}: ${reason}. ${property?.description ?? ''}`.trim()
    )
  }
  return config as AppConfig
}

/** The bearer tokens API_TOKENS lists; empty when writes are open. */
export function apiTokens (config: AppConfig): string[] {
  return config.API_TOKENS.split(',').map((t) => t.trim()).filter((t) => t !== '')
}
