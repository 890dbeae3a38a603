import { Type, type Static } from '@sinclair/typebox'

/**
 * One origin as a browser sends it in the Origin header: lower-case scheme and
 * host, an optional port, and nothing after (no path, no trailing slash).
 * CORS compares origins as exact strings, so any other form matches nothing.
 */
export const ORIGIN_PATTERN = '[a-z][a-z0-9+.-]*://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?'

/**
 * The service's whole configuration, read from the environment once at start.
 * This schema is the single source of the config's types, its validation and
 * the configuration table in docs/operations.md.
 */
export const ConfigSchema = Type.Object(
  {
    PORT: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 3000,
      description: 'TCP port to listen on.'
    }),
    HOST: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      description: 'Address to listen on. The container image sets 0.0.0.0.'
    }),
    DATA_DIR: Type.String({
      minLength: 1,
      default: './volumes/data',
      description: 'Folder that holds the collections. The container image sets /data.'
    }),
    DATA_DIR_ON_HOST: Type.String({
      default: '',
      description: 'How the host names the folder mounted at DATA_DIR (compose.yaml sets `./volumes/data`): messages that ask you to fix a folder then name it both ways. Empty: DATA_DIR is the only name.'
    }),
    LOG_LEVEL: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent')
      ],
      { default: 'info', description: 'Minimum level of the JSON log lines written to stdout.' }
    ),
    BODY_LIMIT: Type.Integer({
      minimum: 1024,
      maximum: 64 * 1024 * 1024,
      default: 1024 * 1024,
      description: 'Largest accepted request body, in bytes; larger bodies get 413.'
    }),
    API_TOKENS: Type.String({
      default: '',
      pattern: '^[A-Za-z0-9._~+/=, -]*$',
      description:
        'Comma-separated bearer tokens. When set, every write needs `Authorization: Bearer <token>`.'
    }),
    AUTH_READS: Type.Boolean({
      default: false,
      description: 'With API_TOKENS set, reads need a token too (health checks and /docs stay open).'
    }),
    CORS_ORIGIN: Type.String({
      default: '',
      pattern: `^(\\*|${ORIGIN_PATTERN}( *, *${ORIGIN_PATTERN})*)?$`,
      description:
        'Origins allowed to call the API from a browser besides front ends on this machine (localhost, 127.0.0.1 or [::1], any port), which always are: empty (no other), `*` (any), or a comma-separated list of origins such as `https://app.example.com` (scheme://host[:port], no path or trailing slash).'
    }),
    API_CONTACT: Type.String({
      default: '',
      pattern: '^(|https?://[^\\s]+|[^\\s@]+@[^\\s@]+)$',
      description: 'Where users of this deployment reach its operators: an email address or an http(s) URL, shown as the OpenAPI document\'s `info.contact` (Swagger UI links it). Empty: the contact names the operators without a way to reach them.'
    }),
    JSON_SERVER_PREFIX: Type.String({
      default: '/json-server',
      pattern: '^(/[a-z0-9_-]+)*$',
      description: 'Where the json-server 0.17 compatible routes live (`/json-server/posts`…); empty turns them off.'
    }),
    JSON_SERVER_FOREIGN_KEY_SUFFIX: Type.String({
      default: 'Id',
      pattern: '^[A-Za-z0-9_-]{1,32}$',
      description: 'What ends a foreign key on the json-server routes (json-server\'s `--foreignKeySuffix`): `Id` reads `postId`, `_id` reads `post_id`. Nested routes, `_embed`, `_expand`, nested POST and DELETE\'s dependents use it.'
    }),
    JSON_SERVER_ROUTES: Type.String({
      default: '',
      description: 'A json-server routes.json (its `--routes`): rewrite rules such as `{"/api/*": "/$1"}`, applied under JSON_SERVER_PREFIX. Empty: none. A file that cannot be read or is not such an object stops the start.'
    }),
    JSON_SERVER_DELETE_DEPENDENTS: Type.Boolean({
      default: true,
      description: 'A DELETE on the json-server routes also deletes the documents that point at the deleted one (`postId` = its id, in any collection), as json-server does; `false` deletes only the document named.'
    }),
    READ_ONLY: Type.Boolean({
      default: false,
      description: 'Serve reads only; every write is refused with 405.'
    }),
    RATE_LIMIT: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'Requests per minute allowed per client address (429 beyond); 0 turns rate limiting off.'
    }),
    MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
      minimum: 0,
      default: 1000,
      description: 'Shed load with 503 + Retry-After while the event loop lags more than this; 0 turns it off.'
    })
  },
  { additionalProperties: false }
)

export type AppConfig = Static<typeof ConfigSchema>
