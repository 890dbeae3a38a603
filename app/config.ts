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
    if (value !== undefined && value !== '') raw[key] = value
  }
  const config = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, { ...raw }))
  const error = Value.Errors(ConfigSchema, config).First()
  if (error !== undefined) {
    const name = error.path.replace(/^\//, '')
    const description = (ConfigSchema.properties as Record<string, { description?: string }>)[name]?.description ?? ''
    throw new ConfigError(
      `Invalid configuration: ${name}=${JSON.stringify(raw[name])}: ${error.message}. ${description}`.trim()
    )
  }
  return config as AppConfig
}

/** The bearer tokens API_TOKENS lists; empty when writes are open. */
export function apiTokens (config: AppConfig): string[] {
  return config.API_TOKENS.split(',').map((t) => t.trim()).filter((t) => t !== '')
}
