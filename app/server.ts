// First: sizes libuv's thread pool before anything can start it.
import './threadpool'
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app'
import { runCheck } from './check'
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

/** The one-shot commands: `node server.js import <file>`, `node server.js check`; not the server. */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  import: async (args) => await runImport(args, loadConfig(process.env)),
  check: async () => await runCheck(loadConfig(process.env))
}

const name = process.argv[2]
const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
if (command !== undefined) {
  void (async () => {
    try {
      process.exitCode = await command(process.argv.slice(3))
    } catch (err) {
      process.stderr.write(`jsondock: ${(err as Error).message}\n`)
      process.exitCode = 1
    }
  })()
} else if (name !== undefined) {
  process.stderr.write(`jsondock: unknown command "${name}". Run without arguments to serve, or: import <file> [--collection <name>], check\n`)
  process.exitCode = 2
} else {
  void main()
}
