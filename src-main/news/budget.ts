// How often to poll: spread what is left of the key's daily budget (UTC day) evenly over the active time
// left before the budget resets, never faster than the per-second limit or the configured floor.
import type { NewsConfig } from './config'
import { activeMsBetween, isActive, nextActiveStart, type ActiveHours } from './active-hours'

export interface Budget {
  perSecond: number
  perDay: number
}

const DAY = 86_400_000

export const DEVELOPER_BUDGET: Budget = { perSecond: 1, perDay: 500 }
/** Commercial keys differ per contract: the config says; these are only fallbacks. */
export const COMMERCIAL_FALLBACK: Budget = { perSecond: 12, perDay: 100_000 }

export function budgetFor(config: Pick<NewsConfig, 'tier' | 'perSecond' | 'perDay'>): Budget {
  if (config.tier === 'developer') return DEVELOPER_BUDGET
  return {
    perSecond: config.perSecond ?? COMMERCIAL_FALLBACK.perSecond,
    perDay: config.perDay ?? COMMERCIAL_FALLBACK.perDay,
  }
}

export const utcDay = (t: number): number => Math.floor(t / DAY)
export const nextUtcMidnight = (t: number): number => (utcDay(t) + 1) * DAY

/** Calls held back for paging and retries (2 % of the day, at least 2, at most 20). */
export const reserveCalls = (b: Budget): number => Math.min(20, Math.max(2, Math.floor(b.perDay * 0.02)))

/** Minimal gap between two calls, ms (a little slack over the per-second limit). */
export const callGapMs = (b: Budget): number => Math.ceil(1000 / b.perSecond) + 50

export interface PlanInput {
  now: number
  callsToday: number
  budget: Budget
  /** Calls one poll cycle costs without paging (one per query). */
  callsPerCycle: number
  activeHours: ActiveHours | null
  minIntervalMs: number
}

export type PlanReason = 'active' | 'outside_hours' | 'budget_exhausted'

export interface Plan {
  at: number
  reason: PlanReason
  /** Interval chosen while active, ms (for display and tests). */
  intervalMs: number
}

export function planNextPoll(p: PlanInput): Plan {
  const cost = Math.max(1, p.callsPerCycle)
  if (!isActive(p.now, p.activeHours))
    return { at: nextActiveStart(p.now, p.activeHours), reason: 'outside_hours', intervalMs: 0 }
  const usable = p.budget.perDay - reserveCalls(p.budget) - p.callsToday
  const cycles = Math.floor(usable / cost)
  const midnight = nextUtcMidnight(p.now)
  if (cycles < 1)
    return { at: nextActiveStart(midnight, p.activeHours), reason: 'budget_exhausted', intervalMs: 0 }
  const activeLeft = activeMsBetween(p.now, midnight, p.activeHours)
  const floor = Math.max(p.minIntervalMs, cost * callGapMs(p.budget))
  const intervalMs = Math.max(floor, Math.floor(activeLeft / cycles))
  const at = p.now + intervalMs
  return {
    at: isActive(at, p.activeHours) ? at : nextActiveStart(at, p.activeHours),
    reason: 'active',
    intervalMs,
  }
}
