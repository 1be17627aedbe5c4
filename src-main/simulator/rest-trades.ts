// Polygon's tick-level trades endpoint, `GET /v3/trades/{ticker}`, served from the same ground-truth tape the socket
// sends: a trade here is exactly the socket's `T` event (price, `ds` size, conditions, exchange, id, `q`, `pt`,
// `trfi`/`trft`), with every timestamp in nanoseconds. Shape and key order follow the captured body in
// fixtures/polygon/rest-trades-aaa-2022-04-20.json (and the `decimal_size` of the 2021 record next to it).
import { easternDateStart, easternDayStart } from '../domain/eastern-time'
import type { SymbolMarket } from './market'
import { participantTime, trfIdOf } from './tape'
import { decimalSizeText } from './wire'

export const TRADES_DEFAULT_LIMIT = 1000
export const TRADES_MAX_LIMIT = 50_000

const NS_PER_MS = 1_000_000n

/** The window in whole milliseconds of SIP time: [gte, lt). */
export interface TradeWindow {
  gte: number
  lt: number
}

export interface TradesQuery extends TradeWindow {
  order: 'asc' | 'desc'
  limit: number
  /** Resume after this (ts, seq) in `order` (the cursor of `next_url`). */
  after: { ts: number; seq: number } | null
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return q * b === a || a < 0n ? q : q + 1n
}

/**
 * A `timestamp` value as a half-open range of nanoseconds [lo, hi): an integer is one nanosecond; `YYYY-MM-DD` is
 * that Eastern calendar day; an ISO date-time (offset or `Z`, up to 9 fractional digits) is one nanosecond.
 */
export function parseTimestampValue(s: string): [bigint, bigint] | null {
  if (/^\d{1,20}$/.test(s)) {
    const v = BigInt(s)
    return [v, v + 1n]
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const start = easternDateStart(s)
    if (start === null) return null
    const next = easternDayStart(start + 30 * 3_600_000)
    return [BigInt(start) * NS_PER_MS, BigInt(next) * NS_PER_MS]
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s)
  if (!m) return null
  const ms = Date.parse(`${m[1] ?? ''}${m[3] ?? ''}`)
  if (!Number.isFinite(ms)) return null
  const frac = BigInt((m[2] ?? '').padEnd(9, '0'))
  const v = BigInt(ms) * NS_PER_MS + frac
  return [v, v + 1n]
}

/**
 * `timestamp`, `timestamp.gte`/`.gt`/`.lte`/`.lt` to a window of whole milliseconds (the tape's resolution): a
 * trade at `ms` is at `ms × 10⁶` ns. Missing bounds are open. Null when a value does not parse.
 */
export function parseTradeWindow(params: URLSearchParams): TradeWindow | null {
  let lo = -(2n ** 80n) // ns, inclusive
  let hi = 2n ** 80n // ns, exclusive
  const bound = (name: string, apply: (r: [bigint, bigint]) => void): boolean => {
    const v = params.get(name)
    if (v === null || v === '') return true
    const r = parseTimestampValue(v)
    if (!r) return false
    apply(r)
    return true
  }
  const max = (a: bigint, b: bigint): bigint => (a > b ? a : b)
  const min = (a: bigint, b: bigint): bigint => (a < b ? a : b)
  const ok =
    bound('timestamp', ([a, b]) => {
      lo = max(lo, a)
      hi = min(hi, b)
    }) &&
    bound('timestamp.gte', ([a]) => (lo = max(lo, a))) &&
    bound('timestamp.gt', ([, b]) => (lo = max(lo, b))) &&
    bound('timestamp.lte', ([, b]) => (hi = min(hi, b))) &&
    bound('timestamp.lt', ([a]) => (hi = min(hi, a)))
  if (!ok) return null
  // ms × 10⁶ >= lo  <=>  ms >= ceil(lo / 10⁶);  ms × 10⁶ < hi  <=>  ms < ceil(hi / 10⁶).
  const clamp = (v: bigint): number => Number(v > 2n ** 60n ? 2n ** 60n : v < -(2n ** 60n) ? -(2n ** 60n) : v)
  return { gte: clamp(ceilDiv(lo, NS_PER_MS)), lt: clamp(ceilDiv(hi, NS_PER_MS)) }
}

/** The opaque `cursor` of `next_url`: base64url of a query string, as Polygon's are. */
export function encodeCursor(q: TradesQuery): string {
  const p = new URLSearchParams({
    gte: String(q.gte),
    lt: String(q.lt),
    order: q.order,
    limit: String(q.limit),
    ...(q.after ? { ats: String(q.after.ts), aseq: String(q.after.seq) } : {}),
  })
  return Buffer.from(p.toString()).toString('base64url')
}

export function decodeCursor(cursor: string): TradesQuery | null {
  const p = new URLSearchParams(Buffer.from(cursor, 'base64url').toString())
  const num = (k: string): number | null => {
    const v = p.get(k)
    return v !== null && /^-?\d+$/.test(v) ? Number(v) : null
  }
  const gte = num('gte')
  const lt = num('lt')
  const limit = num('limit')
  const order = p.get('order')
  if (gte === null || lt === null || limit === null || (order !== 'asc' && order !== 'desc')) return null
  const ts = num('ats')
  const seq = num('aseq')
  return { gte, lt, order, limit: clampLimit(limit), after: ts !== null && seq !== null ? { ts, seq } : null }
}

export function clampLimit(n: number): number {
  if (!Number.isFinite(n) || n < 1) return TRADES_DEFAULT_LIMIT
  return Math.min(TRADES_MAX_LIMIT, Math.floor(n))
}

/** Nanoseconds from whole milliseconds, as exact JSON integer text (ms × 10⁶ does not fit a double exactly). */
function nsText(ms: number): string {
  return ms === 0 ? '0' : `${ms}000000`
}

/** One trade as the REST body writes it, keys in the captured order; fields the socket omits are omitted. */
function tradeResultJson(market: SymbolMarket, i: number): string {
  const tape = market.trades
  const t = tape.trade(i)
  const id = Number(t.id)
  const trft = t.trft ?? 0
  const pt = participantTime(t.ts, id, trft)
  let s = '{'
  if (t.conditions.length > 0) s += `"conditions":[${t.conditions.join(',')}],`
  s += `"exchange":${t.exchange},"id":"${t.id}","participant_timestamp":${nsText(pt)},"price":${t.price}`
  s += `,"sequence_number":${t.seq},"sip_timestamp":${nsText(t.ts)},"size":${t.size},"tape":${t.tape}`
  if (trft !== 0) s += `,"trf_id":${trfIdOf(id)},"trf_timestamp":${nsText(trft)}`
  return `${s},"decimal_size":"${decimalSizeText(t.size)}"}`
}

/**
 * One page of trades in the window that have reached the tape by `now` (SIP time <= now), in (sip time, sequence)
 * order, and whether more follow. The tape is in that order already (both grow as trades are generated).
 */
export function tradesPage(market: SymbolMarket, q: TradesQuery, now: number): { results: string[]; last: { ts: number; seq: number } | null; more: boolean } {
  const tape = market.trades
  const hi = Math.min(q.lt, now + 1) // exclusive
  const results: string[] = []
  let last: { ts: number; seq: number } | null = null
  if (q.order === 'asc') {
    let i = tape.lowerBound(q.after ? q.after.ts : q.gte)
    if (q.after) while (i < tape.length && tape.ts(i) === q.after.ts && tape.seq(i) <= q.after.seq) i++
    for (; i < tape.length && tape.ts(i) < hi; i++) {
      if (tape.ts(i) < q.gte) continue
      if (results.length === q.limit) return { results, last, more: true }
      results.push(tradeResultJson(market, i))
      last = { ts: tape.ts(i), seq: tape.seq(i) }
    }
    return { results, last, more: false }
  }
  let i = tape.lowerBound(q.after ? q.after.ts + 1 : hi) - 1
  if (q.after) while (i >= 0 && tape.ts(i) === q.after.ts && tape.seq(i) >= q.after.seq) i--
  for (; i >= 0 && tape.ts(i) >= q.gte; i--) {
    if (tape.ts(i) >= hi) continue
    if (results.length === q.limit) return { results, last, more: true }
    results.push(tradeResultJson(market, i))
    last = { ts: tape.ts(i), seq: tape.seq(i) }
  }
  return { results, last, more: false }
}
