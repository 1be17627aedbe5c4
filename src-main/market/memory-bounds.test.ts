// Memory is bounded by structure, not measured by time: after a long, messy stream (many windows, late
// trades, replays, many symbols) no ring exceeds its depth and no duplicate window exceeds its size.
import { describe, expect, it } from 'vitest'
import { TIMEFRAMES } from '../domain/market'
import { createMarketEngine } from './engine'
import { T, trade } from './test-helpers'

describe('engine memory is bounded in structure', () => {
  it('rings never exceed historyDepth and duplicate windows never exceed their size', () => {
    const depth = 40
    const dedup = 64
    const e = createMarketEngine({ historyDepth: depth, dedupWindow: dedup })
    const symbols = Array.from({ length: 30 }, (_, i) => `S${i}`)
    const seq = new Map<string, number>()
    let now = T
    let x = 7
    const rand = (): number => (x = (x * 48271) % 2147483647) / 2147483647
    const check = (): void => {
      for (const sym of e.symbols()) {
        const s = e.sizes(sym)
        for (const tf of TIMEFRAMES) {
          expect(s?.rings[tf]?.len).toBeLessThanOrEqual(depth)
          expect(s?.rings[tf]?.cap).toBeLessThanOrEqual(depth)
          expect(e.history(sym, tf, 10_000).length).toBeLessThanOrEqual(depth)
        }
        expect(s?.dedup).toBeLessThanOrEqual(dedup)
      }
    }
    for (let i = 1; i <= 60_000; i++) {
      const sym = symbols[Math.floor(rand() * symbols.length)] as string
      now += Math.floor(rand() * 400)
      const late = rand() < 0.05 ? Math.floor(rand() * 3_600_000) : 0
      const q = (seq.get(sym) ?? 0) + 1
      seq.set(sym, q)
      e.ingestTrade(trade(sym, 10 + rand(), 100, now - late, { seq: q }))
      // Occasional replay of an older trade and an id-only trade.
      if (rand() < 0.01)
        e.ingestTrade(trade(sym, 10, 100, now - 1_000, { seq: Math.max(1, q - Math.floor(rand() * 500)) }))
      if (rand() < 0.01) e.ingestTrade(trade(sym, 10, 1, now, { seq: 0, id: `id-${i}` }))
      if (i % 1_000 === 0) e.drainUpdates()
      if (i % 10_000 === 0) check()
    }
    check()
    // The stream spanned far more windows than are kept, so the bounds were actually exercised.
    const s = e.sizes('S0')
    for (const tf of ['1s', '1m', '5m'] as const) expect(s?.rings[tf]?.len, tf).toBe(depth)
    expect(s?.dedup).toBe(dedup)
    expect(e.stats().duplicates).toBeGreaterThan(0)
  })
})
