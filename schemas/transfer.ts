import { Type } from '@sinclair/typebox'
import { CollectionName, Document, EXAMPLE_DOCUMENT_ID } from './common'

export const ImportQuery = Type.Object({
  /** The collection an NDJSON import goes into (required for NDJSON). */
  collection: Type.Optional(CollectionName)
})

export const ImportSummary = Type.Object({
  imported: Type.Array(Type.Object({
    collection: CollectionName,
    documents: Type.Integer({ minimum: 0, examples: [3] }),
    singulars: Type.Optional(Type.Array(Type.String(), {
      description: 'For `json-server-singular`: the name of each singular resource imported (`"profile": {…}` in a db.json), in the file\'s order.',
      examples: [['profile']]
    }))
  }), { description: 'The collections imported, each completely; the singular resources of a db.json are named one by one.' })
})

/** A json-server db.json: collections by name, each an array of documents (or an object of them by id). */
export const DbJson = Type.Record(CollectionName, Type.Array(Type.Ref(Document)), {
  description: 'Collections by name, each an array of its documents.'
})

/** The import body, for the OpenAPI document only: the route streams it, and checks each document as it comes. */
export const ImportBody = {
  content: {
    'application/json': {
      schema: Type.Record(CollectionName, Type.Union([Type.Array(Type.Ref(Document)), Type.Record(Type.String(), Type.Ref(Document))]), {
        description: 'A json-server db.json: collections by name, each an array of documents (or an object of them by id).',
        // The collection and id Swagger UI pre-fills elsewhere: "Try it out" touches nothing the docs' examples use.
        examples: [{ sandbox: [{ id: EXAMPLE_DOCUMENT_ID, title: 'Imported from a db.json', year: 1969 }] }]
      })
    },
    'application/x-ndjson': {
      schema: Type.String({ description: 'One JSON object per line; needs `?collection=`.', examples: [`{"id":"${EXAMPLE_DOCUMENT_ID}","title":"Imported from NDJSON"}\n`] })
    }
  }
}
