import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * fs-native-extensions' addon: open-file-description byte-range locks
 * (fcntl F_OFD_SETLK / F_OFD_SETLKW) on Linux. Its N-API prebuild is loaded
 * directly, not through the package's JS (which finds it with require-addon,
 * relative to node_modules): the bundle ships the .node file in `native/`
 * beside server.js, as it ships Swagger UI's `static/`, and starts from a
 * folder with no node_modules. The calls below are the ones the package's
 * index.js makes (the version is pinned exactly in package.json).
 */
export interface LockBinding {
  /** Takes the lock or throws (code EAGAIN when another open file description holds it). */
  tryLock: (fd: number, offset: number, length: number, exclusive: boolean) => void
  /** Waits for the lock in libuv's thread pool; calls `done` with `this` = req. */
  waitForLock: (fd: number, offset: number, length: number, exclusive: boolean, req: object, done: (this: object, err: Error | null) => void) => unknown
  unlock: (fd: number, offset: number, length: number) => void
}

export const ADDON_FILE = 'fs-native-extensions.node'

/** Where the addon is: beside the bundle (dist/native/<platform>-<arch>/), else in the source tree's node_modules. */
function addonPaths (): string[] {
  const platform = `${process.platform}-${process.arch}`
  return [
    join(__dirname, 'native', platform, ADDON_FILE),
    join(__dirname, '..', '..', 'node_modules', 'fs-native-extensions', 'prebuilds', platform, ADDON_FILE)
  ]
}

let loaded: LockBinding | undefined

export function lockBinding (): LockBinding {
  if (loaded !== undefined) return loaded
  const file = addonPaths().find((path) => existsSync(path))
  if (file === undefined) {
    throw new Error(`the file-lock addon (${ADDON_FILE}) for ${process.platform}-${process.arch} is missing: looked in ${addonPaths().join(', ')}`)
  }
  const addon = { exports: {} as LockBinding }
  process.dlopen(addon, file)
  loaded = addon.exports
  return loaded
}

/** Waits for a lock without blocking the event loop (one thread-pool worker while it waits). */
export async function waitForLock (binding: LockBinding, fd: number, offset: number, exclusive: boolean): Promise<void> {
  // The returned handle is the native request's memory: it must stay reachable until the callback,
  // or a garbage collection frees it under the waiting thread (as index.js keeps it in `req.handle`).
  const req: { handle?: unknown } = {}
  await new Promise<void>((resolve, reject) => {
    req.handle = binding.waitForLock(fd, offset, 1, exclusive, req, (err) => { if (err === null || err === undefined) resolve(); else reject(err) })
  })
  req.handle = undefined
}
