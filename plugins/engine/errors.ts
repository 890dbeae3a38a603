/**
 * Errors the store engine raises. They carry a stable `code` that the HTTP
 * layer (plugins/errors.ts) maps to a status and a problem type; the engine
 * itself knows nothing of HTTP.
 */
export type StoreErrorCode =
  | 'invalid-name'
  | 'invalid-document'
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
