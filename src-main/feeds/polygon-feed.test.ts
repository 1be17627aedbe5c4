import { createServer, type ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import type { Bar } from '../domain/market'
import { createPolygonFeed, type BackfillRange, type PolygonFeedOptions } from './polygon-feed'
import { ManualTime, TinyPolygonServer, waitFor } from './test-support'

const M = 60_000
const T0 = 1_700_000_040_000
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function restServer(handler: (url: URL, res: ServerResponse) => void) {
  const seen: URL[] = []
  const srv = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    seen.push(url)
    handler(url, res)
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  cleanups.push(() => new Promise<void>((r) => srv.close(() => r())))
  return { base: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, seen }
}

const trade = (sym: string, t: number, q: number) => ({
  ev: 'T',
  sym,
  x: 4,
  i: String(q),
  z: 3,
  p: 100,
  s: 10,
  t,
  q,
})

async function setup(rest: (url: URL, res: ServerResponse) => void, extra: Partial<PolygonFeedOptions> = {}) {
  const ws = new TinyPolygonServer()
  await ws.listen()
  cleanups.push(() => ws.close())
  const http = await restServer(rest)
  const time = new ManualTime()
  const backfills: { symbol: string; bars: Bar[]; range: BackfillRange }[] = []
  const feed = createPolygonFeed({
    url: ws.url,
    restBase: http.base,
    key: 'good-key',
    clock: time.clock,
    timers: time.timers,
    socket: { reconnect: { baseMs: 1_000, capMs: 1_000, kind: 'none' } },
    rest: { sleep: async () => {} },
    onBackfill: (symbol, bars, range) => backfills.push({ symbol, bars, range }),
    ...extra,
  })
  cleanups.push(() => feed.stop())
  feed.setSubscriptions(['AAPL', 'MSFT'], ['T'])
  feed.start()
  await waitFor(() => feed.status().state === 'live', 'live')
  // Trades, a drop, a reconnect, then data past the end of the restore minute (+ the 2 s settle).
  ws.send([trade('AAPL', T0 + 5_000, 1)])
  await waitFor(() => feed.lastDataTs() === T0 + 5_000, 'first trade')
  ws.last.ws.terminate()
  await waitFor(() => feed.status().state === 'reconnecting', 'reconnecting')
  time.advance(1_000)
  await waitFor(() => feed.status().state === 'live' && ws.conns.length === 2, 'live again')
  ws.send([trade('AAPL', T0 + 3 * M + 1, 2), trade('MSFT', T0 + 4 * M + 2_000, 3)])
  return { feed, backfills, http }
}

describe('createPolygonFeed', () => {
  it('backfills the gap for every subscribed symbol (all pages) and counts the bars in the status', async () => {
    const { feed, backfills, http } = await setup((url, res) => {
      const sym = url.pathname.split('/')[4]!
      const bar = (t: number) => ({ o: 1, h: 2, l: 1, c: 2, v: 100, vw: 1.5, n: 3, t })
      res.writeHead(200, { 'content-type': 'application/json' })
      if (!url.searchParams.get('cursor')) {
        res.end(
          JSON.stringify({
            status: 'OK',
            results: [bar(T0), bar(T0 + M)],
            next_url: `http://${url.host}${url.pathname}?cursor=2`,
          }),
        )
      } else res.end(JSON.stringify({ status: 'OK', ticker: sym, results: [bar(T0 + 3 * M)] }))
    })
    await waitFor(() => backfills.length === 2, 'two backfills').catch((e: Error) => {
      throw new Error(`${e.message}; status: ${feed.status().message}`)
    })
    await feed.backfillIdle()
    expect(backfills.map((b) => [b.symbol, b.range, b.bars.map((x) => x.start)])).toEqual([
      ['AAPL', { from: T0, to: T0 + 3 * M }, [T0, T0 + M, T0 + 3 * M]],
      ['MSFT', { from: T0, to: T0 + 3 * M }, [T0, T0 + M, T0 + 3 * M]],
    ])
    expect(backfills[0]!.bars.every((b) => b.source === 'rest')).toBe(true)
    expect(http.seen[0]!.pathname).toBe(`/v2/aggs/ticker/AAPL/range/1/minute/${T0}/${T0 + 3 * M}`)
    expect(feed.status()).toMatchObject({ state: 'live', backfilledBars: 6 })
    expect(feed.status().message).toMatch(/backfilled 4 min for 2 symbols/)
  })

  it('a REST 401 shows in the status, stops the round and leaves the socket live', async () => {
    const { feed, backfills, http } = await setup((_url, res) => {
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'ERROR', error: 'Unknown API Key' }))
    })
    await waitFor(() => /backfill of AAPL failed/.test(feed.status().message), 'failure in status')
    await feed.backfillIdle()
    expect(feed.status().state).toBe('live')
    expect(feed.status().message).toMatch(/rejected the API key/)
    expect(feed.status().message).not.toContain('good-key')
    expect(backfills).toEqual([])
    expect(http.seen).toHaveLength(1)
  })
})
