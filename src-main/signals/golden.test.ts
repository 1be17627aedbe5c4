// Production computeImpact against every golden vector (fixtures/news-impact/*.json), which were computed by
// the independent reference in scripts/gen-golden.ts. The Flink job reads the same files.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ImpactRecordV1, SignalThresholds } from '../domain/news'
import type { ImpactTrade } from './impact'
import { computeImpact } from './impact'
import type { HeadlineRef } from './stale'

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'news-impact')

interface GoldenCase {
  name: string
  description: string
  asOf: number
  thresholds: SignalThresholds
  article: { id: string; published: number; receivedAt: number; title: string; tickers: string[] }
  history: HeadlineRef[]
  trades: ImpactTrade[]
  expected: Record<string, unknown>[]
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
const load = (f: string): GoldenCase => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as GoldenCase
const byName = (name: string): GoldenCase => load(`${name}.json`)

const FIELDS = ['symbol', 'p0', 'ret1', 'ret5', 'ret15', 'sigma', 'z1', 'z5', 'z15', 'rvol5', 'signal', 'latencyMs', 'stale', 'final'] as const

/** README: numbers match to a relative/absolute tolerance of 1e-9; everything else exactly. */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = Math.abs(a - b)
    return d <= 1e-9 || d <= 1e-9 * Math.abs(b)
  }
  return a === b
}

function run(c: GoldenCase, symbol: string): ImpactRecordV1 {
  return computeImpact({ article: c.article, symbol, trades: c.trades, asOf: c.asOf, thresholds: c.thresholds, history: c.history })
}

describe('golden vectors', () => {
  it('has at least 12 cases, each well-formed', () => {
    expect(files.length).toBeGreaterThanOrEqual(12)
    for (const f of files) {
      const c = load(f)
      expect(c.name + '.json').toBe(f)
      expect(c.expected.map((e) => e.symbol)).toEqual(c.article.tickers)
    }
  })

  for (const f of files) {
    it(`matches ${f}`, () => {
      const c = load(f)
      for (const exp of c.expected) {
        const got = run(c, exp.symbol as string)
        for (const k of FIELDS) {
          if (!close(got[k], exp[k])) throw new Error(`${c.name} ${String(exp.symbol)}.${k}: got ${String(got[k])}, expected ${String(exp[k])}`)
        }
        expect(got.articleId).toBe(c.article.id)
        expect(got.published).toBe(c.article.published)
        expect(got.origin).toBe('app')
      }
    })
  }
})

describe('golden vectors, verified by hand', () => {
  it('ties-and-boundaries: p0 and ret1 read the last-listed trade of each tied ms', () => {
    // At t0 the file lists 290.0, 290.5, 289.5 (regular) then 999.0 with condition 37 (odd lot: no last update).
    // p0 = 289.5. At t0 + 1 m it lists 292.0 then 293.0: ret1 = 293 / 289.5 − 1 = 0.0120898100172712…
    // The trade at exactly t0 + 5 m (296.0) sets price(t0 + 5 m): ret5 = 296 / 289.5 − 1 = 0.0224525043177892…
    const c = byName('ties-and-boundaries')
    const r = run(c, 'IBM')
    expect(r.p0).toBe(289.5)
    expect(r.ret1).toBeCloseTo(293 / 289.5 - 1, 15)
    expect(r.ret5).toBeCloseTo(296 / 289.5 - 1, 15)
    // Its 9 000 shares at exactly t0 + 5 m are outside [t0, t0 + 5 m); the 7 000 at exactly t0 − 60 m are inside
    // the baseline. Recompute both sums by hand from the file:
    const inWin = (a: number, b: number): number =>
      c.trades.filter((t) => t.ts >= a && t.ts < b && !(t.conditions ?? []).includes(15) && !(t.conditions ?? []).includes(16)).reduce((s, t) => s + t.size, 0)
    const t0 = c.article.published
    expect(r.rvol5).toBeCloseTo(inWin(t0, t0 + 300_000) / (inWin(t0 - 3_600_000, t0) / 12), 12)
  })

  it('halted: no trade after t0, so every passed horizon reads p0 (ret = 0, z = 0, rvol5 = 0)', () => {
    const c = byName('halted-no-trades-after-t0')
    const r = run(c, 'HALT')
    const last = [...c.trades].sort((a, b) => a.ts - b.ts).at(-1)!
    expect(r.p0).toBe(last.price)
    expect([r.ret1, r.ret5, r.ret15]).toEqual([0, 0, 0])
    expect([r.z1, r.z5, r.z15]).toEqual([0, 0, 0])
    expect(r.rvol5).toBe(0)
    expect(r.signal).toBe('none')
    expect(r.final).toBe(true)
  })

  it('pre-open: p0 is the previous close, sigma 0, ret5 reads the 09:30:00.000 opening print', () => {
    // t0 = 14:25Z. Last trade of the previous session is the previous close; the 31 sigma points (13:55Z…14:25Z)
    // all read it, so every log return is 0 and sigma = 0 → z null. The opening print (352.5) sits at exactly
    // t0 + 5 m = 14:30:00.000Z, and ts ≤ t includes it: ret5 = 352.5 / p0 − 1.
    const c = byName('pre-open-previous-session')
    const r = run(c, 'TSLA')
    const prevClose = c.trades.filter((t) => t.ts < c.article.published && (t.conditions ?? []).length === 0).sort((a, b) => a.ts - b.ts).at(-1)!
    expect(r.p0).toBe(prevClose.price)
    expect(r.sigma).toBe(0)
    expect(r.ret1).toBe(0)
    expect(r.ret5).toBeCloseTo(352.5 / prevClose.price - 1, 15)
    expect([r.z1, r.z5, r.z15, r.rvol5]).toEqual([null, null, null, null])
  })
})
