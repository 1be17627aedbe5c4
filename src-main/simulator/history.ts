// Minute history of the regular sessions before the tape's origin. The tape (ticks) starts at `origin`; what the
// app needs from earlier days is minute bars (the sigma floor and the time-of-day volume baseline of news impact
// v2), so the last HISTORY_SESSIONS weekday sessions (09:30–16:00 ET, holidays not modelled) that closed by the
// origin get synthetic minute bars: deterministic per (seed, symbol, origin), a random walk with the symbol's
// volatility made of the market's minute returns (one path per (seed, origin), shared by every symbol) times its beta
// plus its own noise, ending at its start price (where the tape begins), trade counts following the same intraday U-shape
// and rate as the tape. REST minute/hour/day aggregates and `prev` serve them; `/v3/trades` and second bars do not
// (there are no ticks before the origin).
import { easternParts, easternWallToUtc } from '../domain/eastern-time'
import { round4, type RestBar } from './bars'
import { intradayFactor } from './intraday'
import type { SymbolMarket } from './market'
import { hashSeed, Rng } from './prng'
import { MARKET_VOL, roundCent } from './symbols'

export const HISTORY_SESSIONS = 5
const OPEN_MIN = 9 * 60 + 30
const SESSION_MINUTES = 390
const YEAR_MS = 252 * 6.5 * 3_600_000
/** Mean volume per counted print on the tape (round lots, odd lots, blocks; measured ≈ 200), for synthetic volume. */
const MEAN_PRINT = 200

/** [open, close) of the last `n` weekday regular sessions that closed at or before `origin`, oldest first. */
export function sessionsBefore(origin: number, n = HISTORY_SESSIONS): [number, number][] {
  const out: [number, number][] = []
  // Walk back day by day from the origin's Eastern date (noon keeps clear of the DST hour).
  let p = easternParts(origin)
  let noon = easternWallToUtc(p.y, p.m, p.d, 12 * 60)
  for (let guard = 0; out.length < n && guard < 40; guard++) {
    p = easternParts(noon)
    if (p.dow !== 0 && p.dow !== 6) {
      const open = easternWallToUtc(p.y, p.m, p.d, OPEN_MIN)
      const close = open + SESSION_MINUTES * 60_000
      if (close <= origin) out.push([open, close])
    }
    noon -= 86_400_000
    p = easternParts(noon)
    noon = easternWallToUtc(p.y, p.m, p.d, 12 * 60)
  }
  return out.reverse()
}

const cache = new WeakMap<SymbolMarket, RestBar[]>()
const marketCache = new Map<string, Float64Array>()

/** The market's log returns of every history minute (and the overnight gaps, at each session's first minute). */
function marketMinutes(seed: number, origin: number, sessions: number): Float64Array {
  const key = `${seed}:${origin}`
  const hit = marketCache.get(key)
  if (hit) return hit
  const rng = new Rng(hashSeed(seed, `history-market:${origin}`))
  const sdMinute = MARKET_VOL * Math.sqrt(60_000 / YEAR_MS)
  const sdOvernight = MARKET_VOL * Math.sqrt((17.5 * 3_600_000 * 0.15) / YEAR_MS)
  const out = new Float64Array(sessions * SESSION_MINUTES)
  for (let s = 0; s < sessions; s++) {
    for (let k = 0; k < SESSION_MINUTES; k++) out[s * SESSION_MINUTES + k] = sdMinute * rng.normal()
    if (s > 0) out[s * SESSION_MINUTES] = (out[s * SESSION_MINUTES] ?? 0) + sdOvernight * rng.normal()
  }
  if (marketCache.size > 16) marketCache.clear()
  marketCache.set(key, out)
  return out
}

/** The synthetic minute bars of the sessions before `market.origin`, in time order (cached per market). */
export function historyMinuteBars(seed: number, market: SymbolMarket): RestBar[] {
  const hit = cache.get(market)
  if (hit) return hit
  const p = market.profile
  const rng = new Rng(hashSeed(seed, `history:${p.symbol}:${market.origin}`))
  const sessions = sessionsBefore(market.origin)
  const sdMinute = p.vol * Math.sqrt(60_000 / YEAR_MS)
  const sdOwn = p.idioVol * Math.sqrt(60_000 / YEAR_MS)
  const sdOvernight = p.idioVol * Math.sqrt((17.5 * 3_600_000 * 0.15) / YEAR_MS)
  const marketRets = marketMinutes(seed, market.origin, sessions.length)
  // Log-price path forward (close of every minute), then shifted so the last close is the start price.
  const closes: number[] = []
  const opens: number[] = []
  let logP = 0
  for (let s = 0; s < sessions.length; s++) {
    if (s > 0) logP += sdOvernight * rng.normal()
    for (let k = 0; k < SESSION_MINUTES; k++) {
      opens.push(logP)
      logP += p.beta * (marketRets[s * SESSION_MINUTES + k] ?? 0) + sdOwn * rng.normal()
      closes.push(logP)
    }
  }
  const shift = Math.log(p.startPrice) - logP
  const rate = p.baseRate * market.intensity * 60
  const bars: RestBar[] = []
  let j = 0
  for (const [open] of sessions) {
    for (let k = 0; k < SESSION_MINUTES; k++, j++) {
      const t = open + k * 60_000
      const o = roundCent(Math.exp((opens[j] ?? 0) + shift))
      const c = roundCent(Math.exp((closes[j] ?? 0) + shift))
      const h = roundCent(Math.max(o, c) * Math.exp(0.5 * sdMinute * Math.abs(rng.normal())))
      const l = roundCent(Math.min(o, c) * Math.exp(-0.5 * sdMinute * Math.abs(rng.normal())))
      const n = Math.max(1, Math.round(rate * intradayFactor(t) * Math.exp(0.3 * rng.normal() - 0.045)))
      const v = Math.max(1, Math.round(n * MEAN_PRINT * Math.exp(0.3 * rng.normal() - 0.045)))
      const vw = round4(Math.min(h, Math.max(l, (h + l + 2 * c) / 4)))
      bars.push({ o, h: Math.max(h, o, c), l: Math.min(l, o, c), c, v, vw, n, t })
    }
  }
  cache.set(market, bars)
  return bars
}

/** Minute bars merged into the windows of `windowOf` (first open, last close, high, low, summed v and n, vw by v). */
export function mergeBars(minutes: readonly RestBar[], windowOf: (ts: number) => [number, number]): RestBar[] {
  const out: RestBar[] = []
  let cur: RestBar | null = null
  let pv = 0
  const flush = (): void => {
    if (cur) out.push({ ...cur, vw: cur.v > 0 ? round4(pv / cur.v) : cur.vw })
  }
  for (const b of minutes) {
    const [start] = windowOf(b.t)
    if (cur && cur.t === start) {
      cur.h = Math.max(cur.h, b.h)
      cur.l = Math.min(cur.l, b.l)
      cur.c = b.c
      cur.v += b.v
      cur.n += b.n
      pv += b.vw * b.v
    } else {
      flush()
      cur = { ...b, t: start }
      pv = b.vw * b.v
    }
  }
  flush()
  return out
}
