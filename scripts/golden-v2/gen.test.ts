// The golden v2 vectors are what the reference makes of the cases (stale files fail here), and each case
// exercises what its description says: the properties below are asserted on the generated expectations.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseGoldenFile } from './format'
import { check, generate, OUT_DIR, render, type GeneratedCase } from './gen'
import {
  etDate,
  etMsOfDay,
  MIN,
  reference,
  Reference,
  words,
  type ExpectedImpact,
  type GoldenArticle,
  type GoldenInput,
  type GoldenPrint,
} from './reference'

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
    const open = r.published + 5 * MIN
    expect(c.input.prints.some((p) => p.symbol === r.symbol && p.ts === open && p.conditions.length === 0)).toBe(true)
    expect(c.input.prints.some((p) => p.ts < open && p.conditions.includes(12))).toBe(true)
    // The jump shows in z5, yet the run at L started within the last second: no signal, and no move alert.
    expect(r.z5).toBeGreaterThan(3)
    const last = c.input.prints.filter((p) => p.symbol === r.symbol && p.ts > open - 1000 && p.ts <= open)
    expect(last.map((p) => p.ts - open)).toEqual([-300, 0])
    expect(r.signal).toBe('none')
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
    const proxy = impactOf(c, 0, 'SPY')
    expect([proxy.beta, proxy.adjusted, proxy.signal]).toEqual([1, false, 'down'])
    expect(proxy.ar5).toBeCloseTo(proxy.ret5 ?? 0, 12)
  },
  'early-jump-partial': (c) => {
    const r = impactOf(c)
    const full = impactOf(byName('early-jump'))
    expect(c.input.asOf - r.published).toBe(3 * MIN)
    expect([r.signal, r.detectedAt, r.alertAt, r.move]).toEqual([full.signal, full.detectedAt, full.alertAt, full.move])
    expect([r.confirmed, r.ret5, r.z5, r.quiet5, r.rvol5, r.rvolBasis, r.ret15]).toEqual([null, null, null, null, null, null, null])
    expect(r.ret1).toBe(full.ret1)
    expect(r.final).toBe(false)
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
  'post-market': (c) => {
    const r = impactOf(c)
    expect(etMsOfDay(r.published)).toBe(16 * HOUR + 10 * MIN)
    expect(r.sigmaRealised).not.toBeNull()
    // 16:00 is the session start: at 16:09:59.999 only 9 intervals fit.
    expect(new Reference(c.input).sigmaParts(r.symbol, r.published - 1).realised).toBeNull()
    const today = etDate(r.published)
    expect(c.input.minuteBars.some((b) => etDate(b.start) === today)).toBe(true)
    expect(reference({ ...c.input, minuteBars: c.input.minuteBars.filter((b) => etDate(b.start) !== today) })).toEqual(c.expected)
    expect(r.signal).toBe('up')
    expect(c.input.prints.find((p) => p.symbol === r.symbol && p.ts === r.detectedAt)?.conditions).toEqual([12])
    // The jump in the regular session's last second is real, and no move alert reports it.
    const ref = new Reference(c.input)
    const close = r.published - 10 * MIN
    expect((ref.price(r.symbol, close + 30_000) ?? 0) / (ref.price(r.symbol, close - 2000) ?? 1) - 1).toBeGreaterThan(0.005)
    expect(c.expected.moves.every((m) => m.detectedAt > r.published)).toBe(true)
  },
  'volume-rule': (c) => {
    const r = impactOf(c)
    expect(r.signal).toBe(Math.sign(r.z5 ?? 0) > 0 ? 'up' : 'down')
    expect(r.detectedAt).toBe(r.published + 5 * MIN)
    expect(Math.abs(r.z5 ?? 0)).toBeGreaterThanOrEqual(2)
    expect(Math.abs(r.z5 ?? Infinity)).toBeLessThan(3)
    expect(r.rvol5).toBeGreaterThanOrEqual(3)
    expect(r.rvolBasis).toBe('slot')
    expect(r.confirmed).toBe(true)
    expect(r.alertAt).toBe(r.detectedAt)
  },
  halt: (c) => {
    const r = impactOf(c)
    expect([r.quiet1, r.quiet5, r.quiet15]).toEqual([true, true, true])
    expect([r.ret1, r.ret5, r.ret15, r.ar1, r.ar5, r.ar15, r.z1, r.z5, r.z15]).toEqual(Array(9).fill(null))
    expect(r.p0).not.toBeNull()
    expect(r.sigma).not.toBeNull()
    expect(r.signal).toBe('none')
    const after = c.input.prints.filter((p) => p.symbol === r.symbol && p.ts > r.published)
    expect(after[0]?.ts).toBeGreaterThan(r.published + 15 * MIN)
    expect(Math.abs((after[0]?.price ?? 0) / (r.p0 ?? 1) - 1)).toBeGreaterThan(0.02)
    expect(c.expected.moves).toEqual([])
  },
  'halt-history-then-live': (c) => {
    const r = impactOf(c)
    const spans = c.input.coverage[r.symbol] ?? []
    expect(spans.map((sp) => sp.source)).toEqual(['trades', 'live'])
    expect((spans[1]?.from ?? 0) - (spans[0]?.to ?? 0)).toBe(1)
    expect([r.quiet1, r.quiet5, r.quiet15]).toEqual([true, true, true])
    expect(r.source).toBe('trades')
    // As one span each, no window across the join would be covered.
    const apart = { ...c.input, coverage: { ...c.input.coverage, [r.symbol]: spans.map((sp) => (sp.source === 'live' ? { ...sp, from: sp.from + 1 } : sp)) } }
    expect(reference(apart).impacts[0]?.quiet5).toBe(false)
  },
  'history-trades': (c) => {
    const r = impactOf(c)
    expect(r.source).toBe('trades')
    const firstLive = Math.min(...c.input.prints.filter((p) => p.symbol === r.symbol && p.source === 'live').map((p) => p.ts))
    expect(c.input.prints.some((p) => p.source === 'trades' && p.ts >= firstLive)).toBe(true)
    expect(r.signal).toBe('up')
    expect(r.detectedAt).toBeLessThan(firstLive)
    expect(c.input.prints.find((p) => p.symbol === r.symbol && p.ts === r.detectedAt)?.source).toBe('trades')
    expect(r.alertAt).toBe(r.receivedAt)
    expect(c.expected.moves[0]?.detectedAt).toBeLessThan(firstLive)
  },
  'history-seconds': (c) => {
    const r = impactOf(c)
    expect(r.source).toBe('seconds')
    expect(c.input.secondBars.length).toBeGreaterThan(100)
    expect(c.input.prints.some((p) => p.source !== 'live')).toBe(false)
    expect(r.signal).toBe('up')
    expect((r.detectedAt ?? 0) % 1000).toBe(999)
    expect(r.alertAt).toBe(r.receivedAt)
    // The same tape as history-trades, so the numbers are close but not the same.
    const trades = impactOf(byName('history-trades'))
    expect(r.signal).toBe(trades.signal)
    expect(r.p0).toBe(trades.p0)
  },
  'stale-24h-boundary': (c) => {
    const exact = impactOf(c, 3)
    const justOutside = impactOf(c, 4)
    expect(exact.published - (c.input.articles[0]?.published ?? 0)).toBe(24 * HOUR)
    expect(exact.stale).toBe(true)
    expect(justOutside.published - (c.input.articles[1]?.published ?? 0)).toBe(24 * HOUR + 1)
    expect(jaccard(c.input.articles[4]?.title ?? '', c.input.articles[1]?.title ?? '')).toBeGreaterThanOrEqual(0.6)
    expect(justOutside.stale).toBe(false)
  },
  'stale-11th-headline': (c) => {
    const apple = c.expected.impacts.find((i) => i.articleId === 'business/2026/nov/17/apple-buyback')
    const msft = c.expected.impacts.find((i) => i.articleId === 'business/2026/nov/17/microsoft-buyback')
    const title = (id: string): string => c.input.articles.find((a) => a.id === id)?.title ?? ''
    expect(jaccard(title('business/2026/nov/17/apple-buyback'), title('business/2026/nov/16/apple-buyback-earlier'))).toBeGreaterThanOrEqual(0.6)
    expect(apple?.stale).toBe(false)
    expect(msft?.stale).toBe(true)
  },
  'equal-timestamps': (c) => {
    const r = impactOf(c)
    const atT0 = c.input.prints.filter((p) => p.symbol === r.symbol && p.ts === r.published)
    expect(atT0).toHaveLength(2)
    const [listedFirst, listedSecond] = atT0 as [GoldenPrint, GoldenPrint]
    expect(listedFirst.seq).toBeGreaterThan(listedSecond.seq)
    expect(listedFirst.price).not.toBe(listedSecond.price)
    expect(r.p0).toBe(listedFirst.price)
    const t1 = r.published + MIN
    const atT1 = c.input.prints.filter((p) => p.symbol === r.symbol && p.ts === t1).map((p) => p.price)
    expect(atT1).toHaveLength(3)
    expect(new Reference(c.input).price(r.symbol, t1)).toBe([...atT1].sort((a, b) => a - b)[1])
  },
  'invalid-prints': (c) => {
    const bad = (p: GoldenPrint): boolean => !(p.price > 0 && p.size > 0)
    expect(c.input.prints.filter(bad).length).toBeGreaterThanOrEqual(15)
    // Some bad prints carry the seq of a real print listed after them.
    const shadowing = c.input.prints.filter(
      (p, i) => bad(p) && c.input.prints.slice(i + 1).some((q) => !bad(q) && q.symbol === p.symbol && q.seq === p.seq),
    )
    expect(shadowing.length).toBeGreaterThan(5)
    expect(reference({ ...c.input, prints: c.input.prints.filter((p) => !bad(p)) })).toEqual(c.expected)
  },
  'nfkc-words': (c) => {
    const [cafe, tokyo, fullWidth, tokyoAgain] = c.input.articles as GoldenArticle[]
    expect(words(fullWidth?.title ?? '')).toEqual(words(cafe?.title ?? ''))
    const naive = (t: string): Set<string> => new Set(t.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== ''))
    expect(naive(fullWidth?.title ?? '')).not.toEqual(naive(cafe?.title ?? ''))
    expect(words(tokyoAgain?.title ?? '')).toEqual(words(tokyo?.title ?? ''))
    expect(impactOf(c, 2).stale).toBe(true)
    expect(impactOf(c, 3).stale).toBe(true)
  },
  'move-then-headline': (c) => {
    const [move] = c.expected.moves
    const linked = impactOf(c, 0)
    const late = impactOf(c, 1)
    expect(linked.published - (move?.detectedAt ?? 0)).toBeGreaterThan(100_000)
    expect(linked.published - (move?.detectedAt ?? 0)).toBeLessThanOrEqual(3 * MIN)
    expect(move?.headlines).toEqual([linked.articleId])
    expect(linked.move).toBe(move?.id)
    expect(late.published - (move?.detectedAt ?? 0)).toBeGreaterThan(3 * MIN)
    expect(late.move).toBeNull()
    const young = impactOf(c, 2)
    expect(c.input.asOf - young.published).toBeLessThan(5 * MIN)
    expect(young.ret1).not.toBeNull()
    expect([young.signal, young.confirmed, young.ret5, young.rvol5, young.quiet5, young.final]).toEqual([null, null, null, null, null, false])
  },
  'stray-print': (c) => {
    const r = impactOf(c)
    const ref = new Reference(c.input)
    const stray = c.input.prints.find((p) => p.symbol === r.symbol && p.size === 100 && Math.abs(p.price / (ref.price(r.symbol, p.ts - 3000) ?? 1) - 1.02) < 0.002)
    expect(stray).toBeDefined()
    const at = stray?.ts ?? 0
    expect(ref.moveRule(r.symbol, at)?.holds).toBe(true)
    expect(Math.abs(ref.abnormal(r.symbol, r.published, at)?.value ?? 0)).toBeGreaterThan(3 * (r.sigma ?? Infinity) * Math.sqrt(5))
    expect(ref.moveFires(r.symbol)).toEqual([])
    expect(c.expected.moves).toEqual([])
    expect(r.signal).toBe('none')
  },
  'move-direction-flip': (c) => {
    const fires = new Reference(c.input).moveFires('AAPL').map((f) => [f.direction, f.emitted])
    expect(fires).toEqual([
      ['up', true],
      ['up', false],
      ['down', true],
      ['down', false],
    ])
    expect(c.expected.moves.map((m) => m.direction)).toEqual(['up', 'down'])
  },
  'duplicate-prints': (c) => {
    const seen = new Set<string>()
    const unique = c.input.prints.filter((p) => {
      const key = `${p.symbol}|${p.seq}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    expect(c.input.prints.length - unique.length).toBeGreaterThan(100)
    expect(reference({ ...c.input, prints: unique })).toEqual(c.expected)
    expect(impactOf(c).signal).toBe('up')
  },
  'live-wins': (c) => {
    const r = impactOf(c)
    const firstLive = Math.min(...c.input.prints.filter((p) => p.symbol === r.symbol && p.source === 'live').map((p) => p.ts))
    const overlapping = (p: GoldenPrint): boolean => p.source === 'trades' && p.ts >= firstLive
    expect(c.input.prints.filter(overlapping).length).toBeGreaterThan(50)
    expect(reference({ ...c.input, prints: c.input.prints.filter((p) => !overlapping(p)) })).toEqual(c.expected)
    const kept = reference({ ...c.input, prints: c.input.prints.map((p) => (overlapping(p) ? { ...p, source: 'live' as const } : p)) })
    expect(r.signal).toBe('none')
    expect(kept.impacts[0]?.signal).toBe('up')
  },
  'coverage-gap': (c) => {
    const r = impactOf(c)
    expect(r.sigmaRealised).toBeNull()
    expect(r.sigmaFloor).not.toBeNull()
    expect(r.sigma).toBe(Math.max(r.sigmaFloor ?? 0, 0.01 / (r.p0 ?? 1)))
    // Covered across the gap, the gap's flat minutes would count as zero moves and a realised sigma would exist.
    const spans = c.input.coverage[r.symbol] ?? []
    const whole = { ...c.input, coverage: { ...c.input.coverage, [r.symbol]: [{ from: spans[0]?.from ?? 0, to: spans.at(-1)?.to ?? 0, source: 'live' as const }] } }
    expect(new Reference(whole).sigmaParts(r.symbol, r.published).realised).not.toBeNull()
  },
  'no-proxy': (c) => {
    const r = impactOf(c)
    expect(c.input.prints.some((p) => p.symbol === 'SPY')).toBe(false)
    expect(c.input.minuteBars.some((b) => b.symbol === 'SPY')).toBe(false)
    expect(r.adjusted).toBe(false)
    expect(r.beta).toBe(1)
    expect(c.expected.moves.length).toBeGreaterThan(0)
    for (const m of c.expected.moves) expect(m.adjusted).toBe(false)
  },
  'beta-shrinkage': (c) => {
    const r = impactOf(c)
    const parts = new Reference(c.input).betaParts(r.symbol, etDate(r.published))
    expect(parts.n).toBe(5 * 11)
    const betaHat = parts.betaHat ?? 1
    expect(r.beta).toBe(parts.beta)
    expect(Math.abs(r.beta - 1)).toBeGreaterThan(0.1)
    expect(Math.abs(r.beta - betaHat)).toBeGreaterThan(0.1)
    expect((r.beta - 1) * (betaHat - r.beta)).toBeGreaterThan(0)
  },
  'rvol-hour-basis': (c) => {
    const r = impactOf(c)
    const slot = etMsOfDay(r.published)
    expect(c.input.minuteBars.some((b) => b.symbol === r.symbol && Math.abs(etMsOfDay(b.start) - slot) < 5 * MIN)).toBe(false)
    expect(c.input.minuteBars.some((b) => b.symbol === r.symbol)).toBe(true)
    expect(r.rvolBasis).toBe('hour')
    expect(r.rvol5).toBeGreaterThanOrEqual(3)
  },
  'rvol-none': (c) => {
    const r = impactOf(c)
    expect(r.rvol5).toBeNull()
    expect(r.rvolBasis).toBeNull()
    // With volume it would have fired at +5 m; without rvol it does not.
    expect(Math.abs(r.z5 ?? 0)).toBeGreaterThanOrEqual(2)
    expect(Math.abs(r.z5 ?? Infinity)).toBeLessThan(3)
    expect(r.signal).toBe('none')
  },
}

/** Jaccard index of two titles' word sets. */
function jaccard(a: string, b: string): number {
  const x = words(a)
  const y = words(b)
  const inter = [...x].filter((w) => y.has(w)).length
  return inter / new Set([...x, ...y]).size
}

describe('golden v2 vectors', () => {
  it('are up to date (npm run gen:golden-v2 writes them)', () => {
    expect(check(cases)).toEqual([])
  })

  it('parse with the file schema, stay under 300 KB, and reproduce from their own input', { timeout: 600_000 }, () => {
    for (const c of cases) {
      const text = readFileSync(join(OUT_DIR, `${c.name}.json`), 'utf8')
      expect(text.length, c.name).toBeLessThan(300 * 1024)
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
