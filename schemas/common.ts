import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { COLLECTION_NAME_PATTERN, DOCUMENT_ID_PATTERN } from '../plugins/engine'

// The name rules are the engine's (they keep every path inside DATA_DIR); the schemas show them.
export { COLLECTION_NAME_PATTERN, DOCUMENT_ID_PATTERN }

export const CollectionName = Type.String({
  pattern: COLLECTION_NAME_PATTERN,
  description: 'Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.',
  // Swagger UI pre-fills this into "Try it out": a collection none of the docs' examples use.
  examples: ['sandbox']
})

/** The id Swagger UI pre-fills; the import example uses it too, so "Try it out" can delete what it imported. */
export const EXAMPLE_DOCUMENT_ID = '019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b'

export const DocumentId = Type.String({
  pattern: DOCUMENT_ID_PATTERN,
  description: 'Document id: letters, digits, `_` and `-`, at most 128 characters.',
  examples: [EXAMPLE_DOCUMENT_ID]
})

export const CollectionParams = Type.Object({ collection: CollectionName })

/**
 * The query of an operation that takes none: a parameter sent anyway is a typo or a wrong
 * endpoint, answered 400 naming it, never silently ignored.
 */
export const NoQuery = Type.Object({}, { additionalProperties: false })
export const DocumentParams = Type.Object({ collection: CollectionName, id: DocumentId })

/** One failed field of a request or of a document checked against its collection's schema. */
export const FieldError = Type.Object({
  pointer: Type.String({ description: 'JSON Pointer (RFC 6901) to the failing field; empty for the whole body.', examples: ['/year'] }),
  in: Type.Optional(
    Type.String({ description: 'Part of the request: body, querystring, params or headers.', examples: ['body'] })
  ),
  message: Type.String({ examples: ['must be integer'] })
})

/** RFC 9457 problem details: the body of every error response. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'URI reference naming the problem type.', examples: ['/problems/document-not-found'] }),
    title: Type.String({ description: 'Short summary of the problem type.', examples: ['Not Found'] }),
    status: Type.Integer({ description: 'HTTP status code.', examples: [404] }),
    detail: Type.String({
      description: 'What went wrong in this occurrence.',
      examples: ['Document "b1" does not exist in collection "books".']
    }),
    instance: Type.String({
      description: 'Identifies this occurrence: the request id, also sent as the `x-request-id` header.',
      examples: ['urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11']
    }),
    errors: Type.Optional(Type.Array(FieldError, { description: 'Every failed field, for validation problems.' }))
  },
  { $id: 'Problem', additionalProperties: true, description: 'Problem details (RFC 9457).' }
)
export type ProblemBody = Static<typeof Problem>

/** A stored document: any JSON object; `id` is its file name. */
export const Document = Type.Object(
  {
    id: Type.Optional(Type.Union([
      DocumentId,
      Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'A numeric id (as json-server makes them): kept a number.' })
    ]))
  },
  {
    $id: 'Document',
    additionalProperties: true,
    description: 'Any JSON object. `id` is optional on create (the server makes a time-ordered one).',
    // No id: "Try it out" on a create then never collides with an existing document (the README's `dune`).
    examples: [{ title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969, tags: ['sf'] }]
  }
)

/**
 * Response headers, written as the header's own schema: @fastify/swagger wraps
 * each one in `{ schema }` and lifts its `description` out. (Writing
 * `{ schema: … }` here nests it twice, and generated clients type it `unknown`.)
 */
export const ETagHeader = Type.String({ description: 'Strong entity tag (a hash of the file\'s bytes): send it back in If-Match or If-None-Match.' })
export const LastModifiedHeader = Type.String({ description: 'The file\'s modification time (an HTTP date).' })
export const LocationHeader = Type.String({ description: 'URL of the new document.' })

/** Shared schemas registered with `app.addSchema`, referenced by `$ref` and shown as OpenAPI components. */
export const sharedSchemas: TSchema[] = [Problem, Document]

const problemDescriptions: Record<number, string> = {
  400: 'The request is malformed or failed validation.',
  401: 'A valid bearer token is required: `Authorization: Bearer <one of API_TOKENS>`.',
  404: 'No such collection or document.',
  405: 'The service is read-only.',
  409: 'The request conflicts with the current state.',
  412: 'A precondition (If-Match / If-None-Match) failed.',
  413: 'The body is larger than BODY_LIMIT.',
  415: 'Unsupported content type.',
  422: 'The document does not satisfy the collection schema, or the patch cannot be applied.',
  500: 'A file on the volume is not a valid document (the detail names it), or an internal error.',
  503: 'The service is not ready or is shutting down.',
  507: 'The volume is full.'
}

const INSTANCE = 'urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11'

/**
 * One true example per status, as the service answers it (a problem type that
 * exists, with its own title and detail): what Swagger UI shows for each error
 * response, instead of one generic example with made-up extra members.
 */
const problemExamples: Record<number, ProblemBody> = {
  400: {
    type: '/problems/validation', title: 'Bad Request', status: 400, instance: INSTANCE,
    detail: '"Bad.Name" is not a collection name: a collection name is 1 to 64 letters, digits, "_" or "-", starting with a letter or digit (no dots, slashes or spaces), for example "books" or "blog-posts".',
    errors: [{ pointer: '/collection', in: 'params', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"' }]
  },
  401: { type: '/problems/unauthorized', title: 'Unauthorized', status: 401, instance: INSTANCE, detail: 'Writes need a valid token: send "Authorization: Bearer <token>".' },
  404: { type: '/problems/document-not-found', title: 'Not Found', status: 404, instance: INSTANCE, detail: `Document "${EXAMPLE_DOCUMENT_ID}" does not exist in collection "sandbox".` },
  405: { type: '/problems/read-only', title: 'Method Not Allowed', status: 405, instance: INSTANCE, detail: 'The service runs with READ_ONLY=true: only GET and HEAD are allowed.' },
  409: { type: '/problems/already-exists', title: 'Conflict', status: 409, instance: INSTANCE, detail: `Document "${EXAMPLE_DOCUMENT_ID}" already exists in "sandbox".` },
  412: { type: '/problems/precondition-failed', title: 'Precondition Failed', status: 412, instance: INSTANCE, detail: 'If-Match does not match the current ETag "3q1L0x2Uu9gB6r8Jf0a4kQ".' },
  413: { type: '/problems/body-too-large', title: 'Payload Too Large', status: 413, instance: INSTANCE, detail: 'The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864).' },
  415: { type: '/problems/unsupported-media-type', title: 'Unsupported Media Type', status: 415, instance: INSTANCE, detail: 'Send the body as application/json, not text/plain.' },
  422: {
    type: '/problems/schema-violation', title: 'Unprocessable Entity', status: 422, instance: INSTANCE,
    detail: 'The document does not satisfy the schema of collection "sandbox".',
    errors: [{ pointer: '/year', message: 'must be integer' }]
  },
  500: { type: '/problems/corrupt-document', title: 'Internal Server Error', status: 500, instance: INSTANCE, detail: 'sandbox/draft.json is not valid JSON. Fix the file on the volume, replace it with PUT, or remove it with DELETE.' },
  503: { type: '/problems/storage-read-only', title: 'Service Unavailable', status: 503, instance: INSTANCE, detail: 'The volume is mounted read-only: the write was not made.' },
  507: { type: '/problems/insufficient-storage', title: 'Insufficient Storage', status: 507, instance: INSTANCE, detail: 'The volume is full: the write was not made.' }
}

/** OpenAPI response entries for the given problem statuses, all referencing the shared Problem schema, each with its own example. */
export function problemResponses(...statuses: number[]): Record<number, unknown> {
  const responses: Record<number, unknown> = {}
  for (const status of statuses) {
    const example = problemExamples[status]
    responses[status] = {
      description: problemDescriptions[status] ?? 'Error',
      content: { 'application/problem+json': { schema: Type.Ref(Problem), ...(example === undefined ? {} : { example }) } }
    }
  }
  return responses
}
