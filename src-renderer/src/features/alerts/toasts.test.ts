import { beforeEach, describe, expect, it } from 'vitest'
import { impact, move } from '../../test/fixtures'
import { useToastStore, MAX_TOASTS } from './toast-store'
import { ALERT_FRESH_MS as TOAST_FRESH_MS, ALERT_MAX_AGE_MS } from '@domain/alert-policy'
import { batchToasts, isFresh, moveToast, signalToast } from './toasts'

const titles: Record<string, string> = { h1: 'Tesla recalls 2m cars', h2: 'Apple beats' }
const headline = (id: string) => titles[id]

describe('toast wording', () => {
  it.each([
    ['a move with no headline yet', move('TSLA', 1_000_000), '▼ TSLA −5.7 % in 40 s, 8.0σ beyond the market', 'no headline yet'],
    ['a move explained by its first known headline', move('TSLA', 1_000_000, { headlines: ['gone', 'h1'] }), '▼ TSLA −5.7 % in 40 s, 8.0σ beyond the market', 'explained by: Tesla recalls 2m cars'],
  ])('%s', (_, m, title, body) => expect(moveToast(m, headline)).toMatchObject({ key: `move|${m.id}`, target: { moveId: m.id }, symbol: 'TSLA', title, body, at: m.detectedAt }))

  it.each([
    ['no signal', impact('h2', 'AAPL', { signal: null }), null],
    ['none', impact('h2', 'AAPL', { signal: 'none' }), null],
    [
      'early signal: the +1 m move, beyond the market',
      impact('h2', 'AAPL', { published: 0, signal: 'up', detectedAt: 38_000, ar1: 0.021, adjusted: true }),
      { key: 'signal|h2|AAPL|up', title: '▲ AAPL +2.1 % beyond the market, 38 s after the headline', body: 'Apple beats', at: 38_000 },
    ],
    [
      'at +5 m, raw, unknown article',
      impact('zz', 'MSFT', { published: 0, signal: 'down', detectedAt: 300_000, ar1: -0.001, ar5: -0.012, adjusted: false }),
      { key: 'signal|zz|MSFT|down', title: '▼ MSFT −1.2 %, 300 s after the headline', body: 'zz', at: 300_000 },
    ],
  ])('signal: %s', (_, r, want) => {
    const t = signalToast(r, headline)
    if (want === null) expect(t).toBeNull()
    else expect(t).toMatchObject({ ...want, target: { articleId: r.articleId }, direction: r.signal })
  })

  it('a batch raises its moves and its signalled records; freshness is judged against detection time', () => {
    const ts = batchToasts({ articles: [], impacts: [impact('h2', 'AAPL'), impact('h2', 'MSFT', { signal: 'up', detectedAt: 5 })], moves: [move('TSLA', 9)] }, headline)
    expect(ts.map((t) => t.key)).toEqual(['move|TSLA|9', 'signal|h2|MSFT|up'])
    expect(isFresh(ts[0]!, 9 + TOAST_FRESH_MS)).toBe(true)
    expect(isFresh(ts[0]!, 10 + TOAST_FRESH_MS)).toBe(false)
  })

  it('a signal toasts when its late headline arrives (alertAt), while the move it reports is recent', () => {
    // Fired 3 s after the headline, which the poller delivered 95 s later.
    const r = impact('h2', 'AAPL', { published: 0, signal: 'up', detectedAt: 3_000, alertAt: 98_000 })
    const t = signalToast(r, headline)!
    expect(t).toMatchObject({ at: 3_000, alertAt: 98_000 })
    expect([isFresh(t, 98_000 + TOAST_FRESH_MS), isFresh(t, 98_001 + TOAST_FRESH_MS)]).toEqual([true, false])
    // A backlog headline delivered long after its move (start-up history): no toast.
    const old = signalToast(impact('h1', 'TSLA', { published: 0, signal: 'down', detectedAt: 3_000, alertAt: 3_000 + ALERT_MAX_AGE_MS + 1 }), headline)!
    expect(isFresh(old, old.alertAt!)).toBe(false)
  })
})

describe('useToastStore', () => {
  beforeEach(() => useToastStore.setState({ toasts: [], seen: new Set() }))
  const now = 1_000_000
  const live = { now, enabled: true, headline }

  it('toasts each key once, newest first; a move re-sent with its headline updates its toast', () => {
    const m = move('TSLA', now - 1_000)
    const s = useToastStore.getState()
    s.fromBatch({ articles: [], impacts: [], moves: [m] }, live)
    s.fromBatch({ articles: [], impacts: [impact('h2', 'AAPL', { signal: 'up', detectedAt: now })], moves: [] }, live)
    s.fromBatch({ articles: [], impacts: [impact('h2', 'AAPL', { signal: 'up', detectedAt: now, confirmed: true })], moves: [{ ...m, headlines: ['h1'] }] }, live)
    const ts = useToastStore.getState().toasts
    expect(ts.map((t) => t.key)).toEqual(['signal|h2|AAPL|up', `move|${m.id}`])
    expect(ts[1]!.body).toBe('explained by: Tesla recalls 2m cars')
    // A flip is a new alert.
    s.fromBatch({ articles: [], impacts: [impact('h2', 'AAPL', { signal: 'down', detectedAt: now })], moves: [] }, live)
    expect(useToastStore.getState().toasts[0]!.key).toBe('signal|h2|AAPL|down')
    s.dismiss('signal|h2|AAPL|down')
    expect(useToastStore.getState().toasts.map((t) => t.key)).toEqual(['signal|h2|AAPL|up', `move|${m.id}`])
  })

  it('stays quiet when notifications are off, for stale alerts and for what a reload brings; keeps at most MAX_TOASTS', () => {
    const s = useToastStore.getState()
    s.fromBatch({ articles: [], impacts: [], moves: [move('A', now)] }, { ...live, enabled: false })
    s.fromBatch({ articles: [], impacts: [], moves: [move('B', now - TOAST_FRESH_MS - 1)] }, live)
    s.markSeen({ articles: [], impacts: [], moves: [move('C', now)] }, headline)
    s.fromBatch({ articles: [], impacts: [], moves: [move('A', now), move('B', now - TOAST_FRESH_MS - 1), move('C', now)] }, live)
    expect(useToastStore.getState().toasts).toEqual([])
    s.fromBatch({ articles: [], impacts: [], moves: Array.from({ length: MAX_TOASTS + 2 }, (_, i) => move(`S${i}`, now)) }, live)
    expect(useToastStore.getState().toasts.map((t) => t.symbol)).toEqual(['S5', 'S4', 'S3', 'S2'])
  })
})
