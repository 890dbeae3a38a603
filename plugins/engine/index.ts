// The engine's one public entry: everything outside plugins/engine/ imports from here, so the
// files behind it can move and split without touching the plugin, the routes or the CLI.
export { DocumentStore, type CollectionInfo, type StartupReport, type StoreOptions } from './document-store'
export type { Page, StoredDocument } from './collection-index'
export type { CollectionSettings } from './collection-settings'
export {
  StoreError, StartupError, ImportError, collectionNotFound, documentNotFound,
  type FieldProblem, type ImportSummary, type StoreErrorCode
} from './store-errors'
export { fieldProblems } from './field-problems'
export { DEFAULT_MAX_DOCUMENT_BYTES, readDbJson, readNdjson, type ImportItem, type ImportLimits } from './import-formats'
export { etagOf } from './json-file'
export { MAX_JSON_DEPTH, jsonShapeProblem } from './json-shape'
export type { JsonObject, JsonValue } from './json-types'
export { FILTER_OPERATORS, type Filter, type FilterOperator, type PageQuery, type SortKey, type SortSpec } from './list-query'
export { SINGULAR_COLLECTION } from './collection-names'
export { COLLECTION_NAME_PATTERN, COLLECTION_NAME_RULE, DOCUMENT_ID_PATTERN, DOCUMENT_ID_RULE, isNumericId } from './names'
export type { Logger, StoreObserver } from './observer'
export { applyPatchBody } from './patch'
export { weakMatchAny, type Preconditions } from './preconditions'
export { DIALECTS, SchemaCompiler, type Dialect, type JsonSchema, type KnownSchema, type SchemaValidator } from './schema-compiler'
export { LOCK_FILE } from './volume-locks'
