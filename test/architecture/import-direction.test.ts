import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import t from 'tap'
import ts from 'typescript'

/**
 * Imports flow one way (docs/architecture.md): the composition root →
 * routes → HTTP helpers → plugins → schemas → engine. A file may import its
 * own layer or the layers below it, never above. Besides:
 * - the engine (plugins/engine/) imports nothing of the service outside it, and no Fastify;
 * - everything outside the engine reaches it through its one entry, plugins/engine/index.ts;
 * - schemas take from the engine only its name rules (names.ts) and JSON types (json-types.ts).
 */
const root = resolve(__dirname, '..', '..')

type Layer = 'engine' | 'schemas' | 'plugins' | 'http' | 'routes' | 'root'
const RANK: Record<Layer, number> = { engine: 0, schemas: 1, plugins: 2, http: 3, routes: 4, root: 5 }
const ENGINE_ENTRY = 'plugins/engine/index.ts'

function layerOf (file: string): Layer | undefined {
  if (file.startsWith('plugins/engine/')) return 'engine'
  if (file.startsWith('schemas/')) return 'schemas'
  if (file.startsWith('plugins/')) return 'plugins'
  if (file.startsWith('app/routes/')) return 'routes'
  if (/^app\/[^/]+\.ts$/.test(file)) return 'root'
  if (file.startsWith('app/')) return 'http' // app/http/ and any other folder of plain modules the routes use
  return undefined
}

function sourceFiles (dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

/** A relative import as a repository path (`./x` → `plugins/x.ts`, a folder → its index.ts). */
function resolveImport (from: string, specifier: string): string {
  const base = join(dirname(from), specifier)
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    try {
      if (statSync(join(root, candidate)).isFile()) return relative('.', candidate)
    } catch {}
  }
  return base
}

/** The names a file's import statements take from `specifier`. */
function importedNames (text: string, specifier: string): string[] {
  const names: string[] = []
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  for (const m of text.matchAll(new RegExp(`(?:import|export)\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+'${quoted}'`, 'g'))) {
    for (const part of (m[1] as string).split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]
      if (name !== undefined && name !== '') names.push(name)
    }
  }
  return names
}

function exportsOf (file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/^export (?:const|function|type|interface|class) (\w+)/gm)].map((m) => m[1] as string)
}

/** Every rule an import breaks, as lines naming the file and the import. */
function violations (files: string[], read: (file: string) => string): string[] {
  const found: string[] = []
  const schemaNames = new Set([...exportsOf('plugins/engine/names.ts'), ...exportsOf('plugins/engine/json-types.ts')])
  for (const file of files) {
    const layer = layerOf(file)
    if (layer === undefined) continue
    const text = read(file)
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith('.')) {
        if (layer === 'engine' && /^(fastify|@fastify\/|fastify-plugin)/.test(specifier)) found.push(`${file}: the engine imports ${specifier}`)
        continue
      }
      const target = resolveImport(file, specifier)
      const targetLayer = layerOf(target)
      if (targetLayer === undefined) continue // package.json and the like
      if (RANK[targetLayer] > RANK[layer]) found.push(`${file}: ${layer} imports ${target} (${targetLayer}), a layer above it`)
      if (layer === 'engine' && targetLayer !== 'engine') found.push(`${file}: the engine imports ${target} from outside the engine`)
      if (layer !== 'engine' && targetLayer === 'engine' && target !== ENGINE_ENTRY) {
        found.push(`${file}: imports ${target}, an engine file; import from ${ENGINE_ENTRY}`)
      }
      if (layer === 'schemas' && targetLayer === 'engine') {
        for (const name of importedNames(text, specifier)) {
          if (!schemaNames.has(name)) found.push(`${file}: a schema imports ${name} from the engine, which is not one of its name rules`)
        }
      }
    }
  }
  return found
}

t.test('imports flow one way: root → routes → HTTP helpers → plugins → schemas → engine', async (t) => {
  const files = ['app', 'plugins', 'schemas'].flatMap(sourceFiles)
  t.ok(files.length >= 40, `${files.length} source files scanned`)
  t.ok(files.filter((f) => layerOf(f) === 'engine').length >= 10, 'the engine files are among them')
  t.same(violations(files, (file) => readFileSync(join(root, file), 'utf8')), [], 'no import goes the wrong way')
})

t.test('the check sees each kind of wrong import', async (t) => {
  const files = ['app', 'plugins', 'schemas'].flatMap(sourceFiles)
  const planted: Record<string, string> = {
    'plugins/engine/query.ts': "import fastify from 'fastify'\nimport { HttpProblem } from '../errors'\n",
    'plugins/errors.ts': "import { StoreError } from './engine/store-errors'\nimport { sendDocument } from '../app/http/document-reply'\n",
    'schemas/common.ts': "import { DocumentStore } from '../plugins/engine'\n"
  }
  const read = (file: string): string => (planted[file] ?? '') + readFileSync(join(root, file), 'utf8')
  const found = violations(files, read)
  t.ok(found.includes('plugins/engine/query.ts: the engine imports fastify'), 'the engine importing Fastify')
  t.ok(found.includes('plugins/engine/query.ts: engine imports plugins/errors.ts (plugins), a layer above it'), 'the engine importing a plugin: a layer above')
  t.ok(found.includes('plugins/engine/query.ts: the engine imports plugins/errors.ts from outside the engine'), 'the engine importing from outside itself')
  t.ok(found.some((line) => line.startsWith('plugins/errors.ts: imports plugins/engine/store-errors.ts, an engine file')), 'an engine file reached past its entry')
  t.ok(found.some((line) => line.startsWith('plugins/errors.ts: plugins imports app/http/document-reply.ts (http), a layer above it')), 'a plugin importing an HTTP helper')
  t.ok(found.some((line) => line === 'schemas/common.ts: a schema imports DocumentStore from the engine, which is not one of its name rules'), 'a schema importing more than the name rules')
})
