import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Trade } from '../domain/market'
import { createSimulator, type Simulator } from './index'
import { clampLimit, parseTradeWindow, TRADES_MAX_LIMIT } from './rest-trades'
import { subscribed, type Ev } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0) // 10:00 ET, a Wednesday

// Nanosecond integers exceed 2^53: JSON.parse keeps them as (inexact) numbers; the exact values are read from the
// text below. Zod's .int() stops at the safe range, hence the refine.
const integer = z.number().refine(Number.isInteger, 'an integer')
const TradeResult = z.strictObject({
  conditions: z.array(integer).optional(),
  correction: integer.optional(),
  exchange: integer,
  id: z.string(),
  participant_timestamp: integer,
  price: z.number(),
  sequence_number: integer,
  sip_timestamp: integer,
  // The captured body omits `size` on its 38/41-condition records.
  size: z.number().optional(),
  tape: integer,
  trf_id: integer.optional(),
  trf_timestamp: integer.optional(),
  decimal_size: z.string().optional(),
})
const TradesBody = z.strictObject({
  results: z.array(TradeResult),
  status: z.literal('OK'),
  request_id: z.string(),
  next_url: z.url().optional(),
})
type TradesBody = z.infer<typeof TradesBody>

const ns = (ms: number): string => `${ms}000000`

/** The exact nanosecond fields of each result, from the body text (results are flat objects but `conditions`). */
function exactNs(text: string): { sip: string; pt: string; trft: string | null }[] {
  const section = text.slice(text.search(/"results":\s*\[/))
  return [...section.matchAll(/\{[^{}]*\}/g)].map(([o]) => ({
    sip: /"sip_timestamp":\s*(\d+)/.exec(o)?.[1] ?? '',
    pt: /"participant_timestamp":\s*(\d+)/.exec(o)?.[1] ?? '',
    trft: /"trf_timestamp":\s*(\d+)/.exec(o)?.[1] ?? null,
  }))
}

/** What the endpoint must say for a ground-truth trade (the socket's `T` fields, REST names). */
function expected(t: Trade): Record<string, unknown> {
  return {
    ...(t.conditions.length > 0 ? { conditions: t.conditions } : {}),
    exchange: t.exchange,
    id: t.id,
    price: t.price,
    sequence_number: t.seq,
    size: t.size,
    tape: t.tape,
    ...(t.trfi !== undefined ? { trf_id: t.trfi } : {}),
  }
}

function strip(r: TradesBody['results'][number]): Record<string, unknown> {
  const { participant_timestamp: _p, sip_timestamp: _s, trf_timestamp: _t, decimal_size: _d, ...rest } = r
  return rest
}

interface Page {
  status: number
  text: string
  body: TradesBody
}

async function page(url: string, init?: RequestInit): Promise<Page> {
  const res = await fetch(url, init)
  const text = await res.text()
  return { status: res.status, text, body: TradesBody.parse(JSON.parse(text)) }
}

/** Every page from `url`, following next_url with the key appended (next_url never carries it). */
async function allPages(sim: Simulator, url: string, key: string): Promise<Page[]> {
  const pages: Page[] = []
  let next: string | undefined = url
  while (next) {
    const p = await page(next)
    expect(p.status).toBe(200)
    pages.push(p)
    if (p.body.next_url) {
      expect(p.body.next_url.startsWith(`${sim.httpBase}/v3/trades/`)).toBe(true)
      // Only the opaque cursor: no key (the client appends its own).
      expect([...new URL(p.body.next_url).searchParams.keys()]).toEqual(['cursor'])
      next = `${p.body.next_url}&apiKey=${key}`
    } else next = undefined
  }
  return pages
}

describe('captured /v3/trades samples (fixtures/polygon)', () => {
  it('the captured body and record parse with the schema the simulator is held to', () => {
    const body = readFileSync(new URL('../../fixtures/polygon/rest-trades-aaa-2022-04-20.json', import.meta.url), 'utf8')
    const parsed = TradesBody.parse(JSON.parse(body))
    expect(parsed.results).toHaveLength(5)
    expect(exactNs(body)[0]).toEqual({ sip: '1650499200029316600', pt: '1650499200029279200', trft: null })
    const record = readFileSync(new URL('../../fixtures/polygon/rest-trades-record-aame-2021-02-05.json', import.meta.url), 'utf8')
    expect(TradeResult.parse(JSON.parse(record)).decimal_size).toBe('300.0')
  })
})

describe('GET /v3/trades from the tape', () => {
  let sim: Simulator
  let tape: Trade[]
  const from = START - 20 * 60_000
  const to = START - 60_000
  beforeAll(async () => {
    // 20 minutes of history and a slow clock; the asked windows are long past, so their trades are final.
    sim = await createSimulator({ seed: 11, key: 'rk', clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 20 * 60_000 })
    tape = sim.groundTruthTrades('AAPL')
  })
  afterAll(async () => {
    await sim.close()
  })
  const inWindow = (a: number, b: number): Trade[] => tape.filter((t) => t.ts >= a && t.ts < b)

  it('pages with next_url over the window exactly once: every tape trade, in order, no gaps, no duplicates', async () => {
    const want = inWindow(from, to)
    expect(want.length).toBeGreaterThan(3000)
    const pages = await allPages(sim, `${sim.httpBase}/v3/trades/AAPL?timestamp.gte=${ns(from)}&timestamp.lt=${ns(to)}&order=asc&limit=997&apiKey=rk`, 'rk')
    expect(pages.length).toBe(Math.ceil(want.length / 997))
    for (const p of pages.slice(0, -1)) expect(p.body.results).toHaveLength(997)
    const got = pages.flatMap((p) => p.body.results)
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length)
    expect(got.map(strip)).toEqual(want.map(expected))
    // Nanoseconds, exact in the text: SIP time, participant time within the print's ms or two, TRF time.
    const times = pages.flatMap((p) => exactNs(p.text))
    expect(times.map((x) => x.sip)).toEqual(want.map((t) => ns(t.ts)))
    expect(times.map((x) => x.trft)).toEqual(want.map((t) => (t.trft !== undefined ? ns(t.trft) : null)))
    for (const [i, x] of times.entries()) {
      expect(x.sip).toMatch(/^\d{19}$/)
      expect(x.pt).toMatch(/^\d{19}$/)
      const t = want[i]!
      expect(BigInt(x.pt)).toBeLessThanOrEqual(BigInt(ns(t.trft ?? t.ts)))
    }
    // Decimal sizes as the socket's `ds`.
    for (const r of got) expect(Number(r.decimal_size)).toBe(r.size)
  })

  it('pages between trades of the same millisecond without losing or repeating one', async () => {
    const k = tape.findIndex((t, i) => i > 0 && tape[i - 1]!.ts === t.ts && t.ts >= from && t.ts < to)
    expect(k).toBeGreaterThan(0)
    const ms = tape[k]!.ts
    const want = inWindow(ms - 2000, ms + 2000)
    for (const order of ['asc', 'desc'] as const) {
      const pages = await allPages(sim, `${sim.httpBase}/v3/trades/AAPL?timestamp.gte=${ns(ms - 2000)}&timestamp.lt=${ns(ms + 2000)}&order=${order}&limit=1&apiKey=rk`, 'rk')
      expect(pages.length).toBe(want.length)
      const ids = pages.flatMap((p) => p.body.results.map((r) => r.id))
      expect(ids).toEqual((order === 'asc' ? want : [...want].reverse()).map((t) => t.id))
    }
  })

  it('reads timestamp.gt/.lte, ISO dates and a bare timestamp as Polygon does', async () => {
    const a = from + 123_456
    const b = a + 90_000
    const ids = async (q: string): Promise<string[]> =>
      (await allPages(sim, `${sim.httpBase}/v3/trades/AAPL?${q}&order=asc&limit=50000&apiKey=rk`, 'rk')).flatMap((p) => p.body.results.map((r) => r.id))
    const want = inWindow(a, b).map((t) => t.id)
    expect(want.length).toBeGreaterThan(10)
    expect(await ids(`timestamp.gte=${ns(a)}&timestamp.lt=${ns(b)}`)).toEqual(want)
    // (a − 1 ns, b − 1 ns] is the same set of whole-ms trades.
    expect(await ids(`timestamp.gt=${BigInt(ns(a)) - 1n}&timestamp.lte=${BigInt(ns(b)) - 1n}`)).toEqual(want)
    const iso = (ms: number): string => new Date(ms).toISOString()
    expect(await ids(`timestamp.gte=${iso(a)}&timestamp.lt=${iso(b)}`)).toEqual(want)
    expect(await ids(`timestamp.gte=${encodeURIComponent(iso(a).replace('Z', '000001Z'))}&timestamp.lt=${iso(b)}`)).toEqual(
      inWindow(a + 1, b).map((t) => t.id),
    )
    const one = tape.find((t) => t.ts >= a)!
    expect(await ids(`timestamp=${ns(one.ts)}`)).toEqual(tape.filter((t) => t.ts === one.ts).map((t) => t.id))
    expect(await ids(`timestamp=${BigInt(ns(one.ts)) + 1n}`)).toEqual([])
    // A date is the Eastern day: the whole tape (it started today).
    expect(await ids(`timestamp=2026-11-18&timestamp.lt=${ns(to)}`)).toEqual(tape.filter((t) => t.ts < to).map((t) => t.id))
  })

  it('defaults to 1000 a page, newest first; takes the key as Bearer; no trades after now', async () => {
    const p = await page(`${sim.httpBase}/v3/trades/AAPL`, { headers: { authorization: 'Bearer rk' } })
    expect(p.body.results).toHaveLength(1000)
    expect(p.body.next_url).toBeDefined()
    const now = sim.now()
    const seqs = p.body.results.map((r) => r.sequence_number)
    expect([...seqs].sort((x, y) => y - x)).toEqual(seqs)
    for (const t of exactNs(p.text)) expect(BigInt(t.sip)).toBeLessThanOrEqual(BigInt(ns(now)))
    const empty = await page(`${sim.httpBase}/v3/trades/AAPL?timestamp.lt=${ns(from)}&apiKey=rk`)
    expect(empty.body).toMatchObject({ results: [], status: 'OK' })
    expect(empty.body.next_url).toBeUndefined()
  })

  it('answers 401 without the right key and 400 for an unreadable timestamp', async () => {
    const bad = await fetch(`${sim.httpBase}/v3/trades/AAPL?apiKey=nope`)
    expect(bad.status).toBe(401)
    expect(await bad.json()).toMatchObject({ status: 'ERROR', error: 'Unknown API Key' })
    expect((await fetch(`${sim.httpBase}/v3/trades/AAPL`)).status).toBe(401)
    expect((await fetch(`${sim.httpBase}/v3/trades/AAPL?timestamp.gte=yesterday&apiKey=rk`)).status).toBe(400)
    expect((await fetch(`${sim.httpBase}/v3/trades/AAPL?order=sideways&apiKey=rk`)).status).toBe(400)
    expect((await fetch(`${sim.httpBase}/v3/trades/AAPL?cursor=!!&apiKey=rk`)).status).toBe(400)
  })
})

describe('GET /v3/trades equals what the socket sent', () => {
  it('same trades, same fields, for the window the socket covered', async () => {
    const sim = await createSimulator({ seed: 5, key: 'k', clock: { kind: 'accelerated', factor: 20, start: START }, historyMs: 0 })
    const c = await subscribed(sim.wsBase, 'k', 'T.MSFT')
    try {
      const trades = (): Ev[] => c.events().filter((e) => e.ev === 'T')
      await c.until(() => trades().length >= 60, '60 MSFT trades')
      const sent = trades()
      const first = sent[0]!.t as number
      const last = sent[sent.length - 1]!.t as number
      // Strictly between the first and last ms seen: the socket sent all of those.
      const want = sent.filter((e) => (e.t as number) > first && (e.t as number) < last)
      expect(want.length).toBeGreaterThan(10)
      const pages = await allPages(sim, `${sim.httpBase}/v3/trades/MSFT?timestamp.gt=${ns(first)}&timestamp.lt=${ns(last)}&order=asc&limit=7&apiKey=k`, 'k')
      const got = pages.flatMap((p) => p.body.results)
      expect(got.map(strip)).toEqual(
        want.map((e) => ({
          ...(e.c !== undefined ? { conditions: e.c } : {}),
          exchange: e.x,
          id: e.i,
          price: e.p,
          sequence_number: e.q,
          size: Number(e.ds),
          tape: e.z,
          ...(e.trfi !== undefined ? { trf_id: e.trfi } : {}),
        })),
      )
      expect(got.map((r) => r.decimal_size)).toEqual(want.map((e) => e.ds))
      expect(pages.flatMap((p) => exactNs(p.text))).toEqual(
        want.map((e) => ({ sip: ns(e.t as number), pt: ns(e.pt as number), trft: e.trft !== undefined ? ns(e.trft as number) : null })),
      )
    } finally {
      c.ws.terminate()
      await sim.close()
    }
  })
})

describe('/v3/trades on the free tier', () => {
  it('answers 429 past 5 requests a minute, like the other routes', async () => {
    const sim = await createSimulator({ key: 'f', freeTier: true, historyMs: 0, clock: { kind: 'accelerated', factor: 1 } })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 6; i++) statuses.push((await fetch(`${sim.httpBase}/v3/trades/AAPL?apiKey=f`)).status)
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    } finally {
      await sim.close()
    }
  })
})

describe('rest-trades helpers', () => {
  it('converts nanosecond and date bounds to whole-ms windows', () => {
    const w = (q: string): unknown => parseTradeWindow(new URLSearchParams(q))
    expect(w('timestamp.gte=1000000&timestamp.lt=3000000')).toEqual({ gte: 1, lt: 3 })
    expect(w('timestamp.gte=1000001&timestamp.lt=3000001')).toEqual({ gte: 2, lt: 4 })
    expect(w('timestamp.gt=1000000&timestamp.lte=3000000')).toEqual({ gte: 2, lt: 4 })
    expect(w('timestamp.gt=999999&timestamp.lte=2999999')).toEqual({ gte: 1, lt: 3 })
    expect(w('timestamp=2026-11-18')).toEqual({ gte: Date.UTC(2026, 10, 18, 5), lt: Date.UTC(2026, 10, 19, 5) })
    expect(w('timestamp.gte=2026-07-01T13:30:00Z')).toMatchObject({ gte: Date.UTC(2026, 6, 1, 13, 30) })
    expect(w('timestamp.gte=2026-07-01T09:30:00.000000001-04:00')).toMatchObject({ gte: Date.UTC(2026, 6, 1, 13, 30) + 1 })
    expect(w('timestamp.lt=soon')).toBe(null)
  })

  it('clamps limit to 1..50000 with 1000 by default', () => {
    expect(clampLimit(Number.NaN)).toBe(1000)
    expect(clampLimit(0)).toBe(1000)
    expect(clampLimit(60_000)).toBe(TRADES_MAX_LIMIT)
    expect(clampLimit(12.7)).toBe(12)
  })
})
