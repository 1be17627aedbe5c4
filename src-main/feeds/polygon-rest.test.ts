import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PolygonRest, PolygonRestError, type PolygonRestOptions } from './polygon-rest'

const KEY = 'sekrit-key-123'
const M = 60_000
const T0 = 1_700_000_040_000

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

async function http(handler: Handler) {
  const seen: URL[] = []
  const srv = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    seen.push(url)
    handler(req, res, url)
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`
  closers.push(() => new Promise<void>((r) => srv.close(() => r())))
  return { base, seen }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

const bar = (t: number, extra: Record<string, unknown> = {}) => ({
  o: 10,
  h: 11,
  l: 9,
  c: 10.5,
  v: 1000,
  vw: 10.2,
  n: 12,
  t,
  ...extra,
})

function rest(base: string, extra: Partial<PolygonRestOptions> = {}) {
  const sleeps: number[] = []
  const r = new PolygonRest({
    base,
    key: KEY,
    fetch: (u, init) => fetch(u, init),
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    ...extra,
  })
  return { r, sleeps }
}

async function failure(p: Promise<unknown>): Promise<PolygonRestError> {
  try {
    await p
  } catch (e) {
    if (e instanceof PolygonRestError) return e
    throw e
  }
  throw new Error('expected a PolygonRestError')
}

describe('PolygonRest.minuteBars', () => {
  it('requests the documented path and params, follows next_url with the key until absent', async () => {
    const { base, seen } = await http((_req, res, url) => {
      const cursor = url.searchParams.get('cursor')
      if (!cursor)
        json(res, 200, {
          status: 'OK',
          ticker: 'AAPL',
          results: [bar(T0), bar(T0 + M)],
          next_url: `${baseRef.base}/v2/aggs/ticker/AAPL/range/1/minute/${T0}/${T0 + 4 * M}?cursor=p2`,
        })
      else if (cursor === 'p2')
        json(res, 200, {
          status: 'OK',
          results: [bar(T0 + 2 * M)],
          next_url: `${baseRef.base}/v2/aggs/ticker/AAPL/range/1/minute/${T0}/${T0 + 4 * M}?cursor=p3`,
        })
      else json(res, 200, { status: 'OK', resultsCount: 0 })
    })
    const baseRef = { base }
    const { r } = rest(base)
    const bars = await r.minuteBars('aapl', T0, T0 + 4 * M)
    expect(bars.map((b) => b.start)).toEqual([T0, T0 + M, T0 + 2 * M])
    expect(bars[0]).toEqual({
      symbol: 'AAPL',
      start: T0,
      end: T0 + M,
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      volume: 1000,
      vwap: 10.2,
      trades: 12,
      source: 'rest',
    })
    expect(seen).toHaveLength(3)
    expect(seen[0]!.pathname).toBe(`/v2/aggs/ticker/AAPL/range/1/minute/${T0}/${T0 + 4 * M}`)
    expect(Object.fromEntries(seen[0]!.searchParams)).toEqual({
      adjusted: 'true',
      sort: 'asc',
      limit: '50000',
      apiKey: KEY,
    })
    expect(seen.map((u) => u.searchParams.get('apiKey'))).toEqual([KEY, KEY, KEY])
    expect(seen.map((u) => u.searchParams.get('cursor'))).toEqual([null, 'p2', 'p3'])
  })

  it('keeps only bars in range, de-duplicates by start, fills missing vw/n', async () => {
    const { base } = await http((_req, res) =>
      json(res, 200, {
        status: 'OK',
        results: [
          bar(T0 - M),
          bar(T0 + M, { vw: undefined, n: undefined }),
          bar(T0),
          bar(T0 + M, { vw: undefined, n: undefined }),
          bar(T0 + 3 * M),
        ],
      }),
    )
    const bars = await rest(base).r.minuteBars('MSFT', T0, T0 + 2 * M)
    expect(bars.map((b) => [b.start, b.vwap, b.trades])).toEqual([
      [T0, 10.2, 12],
      [T0 + M, 10.5, 0],
    ])
  })

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    let n = 0
    const { base } = await http((_req, res) => {
      n++
      if (n <= 2)
        json(
          res,
          429,
          { status: 'ERROR', error: "You've exceeded the maximum requests per minute" },
          { 'retry-after': '12' },
        )
      else json(res, 200, { status: 'OK', results: [bar(T0)] })
    })
    const { r, sleeps } = rest(base)
    expect(await r.minuteBars('AAPL', T0, T0)).toHaveLength(1)
    expect(sleeps).toEqual([12_000, 12_000])
  })

  it('retries 429 without Retry-After with backoff, and gives up past the budget', async () => {
    const { base, seen } = await http((_req, res) => json(res, 429, { status: 'ERROR', error: 'too many' }))
    const { r, sleeps } = rest(base, {
      retry: { baseMs: 1_000, capMs: 60_000, kind: 'none' },
      retryBudgetMs: 10_000,
    })
    const e = await failure(r.minuteBars('AAPL', T0, T0))
    expect(e.kind).toBe('rate_limited')
    expect(e.fatal).toBe(false)
    expect(sleeps).toEqual([1_000, 2_000, 4_000])
    expect(seen).toHaveLength(4)
    expect(e.message).toContain('too many')
  })

  it('retries 5xx, then succeeds', async () => {
    let n = 0
    const { base } = await http((_req, res) =>
      ++n === 1 ? json(res, 503, {}) : json(res, 200, { status: 'OK', results: [] }),
    )
    const { r, sleeps } = rest(base)
    expect(await r.minuteBars('AAPL', T0, T0)).toEqual([])
    expect(sleeps).toHaveLength(1)
  })

  const fatalCases: [string, number, unknown, string, RegExp][] = [
    [
      '401 unknown key',
      401,
      { status: 'ERROR', request_id: 'x', error: 'Unknown API Key' },
      'unauthorized',
      /rejected the API key.*Unknown API Key/,
    ],
    [
      '403 plan',
      403,
      { status: 'NOT_AUTHORIZED', request_id: 'x', message: 'You are not entitled to this data.' },
      'forbidden',
      /plan.*not entitled/,
    ],
    ['400 other', 400, { status: 'ERROR', error: 'bad from' }, 'http', /HTTP 400.*bad from/],
  ]
  it.each(fatalCases)(
    '%s fails at once with a clear message and no retry',
    async (_n, status, body, kind, msg) => {
      const { base, seen } = await http((_req, res) => json(res, status, body))
      const { r, sleeps } = rest(base)
      const e = await failure(r.minuteBars('AAPL', T0, T0))
      expect(e.kind).toBe(kind)
      expect(e.message).toMatch(msg)
      expect(e.message).not.toContain(KEY)
      expect(seen).toHaveLength(1)
      expect(sleeps).toEqual([])
    },
  )

  // Bodies captured from the real service (fixtures/polygon/README.md names the sources).
  const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'polygon', name), 'utf8')

  it('a 200 with status DELAYED is valid data (plan with delayed data), read like OK', async () => {
    const body = fixture('rest-aggs-delayed-nvda.json')
    const { base, seen } = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    })
    const { r, sleeps } = rest(base)
    const bars = await r.minuteBars('NVDA', 1728878400000, 1728878400000)
    expect(bars).toEqual([
      {
        symbol: 'NVDA',
        start: 1728878400000,
        end: 1728878400000 + M,
        open: 136.47,
        high: 139.6,
        low: 136.3,
        close: 138.07,
        volume: 224602526,
        vwap: 138.3656,
        trades: 1590531,
        source: 'rest',
      },
    ])
    expect(r.lastBodyStatus).toBe('DELAYED')
    expect(seen).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('a 200 with status NOT_AUTHORIZED is a plan error for the user, with the server’s words, never retried', async () => {
    const body = fixture('rest-not-authorized.json')
    const { base, seen } = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    })
    const { r, sleeps } = rest(base)
    const e = await failure(r.minuteBars('AAPL', T0, T0))
    expect(e.kind).toBe('forbidden')
    expect(e.fatal).toBe(true)
    expect(e.message).toMatch(/your plan does not include this data for AAPL \(server: You are not entitled to this data/)
    expect(e.message).not.toContain(KEY)
    expect(seen).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  const badBodies: [string, string][] = [
    ['not JSON', '<html>oops'],
    ['results not an array', JSON.stringify({ status: 'OK', results: 5 })],
    ['bar with string price', JSON.stringify({ status: 'OK', results: [{ ...bar(T0), o: '10' }] })],
    ['missing status', JSON.stringify({ results: [] })],
  ]
  it.each(badBodies)('invalid body (%s) is an invalid_body error', async (_n, text) => {
    const { base } = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(text)
    })
    const e = await failure(rest(base).r.minuteBars('AAPL', T0, T0))
    expect(e.kind).toBe('invalid_body')
    expect(e.fatal).toBe(true)
  })

  it('refuses to send the key to a next_url on another host', async () => {
    const { base, seen } = await http((_req, res) =>
      json(res, 200, {
        status: 'OK',
        results: [bar(T0)],
        next_url: 'https://evil.example.com/v2/aggs?cursor=x',
      }),
    )
    const e = await failure(rest(base).r.minuteBars('AAPL', T0, T0))
    expect(e.message).toMatch(/untrusted host \(evil\.example\.com\)/)
    expect(seen).toHaveLength(1)
  })

  it('network errors retry within the budget and never leak the key', async () => {
    // A port nobody listens on: take one, close it.
    const { base } = await http(() => {})
    await closers.pop()!()
    const { r, sleeps } = rest(base, {
      retry: { baseMs: 100, capMs: 1_000, kind: 'none' },
      retryBudgetMs: 500,
    })
    const e = await failure(r.minuteBars('AAPL', T0, T0))
    expect(e.kind).toBe('network')
    expect(sleeps).toEqual([100, 200])
    expect(e.message).not.toContain(KEY)
  })
})

describe('PolygonRest history pages (news impact v2)', () => {
  const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'polygon', name), 'utf8')
  const raw = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(text)
  }
  const trade = (sip: string, seq: number, extra: string = '"size":100') =>
    `{"conditions":[12],"exchange":4,"id":"${seq}","participant_timestamp":${sip},"price":10.5,"sequence_number":${seq},"sip_timestamp":${sip},${extra},"tape":3}`

  it('/v3/trades: the documented params in nanoseconds, exact ns → ms, decimal_size else size, source trades', async () => {
    // 1_700_000_000_000_999_999 ns is the last nanosecond of ms 1_700_000_000_000; as a double it is
    // 1_700_000_000_001_000_000, a millisecond late: the client must read the digits, not the double.
    const body = `{"results":[${trade('1700000000000999999', 7)},${trade('1700000000001000000', 8, '"decimal_size":"0.740474"')},${trade('1700000000002000000', 9, '"size":1,"decimal_size":"0.5"')},${trade('1700000000002000000', 10, '"size":7,"decimal_size":"-x"')}],"status":"OK","request_id":"r"}`
    const { base, seen } = await http((_req, res) => raw(res, 200, body))
    const page = await rest(base).r.tradesPage('aapl', 1_700_000_000_000, 1_700_000_000_002)
    expect(page).toEqual({
      items: [
        { symbol: 'AAPL', ts: 1_700_000_000_000, price: 10.5, size: 100, conditions: [12], seq: 7, source: 'trades' },
        { symbol: 'AAPL', ts: 1_700_000_000_001, price: 10.5, size: 0.740474, conditions: [12], seq: 8, source: 'trades' },
        // A fractional-share trade: decimal_size is the size (like the socket's ds over s).
        { symbol: 'AAPL', ts: 1_700_000_000_002, price: 10.5, size: 0.5, conditions: [12], seq: 9, source: 'trades' },
        // An unreadable decimal_size: the size field stands.
        { symbol: 'AAPL', ts: 1_700_000_000_002, price: 10.5, size: 7, conditions: [12], seq: 10, source: 'trades' },
      ],
      next: null,
      rejected: 0,
    })
    expect(seen[0]!.pathname).toBe('/v3/trades/AAPL')
    expect(Object.fromEntries(seen[0]!.searchParams)).toEqual({
      'timestamp.gte': '1700000000000000000',
      'timestamp.lte': '1700000000002999999',
      order: 'asc',
      limit: '50000',
      apiKey: KEY,
    })
  })

  it('/v3/trades: the captured body (size absent on two records, neither size field: skipped and counted), next_url kept', async () => {
    const body = fixture('rest-trades-aaa-2022-04-20.json')
    const { base } = await http((_req, res) => raw(res, 200, body))
    const page = await rest(base).r.tradesPage('AAA', 1650485400003, 1650499200029)
    expect(page.items.map((p) => [p.ts, p.seq, p.size, p.conditions])).toEqual([
      [1650499200029, 1591291, 100, [15]],
      [1650493800003, 1571279, 100, [15]],
      [1650485400003, 1536223, 100, [15]],
    ])
    expect(page.rejected).toBe(2)
    expect(page.next).toMatch(/^https:\/\/api\.polygon\.io\/v3\/trades\/AAA\?cursor=/)
    expect(page.next).not.toContain(KEY)
  })

  it('/v3/trades: a malformed element is skipped and counted, the page is kept; prints outside the window are left out', async () => {
    const body = `{"results":[${trade('1700000000000000000', 1)},{"price":"x"},${trade('1700000000005000000', 2)}],"status":"OK","request_id":"r"}`
    const { base } = await http((_req, res) => raw(res, 200, body))
    const page = await rest(base).r.tradesPage('AAPL', 1_700_000_000_000, 1_700_000_000_004)
    expect(page.items.map((p) => p.seq)).toEqual([1])
    expect(page.rejected).toBe(1)
  })

  it('trades() follows next_url with the key appended, and only on the configured host', async () => {
    const { base, seen } = await http((_req, res, url) => {
      if (url.searchParams.get('cursor') === 'c2') raw(res, 200, `{"results":[${trade('1700000000001000000', 2)}],"status":"OK","request_id":"r"}`)
      else raw(res, 200, `{"results":[${trade('1700000000000000000', 1)}],"status":"OK","request_id":"r","next_url":"${base}/v3/trades/AAPL?cursor=c2"}`)
    })
    const prints = await rest(base).r.trades('AAPL', 1_700_000_000_000, 1_700_000_000_009)
    expect(prints.map((p) => p.seq)).toEqual([1, 2])
    expect(seen.map((u) => [u.searchParams.get('cursor'), u.searchParams.get('apiKey')])).toEqual([
      [null, KEY],
      ['c2', KEY],
    ])
    const evil = await http((_req, res) =>
      raw(res, 200, `{"results":[],"status":"OK","request_id":"r","next_url":"https://evil.example.com/v3/trades/AAPL?cursor=x"}`),
    )
    const e = await failure(rest(evil.base).r.tradesPage('AAPL', 0, 1))
    expect(e.kind).toBe('invalid_body')
    expect(evil.seen).toHaveLength(1)
  })

  it('a page call makes one request: 429 throws at once with Retry-After, no sleeping', async () => {
    const { base, seen } = await http((_req, res) => json(res, 429, { status: 'ERROR', error: 'too many' }, { 'retry-after': '7' }))
    const { r, sleeps } = rest(base)
    const e = await failure(r.tradesPage('AAPL', 0, 1))
    expect([e.kind, e.status, e.retryAfterMs, e.fatal]).toEqual(['rate_limited', 429, 7_000, false])
    expect(seen).toHaveLength(1)
    expect(sleeps).toEqual([])
    const noHeader = await http((_req, res) => json(res, 503, {}))
    const e2 = await failure(rest(noHeader.base).r.secondBarsPage('AAPL', 0, 1))
    expect([e2.kind, e2.status, e2.retryAfterMs]).toEqual(['http', 503, undefined])
  })

  it('a server that accepts the call and never answers is a network error after the timeout, not a stalled queue', async () => {
    const { base, seen } = await http(() => undefined) // headers never sent
    const e = await failure(rest(base, { requestTimeoutMs: 200 }).r.tradesPage('AAPL', 0, 1))
    expect([e.kind, e.status]).toEqual(['network', undefined])
    expect(e.message).toContain('no answer within the timeout')
    expect(e.message).not.toContain(KEY)
    expect(seen).toHaveLength(1)
  })

  it('trades() retries a 429 page after Retry-After and carries on', async () => {
    let n = 0
    const { base } = await http((_req, res) => {
      if (++n === 1) json(res, 429, { status: 'ERROR' }, { 'retry-after': '12' })
      else raw(res, 200, `{"results":[${trade('1700000000000000000', 1)}],"status":"OK","request_id":"r"}`)
    })
    const { r, sleeps } = rest(base)
    expect((await r.trades('AAPL', 1_700_000_000_000, 1_700_000_000_000)).map((p) => p.seq)).toEqual([1])
    expect(sleeps).toEqual([12_000])
  })

  const refusals: [string, number, string][] = [
    ['403', 403, JSON.stringify({ status: 'NOT_AUTHORIZED', message: 'You are not entitled to this data.' })],
    ['200 NOT_AUTHORIZED (captured)', 200, fixture('rest-not-authorized.json')],
  ]
  it.each(refusals)('/v3/trades refused by the plan (%s) is forbidden and fatal', async (_n, status, text) => {
    const { base, seen } = await http((_req, res) => raw(res, status, text))
    const e = await failure(rest(base).r.tradesPage('AAPL', 0, 1))
    expect([e.kind, e.fatal]).toEqual(['forbidden', true])
    expect(e.message).toMatch(status === 403 ? /tick trades \(\/v3\/trades\) for AAPL/ : /plan does not include this data for AAPL/)
    expect(seen).toHaveLength(1)
  })

  it('1-second and 1-minute bars: the range path, ascending, only starts in range, mapped for the engine', async () => {
    const { base, seen } = await http((_req, res, url) => {
      const span = url.pathname.split('/')[7]
      const step = span === 'second' ? 1000 : M
      json(res, 200, { status: 'OK', results: [bar(T0 - step), bar(T0, { n: undefined }), bar(T0 + step), bar(T0 + 9 * step)] })
    })
    const { r } = rest(base)
    const secs = await r.secondBarsPage('spy', T0, T0 + 1000)
    expect(secs).toEqual({
      items: [
        { symbol: 'SPY', start: T0, close: 10.5, volume: 1000, trades: 0 },
        { symbol: 'SPY', start: T0 + 1000, close: 10.5, volume: 1000, trades: 12 },
      ],
      next: null,
      rejected: 0,
    })
    const mins = await r.minuteBarsPage('spy', T0, T0 + M)
    expect(mins.items).toEqual([
      { symbol: 'SPY', start: T0, close: 10.5, volume: 1000 },
      { symbol: 'SPY', start: T0 + M, close: 10.5, volume: 1000 },
    ])
    expect(seen.map((u) => u.pathname)).toEqual([
      `/v2/aggs/ticker/SPY/range/1/second/${T0}/${T0 + 1000}`,
      `/v2/aggs/ticker/SPY/range/1/minute/${T0}/${T0 + M}`,
    ])
    expect(Object.fromEntries(seen[0]!.searchParams)).toEqual({ adjusted: 'true', sort: 'asc', limit: '50000', apiKey: KEY })
  })
})
