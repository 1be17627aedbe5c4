// Polygon REST endpoints the app uses: aggregates (with next_url paging), tick-level trades (`/v3/trades`,
// rest-trades.ts), previous close and the single-ticker snapshot. Everything is computed from the ground-truth tape with the same bar
// arithmetic as the socket's A/AM events.
import { aggregateTrades, round4, type RestBar, type TradeRow } from './bars'
import { historyMinuteBars, mergeBars } from './history'
import { easternDateStart, easternDayStart } from '../domain/eastern-time'
import { LATE_TRF_MS } from './tape'
import { clampLimit, decodeCursor, encodeCursor, parseTradeWindow, TRADES_DEFAULT_LIMIT, tradesPage, type TradesQuery } from './rest-trades'
import type { SymbolMarket } from './market'
import { hashSeed, Rng } from './prng'
import { roundCent, SYMBOL_RE } from './symbols'

export interface RestContext {
  key: string
  freeTier: boolean
  httpBase: string
  /** Wall clock for the free-tier rate limit (it is a real-time limit even in accelerated mode). */
  wallNow(): number
  /** Simulated now. */
  now(): number
  seed: number
  /** The symbol's market, activated and generated up to now; null when the ticker is invalid. */
  market(symbol: string): SymbolMarket | null
  requestId(): string
  /** Wall times of the accepted requests in the last minute (free tier). */
  rateLog: number[]
}

export interface RestResponse {
  status: number
  body: string
}

const FREE_TIER_PER_MINUTE = 5
const DEFAULT_LIMIT = 5000
const MAX_LIMIT = 50_000
const SPAN_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }

function json(status: number, body: unknown): RestResponse {
  return { status, body: JSON.stringify(body) }
}

/** Extract the key from `apiKey=` or `Authorization: Bearer`. */
export function requestKey(url: URL, authorization: string | undefined): string | null {
  const q = url.searchParams.get('apiKey')
  if (q !== null && q !== '') return q
  const m = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null
  return m?.[1] ?? null
}

/** `from`/`to`: `YYYY-MM-DD` (Eastern calendar day) or epoch ms. `to` dates cover the whole day. */
export function parseRangeBound(s: string, isEnd: boolean): number | null {
  if (/^\d+$/.test(s)) return Number(s)
  const start = easternDateStart(s)
  if (start === null) return null
  return isEnd ? easternDayStart(start + 30 * 3_600_000) - 1 : start
}

export function handleRest(ctx: RestContext, url: URL, authorization: string | undefined): RestResponse {
  const request_id = ctx.requestId()
  const key = requestKey(url, authorization)
  if (key === null) return json(401, { status: 'ERROR', request_id, error: 'API Key was not provided' })
  if (key !== ctx.key) return json(401, { status: 'ERROR', request_id, error: 'Unknown API Key' })
  if (ctx.freeTier) {
    const wall = ctx.wallNow()
    while (ctx.rateLog.length > 0 && (ctx.rateLog[0] ?? 0) <= wall - 60_000) ctx.rateLog.shift()
    if (ctx.rateLog.length >= FREE_TIER_PER_MINUTE) {
      return json(429, {
        status: 'ERROR',
        request_id,
        error:
          "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing",
      })
    }
    ctx.rateLog.push(wall)
  }

  const path = url.pathname
  let m = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(path)
  if (m) return aggs(ctx, url, request_id, decodeURIComponent(m[1] ?? ''), m[2] ?? '', m[3] ?? '', m[4] ?? '', m[5] ?? '')
  m = /^\/v3\/trades\/([^/]+)\/?$/.exec(path)
  if (m) return trades(ctx, url, request_id, decodeURIComponent(m[1] ?? ''))
  m = /^\/v2\/aggs\/ticker\/([^/]+)\/prev\/?$/.exec(path)
  if (m) return prev(ctx, url, request_id, decodeURIComponent(m[1] ?? ''))
  m = /^\/v2\/snapshot\/locale\/us\/markets\/stocks\/tickers\/([^/]+)\/?$/.exec(path)
  if (m) return snapshot(ctx, request_id, decodeURIComponent(m[1] ?? ''))
  return json(404, { status: 'NOT_FOUND', request_id, message: 'Not Found' })
}

function badRequest(request_id: string, error: string): RestResponse {
  return json(400, { status: 'ERROR', request_id, error })
}

/**
 * Rows of the tape placed in [from, to] that happened by `now`, in (place, seq) order, reusing one row object
 * (consumers copy what they need). Intraday windows place a print where Polygon's aggregates do (`placeOf`: a late
 * TRF print in the window of its trft, one more than 15 minutes late in none); day windows take every print at its
 * SIP time.
 */
function* rows(market: SymbolMarket, from: number, to: number, now: number, intraday: boolean): Generator<TradeRow> {
  const tape = market.trades
  const row: TradeRow = { ts: 0, price: 0, size: 0, last: true, vol: true }
  const idx: number[] = []
  let sorted = true
  let prev = -Infinity
  const arrivedBy = intraday ? Math.min(now, to + LATE_TRF_MS) : Math.min(now, to)
  for (let i = tape.lowerBound(from); i < tape.length; i++) {
    const ts = tape.ts(i)
    if (ts > arrivedBy) break
    const at = intraday ? tape.place(i) : ts
    if (at < from || at > to) continue
    if (at < prev) sorted = false
    prev = at
    idx.push(i)
  }
  if (!sorted) idx.sort((a, b) => tape.place(a) - tape.place(b) || tape.seq(a) - tape.seq(b))
  for (const i of idx) {
    const f = tape.flags(i)
    row.ts = intraday ? tape.place(i) : tape.ts(i)
    row.price = tape.price(i)
    row.size = tape.size(i)
    row.last = (f & 1) !== 0
    row.vol = (f & 2) !== 0
    yield row
  }
}

function windowFn(span: string, mult: number): ((ts: number) => [number, number]) | null {
  const unit = SPAN_MS[span]
  if (unit === undefined) return null
  if (span === 'day') {
    return (ts) => {
      // Eastern calendar days; multi-day windows count days from the epoch's Eastern day.
      const s = easternDayStart(ts)
      const dayIndex = Math.round((s - easternDayStart(0 + 12 * 3_600_000)) / 86_400_000)
      const first = s - ((dayIndex % mult) * 86_400_000)
      const start = easternDayStart(first + 12 * 3_600_000)
      return [start, easternDayStart(start + mult * 86_400_000 + 12 * 3_600_000)]
    }
  }
  const w = unit * mult
  return (ts) => {
    const s = ts - (((ts % w) + w) % w)
    return [s, s + w]
  }
}

/**
 * Bars of `market` whose window starts in [windowOf(from).start, to], trades up to simulated now. With `seed`,
 * minute and longer bars also take the synthetic minute history of the sessions before the tape (history.ts).
 */
export function barsInRange(
  market: SymbolMarket,
  span: string,
  mult: number,
  from: number,
  to: number,
  now: number,
  seed: number | null = null,
): RestBar[] | null {
  const windowOf = windowFn(span, mult)
  if (!windowOf) return null
  const [firstStart] = windowOf(from)
  const [, lastEnd] = windowOf(to)
  const fromTape = aggregateTrades(rows(market, firstStart, lastEnd - 1, now, span !== 'day' && span !== 'week' && span !== 'month' && span !== 'quarter' && span !== 'year'), windowOf)
  if (seed === null || span === 'second') return fromTape
  const minutes = historyMinuteBars(seed, market).filter((b) => b.t >= firstStart && b.t < lastEnd)
  if (minutes.length === 0) return fromTape
  const history = mergeBars(minutes, windowOf)
  // Every history minute is before the origin; only a window that straddles it holds both.
  const lastH = history[history.length - 1]
  const firstT = fromTape[0]
  if (lastH && firstT && lastH.t === firstT.t) {
    const v = lastH.v + firstT.v
    history[history.length - 1] = {
      o: lastH.o,
      h: Math.max(lastH.h, firstT.h),
      l: Math.min(lastH.l, firstT.l),
      c: firstT.c,
      v,
      vw: v > 0 ? round4((lastH.vw * lastH.v + firstT.vw * firstT.v) / v) : firstT.vw,
      n: lastH.n + firstT.n,
      t: lastH.t,
    }
    return [...history, ...fromTape.slice(1)]
  }
  return [...history, ...fromTape]
}

function aggs(
  ctx: RestContext,
  url: URL,
  request_id: string,
  ticker: string,
  multS: string,
  span: string,
  fromS: string,
  toS: string,
): RestResponse {
  const mult = Number(multS)
  if (!Number.isInteger(mult) || mult < 1) return badRequest(request_id, 'Invalid multiplier')
  if (SPAN_MS[span] === undefined) {
    return badRequest(request_id, `Unsupported timespan '${span}' (the simulator serves second, minute, hour, day)`)
  }
  const from = parseRangeBound(fromS, false)
  const to = parseRangeBound(toS, true)
  if (from === null || to === null) return badRequest(request_id, 'Could not parse the from/to dates')
  const sort = url.searchParams.get('sort') ?? 'asc'
  if (sort !== 'asc' && sort !== 'desc') return badRequest(request_id, 'sort must be asc or desc')
  const adjusted = url.searchParams.get('adjusted') !== 'false'
  const limitRaw = url.searchParams.get('limit')
  let limit = limitRaw === null ? DEFAULT_LIMIT : Number(limitRaw)
  if (!Number.isFinite(limit) || limit < 1) limit = DEFAULT_LIMIT
  limit = Math.min(MAX_LIMIT, Math.floor(limit))

  const market = SYMBOL_RE.test(ticker) ? ctx.market(ticker) : null
  const all = market && to >= from ? (barsInRange(market, span, mult, from, to, ctx.now(), ctx.seed) ?? []) : []
  if (sort === 'desc') all.reverse()
  const page = all.slice(0, limit)
  const body: Record<string, unknown> = {
    ticker,
    queryCount: page.length,
    resultsCount: page.length,
    adjusted,
    status: 'OK',
    request_id,
  }
  // Like the real API, `results` is absent when there is nothing to return.
  if (page.length > 0) body.results = page
  const lastBar = page[page.length - 1]
  if (all.length > limit && lastBar) {
    const windowOf = windowFn(span, mult)
    const [, lastEnd] = windowOf ? windowOf(lastBar.t) : [0, 0]
    const nextFrom = sort === 'asc' ? lastEnd : from
    const nextTo = sort === 'asc' ? to : lastBar.t - 1
    const q = new URLSearchParams({ adjusted: String(adjusted), sort, limit: String(limit) })
    // No key in next_url: the client appends its own.
    body.next_url = `${ctx.httpBase}/v2/aggs/ticker/${encodeURIComponent(ticker)}/range/${mult}/${span}/${nextFrom}/${nextTo}?${q.toString()}`
  }
  return json(200, body)
}

/**
 * `GET /v3/trades/{ticker}`: the tape's trades by SIP time, `timestamp[.gte|.gt|.lte|.lt]` in ns or ISO dates,
 * `order` asc|desc (Polygon's default is desc), `limit` 1000 by default and at most 50000, `next_url` with an
 * opaque `cursor` (which carries the whole query, as Polygon's does) while more trades follow.
 */
function trades(ctx: RestContext, url: URL, request_id: string, ticker: string): RestResponse {
  const params = url.searchParams
  const cursor = params.get('cursor')
  let q: TradesQuery | null
  if (cursor !== null) {
    q = decodeCursor(cursor)
    if (!q) return badRequest(request_id, 'Invalid cursor')
  } else {
    const order = params.get('order') ?? 'desc'
    if (order !== 'asc' && order !== 'desc') return badRequest(request_id, 'order must be asc or desc')
    const sort = params.get('sort') ?? 'timestamp'
    if (sort !== 'timestamp') return badRequest(request_id, 'sort must be timestamp')
    const window = parseTradeWindow(params)
    if (!window) return badRequest(request_id, 'Could not parse the timestamp')
    const limitRaw = params.get('limit')
    q = { ...window, order, limit: limitRaw === null ? TRADES_DEFAULT_LIMIT : clampLimit(Number(limitRaw)), after: null }
  }
  const market = SYMBOL_RE.test(ticker) ? ctx.market(ticker) : null
  const page = market && q.lt > q.gte ? tradesPage(market, q, ctx.now()) : { results: [], last: null, more: false }
  let body = `{"results":[${page.results.join(',')}],"status":"OK","request_id":${JSON.stringify(request_id)}`
  if (page.more && page.last) {
    // No key in next_url: the client appends its own.
    const next = `${ctx.httpBase}/v3/trades/${encodeURIComponent(ticker)}?cursor=${encodeCursor({ ...q, after: page.last })}`
    body += `,"next_url":${JSON.stringify(next)}`
  }
  return { status: 200, body: `${body}}` }
}

interface DayBar {
  o: number
  h: number
  l: number
  c: number
  v: number
  vw: number
  n: number
  t: number
}

/**
 * The previous Eastern day's bar: from the tape and the session history (history.ts) when they hold that day, else
 * synthetic around the start price (a weekend or holiday).
 */
export function previousDay(seed: number, market: SymbolMarket, now: number): DayBar {
  const today = easternDayStart(now)
  const prevStart = easternDayStart(today - 12 * 3_600_000)
  const bars = barsInRange(market, 'day', 1, prevStart, today - 1, now, seed)
  const fromTape = bars?.find((b) => b.t === prevStart)
  if (fromTape) return fromTape
  const p = market.profile
  const rng = new Rng(hashSeed(seed, `prev:${p.symbol}:${prevStart}`))
  const c = p.startPrice
  const o = roundCent(c * (1 + 0.01 * rng.normal()))
  const h = roundCent(Math.max(o, c) * (1 + Math.abs(0.006 * rng.normal())))
  const l = roundCent(Math.min(o, c) * (1 - Math.abs(0.006 * rng.normal())))
  const n = Math.round(p.baseRate * 23_400 * 1.3)
  return { o, h, l, c, v: n * 110, vw: Math.round(((o + h + l + c) / 4) * 10_000) / 10_000, n, t: prevStart }
}

function prev(ctx: RestContext, url: URL, request_id: string, ticker: string): RestResponse {
  const adjusted = url.searchParams.get('adjusted') !== 'false'
  const market = SYMBOL_RE.test(ticker) ? ctx.market(ticker) : null
  if (!market) return json(200, { ticker, queryCount: 0, resultsCount: 0, adjusted, status: 'OK', request_id })
  const d = previousDay(ctx.seed, market, ctx.now())
  return json(200, {
    ticker,
    queryCount: 1,
    resultsCount: 1,
    adjusted,
    results: [{ T: ticker, v: d.v, vw: d.vw, o: d.o, c: d.c, h: d.h, l: d.l, t: d.t, n: d.n }],
    status: 'OK',
    request_id,
  })
}

/** Nanosecond fields are written as exact integers (ms × 10⁶ does not fit a double exactly). */
const NS = '__ns__'
function ns(ms: number): string {
  return `${NS}${ms}`
}

function snapshot(ctx: RestContext, request_id: string, ticker: string): RestResponse {
  const market = SYMBOL_RE.test(ticker) ? ctx.market(ticker) : null
  if (!market) return json(404, { status: 'NOT_FOUND', request_id, message: 'Ticker not found.' })
  const now = ctx.now()
  const today = easternDayStart(now)
  const day = barsInRange(market, 'day', 1, today, now, now, ctx.seed)?.[0]
  const minute = barsInRange(market, 'minute', 1, now - 60_000, now, now, ctx.seed) ?? []
  const lastMin = minute[minute.length - 1]
  const prevDay = previousDay(ctx.seed, market, now)
  const tape = market.trades
  const lastTrade = tape.length > 0 ? tape.trade(tape.length - 1) : null
  const q = market.quotes
  const lastQuote = q.length > 0 ? q.quote(q.length - 1) : null
  const lastPrice = lastTrade?.price ?? prevDay.c
  const change = roundCent(lastPrice - prevDay.c)
  const ohlc = (b: DayBar | RestBar | undefined): Record<string, number> =>
    b ? { o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, vw: b.vw } : { o: 0, h: 0, l: 0, c: 0, v: 0, vw: 0 }
  const body = {
    status: 'OK',
    request_id,
    ticker: {
      ticker,
      todaysChangePerc: Math.round((change / prevDay.c) * 100 * 1e6) / 1e6,
      todaysChange: change,
      updated: ns(lastTrade?.ts ?? now),
      day: ohlc(day),
      min: lastMin ? { av: day?.v ?? 0, t: lastMin.t, n: lastMin.n, ...ohlc(lastMin) } : { av: 0, t: 0, n: 0, ...ohlc(undefined) },
      prevDay: ohlc(prevDay),
      ...(lastTrade
        ? {
            lastTrade: {
              ...(lastTrade.conditions.length > 0 ? { c: lastTrade.conditions } : {}),
              i: lastTrade.id,
              p: lastTrade.price,
              s: lastTrade.size,
              t: ns(lastTrade.ts),
              x: lastTrade.exchange,
            },
          }
        : {}),
      ...(lastQuote
        ? {
            lastQuote: {
              P: lastQuote.ask,
              // Shares since 2025-11-03 on REST too.
              S: lastQuote.askSize,
              p: lastQuote.bid,
              s: lastQuote.bidSize,
              t: ns(lastQuote.ts),
            },
          }
        : {}),
    },
  }
  return { status: 200, body: JSON.stringify(body).replace(/"__ns__(\d+)"/g, '$1000000') }
}
