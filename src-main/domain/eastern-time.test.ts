import { describe, expect, it } from 'vitest'
import {
  easternDateStart,
  easternDayBounds,
  easternDayStart,
  easternMinuteOfDay,
  easternOffset,
  easternParts,
  easternWallToUtc,
} from './eastern-time'

const H = 3_600_000
const fmt = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function nyParts(ts: number): { date: string; hour: number; minute: number } {
  const p = Object.fromEntries(fmt.formatToParts(ts).map((x) => [x.type, x.value]))
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute) }
}

describe('US Eastern trading day', () => {
  const fixed: { name: string; ts: number; start: number; end: number }[] = [
    {
      name: 'winter day',
      ts: Date.UTC(2024, 0, 10, 15),
      start: Date.UTC(2024, 0, 10, 5),
      end: Date.UTC(2024, 0, 11, 5),
    },
    {
      name: 'summer day',
      ts: Date.UTC(2024, 6, 1, 15),
      start: Date.UTC(2024, 6, 1, 4),
      end: Date.UTC(2024, 6, 2, 4),
    },
    {
      name: 'DST start day is 23 h',
      ts: Date.UTC(2024, 2, 10, 12),
      start: Date.UTC(2024, 2, 10, 5),
      end: Date.UTC(2024, 2, 11, 4),
    },
    {
      name: 'DST end day is 25 h',
      ts: Date.UTC(2024, 10, 3, 12),
      start: Date.UTC(2024, 10, 3, 4),
      end: Date.UTC(2024, 10, 4, 5),
    },
    {
      name: 'just before midnight EST',
      ts: Date.UTC(2025, 11, 31, 4, 59, 59, 999),
      start: Date.UTC(2025, 11, 30, 5),
      end: Date.UTC(2025, 11, 31, 5),
    },
    {
      name: 'new year midnight EST',
      ts: Date.UTC(2026, 0, 1, 5),
      start: Date.UTC(2026, 0, 1, 5),
      end: Date.UTC(2026, 0, 2, 5),
    },
  ]
  it.each(fixed)('$name', ({ ts, start, end }) => {
    expect(easternDayBounds(ts)).toEqual([start, end])
  })

  // Every ~3 h over 2023–2026, and every 10 minutes around each DST change.
  const instants: number[] = []
  for (let ts = Date.UTC(2023, 0, 1); ts < Date.UTC(2027, 0, 1); ts += 3 * H + 7 * 60_000 + 13)
    instants.push(ts)
  for (const change of [
    Date.UTC(2023, 2, 12, 7),
    Date.UTC(2023, 10, 5, 6),
    Date.UTC(2024, 2, 10, 7),
    Date.UTC(2024, 10, 3, 6),
    Date.UTC(2025, 2, 9, 7),
    Date.UTC(2025, 10, 2, 6),
    Date.UTC(2026, 2, 8, 7),
    Date.UTC(2026, 10, 1, 6),
  ]) {
    for (let ts = change - 30 * H; ts < change + 30 * H; ts += 10 * 60_000) instants.push(ts)
  }
  it(`agrees with Intl (America/New_York) at ${instants.length} instants, DST changes included`, () => {
    for (const ts of instants) {
      const [start, end] = easternDayBounds(ts)
      expect(start <= ts && ts < end).toBe(true)
      const s = nyParts(start)
      expect(s.hour * 60 + s.minute, new Date(ts).toISOString()).toBe(0)
      const local = nyParts(ts)
      expect(s.date).toBe(local.date)
      expect(nyParts(end - 1).date).toBe(local.date)
      expect(nyParts(end).hour).toBe(0)
      expect(new Date(ts + easternOffset(ts)).getUTCHours()).toBe(local.hour)
    }
  })

  it('days are 23, 24 or 25 hours', () => {
    const lengths = new Set<number>()
    for (let ts = Date.UTC(2024, 0, 1); ts < Date.UTC(2025, 0, 1); ts += 24 * H) {
      const [s, e] = easternDayBounds(ts)
      lengths.add((e - s) / H)
      expect(easternDayStart(e)).toBe(e)
    }
    expect([...lengths].sort()).toEqual([23, 24, 25])
  })
})

describe('US Eastern wall clock across the 2026 transitions (checked against Intl)', () => {
  // 2026-03-08 02:00 EST → 03:00 EDT (07:00 UTC); 2026-11-01 02:00 EDT → 01:00 EST (06:00 UTC).
  const instants: [string, number][] = [
    ['the last EST minute before spring', Date.UTC(2026, 2, 8, 6, 59)],
    ['the first EDT minute', Date.UTC(2026, 2, 8, 7, 0)],
    ['pre-market open on the spring day', Date.UTC(2026, 2, 8, 8, 0)],
    ['the regular open the Monday after', Date.UTC(2026, 2, 9, 13, 30)],
    ['the last EDT minute before autumn', Date.UTC(2026, 10, 1, 5, 59)],
    ['the first EST minute (01:00 again)', Date.UTC(2026, 10, 1, 6, 0)],
    ['the regular open the Monday after', Date.UTC(2026, 10, 2, 14, 30)],
    ['an after-hours close in summer', Date.UTC(2026, 6, 15, 23, 59)],
  ]
  it.each(instants)('%s', (_name, ts) => {
    const want = nyParts(ts)
    const got = easternParts(ts)
    const date = `${got.y}-${String(got.m).padStart(2, '0')}-${String(got.d).padStart(2, '0')}`
    expect({ date, hour: Math.floor(got.minute / 60), minute: got.minute % 60 }).toEqual(want)
    expect(easternMinuteOfDay(ts)).toBe(got.minute)
    expect(got.dow).toBe(new Date(Date.UTC(got.y, got.m - 1, got.d)).getUTCDay())
  })

  const walls: [string, [number, number, number, number], number][] = [
    ['04:00 on the spring day is EDT', [2026, 3, 8, 4 * 60], Date.UTC(2026, 2, 8, 8)],
    ['01:30 on the spring day is still EST', [2026, 3, 8, 90], Date.UTC(2026, 2, 8, 6, 30)],
    ['02:30 does not exist in spring: read as 03:30 EDT', [2026, 3, 8, 150], Date.UTC(2026, 2, 8, 7, 30)],
    ['09:30 on the autumn day is EST', [2026, 11, 1, 9 * 60 + 30], Date.UTC(2026, 10, 1, 14, 30)],
    ['01:30 repeats in autumn: the first (EDT) one', [2026, 11, 1, 90], Date.UTC(2026, 10, 1, 5, 30)],
    ['20:00 the day before autumn is EDT', [2026, 10, 31, 20 * 60], Date.UTC(2026, 10, 1, 0)],
    ['midnight in winter', [2026, 1, 15, 0], Date.UTC(2026, 0, 15, 5)],
  ]
  it.each(walls)('%s', (_name, [y, m, d, min], utc) => {
    expect(easternWallToUtc(y, m, d, min)).toBe(utc)
  })

  it('calendar dates start at Eastern midnight, 23 and 25 hours long on the transition days', () => {
    expect(easternDateStart('2026-03-08')).toBe(Date.UTC(2026, 2, 8, 5))
    expect(easternDateStart('2026-03-09')! - easternDateStart('2026-03-08')!).toBe(23 * H)
    expect(easternDateStart('2026-11-02')! - easternDateStart('2026-11-01')!).toBe(25 * H)
    expect(easternDateStart('2026-11-01')).toBe(easternDayStart(Date.UTC(2026, 10, 1, 12)))
    expect(easternDateStart('2026-13-01')).toBeNull()
    expect(easternDateStart('2026-02-30')).toBeNull()
    expect(easternDateStart('yesterday')).toBeNull()
  })
})
