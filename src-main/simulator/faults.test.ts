import { afterEach, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from './index'
import { connect, subscribed, type Ev, type RecordingClient } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0)

/** A hand-written validator like the app's: what a real client would accept as a trade. */
function isValidTrade(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false
  const t = e as Record<string, unknown>
  return (
    t.ev === 'T' &&
    typeof t.sym === 'string' &&
    typeof t.p === 'number' &&
    typeof t.s === 'number' &&
    t.s > 0 &&
    typeof t.t === 'number' &&
    typeof t.q === 'number'
  )
}

describe('fault injection', () => {
  let sim: Simulator
  const clients: RecordingClient[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate()
    await sim.close()
  })
  const start = async (): Promise<void> => {
    sim = await createSimulator({ seed: 5, key: 'k', clock: { kind: 'accelerated', factor: 30, start: START }, historyMs: 0 })
  }

  it('drops the socket abruptly after N frames (once per trigger)', async () => {
    await start()
    sim.injectFaults({ dropAfterFrames: 6 })
    const c = await connect(`${sim.wsBase}/stocks`)
    clients.push(c)
    c.send({ action: 'auth', params: 'k' })
    c.send({ action: 'subscribe', params: 'T.AAPL' })
    const code = await c.closed
    expect(code).toBe(1006) // no close frame: an abrupt drop
    expect(c.frames.length).toBe(6)
    // The trigger is spent: a new socket is not dropped.
    const d = await subscribed(sim.wsBase, 'k', 'T.AAPL')
    clients.push(d)
    await d.until(() => d.frames.length >= 12, '12 frames on the next socket')
    expect(d.ws.readyState).toBe(d.ws.OPEN)
  })

  it('stalls: no data and no pongs for the duration, then resumes', async () => {
    await start()
    const c = await subscribed(sim.wsBase, 'k', 'T.AAPL')
    clients.push(c)
    await c.until(() => c.events().some((e) => e.ev === 'T'), 'a trade')
    let pongs = 0
    c.ws.on('pong', () => pongs++)
    sim.injectFaults({ stallMs: 1500 })
    const framesAtStall = c.frames.length
    c.ws.ping()
    await new Promise((r) => setTimeout(r, 1000))
    // Some frames may have been in flight at the moment of the stall; none after.
    const during = c.frames.length
    await new Promise((r) => setTimeout(r, 300))
    expect(c.frames.length).toBe(during)
    expect(during - framesAtStall).toBeLessThanOrEqual(1)
    expect(pongs).toBe(0)
    await c.until(() => c.frames.length > during + 3, 'data after the stall')
    c.ws.ping()
    await c.until(() => pongs > 0, 'a pong after the stall')
  })

  it('puts one malformed element in every Nth frame; the rest of the frame stays valid and no trade is lost', async () => {
    await start()
    sim.injectFaults({ malformedEvery: 2 })
    const c = await subscribed(sim.wsBase, 'k', 'T.MSFT')
    clients.push(c)
    await c.until(() => c.frames.filter((f) => f.some((e) => e.ev === 'T')).length >= 12, '12 data frames')
    c.ws.terminate()
    const dataFrames = c.frames.filter((f) => f.some((e) => (e as Ev | string) !== null && typeof e === 'object' && e.ev === 'T'))
    let bad = 0
    for (const f of dataFrames) {
      const invalid = f.filter((e) => !isValidTrade(e))
      expect(invalid.length).toBeLessThanOrEqual(1)
      bad += invalid.length
    }
    expect(bad).toBeGreaterThanOrEqual(Math.floor(dataFrames.length / 2) - 1)
    const good = dataFrames.flat().filter(isValidTrade)
    const tape = sim.groundTruthTrades('MSFT')
    const i0 = tape.findIndex((t) => t.seq === good[0]!.q)
    expect(tape.slice(i0, i0 + good.length).map((t) => t.seq)).toEqual(good.map((t) => t.q))
  })

  it('disconnects a slow consumer after holding data back', async () => {
    sim = await createSimulator({ seed: 5, key: 'k', clock: { kind: 'fast', start: START }, historyMs: 0, intensity: 20 })
    sim.injectFaults({ slowConsumerBufferBytes: 64 * 1024 })
    const c = await subscribed(sim.wsBase, 'k', 'T.*,Q.*')
    clients.push(c)
    c.ws.pause() // stop reading: the kernel buffers fill, then the server's
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (sim.stats().connections === 0) {
          clearInterval(poll)
          resolve()
        }
      }, 50)
    })
    c.ws.resume()
    const code = await c.closed
    expect([1006, 1008]).toContain(code)
  })

  it('scheduleShock moves the price in trades, A bars and REST aggregates', async () => {
    sim = await createSimulator({ seed: 5, key: 'k', clock: { kind: 'accelerated', factor: 60, start: START }, historyMs: 0 })
    const at = sim.now() + 90_000
    sim.scheduleShock({ symbol: 'KO', at, jumpPct: 0.1, overMs: 1000, volumeFactor: 4, volumeMs: 60_000 })
    const c = await subscribed(sim.wsBase, 'k', 'T.KO,A.KO')
    clients.push(c)
    await c.until(() => c.events().some((e) => e.ev === 'A' && (e.s as number) >= at + 90_000), 'bars 90 s after the shock', 30_000)
    const trades = sim.groundTruthTrades('KO')
    const mean = (a: number, b: number): number => {
      const xs = trades.filter((t) => t.ts >= a && t.ts < b).map((t) => t.price)
      return xs.reduce((s, x) => s + x, 0) / xs.length
    }
    const ratio = mean(at + 5_000, at + 30_000) / mean(at - 30_000, at)
    expect(ratio).toBeGreaterThan(1.07)
    const bars = c.events().filter((e) => e.ev === 'A')
    const before = bars.filter((b) => (b.e as number) <= at).at(-1)!
    const after = bars.find((b) => (b.s as number) >= at + 5_000)!
    expect((after.c as number) / (before.c as number)).toBeGreaterThan(1.07)
    const res = await fetch(`${sim.httpBase}/v2/aggs/ticker/KO/range/1/minute/${at - 120_000}/${at + 60_000}?apiKey=k`)
    const body = (await res.json()) as { results: { c: number; t: number; n: number }[] }
    const pre = body.results.filter((r) => r.t < at - 60_000).at(-1)!
    // The first whole minute after the jump (complete by now), inside the volume burst for half of it at least.
    const post = body.results.find((r) => r.t >= at)!
    expect(post.c / pre.c).toBeGreaterThan(1.07)
    // The volume burst (×4 arrivals): more prints per minute than before the shock.
    expect(post.n).toBeGreaterThan(pre.n * 2)
    const count = (a: number, b: number): number => trades.filter((t) => t.ts >= a && t.ts < b).length
    expect(count(at, at + 30_000)).toBeGreaterThan(count(at - 30_000, at) * 2.5)
  })
})
