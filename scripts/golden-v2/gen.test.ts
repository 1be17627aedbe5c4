// The golden v2 vectors are what the reference makes of the cases (stale files fail here), and each case
// exercises what its description says: the properties below are asserted on the generated expectations.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseGoldenFile } from './format'
import { check, generate, OUT_DIR, render, type GeneratedCase } from './gen'
import { etMsOfDay, MIN, reference, type ExpectedImpact, type GoldenInput } from './reference'

let cases: GeneratedCase[] = []
beforeAll(() => {
  cases = generate()
}, 600_000)

const byName = (name: string): GeneratedCase => {
  const c = cases.find((x) => x.name === name)
  if (!c) throw new Error(`no case ${name}`)
  return c
}
/** The impact record of an article (by index in the file) on a symbol (default its first ticker). */
const impactOf = (c: GeneratedCase, article = 0, symbol?: string): ExpectedImpact => {
  const a = c.input.articles[article]
  const r = c.expected.impacts.find((i) => i.articleId === a?.id && i.symbol === (symbol ?? a?.tickers[0]))
  if (!r) throw new Error(`no impact for article ${article} in ${c.name}`)
  return r
}
const HOUR = 3_600_000

/** What each case must show. Every case has an entry (a new case without one fails). */
const CHECKS: Record<string, (c: GeneratedCase) => void> = {
  'premarket-form-t': (c) => {
    const r = impactOf(c)
    expect(r.signal).toBe('up')
    expect(r.detectedAt).toBeLessThan(r.published + 5 * MIN)
    expect(etMsOfDay(r.published)).toBeLessThan(9.5 * HOUR)
    const firing = c.input.prints.filter((p) => p.symbol === r.symbol && p.ts === r.detectedAt)
    expect(firing.length).toBeGreaterThan(0)
    for (const p of firing) expect(p.conditions).toEqual([12])
    // Odd-lot Form T prints are there, and not one is a price: without them the numbers are the same.
    const oddLots = c.input.prints.filter((p) => p.conditions.includes(37))
    expect(oddLots.length).toBeGreaterThan(5)
    const without = reference({ ...c.input, prints: c.input.prints.filter((p) => !p.conditions.includes(37)) })
    expect({ ...without.impacts[0], rvol5: null }).toEqual({ ...r, rvol5: null })
    expect(without.impacts[0]?.rvol5).not.toBe(r.rvol5)
  },
  'pre-open-window': (c) => {
    const r = impactOf(c)
    expect(etMsOfDay(r.published)).toBe(9 * HOUR + 25 * MIN)
    expect(c.input.prints.some((p) => p.symbol === r.symbol && p.ts === r.published + 5 * MIN)).toBe(true)
    expect(c.input.prints.some((p) => p.ts < r.published && p.conditions.includes(12))).toBe(true)
    // The opening jump is in ret15 but never a move alert.
    expect(Math.abs(r.z15 ?? 0)).toBeGreaterThan(3)
    expect(c.expected.moves).toEqual([])
  },
  'sigma-floor': (c) => {
    const r = impactOf(c)
    expect(r.sigmaRealised).not.toBeNull()
    expect(r.sigmaFloor).toBeGreaterThan(5 * (r.sigmaRealised ?? Infinity))
    expect(r.sigma).toBe(r.sigmaFloor)
  },
  'market-wide-move': (c) => {
    const r = impactOf(c)
    expect(r.ret5).toBeLessThan(-0.008)
    expect(r.adjusted).toBe(true)
    expect(Math.abs(r.z5 ?? Infinity)).toBeLessThan(2)
    expect(r.signal).toBe('none')
    expect(c.expected.moves).toEqual([])
  },
  'early-jump': (c) => {
    const r = impactOf(c)
    expect(r.signal).toBe('up')
    expect((r.detectedAt ?? Infinity) - r.published).toBeLessThanOrEqual(10_000)
    expect(r.confirmed).toBe(true)
    expect(r.alertAt).toBe(r.receivedAt)
    expect(r.move).toBe(c.expected.moves[0]?.id)
    expect(c.expected.moves[0]?.headlines).toEqual([r.articleId])
  },
  'early-reversal': (c) => {
    const r = impactOf(c)
    expect(r.signal).toBe('down')
    expect(r.detectedAt).toBeLessThan(r.published + 5 * MIN)
    expect(r.confirmed).toBe(false)
    const [first, second] = c.expected.moves
    expect([first?.direction, second?.direction]).toEqual(['down', 'up'])
    expect((second?.detectedAt ?? Infinity) - (first?.detectedAt ?? 0)).toBeLessThan(5 * MIN)
  },
}

describe('golden v2 vectors', () => {
  it('are up to date (npm run gen:golden-v2 writes them)', () => {
    expect(check(cases)).toEqual([])
  })

  it('parse with the file schema, stay under 350 KB, and reproduce from their own input', () => {
    for (const c of cases) {
      const text = readFileSync(join(OUT_DIR, `${c.name}.json`), 'utf8')
      expect(text.length, c.name).toBeLessThan(350 * 1024)
      const file = parseGoldenFile(JSON.parse(text))
      const { expected, ...input } = file
      const again = reference(input as GoldenInput)
      expect(again, c.name).toEqual(expected)
      expect(render(input as GoldenInput, again)).toBe(text)
    }
  })

  it('every case has its check', () => {
    expect(cases.map((c) => c.name).filter((n) => !(n in CHECKS))).toEqual([])
  })

  it.each(Object.keys(CHECKS))('%s exercises what it says', (name) => {
    const check = CHECKS[name]
    check?.(byName(name))
  })
})
