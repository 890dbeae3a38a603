/**
 * The framework ceiling: bare Fastify (no plugins, no hooks, no logger)
 * answering one constant ~300-byte JSON document, sent as bytes the way
 * jsondock sends a document file. The runner bundles this file with esbuild
 * and starts it as its own process, like the jsondock bundle.
 */
import Fastify from 'fastify'
import { fileBytes, makeDoc } from './seed'
import { prng } from './lib'

const body = Buffer.from(fileBytes(makeDoc(12345, prng(1))))
const app = Fastify({ logger: false })

app.get('/doc/:id', async (_request, reply) => {
  return reply.type('application/json; charset=utf-8').send(body)
})

app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' }).then((address) => {
  process.stdout.write(`Server listening at ${address}\n`)
}, (err: unknown) => {
  process.stderr.write(`bare-fastify: ${(err as Error).message}\n`)
  process.exit(1)
})

process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
