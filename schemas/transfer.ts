import { Type } from '@sinclair/typebox'
import { CollectionName } from './common'

export const ImportQuery = Type.Object({
  /** The collection an NDJSON import goes into (required for NDJSON). */
  collection: Type.Optional(CollectionName)
})

export const ImportSummary = Type.Object({
  imported: Type.Array(Type.Object({
    collection: CollectionName,
    documents: Type.Integer({ minimum: 0, examples: [3] })
  }), { description: 'The collections imported, each completely.' })
})
