import { weakMatchAny, type Preconditions } from '../../plugins/engine'

/** Parses an If-Match / If-None-Match value: `*`, or the list of quoted entity tags in it. */
export function parseEntityTags (header: string | undefined): string[] | '*' | undefined {
  if (header === undefined) return undefined
  if (header.trim() === '*') return '*'
  return header.match(/(?:W\/)?"[^"]*"/g) ?? []
}

/** The preconditions a write's If-Match / If-None-Match headers set. */
export function preconditionsOf (headers: { 'if-match'?: string, 'if-none-match'?: string }): Preconditions {
  return { ifMatch: parseEntityTags(headers['if-match']), ifNoneMatch: parseEntityTags(headers['if-none-match']) }
}

/** A read whose If-None-Match names the current version (or is `*`): answered 304. */
export function notModified (ifNoneMatch: string | undefined, etag: string): boolean {
  const tags = parseEntityTags(ifNoneMatch)
  return tags !== undefined && weakMatchAny(tags, etag)
}
