// First: sizes libuv's thread pool before anything can start it.
import './threadpool'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app'
import { runImport } from './cli'
import { ConfigError, loadConfig } from './config'
import { StartupError } from '../plugins/engine'

/** How long SIGTERM waits for in-flight requests before giving up (compose's stop grace period is longer). */
const SHUTDOWN_GRACE_MS = 8000

/** The process entry: config → app → listen, and a graceful close on SIGTERM/SIGINT. */
async function main (): Promise<void> {
  let app: FastifyInstance | undefined
  try {
    const config = loadConfig(process.env)
    const started = await buildApp(config)
    app = started
    closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
      if (err !== undefined) started.log.error({ err }, 'closing after an unexpected error')
      else started.log.info({ signal }, 'closing: draining in-flight requests')
      await started.close()
    })
    await started.listen({ port: config.PORT, host: config.HOST })
  } catch (err) {
    // A bad configuration or an unusable DATA_DIR: one clear line, no stack.
    if (err instanceof ConfigError || err instanceof StartupError) {
      process.stderr.write(`jsondock: ${err.message}\n`)
    } else {
      process.stderr.write(`jsondock: cannot start: ${(err as Error).message}\n`)
    }
    await app?.close().catch(() => {})
    process.exitCode = 1
  }
}

if (process.argv[2] === 'import') {
  // `node server.js import <file>`: the one-shot import command, not the server.
  void (async () => {
    try {
      process.exitCode = await runImport(process.argv.slice(3), loadConfig(process.env))
    } catch (err) {
      process.stderr.write(`jsondock: ${(err as Error).message}\n`)
      process.exitCode = 1
    }
  })()
} else if (process.argv[2] !== undefined) {
  process.stderr.write(`jsondock: unknown command "${process.argv[2]}". Run without arguments to serve, or: import <file> [--collection <name>]\n`)
  process.exitCode = 2
} else {
  void main()
}
