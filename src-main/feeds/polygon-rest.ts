// Polygon (Massive) REST client: 1-minute aggregates (gap backfill), and for news impact history
// (docs/impact-v2.md) tick trades (`/v3/trades`), 1-second and previous sessions' 1-minute aggregates. `fetch`
// is injected; bodies are parsed with zod; 429/5xx/network errors retry with backoff (Retry-After wins) within
// a time budget; 401/403 are fatal with clear messages. The key goes only to the configured service (never
// into errors). A 200 body's `status` matters: `OK` and `DELAYED` (a plan with delayed data) both carry valid
// results; `NOT_AUTHORIZED` (data outside the plan) is a plan error for the user, never retried.
// The `*Page` methods make exactly one HTTP call and never wait: the history queue (history-queue.ts) owns
// pacing and retries there, so a 429 comes back as an error carrying the server's Retry-After.
import { z } from 'zod'
import type { Bar } from '../domain/market'
import { backoffDelay, type BackoffPolicy, type Random } from '../domain/backoff'
import { microShares, sharesOfMicro } from './decimal-size'
import { MINUTE_MS } from './gap'

export type FetchLike = (
  url: string,
  init?: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<{
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}>

export type RestErrorKind =
  'unauthorized' | 'forbidden' | 'rate_limited' | 'http' | 'invalid_body' | 'network' | 'aborted'

export class PolygonRestError extends Error {
  constructor(
    readonly kind: RestErrorKind,
    message: string,
    readonly status?: number,
    /** The server's Retry-After, ms (429/5xx from a single-call method), when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'PolygonRestError'
  }
  /** Retrying will not help (wrong key, plan, or a bug). */
  get fatal(): boolean {
    return this.kind === 'unauthorized' || this.kind === 'forbidden' || this.kind === 'invalid_body'
  }
}

export interface PolygonRestOptions {
  /** e.g. `https://api.massive.com` (no trailing slash needed). */
  base: string
  key: string
  fetch: FetchLike
  /** Waits between retries (injected so tests need no real waiting). */
  sleep?: (ms: number) => Promise<void>
  random?: Random
  retry?: BackoffPolicy
  /** Total time spent waiting on retries per call before giving up, ms. */
  retryBudgetMs?: number
  /** Hosts besides `base`'s own that may receive the key via `next_url` (Polygon/Massive rebrand). */
  trustedHosts?: readonly string[]
  signal?: AbortSignal
  /** One HTTP call (headers and body) may take this long before it counts as a network error, ms. Default 30 s. */
  requestTimeoutMs?: number
}

const DEFAULT_RETRY: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, kind: 'full', minMs: 500 }
const TRUSTED = ['api.polygon.io', 'api.massive.com']

const AggResult = z.object({
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number().nonnegative(),
  vw: z.number().optional(),
  n: z.number().int().nonnegative().optional(),
  t: z.number().int(),
})

const AggsBody = z.object({
  status: z.string(),
  message: z.string().optional(),
  error: z.string().optional(),
  ticker: z.string().optional(),
  resultsCount: z.number().optional(),
  results: z.array(AggResult).optional(),
  next_url: z.string().optional(),
})

/** `/v3/trades` body. Results are checked one by one (a bad element is skipped and counted, not the page). */
const TradesBody = z.object({
  status: z.string(),
  message: z.string().optional(),
  error: z.string().optional(),
  results: z.array(z.unknown()).optional(),
  next_url: z.string().optional(),
})

/** Nanoseconds as exact digits: the body's timestamps are turned into strings before JSON.parse (see nsFields). */
const Nanos = z.union([z.string().regex(/^\d{1,20}$/), z.number().nonnegative().refine(Number.isInteger)])

const TradeResult = z.object({
  conditions: z.array(z.number().int()).nullish(),
  price: z.number(),
  sequence_number: z.number().int(),
  sip_timestamp: Nanos,
  // The captured body omits `size` on some records; `decimal_size` is then the size (fixtures/polygon).
  size: z.number().optional(),
  decimal_size: z.string().optional(),
})

/**
 * Nanosecond integers exceed 2^53, so JSON.parse would round them (and ms = ns / 10⁶ could land a millisecond
 * early). Quoting them first keeps the exact digits; a key inside a string value is escaped (`\"`) and not hit.
 */
function nsFields(text: string): string {
  return text.replace(/"(sip_timestamp|participant_timestamp|trf_timestamp)"(\s*):(\s*)(\d+)/g, '"$1"$2:$3"$4"')
}

/** Whole milliseconds (floor) of a nanosecond value. */
function msOfNanos(v: string | number): number {
  return typeof v === 'string' ? Number(BigInt(v) / 1_000_000n) : Math.floor(v / 1_000_000)
}

// The shapes the impact engine takes (EnginePrint, SecondBarIn, MinuteBarIn in src-main/signals/v2/types.ts),
// spelled out here because the core's folders do not import each other; the loader in host/ checks they fit.

/** A print from `/v3/trades`. */
export interface TradesPrint {
  symbol: string
  ts: number
  price: number
  size: number
  conditions: number[]
  seq: number
  source: 'trades'
}

/** A 1-second bar. */
export interface SecondBar {
  symbol: string
  start: number
  close: number
  volume: number
  trades: number
}

/** A 1-minute bar for the previous sessions. */
export interface MinuteBar {
  symbol: string
  start: number
  close: number
  volume: number
}

/** One page of a history request: its items, the next page's URL (key not included) or null, bad elements. */
export interface HistoryPage<T> {
  items: T[]
  next: string | null
  rejected: number
}

const ErrorBody = z.object({
  error: z.string().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
})

function errorText(body: string): string {
  try {
    const r = ErrorBody.safeParse(JSON.parse(body))
    if (r.success) return (r.data.error ?? r.data.message ?? r.data.status ?? '').slice(0, 200)
  } catch {
    // Not JSON: say nothing rather than echo arbitrary bytes.
  }
  return ''
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Append the key to a URL (query `apiKey`, which every Polygon endpoint accepts, including next_url). */
function withKey(u: URL, key: string): string {
  const c = new URL(u.toString())
  c.searchParams.set('apiKey', key)
  return c.toString()
}

export class PolygonRest {
  private readonly base: URL
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: Random
  private readonly retry: BackoffPolicy
  private readonly budget: number
  private readonly trusted: Set<string>
  /** `status` of the last 200 body read (`OK`, `DELAYED`, …), or null before any. */
  lastBodyStatus: string | null = null

  constructor(private readonly o: PolygonRestOptions) {
    this.base = new URL(o.base.endsWith('/') ? o.base : o.base + '/')
    this.sleep = o.sleep ?? defaultSleep
    this.random = o.random ?? Math.random
    this.retry = o.retry ?? DEFAULT_RETRY
    this.budget = o.retryBudgetMs ?? 120_000
    this.trusted = new Set([this.base.host, ...(o.trustedHosts ?? TRUSTED)])
  }

  /**
   * 1-minute bars of `symbol` with window start in [fromMs, toMs] (both inclusive, like Polygon), all pages,
   * ascending, as `Bar` with source `rest`.
   */
  async minuteBars(symbol: string, fromMs: number, toMs: number): Promise<Bar[]> {
    const sym = encodeURIComponent(symbol.toUpperCase())
    const first = new URL(
      `v2/aggs/ticker/${sym}/range/1/minute/${Math.floor(fromMs)}/${Math.floor(toMs)}`,
      this.base,
    )
    first.searchParams.set('adjusted', 'true')
    first.searchParams.set('sort', 'asc')
    first.searchParams.set('limit', '50000')
    const bars = new Map<number, Bar>()
    let next: URL | null = first
    let pages = 0
    while (next) {
      if (++pages > 1_000)
        throw new PolygonRestError('invalid_body', `Polygon REST: too many pages for ${symbol}`)
      const body: z.infer<typeof AggsBody> = await this.getJson(next, symbol, AggsBody, 'minute aggregates', true)
      for (const r of body.results ?? []) {
        if (r.t < fromMs || r.t > toMs) continue
        bars.set(r.t, {
          symbol: symbol.toUpperCase(),
          start: r.t,
          end: r.t + MINUTE_MS,
          open: r.o,
          high: r.h,
          low: r.l,
          close: r.c,
          volume: r.v,
          // vw is optional in the envelope; the close is the least surprising stand-in.
          vwap: r.vw ?? r.c,
          trades: r.n ?? 0,
          source: 'rest',
        })
      }
      next = body.next_url ? this.nextUrl(body.next_url) : null
    }
    return [...bars.values()].sort((a, b) => a.start - b.start)
  }

  /**
   * One page of `/v3/trades/{symbol}` with SIP time in [fromMs, toMs] (both whole milliseconds, inclusive), ascending,
   * as engine prints with source `trades`; `next` continues (pass it back as `next`). One call, no waiting.
   */
  async tradesPage(symbol: string, fromMs: number, toMs: number, next: string | null = null): Promise<HistoryPage<TradesPrint>> {
    const sym = symbol.toUpperCase()
    let url: URL
    if (next !== null) url = this.nextUrl(next)
    else {
      url = new URL(`v3/trades/${encodeURIComponent(sym)}`, this.base)
      url.searchParams.set('timestamp.gte', `${Math.floor(fromMs)}000000`)
      // The whole last millisecond: ts(ms) <= toMs  <=>  ns <= toMs·10⁶ + 999 999.
      url.searchParams.set('timestamp.lte', `${Math.floor(toMs)}999999`)
      url.searchParams.set('order', 'asc')
      url.searchParams.set('limit', '50000')
    }
    const body = await this.getJson(url, sym, TradesBody, 'tick trades (/v3/trades)', false, nsFields)
    const items: TradesPrint[] = []
    let rejected = 0
    for (const raw of body.results ?? []) {
      const r = TradeResult.safeParse(raw)
      if (!r.success) {
        rejected++
        continue
      }
      const t = r.data
      // `decimal_size` is exact (the socket's `ds`, which the socket parser prefers to `s` too); `size` otherwise.
      const decimal = t.decimal_size !== undefined ? sharesOfMicro(microShares(t.decimal_size)) : NaN
      const size = Number.isFinite(decimal) ? decimal : (t.size ?? NaN)
      const ts = msOfNanos(t.sip_timestamp)
      // Neither size field readable: not a print anyone can count (docs/impact-v2.md drops it as invalid too).
      if (!Number.isFinite(size)) {
        rejected++
        continue
      }
      if (ts < fromMs || ts > toMs) continue
      items.push({
        symbol: sym,
        ts,
        price: t.price,
        size,
        conditions: t.conditions ?? [],
        seq: t.sequence_number,
        source: 'trades',
      })
    }
    return { items, next: body.next_url ? this.nextUrl(body.next_url).toString() : null, rejected }
  }

  /** One page of 1-second bars with start in [fromMs, toMs]. One call, no waiting. */
  async secondBarsPage(symbol: string, fromMs: number, toMs: number, next: string | null = null): Promise<HistoryPage<SecondBar>> {
    const page = await this.aggPage(symbol, 'second', fromMs, toMs, next)
    return { ...page, items: page.items.map((r) => ({ symbol: symbol.toUpperCase(), start: r.t, close: r.c, volume: r.v, trades: r.n ?? 0 })) }
  }

  /** One page of 1-minute bars with start in [fromMs, toMs] (every session, extended hours too). One call, no waiting. */
  async minuteBarsPage(symbol: string, fromMs: number, toMs: number, next: string | null = null): Promise<HistoryPage<MinuteBar>> {
    const page = await this.aggPage(symbol, 'minute', fromMs, toMs, next)
    return { ...page, items: page.items.map((r) => ({ symbol: symbol.toUpperCase(), start: r.t, close: r.c, volume: r.v })) }
  }

  /** Every page of `/v3/trades` for [fromMs, toMs], with this client's retry policy between calls. */
  async trades(symbol: string, fromMs: number, toMs: number): Promise<TradesPrint[]> {
    return this.allPages((next) => this.tradesPage(symbol, fromMs, toMs, next), symbol)
  }

  /** Every 1-second bar with start in [fromMs, toMs], with this client's retry policy between calls. */
  async secondBars(symbol: string, fromMs: number, toMs: number): Promise<SecondBar[]> {
    return this.allPages((next) => this.secondBarsPage(symbol, fromMs, toMs, next), symbol)
  }

  private async aggPage(
    symbol: string,
    span: 'second' | 'minute',
    fromMs: number,
    toMs: number,
    next: string | null,
  ): Promise<HistoryPage<z.infer<typeof AggResult>>> {
    const sym = symbol.toUpperCase()
    let url: URL
    if (next !== null) url = this.nextUrl(next)
    else {
      url = new URL(`v2/aggs/ticker/${encodeURIComponent(sym)}/range/1/${span}/${Math.floor(fromMs)}/${Math.floor(toMs)}`, this.base)
      url.searchParams.set('adjusted', 'true')
      url.searchParams.set('sort', 'asc')
      url.searchParams.set('limit', '50000')
    }
    const body = await this.getJson(url, sym, AggsBody, `${span} aggregates`, false)
    const items = (body.results ?? []).filter((r) => r.t >= fromMs && r.t <= toMs)
    return { items, next: body.next_url ? this.nextUrl(body.next_url).toString() : null, rejected: 0 }
  }

  /** Pages one after another; a retryable failure waits (Retry-After wins) and repeats the same page. */
  private async allPages<T>(page: (next: string | null) => Promise<HistoryPage<T>>, symbol: string): Promise<T[]> {
    const out: T[] = []
    let next: string | null = null
    let pages = 0
    let waited = 0
    let attempt = 0
    let prev = 0
    for (;;) {
      if (++pages > 1_000) throw new PolygonRestError('invalid_body', `Polygon REST: too many pages for ${symbol}`)
      let p: HistoryPage<T>
      try {
        p = await page(next)
      } catch (e) {
        if (!(e instanceof PolygonRestError) || e.fatal || e.kind === 'aborted') throw e
        const delay = e.retryAfterMs ?? backoffDelay(this.retry, attempt, prev, this.random)
        if (waited + delay > this.budget) throw e
        await this.sleep(delay)
        waited += delay
        prev = delay
        attempt++
        pages--
        continue
      }
      // A loop, not push(...items): a page holds up to 50 000.
      for (const item of p.items) out.push(item)
      if (p.next === null) return out
      next = p.next
    }
  }

  private nextUrl(raw: string): URL {
    let u: URL
    try {
      u = new URL(raw, this.base)
    } catch {
      throw new PolygonRestError('invalid_body', 'Polygon REST: unusable next_url')
    }
    // The key is appended to next_url: only ever for the service itself.
    if (!this.trusted.has(u.host) || (u.protocol !== 'https:' && u.protocol !== this.base.protocol)) {
      throw new PolygonRestError(
        'invalid_body',
        `Polygon REST: next_url points to an untrusted host (${u.host})`,
      )
    }
    return u
  }

  /**
   * GET `url` (key appended) and parse its 200 body with `schema`. With `retry`, 429/5xx/network errors wait and
   * repeat within the budget; without, they throw at once (kind rate_limited / http / network, Retry-After kept).
   */
  private async getJson<S extends typeof AggsBody | typeof TradesBody>(
    url: URL,
    symbol: string,
    schema: S,
    what: string,
    retry: boolean,
    prepare: (text: string) => string = (t) => t,
  ): Promise<z.infer<S>> {
    let waited = 0
    let attempt = 0
    let prev = 0
    for (;;) {
      if (this.o.signal?.aborted) throw new PolygonRestError('aborted', 'Polygon REST: aborted')
      let retryIn: number | null = null
      let lastMsg = ''
      let status = 0
      try {
        // A hung connection must not stall the history queue behind it: past the timeout it is a network error.
        const timeout = AbortSignal.timeout(this.o.requestTimeoutMs ?? 30_000)
        const res = await this.o.fetch(withKey(url, this.o.key), {
          headers: { Accept: 'application/json' },
          signal: this.o.signal ? AbortSignal.any([this.o.signal, timeout]) : timeout,
        })
        status = res.status
        const text = await res.text()
        if (status === 200) {
          let json: unknown
          try {
            json = JSON.parse(prepare(text))
          } catch {
            throw new PolygonRestError(
              'invalid_body',
              `Polygon REST: response for ${symbol} is not JSON`,
              status,
            )
          }
          const parsed = schema.safeParse(json)
          if (!parsed.success) {
            throw new PolygonRestError(
              'invalid_body',
              `Polygon REST: unexpected response for ${symbol}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
              status,
            )
          }
          const bodyStatus = parsed.data.status
          const said = (parsed.data.message ?? parsed.data.error ?? '').slice(0, 200)
          if (bodyStatus === 'NOT_AUTHORIZED') {
            // Massive answers data outside the plan with a 200 and this status: the plan, not a glitch.
            throw new PolygonRestError(
              'forbidden',
              `Polygon REST: your plan does not include this data for ${symbol}${said ? ` (server: ${said})` : ''}. Backfill is off until the plan or the feed settings change.`,
              status,
            )
          }
          if (bodyStatus === 'ERROR') {
            throw new PolygonRestError(
              'forbidden',
              `Polygon REST: request refused for ${symbol} (ERROR${said ? `: ${said}` : ''})`,
              status,
            )
          }
          // OK, DELAYED (valid data, the plan's delay), or a status this client does not know: results count.
          this.lastBodyStatus = bodyStatus
          return parsed.data as z.infer<S>
        }
        const detail = errorText(text)
        if (status === 401) {
          throw new PolygonRestError(
            'unauthorized',
            `Polygon REST rejected the API key (401${detail ? `: ${detail}` : ''}). Check the key in Settings.`,
            status,
          )
        }
        if (status === 403) {
          throw new PolygonRestError(
            'forbidden',
            `Polygon REST: your plan does not include ${what} for ${symbol} (403${detail ? `: ${detail}` : ''}).`,
            status,
          )
        }
        if (status === 429 || status >= 500) {
          const ra = res.headers.get('retry-after')
          const sec = ra !== null ? Number(ra) : NaN
          if (Number.isFinite(sec) && sec >= 0) retryIn = Math.ceil(sec * 1000)
          lastMsg =
            status === 429 ? `rate limited (429${detail ? `: ${detail}` : ''})` : `server error ${status}`
        } else {
          throw new PolygonRestError(
            'http',
            `Polygon REST: HTTP ${status} for ${symbol}${detail ? `: ${detail}` : ''}`,
            status,
          )
        }
      } catch (err) {
        if (err instanceof PolygonRestError) throw err
        if (this.o.signal?.aborted) throw new PolygonRestError('aborted', 'Polygon REST: aborted')
        // fetch itself failed (DNS, refused, reset, timed out). Its message may contain the URL: do not pass it on.
        lastMsg = err instanceof Error && err.name === 'TimeoutError' ? 'no answer within the timeout' : 'network error'
        status = 0
      }
      if (!retry) {
        throw new PolygonRestError(
          status === 429 ? 'rate_limited' : status === 0 ? 'network' : 'http',
          `Polygon REST: ${lastMsg} for ${symbol}`,
          status || undefined,
          retryIn ?? undefined,
        )
      }
      const delay = retryIn ?? backoffDelay(this.retry, attempt, prev, this.random)
      if (waited + delay > this.budget) {
        throw new PolygonRestError(
          status === 429 ? 'rate_limited' : status === 0 ? 'network' : 'http',
          `Polygon REST: ${lastMsg} for ${symbol}; gave up after ${attempt + 1} tries`,
          status || undefined,
          retryIn ?? undefined,
        )
      }
      await this.sleep(delay)
      waited += delay
      prev = delay
      attempt++
    }
  }
}
