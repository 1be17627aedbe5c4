// Active polling hours in a market time zone (default US pre-market 04:00 to after-hours 20:00 Eastern,
// weekdays). Daylight saving comes from Intl, so 23- and 25-hour days need no special cases.

export interface ActiveHours {
  timeZone: string
  /** Minutes after local midnight. */
  startMin: number
  endMin: number
  /** Local weekdays, 0 = Sunday. */
  days: readonly number[]
}

export const US_EXTENDED_HOURS: ActiveHours = {
  timeZone: 'America/New_York',
  startMin: 4 * 60,
  endMin: 20 * 60,
  days: [1, 2, 3, 4, 5],
}

const DAY = 86_400_000
const fmtCache = new Map<string, Intl.DateTimeFormat>()

function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    fmtCache.set(tz, f)
  }
  return f
}

/** Local wall-clock fields of instant `t` in `tz`. */
export function localParts(
  t: number,
  tz: string,
): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p: Record<string, number> = {}
  for (const part of fmt(tz).formatToParts(new Date(t)))
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour! % 24, min: p.minute!, s: p.second! }
}

/** Offset of `tz` from UTC at instant `t`, ms (−4 h for New York in summer). */
export function tzOffset(t: number, tz: string): number {
  const l = localParts(t, tz)
  return Date.UTC(l.y, l.m - 1, l.d, l.h, l.min, l.s) - Math.floor(t / 1000) * 1000
}

/** The instant when the local clock in `tz` shows `minutes` after midnight of y-m-d. */
export function zonedToUtc(y: number, m: number, d: number, minutes: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d) + minutes * 60_000
  const first = guess - tzOffset(guess, tz)
  return guess - tzOffset(first, tz)
}

/** Active windows [start, end) intersected with [from, to). */
export function activeWindows(from: number, to: number, ah: ActiveHours): [number, number][] {
  const out: [number, number][] = []
  if (to <= from) return out
  const l = localParts(from, ah.timeZone)
  // Start one local day early: a window that began yesterday may still be open.
  for (let i = -1; ; i++) {
    const date = new Date(Date.UTC(l.y, l.m - 1, l.d + i))
    const y = date.getUTCFullYear()
    const m = date.getUTCMonth() + 1
    const d = date.getUTCDate()
    const dayStart = zonedToUtc(y, m, d, 0, ah.timeZone)
    if (dayStart >= to) break
    if (!ah.days.includes(date.getUTCDay())) continue
    const s = Math.max(from, zonedToUtc(y, m, d, ah.startMin, ah.timeZone))
    const e = Math.min(to, zonedToUtc(y, m, d, ah.endMin, ah.timeZone))
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
