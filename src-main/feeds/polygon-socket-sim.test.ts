// The socket client against the real simulator (not the tiny scripted server): faults as the simulator makes them.
import { afterEach, describe, expect, it } from 'vitest'
import type { Trade } from '../domain/market'
import { createSimulator, type Simulator } from '../simulator/index'
import { PolygonSocket } from './polygon-socket'
import { waitFor } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0) // 10:00 ET, a Wednesday

describe('PolygonSocket against the simulator', () => {
  let sim: Simulator | null = null
  let client: PolygonSocket | null = null
  afterEach(async () => {
    client?.stop()
    await sim?.close()
  })

  it('a stall that swallows auth_success (and pongs): with a short auth timeout it retries, and is live with data once the stall ends', async () => {
    sim = await createSimulator({ seed: 3, key: 'k', clock: { kind: 'accelerated', factor: 10, start: START }, historyMs: 0 })
    // The simulator sends nothing at all while stalled: no `connected`, no `auth_success`, no pongs.
    sim.injectFaults({ stallMs: 1_500 })
    const logs: string[] = []
    const states: string[] = []
    const trades: Trade[] = []
    client = new PolygonSocket({
      url: `${sim.wsBase}/stocks`,
      key: 'k',
      authTimeoutMs: 300,
      reconnect: { baseMs: 50, capMs: 200, kind: 'none' },
      onLog: (_level, m) => logs.push(m),
      onStatus: (s) => states.push(`${s.state}: ${s.message}`),
      onTrade: (t) => trades.push(t),
    })
    client.setSubscriptions(['AAPL'], ['T'])
    client.start()
    await waitFor(() => client?.status.state === 'live', 'live after the stall', 20_000)
    await waitFor(() => trades.length > 0, 'trades after the stall', 20_000)
    const c = client
    // It gave up on the silent server at least once, said why, and came back.
    expect(c.attempts).toBeGreaterThan(1)
    expect(logs.some((m) => m === 'feed: no reply to auth within 300 ms: reconnecting')).toBe(true)
    expect(states.some((s) => s.startsWith('reconnecting: Connection lost (no reply to auth in 300 ms)'))).toBe(true)
    expect(logs.some((m) => /^feed live again after \d+ lost connection/.test(m))).toBe(true)
    expect(c.activeSubscriptions).toEqual(['T.AAPL'])
  })
})
