import { describe, expect, it } from 'vitest'
import type { ImpactRecordV1, SignalThresholds } from '../domain/news'
import { DEFAULT_THRESHOLDS, impactKey } from '../domain/news'
import { mulberry32 } from '../simulator/prng'
import type { ImpactTrade } from './impact'
import { computeImpact } from './impact'
import type { HeadlineRef } from './stale'
import type { TrackerArticle } from './tracker'
import { createImpactTracker } from './tracker'

const M = 60_000
const BASE = Date.UTC(2026, 10, 24, 14, 30)

const NUMERIC = ['p0', 'ret1', 'ret5', 'ret15', 'sigma', 'z1', 'z5', 'z15', 'rvol5', 'latencyMs'] as const
const EXACT = ['articleId', 'symbol', 'published', 'signal', 'stale', 'origin', 'final'] as const

function expectSameRecord(got: ImpactRecordV1, want: ImpactRecordV1, where: string): void {
  for (const k of EXACT) if (got[k] !== want[k]) throw new Error(`${where}: ${k} ${String(got[k])} ≠ ${String(want[k])}`)
  for (const k of NUMERIC) {
    const a = got[k]
    const b = want[k]
    if (a === null || b === null) {
      if (a !== b) throw new Error(`${where}: ${k} ${String(a)} ≠ ${String(b)}`)
      continue
    }
    const d = Math.abs(a - b)
    if (!(d <= 1e-9 || d <= 1e-9 * Math.abs(b))) throw new Error(`${where}: ${k} ${a} ≠ ${b}`)
  }
}

type Ev =
  | { kind: 'trade'; at: number; trade: ImpactTrade }
  | { kind: 'article'; at: number; article: TrackerArticle }
  | { kind: 'tick'; at: number }

/** A random session: trades for 3 symbols (ties, out-of-order, condition codes), articles (late, early,
 * multi-symbol, a symbol without trades, revisions, recycled titles) and clock ticks, in arrival order. */
function randomSession(seed: number, minutes: number): Ev[] {
  const rnd = mulberry32(seed)
  const evs: Ev[] = []
  const symbols = ['AAA', 'BBB', 'CCC']
  // News moves prices: ±3 % jumps 20 s after some publication times (drawn before the trades).
  const shocks = Array.from({ length: 12 }, () => ({
    symbol: symbols[Math.floor(rnd() * 3)]!,
    at: BASE + Math.floor(rnd() * (minutes - 20) * M),
    pct: (rnd() < 0.5 ? -1 : 1) * 0.03,
  }))
  const condPool: number[][] = [[], [], [], [], [], [], [37], [12], [15], [7], [2, 14]]
  symbols.forEach((symbol, si) => {
    let t = BASE - 70 * M + Math.floor(rnd() * 5000)
    let p = 50 + si * 40
    let seq = si * 10_000_000
    const done = new Set<object>()
    // One symbol halts for 20 minutes mid-session.
    const haltFrom = BASE + 40 * M
    const haltTo = BASE + 60 * M
    while (t < BASE + minutes * M) {
      t += 1 + Math.floor(-Math.log(1 - rnd()) * (1500 + si * 1500))
      if (si === 2 && t >= haltFrom && t < haltTo) continue
      p *= Math.exp(0.0009 * Math.sqrt(1 / 30) * (rnd() - 0.5) * 3.4)
      for (const sh of shocks) {
        if (sh.symbol !== symbol || sh.at > t || done.has(sh)) continue
        p *= 1 + sh.pct
        done.add(sh)
      }
      const price = Math.round(p * 100) / 100
      const conditions = condPool[Math.floor(rnd() * condPool.length)]!
      const size = conditions.includes(37) ? 1 + Math.floor(rnd() * 99) : 100 * (1 + Math.floor(rnd() * 9))
      const tie = rnd() < 0.05 // another trade on the same ms
      const ts = t
      seq += 1 + Math.floor(rnd() * 4)
      let at = ts + Math.floor(rnd() * 50)
      if (rnd() < 0.03) at += 400 + Math.floor(rnd() * 500) // arrives late, within the lag
      if (rnd() < 0.005) at += 5_000 + Math.floor(rnd() * 30_000) // arrives very late
      evs.push({ kind: 'trade', at, trade: { symbol, ts, price, size, conditions, seq } })
      if (tie) {
        seq += 1
        evs.push({ kind: 'trade', at: at + 1, trade: { symbol, ts, price: Math.round(p * 1.001 * 100) / 100, size: 100, conditions: [], seq } })
      }
    }
  })
  const titles = [
    'Apple shares rise on strong iPhone demand',
    'Apple shares rise on strong iPhone sales',
    'Chipmaker warns on profits as demand slows',
    'Regulators open probe into cloud deals',
    'Chipmaker warns on profits as orders slow',
    'Bank lifts dividend after record quarter',
  ]
  const tickerPool = ['AAA', 'BBB', 'CCC', 'NOTR']
  for (let i = 0; i < 40; i++) {
    const sh = shocks[i]
    const published = sh ? sh.at - 20_000 : BASE - 5 * M + Math.floor(rnd() * (minutes - 20) * M)
    const r = rnd()
    const latency = r < 0.1 ? -Math.floor(rnd() * 30_000) : r < 0.75 ? Math.floor(rnd() * 120_000) : Math.floor(rnd() * 45 * M)
    const n = rnd() < 0.25 ? 2 : 1
    const tickers: string[] = sh ? [sh.symbol] : []
    while (tickers.length < n) {
      const s = tickerPool[Math.floor(rnd() * tickerPool.length)]!
      if (!tickers.includes(s)) tickers.push(s)
    }
    const title = titles[Math.floor(rnd() * titles.length)]!
    const article: TrackerArticle = { id: `business/x/${i}`, published, receivedAt: published + latency, title, tickers }
    evs.push({ kind: 'article', at: article.receivedAt, article })
    if (rnd() < 0.3) {
      const later = article.receivedAt + Math.floor(rnd() * 25 * M)
      const revTitle = rnd() < 0.5 ? title : `${title} (updated)`
      evs.push({ kind: 'article', at: later, article: { ...article, title: revTitle, receivedAt: later } })
    }
  }
  for (let t = BASE - 70 * M; t < BASE + (minutes + 20) * M; t += 7_000 + Math.floor(rnd() * 20_000)) evs.push({ kind: 'tick', at: t })
  evs.sort((a, b) => a.at - b.at)
  return evs
}

interface KeyState {
  article: { id: string; published: number; receivedAt: number; title: string }
  history: HeadlineRef[]
  last?: ImpactRecordV1
}

/** Feeds a session to the tracker and checks every emitted record against computeImpact on the same data. */
function replay(evs: Ev[], thresholds: SignalThresholds): { emitted: number; keys: Map<string, KeyState>; finals: number } {
  let clockNow = -Infinity
  const tracker = createImpactTracker({ thresholds, clock: { now: () => clockNow } })
  const fed: ImpactTrade[] = []
  const headlines: HeadlineRef[] = [] // arrival order, a revision replaces (moves to the end)
  const firstReceived = new Map<string, number>()
  const keys = new Map<string, KeyState>()
  let emitted = 0
  let finals = 0

  const check = (out: ImpactRecordV1[], where: string): void => {
    const asOf = tracker.now()
    const seen = new Set<string>()
    for (const rec of out) {
      const key = impactKey(rec)
      expect(seen.has(key), `${where}: one record per key per call`).toBe(false)
      seen.add(key)
      const st = keys.get(key)
      if (!st) throw new Error(`${where}: record for unknown key ${key}`)
      if (st.last?.final && rec.final) {
        // Revision of a finished article: numbers stand, the stale flag follows the new title.
        expectSameRecord({ ...rec, stale: st.last.stale }, st.last, `${where} final revision ${key}`)
      } else {
        const want = computeImpact({ article: st.article, symbol: rec.symbol, trades: fed, asOf, thresholds, history: st.history })
        expectSameRecord(rec, want, `${where} ${key} asOf=${asOf}`)
      }
      expect(st.last && JSON.stringify(st.last) === JSON.stringify(rec), `${where}: duplicate record ${key}`).toBeFalsy()
      st.last = rec
      emitted++
      if (rec.final) finals++
    }
  }

  for (const ev of evs) {
    clockNow = ev.at - 1500 // the market-data clock trails arrival a little
    if (ev.kind === 'trade') {
      fed.push(ev.trade)
      check(tracker.onTrade(ev.trade), `trade@${ev.at}`)
    } else if (ev.kind === 'tick') {
      check(tracker.advance(), `tick@${ev.at}`)
    } else {
      const a = ev.article
      const first = Math.min(firstReceived.get(a.id) ?? Infinity, a.receivedAt)
      firstReceived.set(a.id, first)
      const snapshot = [...headlines]
      for (const symbol of new Set(a.tickers)) {
        const key = `${a.id}|${symbol}`
        const st = keys.get(key)
        const article = { id: a.id, published: a.published, receivedAt: first, title: a.title }
        if (st) {
          st.article = article
          st.history = snapshot
        } else keys.set(key, { article, history: snapshot })
      }
      check(tracker.onArticle(a), `article ${a.id}@${ev.at}`)
      for (const symbol of new Set(a.tickers)) {
        const i = headlines.findIndex((h) => h.id === a.id && h.symbol === symbol)
        if (i >= 0) headlines.splice(i, 1)
        headlines.push({ symbol, published: a.published, title: a.title, id: a.id })
      }
    }
  }
  // Let every horizon pass: all records end final.
  const lastAt = evs[evs.length - 1]!.at
  clockNow = lastAt + 60 * M
  check(tracker.advance(), 'end')
  expect(tracker.openRecords()).toEqual([])
  for (const [key, st] of keys) expect(st.last?.final, `${key} ends final`).toBe(true)
  expect(tracker.stats().truncated).toBe(0)
  return { emitted, keys, finals }
}

describe('impact tracker ≡ computeImpact on random sessions', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}`, () => {
      const r = replay(randomSession(seed, 100), DEFAULT_THRESHOLDS)
      // Sanity: the session exercised the paths it was built for.
      expect(r.keys.size).toBeGreaterThan(40)
      expect(r.emitted).toBeGreaterThan(r.keys.size * 2)
      const recs = [...r.keys.values()].map((s) => s.last!)
      expect(recs.some((x) => x.signal === 'up' || x.signal === 'down')).toBe(true)
      expect(recs.some((x) => x.stale)).toBe(true)
      expect(recs.some((x) => x.p0 === null)).toBe(true) // NOTR has no trades
    })
  }
  it('with low thresholds', () => {
    replay(randomSession(9, 60), { z: 1, rvol: 1.5, zWithVolume: 0.5 })
  })
})

describe('impact tracker behaviour', () => {
  const T0 = BASE + 20 * M + 333
  /** One trade a second for AAPL from t0 − 70 m, price stepping a cent per trade, +2 % at t0 + 10 s. */
  function feed(tracker: ReturnType<typeof createImpactTracker>, from: number, to: number, out: ImpactRecordV1[]): void {
    for (let ts = from, i = 0; ts < to; ts += 1000, i++) {
      const price = (100 + (i % 7) * 0.01) * (ts > T0 + 10_000 ? 1.02 : 1)
      out.push(...tracker.onTrade({ symbol: 'AAPL', ts, price, size: 100, conditions: [], seq: i }))
    }
  }
  const article = (over: Partial<TrackerArticle> = {}): TrackerArticle => ({
    id: 'business/a',
    published: T0,
    receivedAt: T0 + 3000,
    title: 'Apple posts surprise profit jump',
    tickers: ['AAPL'],
    ...over,
  })

  it('emits on arrival, at +1, +5 and +15 minutes (final), and nothing in between', () => {
    let now = 0
    const tracker = createImpactTracker({ clock: { now: () => now } })
    const out: ImpactRecordV1[] = []
    feed(tracker, T0 - 70 * M, T0 + 4000, out)
    expect(out).toEqual([])
    now = T0 + 3000
    const first = tracker.onArticle(article())
    expect(first).toHaveLength(1)
    expect(first[0]!.p0).not.toBeNull()
    expect(first[0]!.ret1).toBeNull()
    expect(first[0]!.latencyMs).toBe(3000)
    feed(tracker, T0 + 4000, T0 + 20 * M, out)
    expect(out.map((r) => [r.ret1 !== null, r.ret5 !== null, r.ret15 !== null, r.final])).toEqual([
      [true, false, false, false],
      [true, true, false, false],
      [true, true, true, true],
    ])
    expect(out[1]!.signal).toBe('up')
    expect(tracker.openRecords()).toEqual([])
  })

  it('a late article (published 20 min ago) gets one final record at once', () => {
    const tracker = createImpactTracker({ clock: { now: () => T0 + 20 * M } })
    feed(tracker, T0 - 70 * M, T0 + 20 * M, [])
    const out = tracker.onArticle(article({ receivedAt: T0 + 20 * M }))
    expect(out).toHaveLength(1)
    expect(out[0]!.final).toBe(true)
    expect(out[0]!.latencyMs).toBe(20 * M)
    expect(out[0]!.signal).toBe('up')
    expect(tracker.advance(T0 + 60 * M)).toEqual([])
  })

  it('a symbol without trades and a halted one are finished by clock ticks alone', () => {
    let now = T0
    const tracker = createImpactTracker({ clock: { now: () => now } })
    feed(tracker, T0 - 70 * M, T0 - 5000, [])
    const first = tracker.onArticle(article({ tickers: ['AAPL', 'NOPE'] }))
    expect(first.map((r) => r.symbol)).toEqual(['AAPL', 'NOPE'])
    expect(first[1]!.p0).toBeNull()
    now = T0 + 16 * M
    const done = tracker.advance()
    expect(done.map((r) => [r.symbol, r.ret15, r.final])).toEqual([
      ['AAPL', 0, true],
      ['NOPE', null, true],
    ])
  })

  it('revisions: identical ones emit nothing; a new title re-evaluates stale under the same key; latency keeps the first receipt', () => {
    let now = T0
    const tracker = createImpactTracker({ clock: { now: () => now } })
    feed(tracker, T0 - 70 * M, T0 + 2000, [])
    tracker.onArticle(article({ id: 'business/older', published: T0 - 60 * M, title: 'Apple to cut jobs in services' }))
    const a = tracker.onArticle(article())
    expect(a[0]!.stale).toBe(false)
    now = T0 + 30_000
    expect(tracker.onArticle(article({ receivedAt: T0 + 30_000 }))).toEqual([])
    const b = tracker.onArticle(article({ receivedAt: T0 + 40_000, title: 'Apple to cut jobs in services unit' }))
    expect(b).toHaveLength(1)
    expect(impactKey(b[0]!)).toBe(impactKey(a[0]!))
    expect(b[0]!.stale).toBe(true)
    expect(b[0]!.latencyMs).toBe(3000)
    // A revision that adds a symbol tracks it too; the earlier symbol keeps being tracked.
    const c = tracker.onArticle(article({ title: 'Apple to cut jobs in services unit', tickers: ['MSFT'] }))
    expect(c.map((r) => r.symbol)).toEqual(['MSFT'])
    now = T0 + 16 * M
    expect(tracker.advance().map((r) => [r.symbol, r.final])).toEqual([
      ['AAPL', true],
      ['MSFT', true],
    ])
  })

  it('keeps memory bounded: entries never exceed the retention window', () => {
    const tracker = createImpactTracker({ clock: { now: () => 0 }, retentionMs: 80 * M })
    let seq = 0
    for (let ts = BASE; ts < BASE + 4 * 60 * M; ts += 250) {
      tracker.onTrade({ symbol: 'AAPL', ts, price: 100, size: 1, conditions: [], seq: seq++ })
      tracker.onTrade({ symbol: 'MSFT', ts, price: 100, size: 1, conditions: [], seq: seq++ })
    }
    // 80 min at 4 trades a second per symbol, plus one eviction step of slack.
    expect(tracker.stats().entries).toBeLessThanOrEqual(2 * (80 * 60 * 4 + 10 * 4 + 8))
    expect(tracker.stats().entries).toBeGreaterThanOrEqual(2 * 80 * 60 * 4)
  })

  it('an article older than the retained history is still answered and counted as truncated', () => {
    const tracker = createImpactTracker({ clock: { now: () => BASE + 200 * M }, retentionMs: 80 * M })
    let seq = 0
    for (let ts = BASE; ts < BASE + 200 * M; ts += 1000) tracker.onTrade({ symbol: 'AAPL', ts, price: 100 + (seq % 3), size: 10, conditions: [], seq: seq++ })
    const out = tracker.onArticle(article({ published: BASE + 90 * M, receivedAt: BASE + 200 * M }))
    expect(out).toHaveLength(1)
    expect(out[0]!.final).toBe(true)
    expect(tracker.stats().truncated).toBeGreaterThan(0)
  })

  it('rejects impossible trades without crashing', () => {
    const tracker = createImpactTracker({ clock: { now: () => 0 } })
    expect(tracker.onTrade({ symbol: 'AAPL', ts: BASE, price: -1, size: 1, seq: 1 })).toEqual([])
    expect(tracker.onTrade({ symbol: 'AAPL', ts: Number.NaN, price: 1, size: 1, seq: 1 })).toEqual([])
    expect(tracker.stats().rejectedTrades).toBe(2)
    expect(tracker.stats().entries).toBe(0)
  })

  it('setThresholds re-emits open records whose signal changes', () => {
    let now = T0
    const tracker = createImpactTracker({ clock: { now: () => now } })
    feed(tracker, T0 - 70 * M, T0 + 2000, [])
    tracker.onArticle(article())
    const out: ImpactRecordV1[] = []
    feed(tracker, T0 + 2000, T0 + 6 * M, out)
    expect(out.at(-1)!.signal).toBe('up')
    now = T0 + 6 * M
    const again = tracker.setThresholds({ z: 1e9, rvol: 1e9, zWithVolume: 1e9 })
    expect(again.map((r) => r.signal)).toEqual(['none'])
    expect(tracker.setThresholds({ z: 1e9, rvol: 1e9, zWithVolume: 1e9 })).toEqual([])
  })
})
