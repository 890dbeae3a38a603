import { Type } from '@sinclair/typebox'
import { CollectionName } from './common'

const JsonSchemaObject = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Boolean()], {
  description:
    'A JSON Schema that every document of the collection must satisfy. `$schema` picks the dialect: draft-04, draft-06, ' +
    'draft-07, 2019-09 or 2020-12; without it, 2020-12. `true` accepts every document, `false` none. `$ref` resolves only ' +
    'inside the schema (nothing is fetched); `pattern` runs on RE2 (linear time: no look-around or back-references).',
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
    count: Type.Integer({ minimum: 0, examples: [3] }),
    singulars: Type.Optional(Type.Array(Type.String(), {
      description: 'Only on `json-server-singular`, the folder that holds the json-server singular resources (one document each, ' +
        '`{"id": "<name>", "value": {…}}`): their names. Each is served at `/json-server/<name>` and exported by `GET /v1/export` ' +
        'as a top-level object of db.json, as it was imported.',
      examples: [['profile']]
    }))
  }))
})

export const DeleteCollectionQuery = Type.Object({
  force: Type.Optional(Type.Boolean({ default: false, description: 'Also delete the documents of a non-empty collection.' }))
})
