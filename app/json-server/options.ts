import type { Routes } from './rewriter'

/*
 * The json-server settings of the configuration (schemas/config.ts), as the
 * functions of app/json-server/ take them: json-server's router options.
 */

export interface JsonServerOptions {
  /** What ends a foreign key: `Id` in `postId` (json-server's `--foreignKeySuffix`). */
  foreignKeySuffix: string
  /** DELETE also deletes the documents that point at the deleted one, as json-server does. */
  deleteDependents: boolean
  /** The rules of JSON_SERVER_ROUTES (applied by the app's URL rewriter), answered by GET /__rules; undefined when none. */
  routes?: Routes | undefined
}
