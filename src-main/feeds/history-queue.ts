// The REST history queue for news impact v2 (docs/impact-v2.md, "History first"): one call in flight at a time,
// spaced at the plan's rate (5 a minute on the free tier is one call every 12 s, never a burst), a 429 waits for
// Retry-After (else the backoff policy) and then repeats the same call exactly once, other transient errors back
// off the same way, and an error retrying cannot mend fails that job and is reported. A job is a sequence of
// calls (pages); it keeps its own progress, so a repeated call loses nothing. Time and timers are injected.
import { backoffDelay, isRetryableStatus, type BackoffPolicy, type Random } from '../domain/backoff'
import type { HistoryStatus } from '../domain/status'
import { PolygonRestError } from './polygon-rest'
import type { Clock, TimerHandle, Timers } from './runtime'

export interface HistoryJob {
  /** Shown in the status while it runs ("AAPL 09:30:00–10:15:00"). */
  readonly label: string
  /**
   * One REST call. Resolves true when the job is complete, false when another call follows. A throw must leave
   * the job as it was: the queue repeats the same call (or fails the job).
   */
  step(): Promise<boolean>
  /**
   * Higher runs sooner (the data time of the newest headline the job serves: the trader reads the timeline from
   * the top). Equal priorities keep their order; a job that has made a call is never overtaken. Default −∞.
   */
  readonly priority?: number
}

export type ErrorClass =
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  | { kind: 'transient'; retryAfterMs: number | null; reason: string }
  | { kind: 'fatal'; reason: string }
  | { kind: 'stopped' }

/** Polygon REST errors: 429 waits, 5xx/408/network back off, aborted stops, anything else fails the job. */
export function classifyRestError(e: unknown): ErrorClass {
  if (e instanceof PolygonRestError) {
    if (e.kind === 'aborted') return { kind: 'stopped' }
    if (e.kind === 'rate_limited' || e.status === 429) return { kind: 'rate_limited', retryAfterMs: e.retryAfterMs ?? null }
    if (e.kind === 'network') return { kind: 'transient', retryAfterMs: null, reason: 'network error' }
    if (e.kind === 'http' && e.status !== undefined && isRetryableStatus(e.status)) {
      return { kind: 'transient', retryAfterMs: e.retryAfterMs ?? null, reason: `server error ${e.status}` }
    }
    return { kind: 'fatal', reason: e.message }
  }
  // Not from the REST client (a bug, or bad data the job could not take): repeating would repeat it.
  return { kind: 'fatal', reason: e instanceof Error ? e.message : String(e) }
}

export interface HistoryQueueOptions {
  clock: Clock
  timers: Timers
  /** The plan's REST rate; 0, negative or not finite = unlimited (then `unlimitedSpacingMs` apart). */
  callsPerMinute: number
  unlimitedSpacingMs?: number
  /** Waits after a 429 without Retry-After and after transient errors. */
  retry?: BackoffPolicy
  random?: Random
  classify?: (e: unknown) => ErrorClass
  /** What the plan gives, for the status. */
  source: () => 'trades' | 'seconds' | null
  /** Appended to the status message when not empty (e.g. that history comes from 1-second bars). */
  note?: () => string
  onStatus?: (s: HistoryStatus) => void
  onFailed?: (job: HistoryJob, reason: string) => void
}

export interface HistoryQueue {
  push(job: HistoryJob): void
  status(): HistoryStatus
  /** Announce the status again (the source or note changed). */
  refresh(): void
  /** No more calls; a call in flight finishes but its outcome is ignored. */
  stop(): void
  /** REST calls made (every page and every retry). */
  calls(): number
}

export const DEFAULT_HISTORY_RETRY: BackoffPolicy = { baseMs: 2_000, capMs: 60_000, kind: 'full', minMs: 1_000 }

export function createHistoryQueue(o: HistoryQueueOptions): HistoryQueue {
  const retry = o.retry ?? DEFAULT_HISTORY_RETRY
  const random = o.random ?? Math.random
  const classify = o.classify ?? classifyRestError
  const spacing =
    Number.isFinite(o.callsPerMinute) && o.callsPerMinute > 0 ? Math.ceil(60_000 / o.callsPerMinute) : (o.unlimitedSpacingMs ?? 100)
  const rateText = Number.isFinite(o.callsPerMinute) && o.callsPerMinute > 0 ? `plan ${o.callsPerMinute}/min` : 'pacing'

  const jobs: HistoryJob[] = []
  let done = 0
  let failed = 0
  let calls = 0
  let inFlight = false
  /** The head job has made a call (it keeps its place until it completes or fails). */
  let headStarted = false
  let stopped = false
  let timer: TimerHandle | null = null
  let lastCallAt = -Infinity
  /** Earliest time of the next call after a 429 or an error. */
  let holdUntil = -Infinity
  let holdWhy: 'rate limit' | 'error' | null = null
  let holdReason = ''
  let rateAttempt = 0
  let errorAttempt = 0
  let prevDelay = 0
  let lastFailure: string | null = null
  let current: HistoryStatus = {
    state: 'idle',
    message: 'no history requested',
    pending: 0,
    done: 0,
    failed: 0,
    source: o.source(),
    retryAt: null,
  }

  const secs = (ms: number): number => Math.max(1, Math.ceil(ms / 1000))

  type Phase =
    | { state: 'idle' }
    | { state: 'loading'; label: string }
    | { state: 'waiting'; why: string; at: number }
    | { state: 'error'; reason: string; at: number }
  let phase: Phase = { state: 'idle' }

  /** The status for `p`, counted now (a wait says how long is left). */
  function emit(p: Phase = phase): void {
    phase = p
    const total = done + failed + jobs.length
    let message = total === 0 ? 'no history requested' : `history ${done}/${total}`
    const left = (at: number): number => secs(at - o.clock.now())
    if (p.state === 'loading') message += ` · loading ${p.label}`
    else if (p.state === 'waiting') message += ` · waiting ${left(p.at)} s (${p.why})`
    else if (p.state === 'error') message += ` · ${p.reason} · retry in ${left(p.at)} s`
    else if (failed > 0) message += ` · ${failed} failed${lastFailure ? ` (${lastFailure})` : ''}`
    if (stopped) message += ' · stopped'
    const note = o.note?.() ?? ''
    if (note) message += ` · ${note}`
    current = {
      state: p.state,
      message,
      pending: jobs.length,
      done,
      failed,
      source: o.source(),
      retryAt: p.state === 'waiting' || p.state === 'error' ? p.at : null,
    }
    o.onStatus?.({ ...current })
  }

  function schedule(): void {
    if (stopped || inFlight || timer !== null) return
    const job = jobs[0]
    if (!job) {
      emit({ state: 'idle' })
      return
    }
    const now = o.clock.now()
    const at = Math.max(lastCallAt + spacing, holdUntil)
    if (at > now) {
      const wait = at - now
      if (holdWhy === 'error') emit({ state: 'error', reason: holdReason, at })
      else emit({ state: 'waiting', why: holdWhy === 'rate limit' ? 'rate limit' : rateText, at })
      timer = o.timers.setTimeout(() => {
        timer = null
        schedule()
      }, wait)
      return
    }
    void run(job)
  }

  async function run(job: HistoryJob): Promise<void> {
    inFlight = true
    headStarted = true
    lastCallAt = o.clock.now()
    calls++
    emit({ state: 'loading', label: job.label })
    let outcome: { ok: true; complete: boolean } | { ok: false; error: unknown }
    try {
      outcome = { ok: true, complete: await job.step() }
    } catch (error) {
      outcome = { ok: false, error }
    }
    inFlight = false
    if (stopped) return
    const now = o.clock.now()
    if (outcome.ok) {
      rateAttempt = 0
      errorAttempt = 0
      prevDelay = 0
      holdWhy = null
      if (outcome.complete) {
        jobs.shift()
        headStarted = false
        done++
      }
    } else {
      const c = classify(outcome.error)
      switch (c.kind) {
        case 'stopped':
          return
        case 'rate_limited': {
          const d = c.retryAfterMs ?? backoffDelay(retry, rateAttempt, prevDelay, random)
          rateAttempt++
          prevDelay = d
          holdUntil = now + d
          holdWhy = 'rate limit'
          break
        }
        case 'transient': {
          const d = c.retryAfterMs ?? backoffDelay(retry, errorAttempt, prevDelay, random)
          errorAttempt++
          prevDelay = d
          holdUntil = now + d
          holdWhy = 'error'
          holdReason = `${job.label}: ${c.reason}`
          break
        }
        case 'fatal':
          jobs.shift()
          headStarted = false
          failed++
          lastFailure = c.reason
          holdWhy = null
          o.onFailed?.(job, c.reason)
          break
      }
    }
    schedule()
  }

  return {
    push(job) {
      if (stopped) return
      const p = job.priority ?? -Infinity
      let i = jobs.length
      const first = headStarted ? 1 : 0
      while (i > first && (jobs[i - 1]?.priority ?? -Infinity) < p) i--
      jobs.splice(i, 0, job)
      // Busy (a call or a wait): only the totals changed.
      if (inFlight || timer !== null) emit()
      else schedule()
    },
    status: () => ({ ...current }),
    refresh() {
      if (stopped) return
      if (inFlight || timer !== null) emit()
      else schedule()
    },
    stop() {
      if (stopped) return
      stopped = true
      if (timer !== null) o.timers.clearTimeout(timer)
      timer = null
      jobs.length = 0
      emit({ state: 'idle' })
    },
    calls: () => calls,
  }
}
