// The Guardian Content API simulator: an HTTP handler mounted under `/guardian` of the market simulator's
// server (or served on its own, see server.ts). Quotas count in simulated time, like everything else.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HttpHandler, MacroMove, Shock, Simulator } from '../types'
import { err, item, search, sections, type ApiContext, type ApiResponse } from './api'
import { symbolProfile } from '../symbols'
import { ArticleGenerator, companiesFor, type GroundTruthEntry, type GeneratorOptions, type ShockMode } from './generator'

export type { GroundTruthEntry, GroundTruthKind, ShockMode } from './generator'

export interface GuardianSimOptions {
  /** The accepted `api-key`. Default `demo` (the simulator's default key). */
  key?: string
  seed?: number
  /** Companies the news is about; the first alias (else a built-in name map, else the symbol) names them. */
  watchlist?: { symbol: string; aliases?: string[] }[]
  /** Articles per simulated hour (live-blog revisions come on top). Default 12. */
  articlesPerHour?: number
  /** Relative shares of article kinds. Default shock 0.3, null 0.3, recycled 0.15, other 0.2, macro 0.05. */
  mix?: Partial<GeneratorOptions['mix']>
  /** One "business live" blog per weekday, 08:00–20:00 UTC. Default true. */
  liveBlogs?: boolean
  /** History generated before the simulator's now (no shocks in it). Default 2 h. */
  backfillMs?: number
  /** From publication to the shock's start. Default [0, 0]: a shock starts at its headline's publication. */
  shockDelayMs?: [number, number]
  /** |move| of the market for a macro story. Default [0.004, 0.012]. */
  macroPct?: [number, number]
  /**
   * What news may move prices (deterministic by seed like the rest): `all` (default), `none` (every story is told
   * but nothing moves: sessions for measuring false alerts), `macro-only` (only macro stories move, the whole
   * market), or a function of the publication time, e.g. one mode per session.
   */
  shocks?: ShockMode | ((t: number) => ShockMode)
  /** |jump|, default [0.015, 0.04] (for names of up to 30 % annual volatility; see scaleShocks). */
  shockPct?: [number, number]
  /** Scale |jump| by max(1, vol / 0.3), vol = the market model's annual volatility of the name. Default true. */
  scaleShocks?: boolean
  /**
   * Least time between two shock stories about one company, default 50 min (0 = no rule); null stories keep
   * clear of shocks too. Keeps each shock's 30-minute sigma window calm (a shock moves for up to 20 min after its
   * start) and each null story's 5 minutes unmoved, so the ground truth means what it says (see generator.ts).
   */
  shockSpacingMs?: number
  /** Developer-key quota; null disables. Default 1/s and 500/day (simulated time, UTC day). */
  quota?: { perSecond: number; perDay: number } | null
  /** Send Retry-After on 429. Default true. */
  retryAfter?: boolean
  userTier?: string
  /** How far ahead of now the stream is generated, so shocks are scheduled before they happen. Default 10 min. */
  lookaheadMs?: number
  /** Path prefix. Default `/guardian`. */
  prefix?: string
}

export type GuardianFault =
  /** Answer with this HTTP status (5xx, 429, …) and a JSON error body. */
  | { kind: 'status'; status: number; count?: number; retryAfter?: string }
  /** Answer 200 with a body that is not JSON. */
  | { kind: 'garbage'; count?: number }
  /** Answer 200 with valid JSON that is not a Guardian envelope. */
  | { kind: 'wrong-shape'; count?: number }
  /** Wait `ms` (wall-clock) before answering normally. */
  | { kind: 'slow'; ms: number; count?: number }

export interface GuardianStats {
  /** Requests that passed auth and quota. */
  accepted: number
  unauthorized: number
  rateLimited: number
  faulted: number
}

export interface GuardianSim {
  readonly handler: HttpHandler
  /** What each article did: shocks (symbol, time, size), nulls, recycled headlines, live-blog revisions. */
  groundTruth(opts?: { includeFuture?: boolean }): GroundTruthEntry[]
  /** Queue a fault for the next `count` (default 1) requests. */
  injectFault(fault: GuardianFault): void
  clearFaults(): void
  /** Stories generated from now on (after the look-ahead) are about these companies. */
  setWatchlist(watchlist: { symbol: string; aliases?: string[] }[]): void
  stats(): GuardianStats
  /** Stops the background generation timer. */
  close(): void
}

export interface GuardianHost {
  now(): number
  scheduleShock(shock: Shock): void
  /** Market-wide moves of macro stories (absent: they move nothing). */
  scheduleMacro?(move: MacroMove): void
  /** Base of apiUrl values, e.g. `http://127.0.0.1:PORT/guardian`. */
  apiBase: string
}

const DEFAULT_WATCHLIST = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'].map((symbol) => ({ symbol }))
const DAY = 86_400_000

export function createGuardian(host: GuardianHost, opts: GuardianSimOptions = {}): GuardianSim {
  const key = opts.key ?? 'demo'
  const prefix = opts.prefix ?? '/guardian'
  const quota = opts.quota === undefined ? { perSecond: 1, perDay: 500 } : opts.quota
  const lookahead = opts.lookaheadMs ?? 600_000
  const mountedAt = host.now()
  const gen = new ArticleGenerator({
    seed: opts.seed ?? 1,
    // On the whole minute: a guardian mounted a few ms later (an accelerated clock runs on) writes the same stream.
    start: Math.floor((mountedAt - (opts.backfillMs ?? 2 * 3_600_000)) / 60_000) * 60_000,
    liveFrom: mountedAt,
    companies: companiesFor(opts.watchlist ?? DEFAULT_WATCHLIST),
    articlesPerHour: opts.articlesPerHour ?? 12,
    mix: { shock: 0.3, null: 0.3, recycled: 0.15, other: 0.2, macro: 0.05, ...opts.mix },
    liveBlogs: opts.liveBlogs ?? true,
    shockDelayMs: opts.shockDelayMs ?? [0, 0],
    shockPct: opts.shockPct ?? [0.015, 0.04],
    shockSpacingMs: opts.shockSpacingMs ?? 50 * 60_000,
    ...(opts.macroPct ? { macroPct: opts.macroPct } : {}),
    ...(opts.shocks !== undefined ? { shockMode: typeof opts.shocks === 'function' ? opts.shocks : () => opts.shocks as ShockMode } : {}),
    // The profile's volatility does not depend on the seed (only its start price does).
    ...((opts.scaleShocks ?? true) ? { volatilityOf: (s: string) => symbolProfile(0, s).vol } : {}),
    onShock: (s) => host.scheduleShock(s),
    ...(host.scheduleMacro ? { onMacro: (m: MacroMove) => host.scheduleMacro?.(m) } : {}),
    apiBase: host.apiBase,
  })
  const extend = (): void => gen.extendTo(host.now() + lookahead)
  extend()
  // Keeps shocks scheduled ahead of time even when nobody polls.
  const timer = setInterval(extend, 1000)
  timer.unref()

  const faults: (GuardianFault & { left: number })[] = []
  const stats: GuardianStats = { accepted: 0, unauthorized: 0, rateLimited: 0, faulted: 0 }
  let secondWindow = -1
  let secondCount = 0
  let dayWindow = -1
  let dayCount = 0

  const ctx = (now: number): ApiContext => ({
    now,
    items: gen.all(),
    get: (id) => gen.get(id),
    userTier: opts.userTier ?? 'developer',
    apiBase: host.apiBase,
  })

  function send(res: ServerResponse, r: ApiResponse, head: boolean): void {
    const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
    res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers })
    res.end(head ? undefined : body)
  }

  /** Fixed windows per simulated second and UTC day, like the API gateway in front of the real API. */
  function checkQuota(now: number): ApiResponse | null {
    if (!quota) return null
    const sec = Math.floor(now / 1000)
    const day = Math.floor(now / DAY)
    if (sec !== secondWindow) {
      secondWindow = sec
      secondCount = 0
    }
    if (day !== dayWindow) {
      dayWindow = day
      dayCount = 0
    }
    const headers: Record<string, string> = {
      'x-ratelimit-limit-day': String(quota.perDay),
      'x-ratelimit-remaining-day': String(Math.max(0, quota.perDay - dayCount)),
    }
    let retryAfterSec = 0
    if (dayCount >= quota.perDay) retryAfterSec = Math.ceil(((day + 1) * DAY - now) / 1000)
    else if (secondCount >= quota.perSecond) retryAfterSec = 1
    if (retryAfterSec > 0) {
      if (opts.retryAfter ?? true) headers['retry-after'] = String(retryAfterSec)
      return { status: 429, headers, body: { message: 'API rate limit exceeded' } }
    }
    secondCount++
    dayCount++
    return null
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let path = url.pathname
    if (path === prefix || path.startsWith(`${prefix}/`)) path = path.slice(prefix.length)
    path = path.replace(/\/+$/, '')
    const head = req.method === 'HEAD'
    if (req.method !== 'GET' && !head) return send(res, err(405, 'Method not allowed'), false)
    extend()

    const fault = faults[0]
    if (fault) {
      if (--fault.left <= 0) faults.shift()
      stats.faulted++
      if (fault.kind === 'slow') {
        await new Promise((r) => setTimeout(r, fault.ms))
      } else if (fault.kind === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        return void res.end('<html><body>upstream hiccup</body></html>{"response":')
      } else if (fault.kind === 'wrong-shape') {
        return send(res, { status: 200, body: { response: { status: 'ok', results: 'not-a-list' } } }, head)
      } else {
        const headers: Record<string, string> =
          fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}
        const body =
          fault.status === 429
            ? { message: 'API rate limit exceeded' }
            : { response: { status: 'error', message: 'Internal server error' } }
        return send(res, { status: fault.status, headers, body }, head)
      }
    }

    const given = url.searchParams.get('api-key') ?? req.headers['api-key']
    if (given !== key) {
      stats.unauthorized++
      return send(res, { status: 401, body: { message: 'Unauthorized' } }, head)
    }
    const now = host.now()
    const limited = checkQuota(now)
    if (limited) {
      stats.rateLimited++
      return send(res, limited, head)
    }
    stats.accepted++
    const c = ctx(now)
    if (path === '/search') return send(res, search(url.searchParams, c), head)
    if (path === '/sections') return send(res, sections(url.searchParams, c), head)
    if (path === '' || path === '/tags' || path === '/editions')
      return send(res, err(404, 'The requested resource could not be found.'), head)
    return send(res, item(decodeURIComponent(path.slice(1)), url.searchParams, c), head)
  }

  // Bad input must never take the server down: anything unexpected becomes a 500 JSON answer.
  const handler: HttpHandler = async (req, res, url) => {
    try {
      await handle(req, res, url)
    } catch (e) {
      if (!res.headersSent)
        send(res, err(500, `Internal server error: ${e instanceof Error ? e.message : String(e)}`), false)
      else res.destroy()
    }
  }

  return {
    handler,
    groundTruth: (o) => {
      extend()
      const now = host.now()
      return gen.groundTruth().filter((e) => o?.includeFuture || e.published <= now)
    },
    injectFault: (f) => faults.push({ ...f, left: f.count ?? 1 }),
    clearFaults: () => void faults.splice(0),
    setWatchlist: (w) => gen.setCompanies(companiesFor(w)),
    stats: () => ({ ...stats }),
    close: () => clearInterval(timer),
  }
}

/** Mounts the Guardian under `/guardian` of the market simulator; the Content API base is `${sim.httpBase}/guardian`. */
export function mountGuardian(sim: Simulator, opts: GuardianSimOptions = {}): GuardianSim {
  const prefix = opts.prefix ?? '/guardian'
  const g = createGuardian(
    {
      now: () => sim.now(),
      scheduleShock: (s) => sim.scheduleShock(s),
      scheduleMacro: (m) => sim.scheduleMacro(m),
      apiBase: `${sim.httpBase}${prefix}`,
    },
    { ...opts, prefix },
  )
  sim.mount(prefix, g.handler)
  return g
}
