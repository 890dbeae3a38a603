import pluralize from 'pluralize'

/*
 * Singular and plural names, from the same dictionary json-server 0.17 uses
 * (`pluralize`): `_embed` needs the singular of the collection (posts → postId),
 * nested routes the singular of the parent, `_expand` the plural of the name.
 */

/** posts → post, categories → category, people → person. */
export function singular (word: string): string {
  return pluralize.singular(word)
}

/** post → posts, category → categories, person → people. */
export function plural (word: string): string {
  return pluralize(word)
}

/** The field that points from a child of `collection` to its parent: posts → postId (suffix `Id`), post_id (suffix `_id`). */
export function foreignKeyOf (collection: string, suffix: string): string {
  return `${singular(collection)}${suffix}`
}
