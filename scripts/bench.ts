// `npm run bench [-- filter...]`: runs every scenario in scripts/bench/*.ts, prints one table and writes
// bench-results/latest.json (plus a timestamped copy). Filters match scenario names by substring.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import os from 'node:os'
import type { BenchResult, BenchScenario } from './bench/types'

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'))

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US')
  return Number(n.toPrecision(4)).toString()
}

export function renderTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.scenario,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
    r.note ?? '',
  ])
  const head = ['scenario', 'metric', 'value', 'target', '', 'note']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |'
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n')
}

async function main(): Promise<void> {
  const files = readdirSync(join(here, 'bench'))
    .filter((f) => f.endsWith('.ts') && f !== 'types.ts' && !f.endsWith('.test.ts'))
    .sort()
  const results: BenchResult[] = []
  const failures: string[] = []
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, 'bench', f)).href)) as { scenarios?: BenchScenario[] }
    for (const s of mod.scenarios ?? []) {
      if (filters.length > 0 && !filters.some((flt) => s.name.includes(flt) || f.includes(flt))) continue
      process.stderr.write(`▶ ${s.name}\n`)
      try {
        results.push(...(await s.run()))
      } catch (err) {
        failures.push(`${s.name}: ${(err as Error).stack ?? String(err)}`)
        results.push({ scenario: s.name, metric: 'error', value: NaN, unit: '', pass: false, note: String(err) })
      }
    }
  }
  const table = renderTable(results)
  console.log(table)
  const out = join(here, '..', 'bench-results')
  mkdirSync(out, { recursive: true })
  const doc = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    results,
  }
  writeFileSync(join(out, 'latest.json'), JSON.stringify(doc, null, 2))
  writeFileSync(join(out, `results-${doc.at.replace(/[:.]/g, '-')}.json`), JSON.stringify(doc, null, 2))
  console.log(`\nwritten: bench-results/latest.json`)
  if (failures.length > 0) {
    console.error(failures.join('\n'))
    process.exitCode = 1
  }
}

await main()
