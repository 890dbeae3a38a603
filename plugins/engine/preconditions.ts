import { StoreError } from './store-errors'

/** Entity tags a write is conditional on, already parsed from If-Match / If-None-Match. */
export interface Preconditions {
  ifMatch?: string[] | '*' | undefined
  ifNoneMatch?: string[] | '*' | undefined
}

/** True when `etag` is among `tags`, by the weak comparison If-None-Match uses (RFC 9110 §13.1.2): `W/"x"` matches `"x"`, and `*` matches any version. */
export function weakMatchAny (ifNoneMatch: string[] | '*', etag: string): boolean {
  return ifNoneMatch === '*' || ifNoneMatch.some((tag) => tag.replace(/^W\//, '') === etag)
}

/** Refuses a write (412) whose If-Match / If-None-Match do not hold for `current`, the document's version now. */
export function checkPreconditions (current: { etag: string } | undefined, pre: Preconditions): void {
  if (pre.ifMatch !== undefined) {
    if (current === undefined) {
      throw new StoreError('precondition-failed', 'If-Match was given but the document does not exist.')
    }
    if (pre.ifMatch !== '*' && !pre.ifMatch.includes(current.etag)) {
      throw new StoreError('precondition-failed', `If-Match does not match the current ETag ${current.etag}.`)
    }
  }
  if (pre.ifNoneMatch !== undefined && current !== undefined) {
    if (pre.ifNoneMatch === '*') {
      throw new StoreError('precondition-failed', 'If-None-Match: * was given but the document already exists.')
    }
    if (weakMatchAny(pre.ifNoneMatch, current.etag)) {
      throw new StoreError('precondition-failed', `If-None-Match matches the current ETag ${current.etag}.`)
    }
  }
}
