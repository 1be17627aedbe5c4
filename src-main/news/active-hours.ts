// Active polling hours in US Eastern time (default pre-market 04:00 to after-hours 20:00, weekdays). Eastern
// wall clock from src-main/domain/eastern-time.ts, so 23- and 25-hour days need no special cases here.
import { easternParts, easternWallToUtc } from '../domain/eastern-time'

export interface ActiveHours {
  /** Minutes after Eastern midnight. */
  startMin: number
  endMin: number
  /** Eastern weekdays, 0 = Sunday. */
  days: readonly number[]
}

export const US_EXTENDED_HOURS: ActiveHours = {
  startMin: 4 * 60,
  endMin: 20 * 60,
  days: [1, 2, 3, 4, 5],
}

const DAY = 86_400_000

/** Active windows [start, end) intersected with [from, to). */
export function activeWindows(from: number, to: number, ah: ActiveHours): [number, number][] {
  const out: [number, number][] = []
  if (to <= from) return out
  const l = easternParts(from)
  // Start one local day early: a window that began yesterday may still be open.
  for (let i = -1; ; i++) {
    const date = new Date(Date.UTC(l.y, l.m - 1, l.d + i))
    const y = date.getUTCFullYear()
    const m = date.getUTCMonth() + 1
    const d = date.getUTCDate()
    const dayStart = easternWallToUtc(y, m, d, 0)
    if (dayStart >= to) break
    if (!ah.days.includes(date.getUTCDay())) continue
    const s = Math.max(from, easternWallToUtc(y, m, d, ah.startMin))
    const e = Math.min(to, easternWallToUtc(y, m, d, ah.endMin))
    if (e > s) out.push([s, e])
  }
  return out
}

export function activeMsBetween(from: number, to: number, ah: ActiveHours | null): number {
  if (!ah) return Math.max(0, to - from)
  return activeWindows(from, to, ah).reduce((a, [s, e]) => a + (e - s), 0)
}

export function isActive(t: number, ah: ActiveHours | null): boolean {
  return !ah || activeWindows(t, t + 1, ah).length > 0
}

/** `t` itself when active, else the start of the next active window (searching 14 days ahead). */
export function nextActiveStart(t: number, ah: ActiveHours | null): number {
  if (!ah) return t
  const w = activeWindows(t, t + 14 * DAY, ah)[0]
  return w ? w[0] : t + 14 * DAY
}
