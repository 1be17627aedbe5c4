// Polygon (Massive) REST client for 1-minute aggregates (gap backfill). `fetch` is injected; bodies are
// parsed with zod; 429/5xx/network errors retry with backoff (Retry-After wins) within a time budget;
// 401/403 are fatal with clear messages. The key goes only to the configured service (never into errors).
// A 200 body's `status` matters: `OK` and `DELAYED` (a plan with delayed data) both carry valid results;
// `NOT_AUTHORIZED` (data outside the plan) is a plan error for the user, never retried.
import { z } from 'zod'
import type { Bar } from '../domain/market'
import { backoffDelay, type BackoffPolicy, type Random } from '../domain/backoff'
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
      const body = await this.getJson(next, symbol)
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

  private async getJson(url: URL, symbol: string): Promise<z.infer<typeof AggsBody>> {
    let waited = 0
    let attempt = 0
    let prev = 0
    for (;;) {
      if (this.o.signal?.aborted) throw new PolygonRestError('aborted', 'Polygon REST: aborted')
      let retryIn: number | null = null
      let lastMsg = ''
      let status = 0
      try {
        const res = await this.o.fetch(withKey(url, this.o.key), {
          headers: { Accept: 'application/json' },
          signal: this.o.signal,
        })
        status = res.status
        const text = await res.text()
        if (status === 200) {
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            throw new PolygonRestError(
              'invalid_body',
              `Polygon REST: response for ${symbol} is not JSON`,
              status,
            )
          }
          const parsed = AggsBody.safeParse(json)
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
          return parsed.data
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
            `Polygon REST: your plan does not include minute aggregates for ${symbol} (403${detail ? `: ${detail}` : ''}).`,
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
        // fetch itself failed (DNS, refused, reset). Its message may contain the URL: do not pass it on.
        lastMsg = 'network error'
        status = 0
      }
      const delay = retryIn ?? backoffDelay(this.retry, attempt, prev, this.random)
      if (waited + delay > this.budget) {
        throw new PolygonRestError(
          status === 429 ? 'rate_limited' : status === 0 ? 'network' : 'http',
          `Polygon REST: ${lastMsg} for ${symbol}; gave up after ${attempt + 1} tries`,
          status || undefined,
        )
      }
      await this.sleep(delay)
      waited += delay
      prev = delay
      attempt++
    }
  }
}
