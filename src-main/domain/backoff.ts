// The one retry policy: capped exponential backoff with jitter (a fleet of clients that lost the same server
// does not reconnect in lockstep), and the HTTP side of it (which statuses to retry, Retry-After). Used by the
// Polygon socket and REST client, the Guardian poller and the Kafka publisher. Pure: the random source is
// injected (tests pass a fixed sequence).

export type JitterKind = 'full' | 'decorrelated' | 'none'

export interface BackoffPolicy {
  /** First (uncapped) delay scale, ms. */
  baseMs: number
  /** No delay exceeds this, ms. */
  capMs: number
  kind: JitterKind
  /** No delay goes below this, ms (keeps full jitter from reconnecting instantly). Default 0. */
  minMs?: number
}

export const DEFAULT_RECONNECT_POLICY: BackoffPolicy = {
  baseMs: 500,
  capMs: 30_000,
  kind: 'full',
  minMs: 250,
}

/** A random source in [0, 1). */
export type Random = () => number

/**
 * Delay before retry number `attempt` (0 = first retry).
 * - full:          uniform in [0, min(cap, base·2^attempt))            (AWS "full jitter")
 * - decorrelated:  uniform in [base, prev·3), capped; prev = previous delay (base for the first)
 * - none:          min(cap, base·2^attempt)
 * The result is clamped to [minMs, capMs] and floored to whole ms.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  prevDelayMs: number,
  random: Random,
): number {
  const { baseMs, capMs } = policy
  const minMs = Math.min(policy.minMs ?? 0, capMs)
  const a = Math.max(0, Math.floor(attempt))
  // 2^a overflows to Infinity past ~1023; min() keeps it sane.
  const expo = Math.min(capMs, baseMs * Math.pow(2, Math.min(a, 60)))
  let d: number
  switch (policy.kind) {
    case 'none':
      d = expo
      break
    case 'full':
      d = random() * expo
      break
    case 'decorrelated': {
      const prev = prevDelayMs > 0 ? prevDelayMs : baseMs
      const hi = Math.max(baseMs, prev * 3)
      d = baseMs + random() * (hi - baseMs)
      break
    }
  }
  return Math.floor(Math.min(capMs, Math.max(minMs, d)))
}

/** Stateful convenience around `backoffDelay`: `next()` advances, `reset()` after a stable connection. */
export class Backoff {
  private attemptNo = 0
  private prev = 0
  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: Random = Math.random,
  ) {}
  get attempt(): number {
    return this.attemptNo
  }
  next(): number {
    const d = backoffDelay(this.policy, this.attemptNo, this.prev, this.random)
    this.attemptNo++
    this.prev = d
    return d
  }
  reset(): void {
    this.attemptNo = 0
    this.prev = 0
  }
}

// ---- HTTP retries ------------------------------------------------------------------------------------------

/** Retry-After → delay in ms from `now`, or null when absent or unreadable. */
export function parseRetryAfter(v: string | null | undefined, now: number): number | null {
  if (v === null || v === undefined) return null
  const s = v.trim()
  if (/^\d+$/.test(s)) return Number(s) * 1000
  if (!/[a-z]/i.test(s)) return null // e.g. "-5" or "1.5": not a valid Retry-After
  const t = Date.parse(s)
  if (Number.isNaN(t)) return null
  return Math.max(0, t - now)
}

/** Statuses the official clients retry (408, 429, 509), plus every other 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 509 || (status >= 500 && status <= 599)
}

/** The Guardian poller's schedule: 5 s, doubling, at most 10 minutes, no jitter (one client, one server). */
export const HTTP_RETRY_POLICY: BackoffPolicy = { baseMs: 5_000, capMs: 600_000, kind: 'none' }

/**
 * Delay before HTTP retry number `attempt` (1 = first): the server's Retry-After wins (up to a day), else
 * the policy's schedule.
 */
export function retryDelay(
  attempt: number,
  retryAfter: string | null,
  now: number,
  policy: BackoffPolicy = HTTP_RETRY_POLICY,
  random: Random = Math.random,
): number {
  const ra = parseRetryAfter(retryAfter, now)
  if (ra !== null) return Math.min(ra, 86_400_000)
  return backoffDelay(policy, attempt - 1, 0, random)
}
