import { Value } from '@sinclair/typebox/value'
import { ConfigSchema, type AppConfig } from '../schemas/config'

export type { AppConfig } from '../schemas/config'

/** A configuration error; its message is the one line the process prints before exiting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

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
    const property = (ConfigSchema.properties as Record<string, { description?: string, anyOf?: Array<{ const?: unknown }> }>)[name]
    // A union of literals: name the allowed values rather than "Expected union value".
    const allowed = property?.anyOf?.map((option) => option.const).filter((value) => value !== undefined)
    const reason = allowed !== undefined && allowed.length > 0 ? `expected one of ${allowed.join(', ')}` : error.message
    throw new ConfigError(
      `Invalid configuration: ${name}=${JSON.stringify(raw[name])}: ${reason}. ${property?.description ?? ''}`.trim()
    )
  }
  return config as AppConfig
}

/** The bearer tokens API_TOKENS lists; empty when writes are open. */
export function apiTokens (config: AppConfig): string[] {
  return config.API_TOKENS.split(',').map((t) => t.trim()).filter((t) => t !== '')
}
