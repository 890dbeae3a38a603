import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { checkLink, codePaths, fencedBlocks, markdownLinks, repoRoot } from '../helpers/docs'

// Every relative link and anchor of README.md and docs/*.md resolves; external links are
// well-formed (there is no network here to fetch them). The pages this suite's author owns
// also may name only repository paths that exist, and their diagram only real files.

const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)]
const owned = ['README.md', 'docs/api.md', 'docs/architecture.md', 'docs/docker.md', 'docs/operations.md']

t.test('links and anchors resolve; external links are well-formed', async (t) => {
  for (const page of pages) {
    const links = markdownLinks(await readFile(join(repoRoot, page), 'utf8'), page)
    const problems: string[] = []
    for (const link of links) {
      const problem = checkLink(link)
      if (problem !== undefined) problems.push(`${page}:${link.line} → ${link.target}: ${problem.problem}`)
    }
    t.same(problems, [], `${page}: ${links.length} links`)
  }
})

t.test('the pages link each other and the pictures', async (t) => {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
  for (const page of ['docs/docker.md', 'docs/api.md', 'docs/architecture.md', 'docs/operations.md', 'docs/performance.md']) {
    t.match(readme, `](${page})`, `README links ${page}`)
  }
  t.match(readme, /## Docker in five minutes[\s\S]*\]\(docs\/docker\.md\)/, 'the five-minute section links docs/docker.md')
  t.ok(existsSync(join(repoRoot, 'docs', 'swagger-ui.png')), 'the Swagger UI screenshot exists')
  t.match(await readFile(join(repoRoot, 'docs', 'api.md'), 'utf8'), '](swagger-ui.png)', 'api.md shows the screenshot')
  const bench = join(repoRoot, 'docs', 'bench')
  t.ok(existsSync(bench) && readdirSync(bench).some((f) => /\.(svg|png)$/.test(f)), 'docs/bench holds the benchmark charts')
  const performance = await readFile(join(repoRoot, 'docs', 'performance.md'), 'utf8')
  for (const chart of existsSync(bench) ? readdirSync(bench).filter((f) => /\.(svg|png)$/.test(f)) : []) {
    t.match(performance, `](bench/${chart})`, `performance.md shows ${chart}`)
  }
})

t.test('repository paths named in the owned pages exist', async (t) => {
  for (const page of owned) {
    const missing = codePaths(await readFile(join(repoRoot, page), 'utf8'))
      .filter(({ path }) => !existsSync(join(repoRoot, path)))
      .map(({ line, path }) => `${page}:${line}: ${path}`)
    t.same(missing, [], page)
  }
})

t.test('the architecture diagram: Mermaid, every edge between declared nodes, every file real', async (t) => {
  const text = await readFile(join(repoRoot, 'docs', 'architecture.md'), 'utf8')
  const diagrams = fencedBlocks(text).filter((b) => b.info === 'mermaid')
  t.equal(diagrams.length, 1, 'one mermaid diagram')
  const diagram = diagrams[0]?.code ?? ''
  t.match(diagram, /^flowchart (TB|TD|LR|BT|RL)\n/, 'a flowchart')
  const declared = new Set<string>()
  for (const m of diagram.matchAll(/^\s*(?:subgraph\s+)?([A-Za-z][\w]*)\s*(?:\[|\(|\{|>)/gm)) declared.add(m[1] as string)
  const used = new Set<string>()
  for (const line of diagram.split('\n')) {
    if (!/-->|-\.->|==>|-- "|-\. "/.test(line)) continue
    const stripped = line.replace(/"[^"]*"/g, '""').replace(/\[[^\]]*\]|\([^)]*\)|\{[^}]*\}/g, '')
    for (const m of stripped.matchAll(/(?:^|-->|-\.->|\.->|==>|--|-\.)\s*([A-Za-z][\w]*)/g)) used.add(m[1] as string)
  }
  const undeclared = [...used].filter((id) => !declared.has(id))
  t.same(undeclared, [], `every node in an edge is declared with a label (${used.size} used, ${declared.size} declared)`)
  const files = [...diagram.matchAll(/\b((?:app|plugins|schemas)\/[\w/-]+(?:\.ts)?\/?)/g)].map((m) => m[1] as string)
  t.ok(files.length >= 10, `the diagram names the files (${files.length})`)
  t.same(files.filter((f) => !existsSync(join(repoRoot, f))), [], 'every path the diagram names exists')
  // File names given without their folder (`document-store.ts` inside the store's box) exist in one of the source folders.
  const bare = [...diagram.matchAll(/(?<![\w/.-])([\w-]+\.ts)\b/g)].map((m) => m[1] as string)
  const folders = ['app', 'app/routes', 'plugins', 'plugins/engine', 'schemas']
  t.same(bare.filter((f) => !folders.some((d) => existsSync(join(repoRoot, d, f)))), [], `every file name the diagram gives exists (${bare.length})`)
})
