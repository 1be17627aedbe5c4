// Writes the news impact v2 golden vectors: fixtures/news-impact/v2/<case>.json = the case's input (cases.ts)
// plus `expected` from the naive reference (reference.ts). `--check` writes nothing and fails when a file
// differs from what would be written, or when a file has no case (stale vectors fail CI: gen.test.ts).
// Run: npm run gen:golden-v2 [-- --check]
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CASES } from './cases'
import { reference, type GoldenExpected, type GoldenInput } from './reference'

export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'news-impact', 'v2')

const INPUT_KEYS = ['name', 'description', 'asOf', 'settings', 'coverage', 'minuteBars', 'prints', 'secondBars', 'articles'] as const
/** Arrays written one compact record per line (they are long; diffs stay readable). */
const ROW_ARRAYS = new Set(['minuteBars', 'prints', 'secondBars'])

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`)
}

/** The file text: fixed key order, long arrays one row per line, the rest pretty-printed. */
export function render(input: GoldenInput, expected: GoldenExpected): string {
  const parts = INPUT_KEYS.map((key) => {
    const value: unknown = input[key]
    let text: string
    if (ROW_ARRAYS.has(key) && Array.isArray(value) && value.length > 0) {
      text = `[\n${value.map((row) => `    ${JSON.stringify(row)}`).join(',\n')}\n  ]`
    } else text = indent(JSON.stringify(value, null, 2), '  ')
    return `  ${JSON.stringify(key)}: ${text}`
  })
  parts.push(`  "expected": ${indent(JSON.stringify(expected, null, 2), '  ')}`)
  return `{\n${parts.join(',\n')}\n}\n`
}

export interface GeneratedCase {
  name: string
  input: GoldenInput
  expected: GoldenExpected
  text: string
}

export function generate(): GeneratedCase[] {
  return CASES.map((c) => {
    const input = c.build()
    if (input.name !== c.name) throw new Error(`case ${c.name} builds ${input.name}`)
    const expected = reference(input)
    return { name: c.name, input, expected, text: render(input, expected) }
  })
}

/** Names of the files that differ from the generated ones, are missing, or have no case. */
export function check(cases: readonly GeneratedCase[]): string[] {
  const problems: string[] = []
  for (const c of cases) {
    const path = join(OUT_DIR, `${c.name}.json`)
    if (!existsSync(path)) problems.push(`${c.name}.json is missing`)
    else if (readFileSync(path, 'utf8') !== c.text) problems.push(`${c.name}.json differs from the generated vector`)
  }
  const names = new Set(cases.map((c) => `${c.name}.json`))
  if (existsSync(OUT_DIR)) {
    for (const f of readdirSync(OUT_DIR)) if (f.endsWith('.json') && !names.has(f)) problems.push(`${f} has no case`)
  }
  return problems
}

function main(): void {
  const cases = generate()
  if (process.argv.includes('--check')) {
    const problems = check(cases)
    for (const p of problems) console.error(p)
    if (problems.length > 0) {
      console.error('golden v2 vectors are stale: run npm run gen:golden-v2')
      process.exit(1)
    }
    console.log(`${cases.length} golden v2 vectors up to date`)
    return
  }
  mkdirSync(OUT_DIR, { recursive: true })
  const names = new Set(cases.map((c) => `${c.name}.json`))
  for (const f of readdirSync(OUT_DIR)) if (f.endsWith('.json') && !names.has(f)) unlinkSync(join(OUT_DIR, f))
  for (const c of cases) {
    writeFileSync(join(OUT_DIR, `${c.name}.json`), c.text)
    const e = c.expected
    console.log(`${c.name}: ${c.input.prints.length} prints, ${e.impacts.length} impacts, ${e.moves.length} moves, ${Math.round(c.text.length / 1024)} KB`)
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main()
