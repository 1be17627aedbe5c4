import type { Bar, SymbolSummary, Timeframe } from '@domain/market'
import type { Article, ImpactRecord } from '@domain/news'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS, moveId, type MoveAlert } from '@domain/impact'
import type { SymbolUpdate } from '@domain/market'
import type { StatusSnapshot } from '@domain/status'

export const bar = (symbol: string, startSec: number, close: number, extra: Partial<Bar> = {}): Bar => ({
  symbol,
  start: startSec * 1000,
  end: startSec * 1000 + 60_000,
  open: close,
  high: close,
  low: close,
  close,
  volume: 10,
  vwap: close,
  trades: 1,
  source: 'trades',
  ...extra,
})

export const summary = (symbol: string, last: number, extra: Partial<SymbolSummary> = {}): SymbolSummary => ({
  symbol,
  last,
  ref: 100,
  change: last - 100,
  changePct: last - 100,
  dayVolume: 1_234_567,
  lastTs: 0,
  ...extra,
})

export const update = (symbol: string, bars: Partial<Record<Timeframe, Bar>>, corrected: Timeframe[] = [], last = 101): SymbolUpdate => ({
  symbol,
  bars,
  corrected,
  summary: summary(symbol, last),
})

export const article = (id: string, published: number, tickers: string[], extra: Partial<Article> = {}): Article => ({
  id,
  published,
  updated: published,
  title: `Headline ${id}`,
  url: `https://www.theguardian.com/${id}`,
  section: 'business',
  type: 'article',
  trailText: '',
  tickers,
  query: '',
  receivedAt: published + 2_500,
  stale: false,
  ...extra,
})

export const impact = (articleId: string, symbol: string, extra: Partial<ImpactRecord> = {}): ImpactRecord => ({
  ...blankImpactRecord({ articleId, symbol, published: 0, receivedAt: 2_500, asOf: 0, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' }),
  p0: 100,
  sigma: 0.001,
  source: 'live',
  ...extra,
})

/** A move alert: TSLA −5.7 % (log −0.0587) over 40 s, 8σ, beyond the market, no headline yet. */
export const move = (symbol: string, detectedAt: number, extra: Partial<MoveAlert> = {}): MoveAlert => ({
  id: moveId(symbol, detectedAt),
  symbol,
  windowStart: detectedAt - 40_000,
  detectedAt,
  direction: 'down',
  size: Math.log(1 - 0.057),
  z: -8,
  sigma: 0.0073,
  beta: 1.2,
  adjusted: true,
  price: 250.5,
  headlines: [],
  settings: { proxy: 'SPY', zMove: 4 },
  origin: 'app',
  ...extra,
})

export const statusSnapshot = (over: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  paused: false,
  feed: { state: 'live', message: '', retryAt: null, attempt: 0, malformed: 0, msgsPerSec: 42.4, backfilledBars: 0 },
  news: { state: 'waiting', message: '', callsToday: 17, dailyBudget: 500, nextPollAt: 90_000, lastPollAt: 0, lastError: null },
  kafka: { state: 'spooling', message: 'broker away', spooledRecords: 1234, spooledBytes: 2 * 1024 * 1024, droppedRecords: 0, recordsPerSec: 0, bytesPerSec: 0, lastError: 'ECONNREFUSED' },
  ...over,
})
