// Retry policy for the Guardian poller: honour Retry-After (delta seconds or HTTP date), else exponential.

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

export interface BackoffPolicy {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 600_000 }

/** attempt 1 → base, doubling, capped. */
export function backoffDelay(attempt: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, attempt - 1))
}

/** Statuses the official client retries, plus every other 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 509 || (status >= 500 && status <= 599)
}

/** The server's word wins (up to a day), else the exponential schedule. */
export function retryDelay(
  attempt: number,
  retryAfter: string | null,
  now: number,
  p: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const ra = parseRetryAfter(retryAfter, now)
  if (ra !== null) return Math.min(ra, 86_400_000)
  return backoffDelay(attempt, p)
}
