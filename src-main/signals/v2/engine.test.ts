// The engine's online behaviour beyond the golden snapshot: at-least-once delivery, what it emits and when,
// links both ways, history needs, settings, bad input and bounded memory.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImpactRecordV2, MoveAlert } from '../../domain/impact'
import { easternWallToUtc } from '../../domain/eastern-time'
import { parseGoldenFile, type GoldenFile } from '../../../scripts/golden-v2/format'
import { createImpactEngine } from './engine'
import { feedGolden } from './golden-feed'
import type { EngineOutput, ImpactEngine } from './types'

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'news-impact', 'v2')
const golden = (name: string): GoldenFile => parseGoldenFile(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')))
const MIN = 60_000

/** An engine that records everything it emits. */
function recording(settings: GoldenFile['settings']): { engine: ImpactEngine; impacts: ImpactRecordV2[]; moves: MoveAlert[] } {
  const inner = createImpactEngine({ settings })
  const impacts: ImpactRecordV2[] = []
  const moves: MoveAlert[] = []
  const keep = (o: EngineOutput): EngineOutput => {
    impacts.push(...o.impacts)
    moves.push(...o.moves)
    return o
  }
  const engine: ImpactEngine = {
    ...inner,
    onTrade: (t) => keep(inner.onTrade(t)),
    addHistory: (s, f, t, d) => keep(inner.addHistory(s, f, t, d)),
    addMinuteBars: (s, b) => keep(inner.addMinuteBars(s, b)),
    onArticle: (a) => keep(inner.onArticle(a)),
    advance: (n) => keep(inner.advance(n)),
    setSettings: (s) => keep(inner.setSettings(s)),
  }
  return { engine, impacts, moves }
}

/** Delivers every live print twice: at once, and again in a batch of the previous 40 (Kafka redelivery). */
function atLeastOnce(engine: ImpactEngine): ImpactEngine {
  const recent: Parameters<ImpactEngine['onTrade']>[0][] = []
  return {
    ...engine,
    onTrade: (t) => {
      const out = engine.onTrade(t)
      const again = engine.onTrade({ ...t })
      expect(again.impacts.length + again.moves.length).toBe(0)
      recent.push(t)
      if (recent.length === 40) {
        for (const p of recent.splice(0)) {
          const o = engine.onTrade({ ...p })
          expect(o.impacts.length + o.moves.length).toBe(0)
        }
      }
      return out
    },
  }
}

const sameExceptAsOf = (a: ImpactRecordV2, b: ImpactRecordV2): boolean =>
  JSON.stringify({ ...a, asOf: 0 }) === JSON.stringify({ ...b, asOf: 0 })

describe('delivery twice (Kafka at-least-once)', () => {
  it.each(['early-jump', 'move-direction-flip', 'duplicate-prints', 'history-trades'])('%s: nothing changes', (name) => {
    const g = golden(name)
    const once = recording(g.settings)
    feedGolden(g, once.engine)
    const twice = recording(g.settings)
    feedGolden(g, atLeastOnce(twice.engine))
    expect(twice.engine.snapshot()).toEqual(once.engine.snapshot())
    expect(twice.impacts).toEqual(once.impacts)
    expect(twice.moves).toEqual(once.moves)
    const s1 = once.engine.stats()
    const s2 = twice.engine.stats()
    expect(s2.prints).toBe(s1.prints)
    expect(s2.duplicates).toBeGreaterThan(s1.duplicates)
  })

  it('the same history fetched twice changes nothing', () => {
    const g = golden('history-trades')
    const once = feedGolden(g)
    const twice = createImpactEngine({ settings: g.settings })
    for (const [symbol, spans] of Object.entries(g.coverage)) {
      for (const span of spans) {
        if (span.source !== 'trades') continue
        const prints = g.prints.filter((p) => p.symbol === symbol && p.source === 'trades' && p.ts >= span.from && p.ts <= span.to)
        twice.addHistory(symbol, span.from, span.to, { prints })
      }
    }
    feedGolden(g, twice)
    expect(twice.snapshot().impacts.map((r) => ({ ...r }))).toEqual(once.snapshot().impacts)
    expect(twice.snapshot().moves).toEqual(once.snapshot().moves)
  })
})

describe('what is emitted, and when', () => {
  it.each(['early-jump', 'early-reversal', 'move-direction-flip', 'move-then-headline', 'history-seconds', 'stale-24h-boundary'])(
    '%s: never the same record twice',
    (name) => {
      const g = golden(name)
      const r = recording(g.settings)
      feedGolden(g, r.engine)
      const last = new Map<string, ImpactRecordV2>()
      for (const rec of r.impacts) {
        const key = `${rec.articleId}|${rec.symbol}`
        const prev = last.get(key)
        if (prev) expect(sameExceptAsOf(prev, rec), key).toBe(false)
        last.set(key, rec)
        expect(rec.origin).toBe('app')
      }
      const lastMove = new Map<string, string>()
      for (const m of r.moves) {
        expect(lastMove.get(m.id)).not.toBe(JSON.stringify(m))
        lastMove.set(m.id, JSON.stringify(m))
      }
      // Every key's last emission is what the snapshot holds.
      for (const rec of r.engine.snapshot().impacts) {
        expect({ ...last.get(`${rec.articleId}|${rec.symbol}`), asOf: rec.asOf }).toEqual(rec)
      }
    },
  )

  it.each(['early-jump', 'premarket-form-t', 'early-reversal'])('%s: the early signal goes out at the print that fires it, not at +5 min', (name) => {
    const g = golden(name)
    const r = recording(g.settings)
    feedGolden(g, r.engine)
    const first = r.impacts.find((x) => x.signal === 'up' || x.signal === 'down')
    expect(first).toBeDefined()
    const rec = first as ImpactRecordV2
    const detectedAt = rec.detectedAt as number
    expect(detectedAt).toBeLessThan(rec.published + 5 * MIN)
    expect(rec.asOf).toBeGreaterThanOrEqual(detectedAt)
    // Data time trails the newest print by 1 s (and the proxy prints several times a second): the record goes
    // out about a second after detectedAt, or when the article arrives if that is later.
    expect(rec.asOf).toBeLessThan(Math.max(detectedAt, rec.receivedAt) + 2000)
    expect(rec.alertAt).toBe(Math.max(detectedAt, rec.receivedAt))
  })

  it('a move is emitted when detected and again when a headline links to it', () => {
    const g = golden('move-then-headline')
    const r = recording(g.settings)
    feedGolden(g, r.engine)
    const want = g.expected.moves.find((m) => m.headlines.length > 0)
    expect(want).toBeDefined()
    const emissions = r.moves.filter((m) => m.id === want?.id)
    expect(emissions.length).toBeGreaterThanOrEqual(2)
    expect(emissions[0]?.headlines).toEqual([])
    expect(emissions.at(-1)?.headlines).toEqual(want?.headlines)
    // ... and the record of the headline names the move.
    const article = want?.headlines[0]
    const rec = r.engine.snapshot().impacts.find((x) => x.articleId === article)
    expect(rec?.move).toBe(want?.id)
  })

  it('new settings re-evaluate open records, which carry them', () => {
    const g = golden('early-jump')
    const engine = createImpactEngine({ settings: g.settings })
    const asOf = g.asOf
    feedGolden({ ...g, asOf: g.articles[0]!.receivedAt + 2 * MIN }, engine)
    const before = engine.snapshot().impacts.filter((x) => !x.final)
    expect(before.length).toBeGreaterThan(0)
    const out = engine.setSettings({ ...g.settings, z: 50 })
    expect(out.impacts.length).toBe(before.length)
    for (const rec of out.impacts) {
      expect(rec.settings.z).toBe(50)
      expect(rec.signal).toBeNull()
    }
    expect(engine.settings().z).toBe(50)
    expect(engine.advance(asOf).impacts.every((x) => x.settings.z === 50)).toBe(true)
  })
})

describe('historyNeeds', () => {
  const t0 = easternWallToUtc(2026, 12, 1, 10 * 60)
  const article = { id: 'a', published: t0, receivedAt: t0 + 1000, title: 'Acme wins', tickers: ['ACME'] }
  it.each([
    { name: 'nothing covered, before +15 m', now: t0 + 5 * MIN, setup: (): void => undefined, want: [[t0 - 30 * MIN, t0 + 5 * MIN]] },
    {
      name: 'a REST span covers the start',
      now: t0 + 5 * MIN,
      setup: (e: ImpactEngine): void => void e.addHistory('ACME', t0 - 40 * MIN, t0 - 10 * MIN, { prints: [] }),
      want: [[t0 - 10 * MIN, t0 + 5 * MIN]],
    },
    {
      name: 'live from t0 − 1 min: history only before it',
      now: t0 + 20 * MIN,
      setup: (e: ImpactEngine): void => {
        e.liveStarted('ACME', t0 - MIN)
        e.onTrade({ symbol: 'ACME', ts: t0 - MIN + 500, price: 10, size: 100, seq: 1 })
      },
      want: [[t0 - 30 * MIN, t0 - MIN]],
    },
    {
      name: 'published before the app started (final on arrival)',
      now: t0 + 40 * MIN,
      setup: (): void => undefined,
      want: [[t0 - 30 * MIN, t0 + 15 * MIN]],
    },
    {
      name: 'all covered',
      now: t0 + 20 * MIN,
      setup: (e: ImpactEngine): void => void e.addHistory('ACME', t0 - 31 * MIN, t0 + 16 * MIN, { prints: [] }),
      want: [],
    },
  ])('$name', ({ now, setup, want }) => {
    const e = createImpactEngine()
    setup(e)
    e.advance(t0 + 1000)
    e.onArticle(article)
    e.advance(now)
    expect(e.historyNeeds().map((w) => [w.from, w.to])).toEqual(want)
    for (const w of e.historyNeeds()) expect(w.symbol).toBe('ACME')
  })
})

describe('bad input', () => {
  it.each([
    { name: 'zero price', p: { symbol: 'X', ts: 1e12, price: 0, size: 1, seq: 1 } },
    { name: 'negative size', p: { symbol: 'X', ts: 1e12, price: 1, size: -1, seq: 1 } },
    { name: 'NaN ts', p: { symbol: 'X', ts: NaN, price: 1, size: 1, seq: 1 } },
    { name: 'infinite price', p: { symbol: 'X', ts: 1e12, price: Infinity, size: 1, seq: 1 } },
    { name: 'empty symbol', p: { symbol: '', ts: 1e12, price: 1, size: 1, seq: 1 } },
    { name: 'not an object', p: null as unknown as { symbol: string; ts: number; price: number; size: number; seq: number } },
  ])('$name is rejected, nothing else moves', ({ p }) => {
    const e = createImpactEngine()
    expect(e.onTrade(p)).toEqual({ impacts: [], moves: [] })
    expect(e.stats()).toMatchObject({ prints: 0, rejected: 1 })
    expect(e.now()).toBe(-Infinity)
  })

  it.each([
    { name: 'empty proxy', patch: { proxy: '' } },
    { name: 'NaN z', patch: { z: NaN } },
    { name: 'negative zMove', patch: { zMove: -1 } },
  ])('settings with $name are refused', ({ patch }) => {
    const e = createImpactEngine()
    e.setSettings({ ...e.settings(), ...patch })
    expect(e.settings()).toEqual({ proxy: 'SPY', z: 3, rvol: 3, zWithVolume: 2, zMove: 4 })
  })

  it('articles without an id or with bad times are ignored', () => {
    const e = createImpactEngine()
    e.onArticle({ id: '', published: 1, receivedAt: 1, title: 'x', tickers: ['X'] })
    e.onArticle({ id: 'a', published: NaN, receivedAt: 1, title: 'x', tickers: ['X'] })
    expect(e.snapshot().impacts).toEqual([])
  })
})

describe('memory', () => {
  it('prints held stay bounded by retention over hours of data', () => {
    const start = easternWallToUtc(2026, 12, 1, 4 * 60)
    const e = createImpactEngine({ retentionMs: 40 * MIN })
    let seq = 0
    const held: number[] = []
    // 16 hours of 2 symbols at 5 prints/s each (pre-market to after-hours), an article every 10 minutes.
    for (let t = start; t < start + 16 * 60 * MIN; t += 100) {
      const symbol = seq % 2 === 0 ? 'ACME' : 'SPY'
      e.onTrade({ symbol, ts: t, price: 100 + ((seq * 7) % 13) / 100, size: 100, seq: seq++, conditions: [] })
      if ((t - start) % (10 * MIN) === 0) e.onArticle({ id: `a${t}`, published: t - 1000, receivedAt: t, title: `Acme ${t}`, tickers: ['ACME'] })
      if ((t - start) % (60 * MIN) === 0) held.push(e.stats().entries)
    }
    // 40 minutes of retention at 10 prints/s, plus what open articles (≤ 15 min old) reach back to: ≤ 77 minutes.
    const bound = 10 * 77 * 60
    expect(Math.max(...held)).toBeLessThanOrEqual(bound)
    expect(held.at(-1)).toBeGreaterThan(10 * 40 * 60 * 0.9)
    expect(e.stats().prints).toBe(seq)
    expect(e.snapshot().impacts.length).toBe(96)
  })
})

describe('history in windows, newest first (how the app loads it)', () => {
  it('leaves every record as history given at once: a window invalidates exactly the records it can change', async () => {
    const { mulberry32 } = await import('../../simulator/prng')
    const open = easternWallToUtc(2026, 12, 1, 9 * 60 + 30)
    const end = open + 150 * MIN
    const rnd = mulberry32(3)
    const prints: Record<string, { symbol: string; ts: number; price: number; size: number; seq: number; source: 'trades' }[]> = { ACME: [], SPY: [] }
    let seq = 0
    let pa = 50
    let pm = 600
    for (let ts = open; ts < end; ts += 700 + Math.floor(rnd() * 1300)) {
      const mk = (rnd() - 0.5) * 0.0008
      pm *= Math.exp(mk)
      // A 3 % jump at 10:40 (a headline's move) on top of beta-1.3 co-movement.
      pa *= Math.exp(1.3 * mk + (rnd() - 0.5) * 0.001 + (ts >= open + 70 * MIN && ts < open + 70 * MIN + 2000 ? 0.03 : 0))
      prints.SPY!.push({ symbol: 'SPY', ts, price: Math.round(pm * 100) / 100, size: 100, seq: ++seq, source: 'trades' })
      if (rnd() < 0.7) prints.ACME!.push({ symbol: 'ACME', ts: ts + 3, price: Math.round(pa * 100) / 100, size: 100, seq: ++seq, source: 'trades' })
    }
    const articles = [20, 45, 69, 95, 118].map((m, i) => ({
      id: `a${i}`,
      published: open + m * MIN,
      receivedAt: open + m * MIN + 60_000,
      title: `Acme story ${i}`,
      tickers: ['ACME'],
    }))
    const now = end
    const win = 15 * MIN
    const windows: Array<[number, number]> = []
    for (let to = end - 1; to >= open; to -= win) windows.push([Math.max(open, to - win + 1), to])
    const slice = (sym: string, [from, to]: [number, number]) => prints[sym]!.filter((p) => p.ts >= from && p.ts <= to)

    const whole = createImpactEngine({ settings: golden('sigma-floor').settings })
    whole.advance(now)
    for (const sym of ['SPY', 'ACME']) whole.addHistory(sym, open, end - 1, { prints: prints[sym]! })
    for (const a of articles) whole.onArticle(a)

    const windowed = createImpactEngine({ settings: golden('sigma-floor').settings })
    windowed.advance(now)
    for (const a of articles) windowed.onArticle(a)
    for (const w of windows) for (const sym of ['SPY', 'ACME']) windowed.addHistory(sym, w[0], w[1], { prints: slice(sym, w) })

    // Known gap (docs/architecture.md, "News, tagging and impact"): an early signal whose five minutes arrive in
    // several windows can be decided at +5 m instead of at its print, so the signal's timing is left out here.
    const strip = (r: ImpactRecordV2) => ({ ...r, asOf: 0, receivedAt: 0, latencyMs: 0, detectedAt: 0, alertAt: 0 })
    const byKey = (e: ImpactEngine) =>
      Object.fromEntries(e.snapshot().impacts.map((r) => [`${r.articleId}|${r.symbol}`, strip(r)]))
    const want = byKey(whole)
    expect(Object.keys(want).length).toBe(articles.length)
    expect(Object.values(want).some((r) => r.sigmaRealised !== null)).toBe(true)
    expect(byKey(windowed)).toEqual(want)
  })
})
