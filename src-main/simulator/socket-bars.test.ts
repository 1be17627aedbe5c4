import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from './index'
import { expectedBars, fromT, placed, qualifies, subscribed, type Ev, type RecordingClient } from './test-support'

/** The last version of each window's bar (a late TRF print makes the server send a closed window again). */
function finalBars(bars: Ev[]): Ev[] {
  const m = new Map<number, Ev>()
  for (const b of bars) m.set(b.s as number, b)
  return [...m.values()].sort((a, b) => (a.s as number) - (b.s as number))
}

/** The bars as first sent when their window closed (the re-sent versions of older windows left out). */
function firstSent(bars: Ev[]): Ev[] {
  let newest = -Infinity
  return bars.filter((b) => {
    if ((b.s as number) <= newest) return false
    newest = b.s as number
    return true
  })
}

const START = Date.UTC(2026, 10, 18, 14, 40, 0) // 09:40 ET: busy just after the open

describe('A/AM bars agree with the T events of the same socket', () => {
  let sim: Simulator
  let c: RecordingClient
  let trades: Ev[]
  let aBars: Ev[]
  let amBars: Ev[]
  let firstSec: number
  let firstMin: number

  beforeAll(async () => {
    sim = await createSimulator({ seed: 3, key: 'k', clock: { kind: 'accelerated', factor: 150, start: START }, historyMs: 60_000 })
    c = await subscribed(sim.wsBase, 'k', 'T.TSLA,A.TSLA,AM.TSLA')
    // Four whole minutes after the first trade seen (re-sent bars of older minutes do not count).
    const wholeMinutes = (): number => {
      const evs = c.events()
      const t0 = evs.find((e) => e.ev === 'T')?.t as number | undefined
      if (t0 === undefined) return 0
      const fm = Math.floor(t0 / 60_000) * 60_000 + 60_000
      return new Set(evs.filter((e) => e.ev === 'AM' && (e.s as number) >= fm).map((e) => e.s)).size
    }
    await c.until(() => wholeMinutes() >= 4, '4 AM bars', 30_000)
    c.ws.terminate()
    const events = c.events()
    trades = events.filter((e) => e.ev === 'T')
    aBars = events.filter((e) => e.ev === 'A')
    amBars = events.filter((e) => e.ev === 'AM')
    // Windows that began before the subscription are partly unseen: skip them.
    const t0 = trades[0]!.t as number
    firstSec = Math.floor(t0 / 1000) * 1000 + 1000
    firstMin = Math.floor(t0 / 60_000) * 60_000 + 60_000
  })
  afterAll(async () => {
    await sim.close()
  })

  it('aligns s/e to the second and the minute', () => {
    for (const b of aBars) {
      expect((b.s as number) % 1000).toBe(0)
      expect(b.e).toBe((b.s as number) + 1000)
    }
    for (const b of amBars) {
      expect((b.s as number) % 60_000).toBe(0)
      expect(b.e).toBe((b.s as number) + 60_000)
    }
  })

  it('a late TRF print (trft before t) is sent again in the bars of its trft window, as Polygon does', () => {
    const late = trades.filter((t) => typeof t.trfi === 'number' && (t.trft as number) < (t.t as number))
    // The model reports 0.5 % of TRF prints late: this many minutes of busy TSLA trading carry some.
    expect(late.length).toBeGreaterThan(0)
    for (const t of late) {
      const at = placed(fromT(t))
      if (at === null) continue // more than 15 minutes late: in no intraday bar
      const s = at - (at % 60_000)
      // An AM for that minute came after the print (the window re-sent), unless the minute was still open.
      const events = c.events()
      const after = events.slice(events.indexOf(t) + 1)
      const minuteStillOpen = (t.t as number) - ((t.t as number) % 60_000) === s
      if (!minuteStillOpen) expect(after.some((e) => e.ev === 'AM' && e.s === s)).toBe(true)
      expect(after.some((e) => e.ev === 'A' && e.s === at - (at % 1000))).toBe(true)
    }
  })

  it('carries exactly the documented fields, otc omitted', () => {
    const keys = ['ev', 'sym', 'v', 'dv', 'av', 'dav', 'op', 'vw', 'o', 'c', 'h', 'l', 'a', 'z', 's', 'e'].sort()
    for (const b of [...aBars, ...amBars]) expect(Object.keys(b).sort()).toEqual(keys)
  })

  for (const [name, windowMs] of [
    ['A', 1000],
    ['AM', 60_000],
  ] as const) {
    it(`${name} bars equal bars recomputed from the received trades, and no window is missing or empty`, () => {
      const bars = finalBars(name === 'A' ? aBars : amBars)
      const first = name === 'A' ? firstSec : firstMin
      const got = bars.filter((b) => (b.s as number) >= first)
      expect(got.length).toBeGreaterThan(name === 'A' ? 20 : 2)
      const lastS = got[got.length - 1]!.s as number
      const expected = expectedBars(trades.map(fromT), windowMs).filter((b) => b.s >= first && b.s <= lastS)
      expect(
        got.map((b) => ({ o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, dv: Number(b.dv), vw: b.vw, z: b.z, s: b.s })),
      ).toEqual(
        expected.map((b) => ({ o: b.o, h: b.h, l: b.l, c: b.c, v: Math.floor(b.v), dv: b.v, vw: b.vw, z: Math.round(b.v / b.n), s: b.s })),
      )
    })
  }

  it('bars arrive after their window closed (after every trade of the window)', () => {
    const events = c.events()
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!
      if (e.ev !== 'A' && e.ev !== 'AM') continue
      const later = events.slice(i + 1).filter((x) => x.ev === 'T' && (x.t as number) < (e.e as number) && (x.t as number) >= (e.s as number))
      expect(later).toEqual([])
    }
  })

  it('av grows by exactly the qualifying volume traded between bars; op stays fixed', () => {
    const got = firstSent(aBars).filter((b) => (b.s as number) >= firstSec)
    for (let k = 1; k < got.length; k++) {
      const prev = got[k - 1]!
      const cur = got[k]!
      let micro = 0
      for (const t of trades) {
        const ts = t.t as number
        if (ts >= (prev.e as number) && ts < (cur.e as number) && qualifies((t.c as number[] | undefined) ?? []).volume)
          micro += Math.round(fromT(t).size * 1_000_000)
      }
      const dayMicro = (b: typeof cur) => Math.round(Number(b.dav) * 1_000_000)
      expect(dayMicro(cur) - dayMicro(prev)).toBe(micro)
      expect(cur.av).toBe(Math.floor(Number(cur.dav)))
      expect(cur.op).toBe(prev.op)
      expect(cur.a as number).toBeGreaterThan(0)
    }
  })

  it('REST minute aggregates equal the AM bars of the same windows', async () => {
    const windows = finalBars(amBars)
    const from = windows[0]!.s as number
    const to = windows[windows.length - 1]!.s as number
    const res = await fetch(`${sim.httpBase}/v2/aggs/ticker/TSLA/range/1/minute/${from}/${to}?apiKey=k`)
    const body = (await res.json()) as { results: { o: number; h: number; l: number; c: number; v: number; vw: number; t: number }[] }
    const bySt = new Map(body.results.map((r) => [r.t, r]))
    // Windows a late TRF print reached after the client left differ by that print: leave them out.
    const lastT = Math.max(...trades.map((t) => t.t as number))
    const touchedLater = new Set(
      sim
        .groundTruthTrades('TSLA')
        .filter((t) => t.ts > lastT && t.trft !== undefined && t.trft < t.ts)
        .map((t) => placed(t))
        .filter((at): at is number => at !== null)
        .map((at) => at - (at % 60_000)),
    )
    for (const b of finalBars(amBars)) {
      if (touchedLater.has(b.s as number)) continue
      const r = bySt.get(b.s as number)
      expect(r).toBeDefined()
      expect({ o: r!.o, h: r!.h, l: r!.l, c: r!.c, v: r!.v, vw: r!.vw }).toEqual({ o: b.o, h: b.h, l: b.l, c: b.c, v: Number(b.dv), vw: b.vw })
    }
  })

  it('every received trade is on the ground-truth tape, in order, none missing in between', () => {
    const tape = sim.groundTruthTrades('TSLA')
    const i0 = tape.findIndex((t) => t.seq === trades[0]!.q)
    expect(i0).toBeGreaterThanOrEqual(0)
    const slice = tape.slice(i0, i0 + trades.length)
    expect(slice.map((t) => [t.seq, t.price, t.size, t.ts, t.exchange, t.id])).toEqual(
      trades.map((t) => [t.q, t.p, fromT(t).size, t.t, t.x, t.i]),
    )
  })
})
