// News impact maths (fixtures/news-impact/README.md). One formula core, fed either by a batch of trades
// (computeImpact, golden vectors) or by the online tracker's bounded per-symbol store (tracker.ts).
import type { Trade } from '../domain/market'
import type { ImpactRecordV1, Signal, SignalThresholds } from '../domain/news'
import { DEFAULT_THRESHOLDS } from '../domain/news'
import type { HeadlineRef } from './stale'
import { isStale } from './stale'
import { tradeFlags } from './trade-conditions'

export const MINUTE_MS = 60_000
export const HORIZONS = [1, 5, 15] as const
export const SIGMA_POINTS = 30
export const BASELINE_MS = 60 * MINUTE_MS

/** What the formulas need from a symbol's trade history. */
export interface PriceVolumeSource {
  /** Price of the last last-updating trade with ts ≤ t (ties: highest seq), null when none. */
  priceAt(t: number): number | null
  /** Sum of `size` of volume-counting trades with a ≤ ts < b. */
  volume(a: number, b: number): number
}

export interface ImpactArticle {
  id: string
  published: number
  receivedAt: number
  title: string
}

export type ImpactTrade = Pick<Trade, 'symbol' | 'ts' | 'price' | 'size' | 'seq'> & { conditions?: number[] }

export interface ImpactInput {
  article: ImpactArticle
  symbol: string
  trades: readonly ImpactTrade[]
  asOf: number
  thresholds?: SignalThresholds
  /** Earlier headlines (any symbol; filtered here) for stale detection. */
  history?: readonly HeadlineRef[]
}

/** Batch form: the record for `symbol` as known at `asOf` (trades after asOf are not known yet and ignored). */
export function computeImpact(input: ImpactInput): ImpactRecordV1 {
  const source = sourceFromTrades(input.trades, input.symbol)
  const stale = isStale(input.article.title, input.symbol, input.article.published, input.history ?? [], input.article.id)
  return impactFromSource(source, input.article, input.symbol, input.asOf, input.thresholds ?? DEFAULT_THRESHOLDS, stale)
}

/** The formula core shared by batch and online paths. */
export function impactFromSource(
  source: PriceVolumeSource,
  article: ImpactArticle,
  symbol: string,
  asOf: number,
  thresholds: SignalThresholds,
  stale: boolean,
): ImpactRecordV1 {
  const t0 = article.published
  // Knowledge as of asOf: a price is never read past asOf (matters only for articles dated after asOf).
  const price = (t: number): number | null => source.priceAt(Math.min(t, asOf))
  const p0 = price(t0)

  const ret = (k: number): number | null => {
    const t = t0 + k * MINUTE_MS
    if (p0 === null || asOf < t) return null
    const pk = price(t)
    return pk === null ? null : pk / p0 - 1
  }
  const ret1 = ret(1)
  const ret5 = ret(5)
  const ret15 = ret(15)

  const sigma = sigmaAt(price, t0)
  const z = (r: number | null, k: number): number | null =>
    r === null || sigma === null || sigma === 0 ? null : Math.log(1 + r) / (sigma * Math.sqrt(k))
  const z1 = z(ret1, 1)
  const z5 = z(ret5, 5)
  const z15 = z(ret15, 15)

  let rvol5: number | null = null
  const fiveDone = asOf >= t0 + 5 * MINUTE_MS
  if (fiveDone) {
    const base = source.volume(t0 - BASELINE_MS, t0) / 12
    rvol5 = base === 0 ? null : source.volume(t0, t0 + 5 * MINUTE_MS) / base
  }
  const signal: Signal | null = fiveDone ? decideSignal(z5, rvol5, thresholds) : null

  return {
    articleId: article.id,
    symbol,
    published: t0,
    p0,
    ret1,
    ret5,
    ret15,
    sigma,
    z1,
    z5,
    z15,
    rvol5,
    signal,
    latencyMs: article.receivedAt - article.published,
    stale,
    origin: 'app',
    final: asOf >= t0 + 15 * MINUTE_MS,
  }
}

/** Sample standard deviation of the 1-minute log returns between the 31 points t0−30m … t0; null under 2 returns. */
export function sigmaAt(price: (t: number) => number | null, t0: number): number | null {
  const rets: number[] = []
  let prev = price(t0 - SIGMA_POINTS * MINUTE_MS)
  for (let i = SIGMA_POINTS - 1; i >= 0; i--) {
    const cur = price(t0 - i * MINUTE_MS)
    if (prev !== null && cur !== null) rets.push(Math.log(cur / prev))
    prev = cur
  }
  const n = rets.length
  if (n < 2) return null
  let mean = 0
  for (const r of rets) mean += r
  mean /= n
  let ss = 0
  for (const r of rets) ss += (r - mean) * (r - mean)
  return Math.sqrt(ss / (n - 1))
}

export function decideSignal(z5: number | null, rvol5: number | null, t: SignalThresholds): Signal {
  if (z5 === null) return 'none'
  const a = Math.abs(z5)
  const fires = a >= t.z || (rvol5 !== null && rvol5 >= t.rvol && a >= t.zWithVolume)
  if (!fires) return 'none'
  // z5 = 0 can only fire with a zero threshold; it has no direction.
  return z5 > 0 ? 'up' : z5 < 0 ? 'down' : 'none'
}

/** A source over a batch of trades (any order): sorted by ts, ties by seq, then input order. */
export function sourceFromTrades(trades: readonly ImpactTrade[], symbol: string): PriceVolumeSource {
  const mine: { t: ImpactTrade; i: number }[] = []
  trades.forEach((t, i) => {
    if (t.symbol === symbol && validTrade(t)) mine.push({ t, i })
  })
  mine.sort((a, b) => a.t.ts - b.t.ts || a.t.seq - b.t.seq || a.i - b.i)
  const pTs: number[] = []
  const pPx: number[] = []
  const vTs: number[] = []
  const vCum: number[] = [] // vCum[j] = volume of volume trades [0, j)
  let cum = 0
  vCum.push(0)
  for (const { t } of mine) {
    const f = tradeFlags(t.conditions)
    if (f.updatesLast) {
      pTs.push(t.ts)
      pPx.push(t.price)
    }
    if (f.updatesVolume) {
      vTs.push(t.ts)
      cum += t.size
      vCum.push(cum)
    }
  }
  return {
    priceAt(t) {
      const j = upperBound(pTs, t) - 1
      return j >= 0 ? pPx[j]! : null
    },
    volume(a, b) {
      if (b <= a) return 0
      return vCum[lowerBound(vTs, b)]! - vCum[lowerBound(vTs, a)]!
    },
  }
}

/** First index with xs[i] ≥ x. */
export function lowerBound(xs: readonly number[], x: number, lo = 0, hi = xs.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1
    if (xs[m]! < x) lo = m + 1
    else hi = m
  }
  return lo
}

/** First index with xs[i] > x. */
export function upperBound(xs: readonly number[], x: number, lo = 0, hi = xs.length): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1
    if (xs[m]! <= x) lo = m + 1
    else hi = m
  }
  return lo
}

/** Trades that cannot be real (non-positive or non-finite price, negative size) are ignored by both paths. */
export function validTrade(t: ImpactTrade): boolean {
  return (
    typeof t.symbol === 'string' &&
    Number.isFinite(t.ts) &&
    Number.isFinite(t.price) &&
    t.price > 0 &&
    Number.isFinite(t.size) &&
    t.size >= 0 &&
    Number.isFinite(t.seq)
  )
}
