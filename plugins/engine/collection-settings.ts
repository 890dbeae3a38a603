import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { StoreError } from './store-errors'
import { fieldProblems } from './field-problems'
import { parseDocument } from './json-file'
import type { JsonObject } from './json-types'
import { isRacy, isRealFolderNow, lstatNow } from './stat-now'

/** A collection's settings file, beside its documents. */
export const SETTINGS_FILE = '.collection.json'

export interface CollectionSettings {
  /** JSON Schema (2020-12) every document of the collection must satisfy. */
  schema?: JsonObject
}

interface LoadedSettings {
  /** Which version of the settings file this is (inode, size, mtime); 'none' when there is no file. */
  key: string
  settings: CollectionSettings
  validate?: ValidateFunction
}

/**
 * Collection settings as read from `.collection.json`, with each schema
 * compiled once by Ajv (JSON Schema 2020-12, formats) and re-read whenever
 * the file changes on disk, whoever changed it.
 */
export class SettingsCache {
  readonly #loaded = new Map<string, LoadedSettings>()
  readonly #ajv: Ajv2020

  constructor () {
    this.#ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats(this.#ajv)
  }

  compile (schema: JsonObject): ValidateFunction {
    try {
      return this.#ajv.compile(schema)
    } catch (err) {
      throw new StoreError('invalid-schema', `The collection schema is not a valid JSON Schema: ${(err as Error).message}`)
    } finally {
      // Schemas are compiled per settings file; don't let Ajv's registry grow with every $id.
      if (typeof schema.$id === 'string') this.#ajv.removeSchema(schema.$id)
    }
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
      ...(schema !== undefined && typeof schema === 'object' ? { validate: this.compile(schema) } : {})
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
