// The engine's one public entry: everything outside plugins/engine/ imports from here, so the
// files behind it can move and split without touching the plugin, the routes or the CLI.
export {
  DocumentStore,
  ImportError,
  StartupError,
  fieldProblems,
  type CollectionInfo,
  type CollectionSettings,
  type ImportSummary,
  type JsonObject,
  type JsonValue,
  type ListQuery,
  type Page,
  type Preconditions,
  type StoredDocument,
  type StoreObserver,
  type StoreOptions
} from './document-store'
export { etagOf } from './collection-index'
export { StoreError, type FieldProblem, type StoreErrorCode } from './errors'
export { DEFAULT_MAX_DOCUMENT_BYTES, readDbJson, readNdjson, type ImportItem, type ImportLimits } from './import-formats'
export { MAX_JSON_DEPTH, jsonShapeProblem } from './json-shape'
export { jsonPatchDocument, mergePatchDocument } from './patch'
export { parseFilters } from './query'
