// Online news-impact tracker for the ingest worker. Fed trades and tagged articles, it emits ImpactRecords
// (events; same key `<articleId>|<symbol>` = replacement) on arrival, as t0, +1, +5 and +15 minutes pass,
// the last one with final = true. Every record equals computeImpact() on the trades fed so far, at
// asOf = tracker.now() when it was emitted (see tracker.test.ts).
import type { Article, ImpactRecordV1, SignalThresholds } from '../domain/news'
import { DEFAULT_THRESHOLDS, impactKey } from '../domain/news'
import type { ImpactArticle, ImpactTrade } from './impact'
import { BASELINE_MS, MINUTE_MS, impactFromSource, validTrade } from './impact'
import { SymbolSeries } from './series'
import type { HeadlineRef } from './stale'
import { STALE_WINDOW_MS, isStale } from './stale'
import { tradeFlags } from './trade-conditions'

export interface Clock {
  now(): number
}

export interface ImpactTrackerOptions {
  thresholds?: SignalThresholds
  /**
   * The market-data clock: time up to which the trade feed is believed complete (simulated time in demo mode,
   * wall time minus the feed's delay on delayed plans). Read on every onArticle and argument-less advance().
   */
  clock: Clock
  /** Trade history kept per symbol, ms. Default 2 h: exact for articles up to 60 min late. Min 75 min. */
  retentionMs?: number
  /** A trade at ts moves the tracker's time to ts − lagMs, leaving room for slightly out-of-order trades. Default 1 s. */
  lagMs?: number
  /** Headlines kept per symbol for stale detection. Default 200. */
  maxHeadlinesPerSymbol?: number
  /** Final records remembered for revisions of old articles. Default 10 000. */
  maxFinalRecords?: number
}

export type TrackerArticle = Pick<Article, 'id' | 'published' | 'receivedAt' | 'title' | 'tickers'>

export interface ImpactTrackerStats {
  trades: number
  rejectedTrades: number
  articles: number
  open: number
  emitted: number
  /** Records computed for an article whose pre-t0 hour had already been evicted (numbers approximate). */
  truncated: number
  /** Timestamps held across all symbols' series (bounded by retention). */
  entries: number
}

export interface ImpactTracker {
  onTrade(trade: ImpactTrade): ImpactRecordV1[]
  onArticle(article: TrackerArticle): ImpactRecordV1[]
  /** Move the tracker's time to `now` (default clock.now()); emits records whose horizons passed. */
  advance(now?: number): ImpactRecordV1[]
  /** New thresholds apply at once to open records (re-emitted when their signal changes). */
  setThresholds(thresholds: SignalThresholds): ImpactRecordV1[]
  /** The tracker's time: the asOf of records it emits. */
  now(): number
  /** Latest record of every open (not yet final) key. */
  openRecords(): ImpactRecordV1[]
  stats(): ImpactTrackerStats
}

interface Tracked {
  article: ImpactArticle
  symbol: string
  stale: boolean
  /** Next time at which the record can change (t0, +1, +5, +15 m), Infinity when final. */
  nextDue: number
  last: ImpactRecordV1
}

const MIN_RETENTION_MS = 75 * MINUTE_MS
const DUE_OFFSETS = [0, 1 * MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS]
const EVICT_EVERY_MS = 10_000

export function createImpactTracker(options: ImpactTrackerOptions): ImpactTracker {
  const clock = options.clock
  let thresholds = options.thresholds ?? DEFAULT_THRESHOLDS
  const retentionMs = Math.max(options.retentionMs ?? 120 * MINUTE_MS, MIN_RETENTION_MS)
  const lagMs = Math.max(0, options.lagMs ?? 1000)
  const maxHeadlines = options.maxHeadlinesPerSymbol ?? 200
  const maxFinal = options.maxFinalRecords ?? 10_000

  const series = new Map<string, SymbolSeries>()
  const open = new Map<string, Tracked>()
  const finals = new Map<string, Tracked>()
  const headlines = new Map<string, HeadlineRef[]>()
  const firstReceived = new Map<string, number>()
  const stats: ImpactTrackerStats = { trades: 0, rejectedTrades: 0, articles: 0, open: 0, emitted: 0, truncated: 0, entries: 0 }

  let time = -Infinity
  let nextDueMin = Infinity
  let nextEvictAt = -Infinity

  const seriesFor = (symbol: string): SymbolSeries => {
    let s = series.get(symbol)
    if (!s) {
      s = new SymbolSeries()
      // A symbol first seen now has no history before the window anyway.
      series.set(symbol, s)
    }
    return s
  }

  const compute = (t: Tracked): ImpactRecordV1 => {
    const s = series.get(t.symbol)
    const source = s ?? EMPTY_SOURCE
    if (s && t.article.published - BASELINE_MS < s.evictedBefore) stats.truncated++
    return impactFromSource(source, t.article, t.symbol, time, thresholds, t.stale)
  }

  const dueAfter = (t0: number, now: number): number => {
    for (const off of DUE_OFFSETS) if (t0 + off > now) return t0 + off
    return Infinity
  }

  const emitIfChanged = (t: Tracked, rec: ImpactRecordV1, out: ImpactRecordV1[], force = false): void => {
    if (!force && sameRecord(t.last, rec)) return
    t.last = rec
    out.push(rec)
    stats.emitted++
  }

  const finish = (key: string, t: Tracked): void => {
    open.delete(key)
    finals.set(key, t)
    if (finals.size > maxFinal) {
      const oldest = finals.keys().next().value
      if (oldest !== undefined) finals.delete(oldest)
    }
  }

  const refreshNextDue = (): void => {
    let m = Infinity
    for (const t of open.values()) if (t.nextDue < m) m = t.nextDue
    nextDueMin = m
  }

  const evict = (): void => {
    let boundary = time - retentionMs
    // Keep the hour before t0 of every open record so its later updates stay exact.
    for (const t of open.values()) boundary = Math.min(boundary, t.article.published - BASELINE_MS)
    for (const s of series.values()) s.evict(boundary)
    nextEvictAt = time + EVICT_EVERY_MS
  }

  const advanceTo = (now: number, out: ImpactRecordV1[]): void => {
    if (!(now > time)) return
    time = now
    if (time >= nextDueMin) {
      for (const [key, t] of open) {
        if (t.nextDue > time) continue
        emitIfChanged(t, compute(t), out)
        t.nextDue = dueAfter(t.article.published, time)
        if (t.last.final) finish(key, t)
      }
      refreshNextDue()
    }
    if (time >= nextEvictAt) evict()
  }

  const rememberHeadline = (symbol: string, ref: HeadlineRef): void => {
    let list = headlines.get(symbol)
    if (!list) {
      list = []
      headlines.set(symbol, list)
    }
    const i = list.findIndex((h) => h.id === ref.id)
    if (i >= 0) list.splice(i, 1)
    list.push(ref)
    // Bounded: drop what can no longer be within 24 h of any article we could still be handed.
    const horizon = time - 2 * STALE_WINDOW_MS
    while (list.length > maxHeadlines || (list.length > 0 && list[0]!.published < horizon)) list.shift()
  }

  const tracker: ImpactTracker = {
    onTrade(trade) {
      const out: ImpactRecordV1[] = []
      if (!validTrade(trade)) {
        stats.rejectedTrades++
        return out
      }
      stats.trades++
      const f = tradeFlags(trade.conditions)
      seriesFor(trade.symbol).add(trade.ts, trade.price, trade.size, trade.seq, f.updatesLast, f.updatesVolume)
      advanceTo(trade.ts - lagMs, out)
      return out
    },

    onArticle(article) {
      const out: ImpactRecordV1[] = []
      if (!validArticle(article)) return out
      stats.articles++
      advanceTo(clock.now(), out)
      // Latency is how late the story first reached us: revisions keep the first receipt time.
      const prevReceived = firstReceived.get(article.id)
      const receivedAt = prevReceived === undefined ? article.receivedAt : Math.min(prevReceived, article.receivedAt)
      firstReceived.set(article.id, receivedAt)
      const a: ImpactArticle = { id: article.id, published: article.published, receivedAt, title: article.title }
      const symbols = [...new Set(article.tickers)]
      // Stale against what was known before this revision (all symbols first, then remember this one).
      const staleBySymbol = symbols.map((s) => isStale(a.title, s, a.published, headlines.get(s) ?? [], a.id))
      symbols.forEach((symbol, i) => {
        const key = impactKey({ articleId: a.id, symbol })
        const stale = staleBySymbol[i]!
        const known = open.get(key) ?? finals.get(key)
        if (known && finals.has(key) && known.article.published === a.published) {
          // A late revision of a finished article: its numbers stand (the trades may be evicted by now);
          // only the headline-dependent flag can change.
          known.article = a
          known.stale = stale
          emitIfChanged(known, { ...known.last, stale, latencyMs: a.receivedAt - a.published }, out)
        } else if (known) {
          known.article = a
          known.stale = stale
          emitIfChanged(known, compute(known), out)
          known.nextDue = dueAfter(a.published, time)
          if (known.last.final) finish(key, known)
          else if (finals.delete(key)) open.set(key, known)
        } else {
          const t: Tracked = { article: a, symbol, stale, nextDue: dueAfter(a.published, time), last: undefined as unknown as ImpactRecordV1 }
          emitIfChanged(t, compute(t), out, true)
          if (t.last.final) finish(key, t)
          else open.set(key, t)
        }
      })
      for (const symbol of symbols) rememberHeadline(symbol, { symbol, published: a.published, title: a.title, id: a.id })
      refreshNextDue()
      return out
    },

    advance(now) {
      const out: ImpactRecordV1[] = []
      const t = now ?? clock.now()
      if (Number.isFinite(t)) advanceTo(t, out)
      return out
    },

    setThresholds(next) {
      thresholds = next
      const out: ImpactRecordV1[] = []
      for (const t of open.values()) emitIfChanged(t, compute(t), out)
      return out
    },

    now: () => time,
    openRecords: () => [...open.values()].map((t) => t.last),
    stats: () => {
      let entries = 0
      for (const s of series.values()) entries += s.size
      return { ...stats, open: open.size, entries }
    },
  }
  return tracker
}

const EMPTY_SOURCE = { priceAt: (): null => null, volume: (): number => 0 }

function validArticle(a: TrackerArticle): boolean {
  return typeof a.id === 'string' && Number.isFinite(a.published) && Number.isFinite(a.receivedAt) && Array.isArray(a.tickers)
}

const RECORD_KEYS: readonly (keyof ImpactRecordV1)[] = [
  'articleId', 'symbol', 'published', 'p0', 'ret1', 'ret5', 'ret15', 'sigma', 'z1', 'z5', 'z15', 'rvol5', 'signal',
  'latencyMs', 'stale', 'origin', 'final',
]

function sameRecord(a: ImpactRecordV1 | undefined, b: ImpactRecordV1): boolean {
  if (!a) return false
  for (const k of RECORD_KEYS) if (a[k] !== b[k]) return false
  return true
}
