// The Guardian poller: one query for the watchlist (split only when too long), newest first from a
// watermark, paging until a page reaches already-seen items, spending the key's budget evenly over the active hours.
// Articles are deduplicated by id; a live blog's new revision is an update of the same id. Watermarks, seen
// ids and today's call count persist atomically so a restart neither repeats nor misses anything.
// All I/O is injected: fetch, clock, timers, fs.
import * as nodeFs from 'node:fs/promises'
import type { Article } from '../domain/news'
import type { NewsStatus } from '../domain/status'
import type { WatchlistEntry } from '../domain/watchlist'
import type { NewsConfig } from './config'
import { US_EXTENDED_HOURS, type ActiveHours } from './active-hours'
import { HTTP_RETRY_POLICY, isRetryableStatus, retryDelay, type BackoffPolicy } from '../domain/backoff'
import { budgetFor, callGapMs, planNextPoll, utcDay, nextUtcMidnight, type Budget } from './budget'
import { GUARDIAN_BASE } from '../domain/endpoints'
import { buildQueries, searchUrl } from './guardian-query'
import {
  errorMessage,
  parseSearchBody,
  toArticle,
  type GuardianItem,
  type SearchPage,
} from './guardian-response'
import {
  SeenSet,
  emptyState,
  loadState,
  revisionOf,
  saveState,
  type PersistedState,
  type QueryProgress,
  type StateFs,
} from './news-state'

export interface Clock {
  now(): number
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface FetchResponse {
  status: number
  headers: { get(name: string): string | null }
  text(): Promise<string>
}

export type FetchLike = (url: string, init: { signal: AbortSignal }) => Promise<FetchResponse>

export type ArticleChange = 'new' | 'update'

export interface NewsPollerOptions {
  config: NewsConfig
  watchlist: WatchlistEntry[]
  fetch: FetchLike
  clock: Clock
  timers: Timers
  /** JSON state file (watermarks, seen ids, calls today); null keeps state in memory only. */
  stateFile: string | null
  fs?: StateFs
  /** Watchlist symbols an article mentions (the tagger); default none. */
  tag?: (article: Article) => string[]
  onArticle: (article: Article, change: ArticleChange) => void
  onStatus: (status: NewsStatus) => void
  /** Default US 04:00–20:00 Eastern, weekdays; null polls around the clock. */
  activeHours?: ActiveHours | null
  /** Default 50 (the documented maximum; the server accepts up to 200). */
  pageSize?: number
  /** Pages one query may fetch per cycle before it continues next cycle. Default 10. */
  maxPagesPerCycle?: number
  /** from-date = watermark − overlap, for items indexed late. Default 10 min. */
  overlapMs?: number
  /** How far back the very first poll of a query looks. Default 6 h. */
  initialLookbackMs?: number
  /** Default 20 s. */
  requestTimeoutMs?: number
  maxUrlLength?: number
  /** Shortest interval between cycles. Default 5 s. */
  minIntervalMs?: number
  /** Seen ids kept. Default 5000. */
  maxSeen?: number
  backoff?: BackoffPolicy
}

export interface NewsPoller {
  start(): Promise<void>
  pause(): void
  resume(): void
  setWatchlist(watchlist: WatchlistEntry[]): void
  /** Finishes or aborts the request in flight, persists state. */
  stop(): Promise<void>
  status(): NewsStatus
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfter: string | null,
    readonly kind: 'backoff' | 'error',
  ) {
    super(message)
  }
}
class FatalError extends Error {}
class BudgetExhausted extends Error {}
class Interrupted extends Error {}

export function createNewsPoller(o: NewsPollerOptions): NewsPoller {
  const fs: StateFs = o.fs ?? nodeFs
  const budget: Budget = budgetFor(o.config)
  const gap = callGapMs(budget)
  const key = o.config.key ?? 'demo'
  const base = o.config.base ?? GUARDIAN_BASE
  const pageSize = Math.min(200, Math.max(1, o.pageSize ?? 50))
  const maxPages = Math.max(1, o.maxPagesPerCycle ?? 10)
  const overlap = o.overlapMs ?? 600_000
  const lookback = o.initialLookbackMs ?? 6 * 3_600_000
  const timeoutMs = o.requestTimeoutMs ?? 20_000
  const activeHours = o.activeHours === undefined ? US_EXTENDED_HOURS : o.activeHours
  const minInterval = o.minIntervalMs ?? 5_000
  const backoffPolicy = o.backoff ?? HTTP_RETRY_POLICY
  const tag = o.tag ?? (() => [])

  let state: PersistedState = emptyState()
  /** False when the state file could not be read nor moved aside: nothing is saved over it. */
  let stateWritable = true
  let seen = new SeenSet(o.maxSeen ?? 5000)
  let queries: string[] = []
  let timer: unknown = null
  let cycle: Promise<void> | null = null
  let paused = false
  let stopped = false
  let fatal = false
  let started = false
  let watchlistChanged = false
  let attempt = 0
  let lastCallEnd = -Infinity
  let inflight: AbortController | null = null
  let sleeper: { handle: unknown; resolve: () => void } | null = null
  let saving: Promise<void> = Promise.resolve()

  let status: NewsStatus = {
    state: 'idle',
    message: 'Not started',
    callsToday: 0,
    dailyBudget: budget.perDay,
    nextPollAt: null,
    lastPollAt: null,
    lastError: null,
  }
  const setStatus = (s: Partial<NewsStatus>): void => {
    status = { ...status, ...s, callsToday: state.calls.count, dailyBudget: budget.perDay }
    try {
      o.onStatus({ ...status })
    } catch {
      // a failing listener must not stop the poller
    }
  }
  /** Error text without the key, whatever a lower layer put in it. */
  const clean = (m: string): string => (key ? m.split(key).join('***') : m)

  const setQueries = (w: readonly WatchlistEntry[]): void => {
    queries = buildQueries(w, {
      base,
      sections: o.config.sections,
      key,
      pageSize,
      maxUrlLength: o.maxUrlLength,
    })
  }
  setQueries(o.watchlist)

  function rollDay(): void {
    const d = utcDay(o.clock.now())
    if (state.calls.day !== d) state.calls = { day: d, count: 0 }
  }

  function persist(): Promise<void> {
    if (o.stateFile === null || !stateWritable) return Promise.resolve()
    const file = o.stateFile
    state.seen = seen.entries()
    const snapshot: PersistedState = JSON.parse(JSON.stringify(state)) as PersistedState
    // Serialised so renames never race.
    saving = saving.then(() =>
      saveState(fs, file, snapshot).catch((e: unknown) => {
        setStatus({ lastError: clean(`news state not saved: ${e instanceof Error ? e.message : String(e)}`) })
      }),
    )
    return saving
  }

  function sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const handle = o.timers.setTimeout(() => {
        sleeper = null
        resolve()
      }, ms)
      sleeper = { handle, resolve }
    })
  }

  function schedule(at: number, s: Partial<NewsStatus>): void {
    if (timer !== null) o.timers.clearTimeout(timer)
    timer = o.timers.setTimeout(tick, Math.max(0, at - o.clock.now()))
    setStatus({ ...s, nextPollAt: at })
  }

  function tick(): void {
    timer = null
    if (paused || stopped || fatal || cycle) return
    cycle = runCycle().finally(() => {
      cycle = null
    })
  }

  function planAndSchedule(): void {
    if (queries.length === 0) {
      setStatus({ state: 'idle', message: 'Watchlist empty: nothing to search for', nextPollAt: null })
      return
    }
    if (watchlistChanged) {
      watchlistChanged = false
      schedule(Math.max(o.clock.now(), lastCallEnd + gap), {
        state: 'waiting',
        message: 'Watchlist changed: polling again',
      })
      return
    }
    rollDay()
    const p = planNextPoll({
      now: o.clock.now(),
      callsToday: state.calls.count,
      budget,
      callsPerCycle: queries.length,
      activeHours,
      minIntervalMs: minInterval,
    })
    if (p.reason === 'outside_hours')
      schedule(p.at, { state: 'outside_hours', message: 'Outside active hours' })
    else if (p.reason === 'budget_exhausted')
      schedule(p.at, {
        state: 'waiting',
        message: 'Daily Guardian budget spent: waiting for the next UTC day',
      })
    else schedule(p.at, { state: 'waiting', message: `Next poll in ${Math.round(p.intervalMs / 1000)} s` })
  }

  async function fetchPage(q: string, from: number, page: number): Promise<SearchPage | 'beyond'> {
    if (stopped || paused) throw new Interrupted()
    rollDay()
    if (state.calls.count >= budget.perDay) throw new BudgetExhausted()
    await sleep(lastCallEnd + gap - o.clock.now())
    if (stopped || paused) throw new Interrupted()
    rollDay()
    state.calls.count++
    const ctrl = new AbortController()
    inflight = ctrl
    let timedOut = false
    const to = o.timers.setTimeout(() => {
      timedOut = true
      ctrl.abort()
    }, timeoutMs)
    let res: FetchResponse
    let text: string
    try {
      res = await o.fetch(
        searchUrl(base, { q, sections: o.config.sections, fromDate: from, page, pageSize, key }),
        { signal: ctrl.signal },
      )
      text = await res.text()
    } catch (e) {
      if (stopped) throw new Interrupted()
      throw new RetryableError(
        timedOut
          ? 'Guardian did not answer in time'
          : clean(`Guardian unreachable: ${e instanceof Error ? e.message : String(e)}`),
        null,
        'backoff',
      )
    } finally {
      o.timers.clearTimeout(to)
      inflight = null
      lastCallEnd = o.clock.now()
    }
    setStatus({ lastPollAt: lastCallEnd })
    if (res.status === 401 || res.status === 403) throw new FatalError('Guardian key rejected')
    const msg = res.status === 200 ? null : errorMessage(text)
    if (res.status === 400 && msg !== null && /beyond the number of available pages/.test(msg))
      return 'beyond'
    if (isRetryableStatus(res.status)) {
      throw new RetryableError(
        res.status === 429 ? 'Guardian rate limit hit (429)' : `Guardian server error (${res.status})`,
        res.headers.get('retry-after'),
        'backoff',
      )
    }
    if (res.status !== 200)
      throw new RetryableError(
        clean(`Guardian answered ${res.status}${msg ? `: ${msg}` : ''}`),
        null,
        'error',
      )
    const parsed = parseSearchBody(text)
    if (!parsed.ok) throw new RetryableError(parsed.error, null, 'error')
    return parsed.page
  }

  /** Emits new items and new revisions (oldest first); returns how many were fresh and how many had new ids. */
  function ingest(items: GuardianItem[], q: string): { fresh: number; newIds: number } {
    let fresh = 0
    let newIds = 0
    for (const it of [...items].reverse()) {
      const rev = revisionOf(it)
      const change = seen.classify(it.id, rev)
      if (change === 'seen') continue
      fresh++
      if (change === 'new') newIds++
      seen.remember(it.id, rev, it.published)
      const article = toArticle(it, q, o.clock.now())
      try {
        article.tickers = tag(article)
      } catch {
        article.tickers = []
      }
      try {
        o.onArticle(article, change)
      } catch {
        // the consumer's failure is not the poller's
      }
    }
    return { fresh, newIds }
  }

  async function pollQuery(q: string): Promise<void> {
    const prog: QueryProgress = state.queries[q] ?? { watermark: o.clock.now() - lookback, resumePage: null }
    state.queries[q] = prog
    const from = prog.watermark - overlap
    let fetched = 0
    let newIds = 0
    let topNewest: number | null = null
    let page = 1
    const shiftedResume = (): number | null =>
      prog.resumePage === null ? null : prog.resumePage + Math.floor(newIds / pageSize)
    try {
      // Phase A: newest first until a page holds nothing new.
      let reachedEnd = false
      for (;;) {
        const res = await fetchPage(q, from, page)
        fetched++
        if (res === 'beyond') {
          reachedEnd = true
          break
        }
        if (page === 1 && res.items.length > 0) topNewest = Math.max(...res.items.map((i) => i.published))
        const r = ingest(res.items, q)
        newIds += r.newIds
        await persist()
        if (page >= res.pages || res.items.length === 0) {
          reachedEnd = true
          break
        }
        // Newest first: a page holding anything already seen has reached known ground.
        if (r.fresh < res.items.length) break
        page++
        if (fetched >= maxPages) {
          const sr = shiftedResume()
          prog.resumePage = sr === null ? page : Math.min(page, sr)
          return
        }
      }
      if (reachedEnd) prog.resumePage = null
      // Phase B: unfinished paging from an earlier cycle continues to the end of the window.
      if (prog.resumePage !== null) {
        page = Math.max(shiftedResume() ?? 1, page + 1)
        prog.resumePage = page
        for (; fetched < maxPages; page++) {
          prog.resumePage = page
          const res = await fetchPage(q, from, page)
          fetched++
          if (res === 'beyond') {
            prog.resumePage = null
            break
          }
          ingest(res.items, q)
          await persist()
          if (page >= res.pages || res.items.length === 0) {
            prog.resumePage = null
            break
          }
        }
        if (prog.resumePage !== null && fetched >= maxPages) prog.resumePage = page
      }
      if (prog.resumePage === null && topNewest !== null) prog.watermark = Math.max(prog.watermark, topNewest)
    } catch (e) {
      // Interrupted paging resumes at the page that failed (shifted for items published since).
      if (page > 1) {
        const sr = shiftedResume()
        prog.resumePage = sr === null ? page : Math.min(page, sr)
      }
      throw e
    }
  }

  async function runCycle(): Promise<void> {
    try {
      rollDay()
      setStatus({ state: 'polling', message: 'Polling the Guardian', nextPollAt: null })
      for (const q of [...queries]) await pollQuery(q)
      attempt = 0
      await persist()
      if (stopped) return
      setStatus({ lastError: null })
      if (paused) setStatus({ state: 'paused', message: 'Paused', nextPollAt: null })
      else planAndSchedule()
    } catch (e) {
      await persist()
      if (stopped) return
      if (e instanceof Interrupted) {
        setStatus({ state: 'paused', message: 'Paused', nextPollAt: null })
      } else if (e instanceof FatalError) {
        fatal = true
        setStatus({
          state: 'auth_failed',
          message: 'Guardian key rejected',
          nextPollAt: null,
          lastError: 'Guardian key rejected (401): check the key in Settings',
        })
      } else if (e instanceof BudgetExhausted) {
        const at = Math.max(nextUtcMidnight(o.clock.now()), lastCallEnd + gap)
        schedule(at, {
          state: 'waiting',
          message: 'Daily Guardian budget spent: waiting for the next UTC day',
        })
      } else {
        attempt++
        const err =
          e instanceof RetryableError
            ? e
            : new RetryableError(clean(e instanceof Error ? e.message : String(e)), null, 'error')
        const delay = Math.max(gap, retryDelay(attempt, err.retryAfter, o.clock.now(), backoffPolicy))
        schedule(o.clock.now() + delay, {
          state: err.kind,
          message: `${err.message}; retrying in ${Math.round(delay / 1000)} s`,
          lastError: err.message,
        })
      }
    }
  }

  return {
    async start() {
      if (started) return
      started = true
      if (o.stateFile !== null) {
        const loaded = await loadState(fs, o.stateFile, () => o.clock.now())
        stateWritable = loaded.state !== null
        state = loaded.state ?? emptyState()
        if (loaded.warning) setStatus({ lastError: loaded.warning, notice: loaded.warning })
      }
      seen = new SeenSet(o.maxSeen ?? 5000)
      for (const [id, rev, published] of state.seen) seen.remember(id, rev, published)
      rollDay()
      if (!o.config.enabled) {
        setStatus({ state: 'idle', message: 'News disabled' })
        return
      }
      if (queries.length === 0) {
        setStatus({ state: 'idle', message: 'Watchlist empty: nothing to search for' })
        return
      }
      // First poll at once, whatever the hour: the user wants the latest news on opening the app.
      schedule(o.clock.now(), { state: 'waiting', message: 'Starting' })
    },
    pause() {
      if (stopped || fatal) return
      paused = true
      if (timer !== null) o.timers.clearTimeout(timer)
      timer = null
      if (!cycle) setStatus({ state: 'paused', message: 'Paused', nextPollAt: null })
    },
    resume() {
      if (stopped || fatal || !paused) return
      paused = false
      if (!started || !o.config.enabled) return
      if (cycle) {
        void cycle.then(() => {
          if (!paused && !stopped && !fatal && timer === null && !cycle)
            schedule(Math.max(o.clock.now(), lastCallEnd + gap), { state: 'waiting', message: 'Resuming' })
        })
        return
      }
      schedule(Math.max(o.clock.now(), lastCallEnd + gap), { state: 'waiting', message: 'Resuming' })
    },
    setWatchlist(w) {
      setQueries(w)
      if (!started || stopped || fatal || paused || !o.config.enabled) return
      if (cycle) {
        watchlistChanged = true
        return
      }
      if (queries.length === 0) {
        if (timer !== null) o.timers.clearTimeout(timer)
        timer = null
        setStatus({ state: 'idle', message: 'Watchlist empty: nothing to search for', nextPollAt: null })
        return
      }
      schedule(Math.max(o.clock.now(), lastCallEnd + gap), {
        state: 'waiting',
        message: 'Watchlist changed: polling again',
      })
    },
    async stop() {
      if (stopped) return
      stopped = true
      if (timer !== null) o.timers.clearTimeout(timer)
      timer = null
      if (sleeper) {
        o.timers.clearTimeout(sleeper.handle)
        sleeper.resolve()
        sleeper = null
      }
      inflight?.abort()
      if (cycle) await cycle
      if (started) await persist()
      await saving
      setStatus({ state: 'idle', message: 'Stopped', nextPollAt: null })
    },
    status: () => ({ ...status }),
  }
}
