import { describe, expect, it } from 'vitest'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS, type MoveAlert } from '../domain/impact'
import { moveAlertText, signalText } from './alert-text'

const T = Date.UTC(2026, 11, 7, 15, 0)
const move = (over: Partial<MoveAlert>): MoveAlert => ({
  id: `TSLA|${T}`,
  symbol: 'TSLA',
  windowStart: T - 40_000,
  detectedAt: T,
  direction: 'down',
  size: Math.log(1 - 0.057),
  z: -8.04,
  sigma: 0.0073,
  beta: 1.4,
  adjusted: true,
  price: 401.2,
  headlines: [],
  settings: { proxy: 'SPY', zMove: 4 },
  origin: 'app',
  ...over,
})

describe('moveAlertText', () => {
  it.each([
    [move({}), null, '▼ TSLA −5.7 % in 40 s, 8.0σ beyond the market', 'No headline yet'],
    [move({ direction: 'up', size: Math.log(1.021), z: 12.6, adjusted: false }), 'Tesla soars', '▲ TSLA +2.1 % in 40 s, 13σ', 'Tesla soars'],
  ])('%#', (m, headline, title, body) => {
    expect(moveAlertText(m, headline)).toEqual({ title, body })
  })
})

describe('signalText', () => {
  const base = blankImpactRecord({ articleId: 'a/1', symbol: 'AAPL', published: T, receivedAt: T + 90_000, asOf: T + 100_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })
  it.each([
    [{ ...base, signal: 'up' as const, detectedAt: T + 38_400, ar1: 0.021, adjusted: true }, '▲ AAPL +2.1 % beyond the market, 38 s after the headline'],
    [{ ...base, signal: 'down' as const, detectedAt: T + 300_000, ar5: -0.0131, ar1: -0.01 }, '▼ AAPL −1.3 %, 300 s after the headline'],
    [{ ...base, signal: 'down' as const, detectedAt: T + 5_000 }, '▼ AAPL, 5 s after the headline'],
  ])('%#', (r, title) => {
    expect(signalText(r, undefined).title).toBe(title)
    expect(signalText(r, { title: 'Apple beats' } as never).body).toBe('Apple beats')
  })
})
