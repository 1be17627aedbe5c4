import { describe, expect, it } from 'vitest'
import { easternDayBounds, easternDayStart, easternOffset } from './eastern-day'

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
