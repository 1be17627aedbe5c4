import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from './index'
import { parseRangeBound, requestKey } from './rest'
import { expectedBars } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0) // 10:00 ET

interface AggBody {
  ticker: string
  status: string
  adjusted: boolean
  queryCount: number
  resultsCount: number
  request_id: string
  results?: { o: number; h: number; l: number; c: number; v: number; vw: number; n: number; t: number }[]
  next_url?: string
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('Polygon REST', () => {
  let sim: Simulator
  beforeAll(async () => {
    // 20 minutes of history, a slow clock: the tape barely moves during the test.
    sim = await createSimulator({ seed: 11, key: 'rk', clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 20 * 60_000 })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('serves the aggregates envelope and pages with next_url (without the key) to exactly the tape', async () => {
    const from = START - 20 * 60_000
    const to = START - 60_000 // closed minutes only: the tape below them is final
    const pages: AggBody[] = []
    let url: string | undefined = `${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/minute/${from}/${to}?adjusted=true&sort=asc&limit=7&apiKey=rk`
    while (url) {
      const r = await get(url)
      expect(r.status).toBe(200)
      const body = r.body as unknown as AggBody
      pages.push(body)
      if (body.next_url) {
        expect(body.next_url).not.toMatch(/apiKey|rk/)
        url = `${body.next_url}&apiKey=rk`
      } else url = undefined
    }
    expect(pages.length).toBeGreaterThan(2)
    for (const p of pages) {
      expect(p).toMatchObject({ ticker: 'AAPL', status: 'OK', adjusted: true })
      expect(typeof p.request_id).toBe('string')
      expect(p.resultsCount).toBe(p.results?.length ?? 0)
      expect(p.queryCount).toBe(p.resultsCount)
      expect(p.resultsCount).toBeLessThanOrEqual(7)
    }
    const got = pages.flatMap((p) => p.results ?? [])
    // Late TRF prints belong to the window of their trft: recompute from the whole tape, keep the asked windows.
    const want = expectedBars(sim.groundTruthTrades('AAPL'), 60_000).filter((b) => b.s >= from && b.s <= to)
    expect(got).toEqual(want.map((b) => ({ o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, vw: b.vw, n: b.n, t: b.s })))
    expect(got.length).toBe(20)
  })

  it('sorts desc and pages backwards', async () => {
    const from = START - 10 * 60_000
    const to = START - 60_000
    const asc = (await get(`${sim.httpBase}/v2/aggs/ticker/MSFT/range/1/minute/${from}/${to}?apiKey=rk`)).body as unknown as AggBody
    const all: NonNullable<AggBody['results']> = []
    let url: string | undefined = `${sim.httpBase}/v2/aggs/ticker/MSFT/range/1/minute/${from}/${to}?sort=desc&limit=4&apiKey=rk`
    while (url) {
      const body = (await get(url)).body as unknown as AggBody
      all.push(...(body.results ?? []))
      url = body.next_url ? `${body.next_url}&apiKey=rk` : undefined
    }
    expect(all).toEqual([...(asc.results ?? [])].reverse())
  })

  it('serves second bars equal to the tape', async () => {
    const from = START - 120_000
    const to = START - 60_001
    const body = (await get(`${sim.httpBase}/v2/aggs/ticker/NVDA/range/1/second/${from}/${to}?apiKey=rk`)).body as unknown as AggBody
    const want = expectedBars(sim.groundTruthTrades('NVDA'), 1000).filter((b) => b.s >= from && b.s <= to)
    expect(body.results).toEqual(want.map((b) => ({ o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, vw: b.vw, n: b.n, t: b.s })))
    expect(body.results!.length).toBeGreaterThan(30)
  })

  it('accepts dates and 5-minute multiples; omits results when there is nothing', async () => {
    const day = (await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/range/5/minute/2026-11-18/2026-11-18?apiKey=rk`)).body as unknown as AggBody
    expect(day.results!.length).toBeGreaterThanOrEqual(4)
    for (const r of day.results!) expect(r.t % 300_000).toBe(0)
    const empty = (await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/minute/2020-01-01/2020-01-02?apiKey=rk`)).body as unknown as AggBody
    expect(empty).toMatchObject({ status: 'OK', resultsCount: 0, queryCount: 0 })
    expect('results' in empty).toBe(false)
  })

  it('accepts the key as Authorization: Bearer', async () => {
    const r = await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/prev`, { headers: { authorization: 'Bearer rk' } })
    expect(r.status).toBe(200)
    const res = (r.body.results as Record<string, unknown>[])[0]!
    expect(res.T).toBe('AAPL')
    for (const k of ['o', 'h', 'l', 'c', 'v', 'vw', 't', 'n']) expect(typeof res[k]).toBe('number')
    expect(res.t).toBe(Date.UTC(2026, 10, 17, 5)) // previous Eastern midnight
  })

  it('rejects a wrong key with 401 Unknown API Key, and a missing one with 401', async () => {
    const bad = await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/minute/1/2?apiKey=nope`)
    expect(bad.status).toBe(401)
    expect(bad.body).toMatchObject({ status: 'ERROR', error: 'Unknown API Key' })
    expect(typeof bad.body.request_id).toBe('string')
    const missing = await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/minute/1/2`)
    expect(missing.status).toBe(401)
    expect(missing.body.status).toBe('ERROR')
  })

  it('answers 400 for a bad multiplier or timespan, 404 for an unknown path', async () => {
    expect((await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/range/0/minute/1/2?apiKey=rk`)).status).toBe(400)
    expect((await get(`${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/fortnight/1/2?apiKey=rk`)).status).toBe(400)
    expect((await get(`${sim.httpBase}/v2/nothing?apiKey=rk`)).status).toBe(404)
  })

  it('serves a snapshot with nanosecond lastTrade.t / lastQuote.t / updated and ms min.t', async () => {
    const res = await fetch(`${sim.httpBase}/v2/snapshot/locale/us/markets/stocks/tickers/AAPL?apiKey=rk`)
    const text = await res.text()
    const body = JSON.parse(text) as { status: string; ticker: Record<string, Record<string, unknown>> & { ticker: string } }
    expect(body.status).toBe('OK')
    const tk = body.ticker
    expect(tk.ticker).toBe('AAPL')
    // The snapshot's last trade is on the tape (the tape may have moved on since).
    const last = sim.groundTruthTrades('AAPL').find((t) => t.id === tk.lastTrade!.i)!
    expect(last).toBeDefined()
    // Exact integer nanoseconds in the JSON text.
    expect(text).toMatch(new RegExp(`"lastTrade":\\{[^}]*"t":${last.ts}000000`))
    expect(text).toMatch(/"updated":\d{19}/)
    expect(String(tk.lastQuote!.t)).toMatch(/^\d{19}$/)
    expect((tk.min!.t as number) % 60_000).toBe(0)
    expect(tk.min!.t as number).toBeLessThan(1e14)
    expect(tk.lastTrade!.p).toBe(last.price)
    expect(tk.prevDay!.c).toBeGreaterThan(0)
  })
})

describe('free tier', () => {
  it('answers 429 with the documented body past 5 requests a minute', async () => {
    const sim = await createSimulator({ key: 'f', freeTier: true, historyMs: 0, clock: { kind: 'accelerated', factor: 1 } })
    try {
      const url = `${sim.httpBase}/v2/aggs/ticker/AAPL/prev?apiKey=f`
      const statuses: number[] = []
      let last: Record<string, unknown> = {}
      for (let i = 0; i < 7; i++) {
        const r = await get(url)
        statuses.push(r.status)
        last = r.body
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
      expect(last.status).toBe('ERROR')
      expect(String(last.error)).toMatch(/^You've exceeded the maximum requests per minute/)
      expect(typeof last.request_id).toBe('string')
    } finally {
      await sim.close()
    }
  })
})

describe('REST helpers', () => {
  it.each([
    ['1700000000000', false, 1_700_000_000_000],
    ['2026-11-18', false, Date.UTC(2026, 10, 18, 5)],
    ['2026-11-18', true, Date.UTC(2026, 10, 19, 5) - 1],
    ['2026-07-01', false, Date.UTC(2026, 6, 1, 4)],
    ['junk', false, null],
  ])('parseRangeBound(%s, end=%s)', (s, end, want) => {
    expect(parseRangeBound(s, end)).toBe(want)
  })

  it('requestKey reads apiKey first, then Bearer', () => {
    expect(requestKey(new URL('http://x/?apiKey=a'), 'Bearer b')).toBe('a')
    expect(requestKey(new URL('http://x/'), 'Bearer b')).toBe('b')
    expect(requestKey(new URL('http://x/'), undefined)).toBe(null)
  })
})
