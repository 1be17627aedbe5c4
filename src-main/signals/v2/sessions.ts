// Trading days and sessions in ET (docs/impact-v2.md "Session"): pre [04:00, 09:30), regular [09:30, 16:00),
// post [16:00, 20:00). The hot path asks for every print, so the last two days' boundaries are cached (the ET
// conversion allocates a Date).
import { easternDayStart, easternParts, easternWallToUtc } from '../../domain/eastern-time'

export interface TradingDay {
  /** ET midnight starting the day (UTC ms): the day's key. */
  start: number
  /** ET midnight ending it. */
  end: number
  pre: number
  regular: number
  post: number
  close: number
}

function computeDay(ts: number): TradingDay {
  const start = easternDayStart(ts)
  const { y, m, d } = easternParts(start + 3_600_000 * 12)
  return {
    start,
    end: easternDayStart(start + 26 * 3_600_000),
    pre: easternWallToUtc(y, m, d, 240),
    regular: easternWallToUtc(y, m, d, 570),
    post: easternWallToUtc(y, m, d, 960),
    close: easternWallToUtc(y, m, d, 1200),
  }
}

let cacheA: TradingDay = computeDay(0)
let cacheB: TradingDay = cacheA

/** The ET trading day containing `ts`. */
export function tradingDay(ts: number): TradingDay {
  if (ts >= cacheA.start && ts < cacheA.end) return cacheA
  if (ts >= cacheB.start && ts < cacheB.end) {
    const t = cacheA
    cacheA = cacheB
    cacheB = t
    return cacheA
  }
  cacheB = cacheA
  cacheA = computeDay(ts)
  return cacheA
}

/** Start of the session containing `ts` (04:00, 09:30 or 16:00 ET of its date), or NaN outside every session. */
export function sessionStart(ts: number): number {
  const d = tradingDay(ts)
  if (ts < d.pre || ts >= d.close) return NaN
  if (ts < d.regular) return d.pre
  if (ts < d.post) return d.regular
  return d.post
}

/** Whether `ts` lies in the regular session of its day. */
export function inRegular(ts: number): boolean {
  const d = tradingDay(ts)
  return ts >= d.regular && ts < d.post
}
