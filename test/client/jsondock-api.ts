// Generated from docs/openapi.json by openapi-typescript (`npm run openapi`); do not edit.

export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where to start: links to the docs, the OpenAPI document, health and the collections
         * @description A browser (`Accept` preferring `text/html`) is redirected to Swagger UI at `/docs`; any other client gets the links as JSON. Never needs a token.
         */
        get: operations["getServiceIndex"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process is up and answering
         * @description Always 200 while the process runs, even when it sheds load: for an orchestrator's liveness probe. Never needs a token.
         */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: DATA_DIR is readable and writable (readable, with READ_ONLY=true)
         * @description 200 when DATA_DIR can be used, 503 (a problem naming the reason) when it cannot: for a readiness probe. Never needs a token.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Metrics in the Prometheus text format
         * @description HTTP requests, store operations, fsync latency, documents per collection and process metrics (docs/operations.md).
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List collections with their document counts
         * @description Every folder of DATA_DIR that is a collection, by name, with the number of documents in it.
         */
        get: operations["listCollections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{collection}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a collection's settings and document count
         * @description The settings of `.collection.json` (its JSON Schema, if any) and the number of documents.
         */
        get: operations["getCollection"];
        /**
         * Create a collection or update its settings
         * @description Settings are stored as `.collection.json` in the collection folder. With `schema`, every document created, replaced or patched afterwards must satisfy it (422 otherwise), and so must the documents already there.
         */
        put: operations["putCollection"];
        post?: never;
        /**
         * Delete a collection
         * @description A collection that still holds documents is deleted only with `?force=true` (409 otherwise).
         */
        delete: operations["deleteCollection"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{collection}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List documents, a page at a time
         * @description Every query parameter other than `limit`, `cursor`, `sort`, `q`, `count` and `fields` filters on a field (a top-level name, or a dotted path such as `author.name`): `field=value`, `field[ne]=v`, `field[gt]=v`, `field[gte]=v`, `field[lt]=v`, `field[lte]=v`, `field[in]=a,b`. Values are compared as the type of each document's value (numbers numerically). The `Link` header carries the URL of the next page.
         */
        get: operations["listDocuments"];
        put?: never;
        /**
         * Create a document
         * @description The id comes from the body or, when the body has none, is a new time-ordered UUIDv7 (creation order is id order). A first write creates the collection. 201 only once the file is durable on disk.
         */
        post: operations["createDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{collection}/documents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a document
         * @description Serves the file's exact bytes. With If-None-Match holding the current ETag, answers 304.
         */
        get: operations["getDocument"];
        /**
         * Create or replace a document
         * @description If-Match: <etag> replaces only that version (else 412); If-None-Match: * creates only (else 412). A body id, when given, must equal the path id.
         */
        put: operations["putDocument"];
        post?: never;
        /**
         * Delete a document
         * @description If-Match makes it conditional. The removal is durable before the 204.
         */
        delete: operations["deleteDocument"];
        options?: never;
        head?: never;
        /**
         * Patch a document (merge patch or JSON Patch)
         * @description `application/merge-patch+json` (RFC 7396) or `application/json-patch+json` (RFC 6902); `application/json` is a merge patch too. If-Match makes it conditional. A failed JSON Patch `test` is a 409; a patch that cannot apply is a 422. The id cannot change.
         */
        patch: operations["patchDocument"];
        trace?: never;
    };
    "/v1/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a json-server db.json, or NDJSON into one collection
         * @description Send a db.json (`application/json`: `{"posts": [{…}], "users": {"1": {…}}}`) or NDJSON (`application/x-ndjson`, one document per line, with `?collection=`). The body is streamed. The whole request is imported all or nothing: every document of every collection is validated (ids, the collection schema) and staged durably before any file moves in, and the answer comes once all are in place. Imported documents replace documents with the same id; others are kept. On failure nothing is written; the problem names the failing collection.
         */
        post: operations["importDocuments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export every collection as one json-server db.json
         * @description Every collection, by name, with its documents in id order: what `POST /v1/import` (or json-server) reads back.
         */
        get: operations["exportDatabase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{collection}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export one collection as NDJSON, in id order
         * @description One document per line, as `POST /v1/import?collection=` reads it back.
         */
        get: operations["exportCollection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json-server/__rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * json-server: the rewrite rules (JSON_SERVER_ROUTES)
         * @description The routes.json that JSON_SERVER_ROUTES names, as json-server's `GET /__rules` answers it; 404 `{}` when there is none.
         */
        get: operations["jsonServerRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json-server/db": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * json-server: the whole database
         * @description Every collection (an array) and singular resource (an object), as a db.json.
         */
        get: operations["jsonServerDatabase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json-server/{collection}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * json-server: list, filter, search, sort and page a collection (or read a singular resource)
         * @description A plain JSON array, as json-server 0.17 answers. Every other query key filters: `field=value` (repeat the key for OR; dotted paths like `author.name`; compared as text), `field_gte`, `field_lte`, `field_ne`, `field_like` (case-insensitive regular expression); a plain filter on a field no document has is ignored. `X-Total-Count` comes with `_page`, `_limit` or `_end`. A singular resource (an object in the db.json) answers its object. See docs/json-server.md.
         */
        get: operations["jsonServerList"];
        /**
         * json-server: replace a singular resource
         * @description The body becomes the whole resource.
         */
        put: operations["jsonServerReplaceSingular"];
        /**
         * json-server: create a document (id from the body, or max + 1), or set a singular resource
         * @description Without an id, a collection whose ids are all numbers (or an empty one) gets max + 1; any other a time-ordered string id. A duplicate id is a 409 (json-server answers 500). A first write creates the collection. JSON or form fields.
         */
        post: operations["jsonServerCreate"];
        delete?: never;
        options?: never;
        head?: never;
        /**
         * json-server: update some fields of a singular resource
         * @description Top-level fields of the body replace the resource's.
         */
        patch: operations["jsonServerUpdateSingular"];
        trace?: never;
    };
    "/json-server/{collection}/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * json-server: read a document, with _embed and _expand
         * @description The document as json-server answers it; `_embed` adds its children, `_expand` its parents. If-None-Match with its ETag answers 304.
         */
        get: operations["jsonServerGet"];
        /**
         * json-server: replace a document (its id stays)
         * @description The body becomes the whole document; the id stays what it was (a number stays a number). An unknown id is a 404 `{}`.
         */
        put: operations["jsonServerReplace"];
        post?: never;
        /**
         * json-server: delete a document and the documents that point at it
         * @description Answers `{}`, as json-server does. The documents of any collection whose `<singular of collection>Id` is this id are deleted too (JSON_SERVER_DELETE_DEPENDENTS=false turns that off); orphans that were already there are left alone.
         */
        delete: operations["jsonServerDelete"];
        options?: never;
        head?: never;
        /**
         * json-server: update some fields (a shallow merge)
         * @description Top-level fields of the body replace the document's (`null` sets null; nested objects are replaced whole). The id never changes.
         */
        patch: operations["jsonServerUpdate"];
        trace?: never;
    };
    "/json-server/{parent}/{id}/{collection}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * json-server: list the children of a document (/posts/1/comments)
         * @description The same as `GET /{collection}?<singular of parent>Id={id}`, with every query parameter of a list.
         */
        get: operations["jsonServerListChildren"];
        put?: never;
        /**
         * json-server: create a child of a document (/posts/1/comments)
         * @description The same as `POST /{collection}` with `<singular of parent>Id` set to the id as the URL gives it (text), as json-server does.
         */
        post: operations["jsonServerCreateChild"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Problem details (RFC 9457). */
        Problem: {
            /**
             * @description URI reference naming the problem type.
             * @example /problems/document-not-found
             */
            type: string;
            /**
             * @description Short summary of the problem type.
             * @example Not Found
             */
            title: string;
            /**
             * @description HTTP status code.
             * @example 404
             */
            status: number;
            /**
             * @description What went wrong in this occurrence.
             * @example Document "b1" does not exist in collection "books".
             */
            detail: string;
            /**
             * @description Identifies this occurrence: the request id, also sent as the `x-request-id` header.
             * @example urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11
             */
            instance: string;
            /** @description Every failed field, for validation problems. */
            errors?: {
                /**
                 * @description JSON Pointer (RFC 6901) to the failing field; empty for the whole body.
                 * @example /year
                 */
                pointer: string;
                /**
                 * @description Part of the request: body, querystring, params or headers.
                 * @example body
                 */
                in?: string;
                /** @example must be integer */
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        /**
         * @description Any JSON object. `id` is optional on create (the server makes a time-ordered one).
         * @example {
         *       "title": "The Left Hand of Darkness",
         *       "author": "Ursula K. Le Guin",
         *       "year": 1969,
         *       "tags": [
         *         "sf"
         *       ]
         *     }
         */
        Document: {
            id?: string | number;
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getServiceIndex: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Links to the API docs, the OpenAPI document, health and the collections. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        name: "jsondock";
                        /** @example 0.1.0 */
                        version: string;
                        links: {
                            /**
                             * @description Swagger UI.
                             * @example /docs
                             */
                            docs: string;
                            /**
                             * @description This OpenAPI document.
                             * @example /docs/json
                             */
                            openapi: string;
                            /**
                             * @description Readiness: 200 when DATA_DIR can be used.
                             * @example /health/ready
                             */
                            health: string;
                            /**
                             * @description The collections, with their document counts.
                             * @example /v1/collections
                             */
                            collections: string;
                        };
                    };
                };
            };
            /** @description To Swagger UI, for a browser. */
            302: {
                headers: {
                    /** @description Swagger UI: `/docs`. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status: string;
                        /**
                         * @description Present when the service runs with READ_ONLY=true.
                         * @enum {string}
                         */
                        mode?: "read-only";
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status: string;
                        /**
                         * @description Present when the service runs with READ_ONLY=true.
                         * @enum {string}
                         */
                        mode?: "read-only";
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The service is not ready or is shutting down. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/storage-read-only",
                     *       "title": "Service Unavailable",
                     *       "status": 503,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is mounted read-only: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCollections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /**
                             * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                             * @example sandbox
                             */
                            name: string;
                            /** @example 3 */
                            count: number;
                            /**
                             * @description Only on `json-server-singular`, the folder that holds the json-server singular resources (one document each, `{"id": "<name>", "value": {…}}`): their names. Each is served at `/json-server/<name>` and exported by `GET /v1/export` as a top-level object of db.json, as it was imported.
                             * @example [
                             *       "profile"
                             *     ]
                             */
                            singulars?: string[];
                        }[];
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCollection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                         * @example sandbox
                         */
                        name: string;
                        /**
                         * @description Number of documents.
                         * @example 3
                         */
                        count: number;
                        /**
                         * @description A JSON Schema that every document of the collection must satisfy. `$schema` picks the dialect: draft-04, draft-06, draft-07, 2019-09 or 2020-12; without it, 2020-12. `true` accepts every document, `false` none. `$ref` resolves only inside the schema (nothing is fetched); `pattern` runs on RE2 (linear time: no look-around or back-references).
                         * @example {
                         *       "type": "object",
                         *       "required": [
                         *         "title"
                         *       ],
                         *       "properties": {
                         *         "title": {
                         *           "type": "string"
                         *         },
                         *         "year": {
                         *           "type": "integer"
                         *         }
                         *       }
                         *     }
                         */
                        schema?: {
                            [key: string]: unknown;
                        } | boolean;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putCollection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description A JSON Schema that every document of the collection must satisfy. `$schema` picks the dialect: draft-04, draft-06, draft-07, 2019-09 or 2020-12; without it, 2020-12. `true` accepts every document, `false` none. `$ref` resolves only inside the schema (nothing is fetched); `pattern` runs on RE2 (linear time: no look-around or back-references).
                     * @example {
                     *       "type": "object",
                     *       "required": [
                     *         "title"
                     *       ],
                     *       "properties": {
                     *         "title": {
                     *           "type": "string"
                     *         },
                     *         "year": {
                     *           "type": "integer"
                     *         }
                     *       }
                     *     }
                     */
                    schema?: {
                        [key: string]: unknown;
                    } | boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                         * @example sandbox
                         */
                        name: string;
                        /**
                         * @description Number of documents.
                         * @example 3
                         */
                        count: number;
                        /**
                         * @description A JSON Schema that every document of the collection must satisfy. `$schema` picks the dialect: draft-04, draft-06, draft-07, 2019-09 or 2020-12; without it, 2020-12. `true` accepts every document, `false` none. `$ref` resolves only inside the schema (nothing is fetched); `pattern` runs on RE2 (linear time: no look-around or back-references).
                         * @example {
                         *       "type": "object",
                         *       "required": [
                         *         "title"
                         *       ],
                         *       "properties": {
                         *         "title": {
                         *           "type": "string"
                         *         },
                         *         "year": {
                         *           "type": "integer"
                         *         }
                         *       }
                         *     }
                         */
                        schema?: {
                            [key: string]: unknown;
                        } | boolean;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                         * @example sandbox
                         */
                        name: string;
                        /**
                         * @description Number of documents.
                         * @example 3
                         */
                        count: number;
                        /**
                         * @description A JSON Schema that every document of the collection must satisfy. `$schema` picks the dialect: draft-04, draft-06, draft-07, 2019-09 or 2020-12; without it, 2020-12. `true` accepts every document, `false` none. `$ref` resolves only inside the schema (nothing is fetched); `pattern` runs on RE2 (linear time: no look-around or back-references).
                         * @example {
                         *       "type": "object",
                         *       "required": [
                         *         "title"
                         *       ],
                         *       "properties": {
                         *         "title": {
                         *           "type": "string"
                         *         },
                         *         "year": {
                         *           "type": "integer"
                         *         }
                         *       }
                         *     }
                         */
                        schema?: {
                            [key: string]: unknown;
                        } | boolean;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteCollection: {
        parameters: {
            query?: {
                /** @description Also delete the documents of a non-empty collection. */
                force?: boolean;
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with the current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/already-exists",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" already exists in \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDocuments: {
        parameters: {
            query?: {
                /** @description Page size (at most 1000). */
                limit?: number;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Fields to sort on, comma-separated and applied in turn (at most 8); `-field` for descending; dotted paths allowed. Ties are broken by id. A field that no document has (nor the schema declares) is a 400. Default: id (creation order). Example: `-year,title`. */
                sort?: string;
                /** @description Case-insensitive text to find in any string value, e.g. `dune`. */
                q?: string;
                /** @description Also return `total`, the number of matching documents on all pages. */
                count?: boolean;
                /** @description Comma-separated fields to return (dotted paths allowed), e.g. `title,author.name`; the id is always included. */
                fields?: string;
                /**
                 * @description Field filters, one query key each (a top-level field or a dotted path such as `author.name`): `field=value`, `field[ne]=v`, `field[gt]=v`, `field[gte]=v`, `field[lt]=v`, `field[lte]=v`, `field[in]=a,b`; all must hold. Values are compared as the type of each document's value (numbers numerically). E.g. `{"year[gte]": "1960", "author.name": "Frank Herbert"}` sends `?year[gte]=1960&author.name=Frank%20Herbert`. In Swagger UI: replace the pre-filled `{}` with such an object (keys in quotes, values as text), or leave `{}` for no filter.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string;
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of documents */
            200: {
                headers: {
                    /** @description URL of the next page, `rel="next"`; absent on the last page. */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Document"][];
                        /** @description With `count=true`: matching documents on all pages. */
                        total?: number;
                        /** @description Pass as `cursor` for the next page; null on the last page. */
                        nextCursor: string | null;
                        /** @description Present when some `<id>.json` files of the collection are not valid documents (edited by hand, say): they are counted but cannot be listed. Fix each file, replace it with PUT, or remove it with DELETE. */
                        unreadable?: {
                            /** @description The id its file name gives. */
                            id: string;
                            /**
                             * @description The file, relative to DATA_DIR.
                             * @example books/dune.json
                             */
                            file: string;
                            /**
                             * @description Why it cannot be served.
                             * @example books/dune.json is not valid JSON.
                             */
                            detail: string;
                        }[];
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        /** @description Any JSON object. Without `id`, the server makes a time-ordered one. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b",
                 *       "title": "The Left Hand of Darkness",
                 *       "author": "Ursula K. Le Guin",
                 *       "year": 1969,
                 *       "tags": [
                 *         "sf"
                 *       ]
                 *     }
                 */
                "application/json": {
                    id?: string | number;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description The file's modification time (an HTTP date). */
                    "Last-Modified"?: string;
                    /** @description URL of the new document. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with the current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/already-exists",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" already exists in \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description One or more entity tags, such as the ETag of an earlier answer, or `*`. */
                "if-none-match"?: string;
            };
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document */
            200: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description The file's modification time (an HTTP date). */
                    "Last-Modified"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description Not modified: the ETag still matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description One or more entity tags, such as the ETag of an earlier answer, or `*`. */
                "if-match"?: string;
                /** @description One or more entity tags, such as the ETag of an earlier answer, or `*`. */
                "if-none-match"?: string;
            };
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Document"];
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description The file's modification time (an HTTP date). */
                    "Last-Modified"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description The file's modification time (an HTTP date). */
                    "Last-Modified"?: string;
                    /** @description URL of the new document. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A precondition (If-Match / If-None-Match) failed. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "If-Match does not match the current ETag \"3q1L0x2Uu9gB6r8Jf0a4kQ\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description One or more entity tags, such as the ETag of an earlier answer, or `*`. */
                "if-match"?: string;
            };
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A precondition (If-Match / If-None-Match) failed. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "If-Match does not match the current ETag \"3q1L0x2Uu9gB6r8Jf0a4kQ\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description One or more entity tags, such as the ETag of an earlier answer, or `*`. */
                "if-match"?: string;
            };
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "year": 1966,
                 *       "tags": null
                 *     }
                 */
                "application/merge-patch+json": {
                    [key: string]: unknown;
                };
                /**
                 * @example {
                 *       "year": 1966,
                 *       "tags": null
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
                /**
                 * @example [
                 *       {
                 *         "op": "test",
                 *         "path": "/year",
                 *         "value": 1965
                 *       },
                 *       {
                 *         "op": "replace",
                 *         "path": "/year",
                 *         "value": 1966
                 *       }
                 *     ]
                 */
                "application/json-patch+json": ({
                    /** @enum {string} */
                    op: "add" | "remove" | "replace" | "move" | "copy" | "test";
                    /** @example /year */
                    path: string;
                    from?: string;
                    value?: unknown;
                } & {
                    [key: string]: unknown;
                })[];
            };
        };
        responses: {
            /** @description Patched */
            200: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description The file's modification time (an HTTP date). */
                    "Last-Modified"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with the current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/already-exists",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" already exists in \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A precondition (If-Match / If-None-Match) failed. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "If-Match does not match the current ETag \"3q1L0x2Uu9gB6r8Jf0a4kQ\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    importDocuments: {
        parameters: {
            query?: {
                /** @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case. Example: `sandbox`. */
                collection?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "sandbox": [
                 *         {
                 *           "id": "019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b",
                 *           "title": "Imported from a db.json",
                 *           "year": 1969
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    [key: string]: components["schemas"]["Document"][] | {
                        [key: string]: components["schemas"]["Document"];
                    };
                };
                /** @example {"id":"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b","title":"Imported from NDJSON"} */
                "application/x-ndjson": string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The collections imported, each completely; the singular resources of a db.json are named one by one. */
                        imported: {
                            /**
                             * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                             * @example sandbox
                             */
                            collection: string;
                            /** @example 3 */
                            documents: number;
                            /**
                             * @description For `json-server-singular`: the name of each singular resource imported (`"profile": {…}` in a db.json), in the file's order.
                             * @example [
                             *       "profile"
                             *     ]
                             */
                            singulars?: string[];
                        }[];
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportDatabase: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description db.json, streamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: components["schemas"]["Document"][];
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A file on the volume is not a valid document (the detail names it), or an internal error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/corrupt-document",
                     *       "title": "Internal Server Error",
                     *       "status": 500,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "sandbox/draft.json is not valid JSON. Fix the file on the volume, replace it with PUT, or remove it with DELETE."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportCollection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One document per line, streamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such collection or document. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/document-not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" does not exist in collection \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A file on the volume is not a valid document (the detail names it), or an internal error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/corrupt-document",
                     *       "title": "Internal Server Error",
                     *       "status": 500,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "sandbox/draft.json is not valid JSON. Fix the file on the volume, replace it with PUT, or remove it with DELETE."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rewrite rules of JSON_SERVER_ROUTES, as json-server's `GET /__rules` answers them: `{"/api/*": "/$1"}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "/api/*": "/$1",
                     *       "/blog/posts/:id/show": "/posts/:id"
                     *     }
                     */
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    jsonServerDatabase: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole database, as a json-server db.json. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: ({
                            /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                            id?: string | number;
                        } & {
                            [key: string]: unknown;
                        })[] | {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerList: {
        parameters: {
            query?: {
                /** @description Full-text search: case-insensitive, over every string, number and `true` value, nested ones too. Repeated: the first counts. Example: `typicode`. */
                q?: string | string[];
                /** @description Comma-separated fields (dotted paths allowed) to sort on. Example: `views,title`. */
                _sort?: string;
                /** @description Comma-separated orders, one per `_sort` field: `desc` (any case) reverses, anything else is ascending. Example: `desc,asc`. */
                _order?: string;
                /** @description Page number (from 1); the page size is `_limit`, 10 by default. Sets `X-Total-Count` and `Link`. */
                _page?: number;
                /** @description Page size with `_page`; otherwise at most this many items from `_start`. Sets `X-Total-Count`. */
                _limit?: number;
                /** @description First item of a slice (from 0), with `_end` or `_limit`. */
                _start?: number;
                /** @description End of a slice (exclusive). Sets `X-Total-Count`. */
                _end?: number;
                /** @description Collection(s) of children to include: those whose `<singular of this collection>Id` equals the id. */
                _embed?: string[];
                /** @description Parent(s) to include, by singular name: `_expand=post` includes the `posts` document whose id is `postId`. */
                _expand?: string[];
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The matching documents: a plain array */
            200: {
                headers: {
                    /** @description Matching documents on all pages (with `_page`, `_limit`, `_start` or `_end`). */
                    "X-Total-Count"?: number;
                    /** @description With `_page`: URLs of the first, prev, next and last pages. */
                    Link?: string;
                    /** @description As json-server: `X-Total-Count` with `_end` or `_limit`, `X-Total-Count, Link` with `_page`. */
                    "Access-Control-Expose-Headers"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": ({
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    })[];
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    jsonServerReplaceSingular: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        /** @description PUT: the whole new document. PATCH: the fields to set (a shallow merge). An `id` in the body is ignored. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "json-server 0.17"
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The resource */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description A precondition (If-Match / If-None-Match) failed. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "If-Match does not match the current ETag \"3q1L0x2Uu9gB6r8Jf0a4kQ\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerCreate: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        /** @description The new document, as JSON or form fields. Without an id (or with a falsy one), a numeric collection gets max + 1, any other a time-ordered string id. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "json-server",
                 *       "author": "typicode"
                 *     }
                 */
                "application/json": {
                    id?: (string | number) | null | "" | false;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description URL of the new document. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with the current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/already-exists",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" already exists in \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerUpdateSingular: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        /** @description PUT: the whole new document. PATCH: the fields to set (a shallow merge). An `id` in the body is ignored. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "json-server 0.17"
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The resource */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description A precondition (If-Match / If-None-Match) failed. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "If-Match does not match the current ETag \"3q1L0x2Uu9gB6r8Jf0a4kQ\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerGet: {
        parameters: {
            query?: {
                /** @description Collection(s) of children to include. */
                _embed?: string[];
                /** @description Parent(s) to include, by singular name. */
                _expand?: string[];
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document */
            200: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Not modified: the ETag still matches. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    jsonServerReplace: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        /** @description PUT: the whole new document. PATCH: the fields to set (a shallow merge). An `id` in the body is ignored. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "json-server 0.17"
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Replaced */
            200: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerDelete: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted: `{}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    jsonServerUpdate: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
            };
            cookie?: never;
        };
        /** @description PUT: the whole new document. PATCH: the fields to set (a shallow merge). An `id` in the body is ignored. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "json-server 0.17"
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    jsonServerListChildren: {
        parameters: {
            query?: {
                /** @description Full-text search: case-insensitive, over every string, number and `true` value, nested ones too. Repeated: the first counts. Example: `typicode`. */
                q?: string | string[];
                /** @description Comma-separated fields (dotted paths allowed) to sort on. Example: `views,title`. */
                _sort?: string;
                /** @description Comma-separated orders, one per `_sort` field: `desc` (any case) reverses, anything else is ascending. Example: `desc,asc`. */
                _order?: string;
                /** @description Page number (from 1); the page size is `_limit`, 10 by default. Sets `X-Total-Count` and `Link`. */
                _page?: number;
                /** @description Page size with `_page`; otherwise at most this many items from `_start`. Sets `X-Total-Count`. */
                _limit?: number;
                /** @description First item of a slice (from 0), with `_end` or `_limit`. */
                _start?: number;
                /** @description End of a slice (exclusive). Sets `X-Total-Count`. */
                _end?: number;
                /** @description Collection(s) of children to include: those whose `<singular of this collection>Id` equals the id. */
                _embed?: string[];
                /** @description Parent(s) to include, by singular name: `_expand=post` includes the `posts` document whose id is `postId`. */
                _expand?: string[];
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                parent: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The matching documents: a plain array */
            200: {
                headers: {
                    /** @description Matching documents on all pages (with `_page`, `_limit`, `_start` or `_end`). */
                    "X-Total-Count"?: number;
                    /** @description With `_page`: URLs of the first, prev, next and last pages. */
                    Link?: string;
                    /** @description As json-server: `X-Total-Count` with `_end` or `_limit`, `X-Total-Count, Link` with `_page`. */
                    "Access-Control-Expose-Headers"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": ({
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    })[];
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found: `{}`, as json-server answers. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    jsonServerCreateChild: {
        parameters: {
            query?: {
                /** @description Milliseconds to wait before answering (at most 60000). */
                _delay?: number;
                /**
                 * @description Field filters, one query key each, as the operation's description lists them.
                 * @example {}
                 */
                filters?: {
                    [key: string]: string | string[];
                };
            };
            header?: never;
            path: {
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                parent: string;
                /**
                 * @description Document id: letters, digits, `_` and `-`, at most 128 characters.
                 * @example 019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b
                 */
                id: string;
                /**
                 * @description Collection name: letters, digits, `_` and `-`, at most 64 characters; two names may not differ only by case.
                 * @example sandbox
                 */
                collection: string;
            };
            cookie?: never;
        };
        /** @description The new document, as JSON or form fields. Without an id (or with a falsy one), a numeric collection gets max + 1, any other a time-ordered string id. */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "json-server",
                 *       "author": "typicode"
                 *     }
                 */
                "application/json": {
                    id?: (string | number) | null | "" | false;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description Strong entity tag (a hash of the file's bytes): send it back in If-Match or If-None-Match. */
                    ETag?: string;
                    /** @description URL of the new document. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A non-negative integer (kept a number) or a string of letters, digits, `_` and `-`. */
                        id?: string | number;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request is malformed or failed validation. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/validation",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "\"Bad.Name\" is not a collection name: a collection name is 1 to 64 letters, digits, \"_\" or \"-\", starting with a letter or digit (no dots, slashes or spaces), for example \"books\" or \"blog-posts\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/collection",
                     *           "in": "params",
                     *           "message": "must match pattern \"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$\""
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with the current state. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/already-exists",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Document \"019a7b3c-5d2e-7f00-8a1b-2c3d4e5f6a7b\" already exists in \"sandbox\"."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than BODY_LIMIT. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/body-too-large",
                     *       "title": "Payload Too Large",
                     *       "status": 413,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The request body is larger than BODY_LIMIT, 1048576 bytes. Send less, or raise BODY_LIMIT (at most 67108864)."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Unsupported content type. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "Send the body as application/json, not text/plain."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The document does not satisfy the collection schema, or the patch cannot be applied. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/schema-violation",
                     *       "title": "Unprocessable Entity",
                     *       "status": 422,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The document does not satisfy the schema of collection \"sandbox\".",
                     *       "errors": [
                     *         {
                     *           "pointer": "/year",
                     *           "message": "must be integer"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The volume is full. */
            507: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "/problems/insufficient-storage",
                     *       "title": "Insufficient Storage",
                     *       "status": 507,
                     *       "instance": "urn:jsondock:request:8c6f0f0e-4c8a-4a57-9a43-2f8d1b1c9e11",
                     *       "detail": "The volume is full: the write was not made."
                     *     }
                     */
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
