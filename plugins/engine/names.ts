import { StoreError } from './store-errors'

/**
 * Collection names are folder names: the pattern alone keeps every path inside
 * DATA_DIR. Upper case is allowed (json-server users name arrays `blogPosts`);
 * collection-names.ts refuses a name that differs from an existing one only by case.
 */
export const COLLECTION_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'
/** Document ids are file names (without `.json`): no dots, no slashes, never `..`. */
export const DOCUMENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$'

/** The two patterns in plain words, with examples: what every message about a bad name or id says. */
export const COLLECTION_NAME_RULE = 'a collection name is 1 to 64 letters, digits, "_" or "-", starting with a letter or digit (no dots, slashes or spaces), for example "books" or "blog-posts"'
export const DOCUMENT_ID_RULE = 'a document id is 1 to 128 letters, digits, "_" or "-", starting with a letter or digit (no dots, slashes or spaces), for example "42", "b1" or "2024-report"'

const COLLECTION_NAME = new RegExp(COLLECTION_NAME_PATTERN)
const DOCUMENT_ID = new RegExp(DOCUMENT_ID_PATTERN)
/** The name of a document's file: its id and `.json`. Anything else in a collection folder is not a document. */
export const DOCUMENT_FILE = new RegExp(DOCUMENT_ID_PATTERN.replace('$', '\\.json$'))

export function documentFileName (id: string): string {
  return `${id}.json`
}

/** The id a DOCUMENT_FILE name stands for. */
export function idOfFileName (file: string): string {
  return file.slice(0, -'.json'.length)
}

export function isCollectionName (name: string): boolean {
  return COLLECTION_NAME.test(name)
}

export function checkCollectionName (name: string): void {
  if (!COLLECTION_NAME.test(name)) {
    throw new StoreError('invalid-name', `"${name}" is not a collection name: ${COLLECTION_NAME_RULE}.`)
  }
}

export function isDocumentId (id: string): boolean {
  return DOCUMENT_ID.test(id)
}

export function checkDocumentId (id: string): void {
  if (!DOCUMENT_ID.test(id)) {
    throw new StoreError('invalid-name', `"${id}" is not a document id: ${DOCUMENT_ID_RULE}.`)
  }
}

/** json-server's numeric ids: non-negative integers, kept numeric inside the document and named by their digits on disk. */
export function isNumericId (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** The file name (without `.json`) a body's id gives: a string matching the id pattern, or a numeric id. */
export function fileIdOf (value: unknown): string {
  if (isNumericId(value)) return String(value)
  if (typeof value !== 'string' || !DOCUMENT_ID.test(value)) {
    throw new StoreError('invalid-document', `The body's id ${JSON.stringify(value)?.slice(0, 80) ?? 'undefined'} is not a document id: ${DOCUMENT_ID_RULE}; or a whole number from 0.`)
  }
  return value
}

/** A document's own id equals the file's id: the same string, or the integer the digits spell. */
export function sameId (value: unknown, id: string): boolean {
  return value === id || (isNumericId(value) && String(value) === id)
}
