import { Type } from '@sinclair/typebox'
import { CollectionName } from './common'

const JsonSchemaObject = Type.Object({}, {
  additionalProperties: true,
  description: 'A JSON Schema (2020-12) that every document of the collection must satisfy.',
  examples: [{ type: 'object', required: ['title'], properties: { title: { type: 'string' }, year: { type: 'integer' } } }]
})

export const CollectionSettingsBody = Type.Object({
  schema: Type.Optional(JsonSchemaObject)
}, { additionalProperties: false })

export const CollectionInfo = Type.Object({
  name: CollectionName,
  count: Type.Integer({ minimum: 0, description: 'Number of documents.', examples: [3] }),
  schema: Type.Optional(JsonSchemaObject)
})

export const CollectionList = Type.Object({
  items: Type.Array(Type.Object({
    name: CollectionName,
    count: Type.Integer({ minimum: 0, examples: [3] })
  }))
})

export const DeleteCollectionQuery = Type.Object({
  force: Type.Optional(Type.Boolean({ default: false, description: 'Also delete the documents of a non-empty collection.' }))
})
