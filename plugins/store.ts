import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { DocumentStore, type StoreObserver } from './engine'

declare module 'fastify' {
  interface FastifyInstance {
    store: DocumentStore
  }
}

export interface StorePluginOptions {
  dataDir: string
  readOnly: boolean
  observer?: StoreObserver
}

/** Opens the document store on DATA_DIR for the routes, and closes it with the app. */
async function storePlugin (app: FastifyInstance, options: StorePluginOptions): Promise<void> {
  const store = new DocumentStore({
    dataDir: options.dataDir,
    readOnly: options.readOnly,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
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
