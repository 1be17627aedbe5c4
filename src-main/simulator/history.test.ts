import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { easternParts } from '../domain/eastern-time'
import { createSimulator, type Simulator } from './index'
import type { RestBar as Bar } from './bars'
import { HISTORY_SESSIONS, sessionsBefore } from './history'

const START = Date.UTC(2026, 10, 18, 15, 0, 0) // Wednesday 2026-11-18, 10:00 ET

interface AggBody {
  status: string
  resultsCount: number
  results?: Bar[]
  next_url?: string
}

async function bars(sim: Simulator, path: string): Promise<Bar[]> {
  const out: Bar[] = []
  let url: string | undefined = `${sim.httpBase}${path}${path.includes('?') ? '&' : '?'}apiKey=hk`
  while (url) {
    const res = await fetch(url)
    expect(res.status).toBe(200)
    const body = (await res.json()) as AggBody
    expect(body.status).toBe('OK')
    out.push(...(body.results ?? []))
    url = body.next_url ? `${body.next_url}&apiKey=hk` : undefined
  }
  return out
}

describe('sessionsBefore', () => {
  it('takes the last five weekday sessions that closed by the origin, across a weekend and a DST change', () => {
    const ny = (s: [number, number]): string => {
      const p = easternParts(s[0])
      return `${p.y}-${p.m}-${p.d} ${Math.floor(p.minute / 60)}:${p.minute % 60} +${(s[1] - s[0]) / 60_000}m`
    }
    expect(sessionsBefore(START).map(ny)).toEqual([
      '2026-11-11 9:30 +390m',
      '2026-11-12 9:30 +390m',
      '2026-11-13 9:30 +390m',
      '2026-11-16 9:30 +390m',
      '2026-11-17 9:30 +390m',
    ])
    // After the close, that day's session counts; DST ended on 2026-11-01 (09:30 is 13:30 UTC before, 14:30 after).
    const s = sessionsBefore(Date.UTC(2026, 10, 3, 22, 0))
    expect(s).toHaveLength(HISTORY_SESSIONS)
    expect(s.map(ny)[4]).toBe('2026-11-3 9:30 +390m')
    expect(s[0]![0]).toBe(Date.UTC(2026, 9, 28, 13, 30))
    expect(s[4]![0]).toBe(Date.UTC(2026, 10, 3, 14, 30))
  })
})

describe('minute history of the previous sessions on the aggregates endpoint', () => {
  let sim: Simulator
  beforeAll(async () => {
    // The tape itself starts only 20 minutes before the clock.
    sim = await createSimulator({ seed: 21, key: 'hk', clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 20 * 60_000 })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('serves at least five full previous regular sessions of minute bars', async () => {
    const got = await bars(sim, '/v2/aggs/ticker/AAPL/range/1/minute/2026-11-09/2026-11-17?adjusted=true&sort=asc&limit=50000')
    const days = new Map<string, Bar[]>()
    for (const b of got) {
      const p = easternParts(b.t)
      expect(p.minute).toBeGreaterThanOrEqual(9 * 60 + 30)
      expect(p.minute).toBeLessThan(16 * 60)
      expect(b.t % 60_000).toBe(0)
      expect(b.l).toBeLessThanOrEqual(Math.min(b.o, b.c))
      expect(b.h).toBeGreaterThanOrEqual(Math.max(b.o, b.c))
      expect(b.vw).toBeGreaterThanOrEqual(b.l)
      expect(b.vw).toBeLessThanOrEqual(b.h)
      expect(b.v).toBeGreaterThan(0)
      expect(b.n).toBeGreaterThan(0)
      const key = `${p.y}-${p.m}-${p.d}`
      days.set(key, [...(days.get(key) ?? []), b])
    }
    expect([...days.keys()]).toEqual(['2026-11-11', '2026-11-12', '2026-11-13', '2026-11-16', '2026-11-17'])
    for (const d of days.values()) {
      expect(d).toHaveLength(390)
      // The time-of-day shape of the tape: the first minutes trade more than midday.
      const opening = d.slice(0, 10).reduce((a, b) => a + b.n, 0)
      const midday = d.slice(180, 190).reduce((a, b) => a + b.n, 0)
      expect(opening).toBeGreaterThan(midday)
    }
    expect(got.map((b) => b.t)).toEqual([...got.map((b) => b.t)].sort((a, b) => a - b))
    // The history ends where the tape begins.
    const first = sim.groundTruthTrades('AAPL')[0]!
    expect(Math.abs(got[got.length - 1]!.c / first.price - 1)).toBeLessThan(0.01)
  })

  it('is the same on every request, and hour, day and prev bars add up from the minutes', async () => {
    const path = '/v2/aggs/ticker/MSFT/range/1/minute/2026-11-17/2026-11-17?limit=50000'
    const minutes = await bars(sim, path)
    expect(await bars(sim, path)).toEqual(minutes)
    expect(minutes).toHaveLength(390)
    const hours = await bars(sim, '/v2/aggs/ticker/MSFT/range/1/hour/2026-11-17/2026-11-17?limit=50000')
    expect(hours.reduce((a, b) => a + b.v, 0)).toBe(minutes.reduce((a, b) => a + b.v, 0))
    expect(hours.reduce((a, b) => a + b.n, 0)).toBe(minutes.reduce((a, b) => a + b.n, 0))
    const [day] = await bars(sim, '/v2/aggs/ticker/MSFT/range/1/day/2026-11-17/2026-11-17')
    expect(day).toMatchObject({
      o: minutes[0]!.o,
      c: minutes[389]!.c,
      h: Math.max(...minutes.map((b) => b.h)),
      l: Math.min(...minutes.map((b) => b.l)),
      v: minutes.reduce((a, b) => a + b.v, 0),
      n: minutes.reduce((a, b) => a + b.n, 0),
      t: Date.UTC(2026, 10, 17, 5),
    })
    const prev = (await (await fetch(`${sim.httpBase}/v2/aggs/ticker/MSFT/prev?apiKey=hk`)).json()) as { results: Bar[] }
    expect(prev.results[0]).toMatchObject({ o: day!.o, h: day!.h, l: day!.l, c: day!.c, v: day!.v, n: day!.n, t: day!.t })
  })

  it('trades as much as the tape at the same time of day (the time-of-day volume baseline)', async () => {
    const live = await bars(sim, `/v2/aggs/ticker/AAPL/range/1/minute/${START - 20 * 60_000}/${START - 60_000}?limit=50000`)
    const day = 86_400_000
    const hist = await bars(sim, `/v2/aggs/ticker/AAPL/range/1/minute/${START - day - 20 * 60_000}/${START - day - 60_000}?limit=50000`)
    expect(live).toHaveLength(20)
    expect(hist).toHaveLength(20)
    const sum = (b: Bar[], k: 'v' | 'n'): number => b.reduce((a, x) => a + x[k], 0)
    expect(sum(hist, 'n') / sum(live, 'n')).toBeGreaterThan(0.8)
    expect(sum(hist, 'n') / sum(live, 'n')).toBeLessThan(1.25)
    expect(sum(hist, 'v') / sum(live, 'v')).toBeGreaterThan(0.7)
    expect(sum(hist, 'v') / sum(live, 'v')).toBeLessThan(1.4)
  })

  it('has no ticks or second bars before the tape', async () => {
    expect(await bars(sim, '/v2/aggs/ticker/AAPL/range/1/second/2026-11-17/2026-11-17?limit=50000')).toEqual([])
    const res = await fetch(`${sim.httpBase}/v3/trades/AAPL?timestamp=2026-11-17&apiKey=hk`)
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([])
  })
})
