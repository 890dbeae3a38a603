import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { StoreError } from './store-errors'
import { fieldProblems } from './field-problems'
import { parseDocument } from './json-file'
import type { JsonObject } from './json-types'
import { SchemaCompiler, type JsonSchema, type KnownSchema, type SchemaValidator } from './schema-compiler'
import { isRacy, isRealFolderNow, lstatNow } from './stat-now'

/** A collection's settings file, beside its documents. */
export const SETTINGS_FILE = '.collection.json'

export interface CollectionSettings {
  /** JSON Schema every document of the collection must satisfy (its `$schema` picks the dialect; 2020-12 without one). */
  schema?: JsonSchema
}

interface LoadedSettings {
  /** Which version of the settings file this is (inode, size, mtime); 'none' when there is no file. */
  key: string
  settings: CollectionSettings
  validate?: SchemaValidator
}

/**
 * Collection settings as read from `.collection.json`, with each schema
 * compiled once (by its dialect, see schema-compiler.ts) and re-read whenever
 * the file changes on disk, whoever changed it.
 */
export class SettingsCache {
  readonly #loaded = new Map<string, LoadedSettings>()
  readonly #schemas: SchemaCompiler

  constructor (knownSchemas: readonly KnownSchema[] = []) {
    this.#schemas = new SchemaCompiler({ knownSchemas })
  }

  /** Compiles a collection schema, or refuses it (400 invalid-schema) saying why. */
  compile (schema: JsonSchema): SchemaValidator {
    return this.#schemas.compile(schema)
  }

  /** The settings of collection `name`, whose folder is `dir`. */
  async load (name: string, dir: string): Promise<LoadedSettings> {
    const file = join(dir, SETTINGS_FILE)
    // The folder is checked too: O_NOFOLLOW below guards only the file, not a symlink in the folder's place.
    const stats = isRealFolderNow(dir) ? lstatNow(file) : undefined
    if (stats === undefined || !stats.isFile()) return { key: 'none', settings: {} }
    const key = `${stats.ino}:${stats.size}:${stats.mtimeNs}`
    const cached = this.#loaded.get(name)
    if (cached !== undefined && cached.key === key && !isRacy(stats.mtimeNs)) return cached
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW)
    const bytes = await handle.readFile().finally(async () => await handle.close())
    const settings = parseDocument(bytes, `${name}/${SETTINGS_FILE}`) as CollectionSettings
    const schema = settings.schema
    const loaded: LoadedSettings = {
      key,
      settings,
      ...(schema === undefined ? {} : { validate: this.compile(schema) })
    }
    this.#loaded.set(name, loaded)
    return loaded
  }

  forget (name: string): void {
    this.#loaded.delete(name)
  }

  /** Refuses a document that does not satisfy its collection's schema (422). */
  async validate (name: string, dir: string, doc: JsonObject): Promise<void> {
    const { validate } = await this.load(name, dir)
    if (validate !== undefined && !validate(doc)) {
      throw new StoreError('schema-violation', `The document does not satisfy the schema of collection "${name}".`, fieldProblems(validate.errors))
    }
  }
}

/** Whether a schema names `field` (a top-level property, or a dotted path through nested `properties`). */
export function schemaDeclares (schema: JsonSchema | undefined, field: string): boolean {
  const hasProperty = (node: unknown, name: string): unknown => {
    const properties = (node as { properties?: unknown } | null)?.properties
    return properties !== null && typeof properties === 'object' && Object.hasOwn(properties, name)
      ? (properties as Record<string, unknown>)[name]
      : undefined
  }
  if (schema === undefined || typeof schema === 'boolean') return false
  if (hasProperty(schema, field) !== undefined) return true
  let node: unknown = schema
  for (const part of field.split('.')) {
    node = hasProperty(node, part)
    if (node === undefined) return false
  }
  return true
}
