// The vendor's own JS client against the simulator: a fair check that it speaks the real protocol.
import { restClient, websocketClient } from '@massive.com/client-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from './index'
import { qualifies } from './test-support'

const START = Date.UTC(2026, 10, 18, 15, 0, 0)

describe('@massive.com/client-js against the simulator', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await createSimulator({ seed: 2, key: 'refkey', clock: { kind: 'accelerated', factor: 10, start: START }, historyMs: 15 * 60_000 })
  })
  afterAll(async () => {
    await sim.close()
  })

  it('websocketClient(key, base).stocks() connects and gets auth_success, then streams after a subscribe', async () => {
    const ws = websocketClient('refkey', sim.wsBase).stocks()
    const events: { ev: string; status?: string; sym?: string }[] = []
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no trade from the reference client')), 20_000)
        ws.onmessage = (msg: { data: unknown }) => {
          const arr = JSON.parse(String(msg.data)) as { ev: string; status?: string; sym?: string }[]
          events.push(...arr)
          if (arr.some((e) => e.status === 'auth_success')) ws.send(JSON.stringify({ action: 'subscribe', params: 'T.AAPL' }))
          if (arr.some((e) => e.ev === 'T')) {
            clearTimeout(timer)
            resolve()
          }
        }
        ws.onerror = () => reject(new Error('reference client socket error'))
      })
    } finally {
      ws.close()
    }
    expect(events.filter((e) => e.ev === 'status').map((e) => e.status).slice(0, 3)).toEqual(['connected', 'auth_success', 'success'])
    expect(events.some((e) => e.ev === 'T' && e.sym === 'AAPL')).toBe(true)
  })

  it('restClient(key, base) reads minute aggregates equal to the tape', async () => {
    const rest = restClient('refkey', sim.httpBase)
    const from = START - 10 * 60_000
    const to = START - 60_000
    const res = await rest.getStocksAggregates({
      stocksTicker: 'MSFT',
      multiplier: 1,
      timespan: 'minute' as never,
      from: String(from),
      to: String(to),
    })
    expect(res.status).toBe('OK')
    const results = res.results ?? []
    expect(results.length).toBe(10)
    const tape = sim.groundTruthTrades('MSFT')
    const closeOf = (t: number): number => {
      const last = tape.filter((x) => x.ts >= t && x.ts < t + 60_000 && qualifies(x.conditions).last).at(-1)
      return last!.price
    }
    for (const r of results) expect(r.c).toBe(closeOf(r.t as number))
  })
})
