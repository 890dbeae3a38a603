import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { DocumentStore, type KnownSchema, type StoreObserver } from './engine'

declare module 'fastify' {
  interface FastifyInstance {
    store: DocumentStore
  }
}

export interface StorePluginOptions {
  dataDir: string
  readOnly: boolean
  maxDocumentBytes: number
  observer?: StoreObserver
  knownSchemas?: readonly KnownSchema[]
  /** DATA_DIR_ON_HOST: how the host names DATA_DIR. */
  dataDirOnHost?: string
}

/** Opens the document store on DATA_DIR for the routes, and closes it with the app. */
async function storePlugin (app: FastifyInstance, options: StorePluginOptions): Promise<void> {
  const store = new DocumentStore({
    dataDir: options.dataDir,
    readOnly: options.readOnly,
    maxDocumentBytes: options.maxDocumentBytes,
    dataDirOnHost: options.dataDirOnHost,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
    ...(options.knownSchemas === undefined ? {} : { knownSchemas: options.knownSchemas }),
    log: { warn: (obj, msg) => { app.log.warn(obj, msg) } }
  })
  await store.open()
  app.decorate('store', store)
  // Build the listing indexes once the server is up; readiness does not wait for it.
  app.addHook('onReady', async () => {
    void store.warmUp().then((built) => app.log.info(built, 'listing index built'))
  })
  app.addHook('onClose', async () => { store.close() })
}

// fastify-plugin: the `store` decoration must reach the route plugins registered beside this one.
export default fp(storePlugin, { name: 'store', fastify: '5.x' })
