/**
 * Errors the store engine raises. They carry a stable `code` that the HTTP
 * layer (plugins/errors.ts) maps to a status and a problem type; the engine
 * itself knows nothing of HTTP.
 */
export type StoreErrorCode =
  | 'invalid-name'
  | 'invalid-document'
  | 'document-too-large'
  | 'collection-not-found'
  | 'document-not-found'
  | 'already-exists'
  | 'precondition-failed'
  | 'collection-not-empty'
  | 'schema-violation'
  | 'invalid-schema'
  | 'invalid-query'
  | 'patch-conflict'
  | 'patch-unprocessable'
  | 'corrupt-document'
  | 'insufficient-storage'
  | 'storage-read-only'
  | 'storage-not-writable'
  /** Waited longer than the lock timeout for another holder of a lock (503 + Retry-After). */
  | 'lock-timeout'

export interface FieldProblem {
  pointer: string
  message: string
}

export class StoreError extends Error {
  override readonly name = 'StoreError'
  constructor (
    readonly code: StoreErrorCode,
    message: string,
    readonly errors?: FieldProblem[]
  ) {
    super(message)
  }
}

/** Turns the file system's "disk full" and "read-only" failures into store errors; rethrows the rest. */
export function translateFsError (err: unknown): never {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    throw new StoreError('insufficient-storage', 'The volume is full: the write was not made.')
  }
  if (code === 'EROFS') {
    throw new StoreError('storage-read-only', 'The volume is mounted read-only: the write was not made.')
  }
  throw err
}

/** Thrown by `open()` when the service cannot run on DATA_DIR; its message is the one line to print. */
export class StartupError extends Error {
  override readonly name = 'StartupError'
}

export interface ImportSummary {
  /** The collections imported completely, in order. */
  imported: Array<{ collection: string, documents: number, singulars?: string[] }>
}

/** An import that failed: nothing of it was written, of any collection (`summary.imported` is empty). */
export class ImportError extends StoreError {
  constructor (cause: StoreError, readonly collection: string, readonly summary: ImportSummary) {
    super(cause.code, `Import failed at "${collection}", nothing of the import was written: ${cause.message}`, cause.errors)
  }
}

export function collectionNotFound (name: string): StoreError {
  return new StoreError('collection-not-found', `Collection "${name}" does not exist.`)
}

export function documentNotFound (collection: string, id: string): StoreError {
  return new StoreError('document-not-found', `Document "${id}" does not exist in collection "${collection}".`)
}

/** 409: the name is taken, by something that is not a collection. */
export function notARealFolder (name: string): StoreError {
  return new StoreError('already-exists',
    `"${name}" in DATA_DIR is not a real folder (a symlink or a file), so it is not used as a collection and nothing is written through it: replace it with a folder on the volume.`)
}
