import { describe, expect, it } from 'vitest'
import { article, impact, move } from '../../test/fixtures'
import { buildMarkers, MOVE_COLOR, SIGNAL_COLORS } from './markers'

describe('buildMarkers', () => {
  const arts = [article('b', 125_000, ['AAPL']), article('a', 61_000, ['AAPL', 'MSFT']), article('c', 10_000, ['MSFT']), article('d', 200_000, ['AAPL'])]
  const impacts = new Map([
    ['a|AAPL', impact('a', 'AAPL', { signal: 'up' })],
    ['a|MSFT', impact('a', 'MSFT', { signal: 'down' })],
    ['b|AAPL', impact('b', 'AAPL', { signal: 'none' })],
  ])
  const get = (id: string, s: string) => impacts.get(`${id}|${s}`)

  it('keeps the symbol’s articles, sorted, snapped to the bar start, coloured by that symbol’s signal', () => {
    const m = buildMarkers(arts, get, 'AAPL', '1m', null)
    expect(m.map((x) => [x.id, x.time, x.color, x.shape])).toEqual([
      ['a', 60, SIGNAL_COLORS.up, 'arrowUp'],
      ['b', 120, SIGNAL_COLORS.none, 'circle'],
      ['d', 180, SIGNAL_COLORS.pending, 'circle'],
    ])
    expect(buildMarkers(arts, get, 'MSFT', '5m', null).map((x) => [x.id, x.time, x.color])).toEqual([
      ['a', 0, SIGNAL_COLORS.down],
      ['c', 0, SIGNAL_COLORS.pending],
    ])
  })

  it('enlarges and labels the highlighted marker', () => {
    const m = buildMarkers(arts, get, 'AAPL', '1s', 'b')
    const b = m.find((x) => x.id === 'b')!
    expect(b.time).toBe(125)
    expect(b.size).toBe(2)
    expect(b.text).toBe('Headline b')
    expect(m.find((x) => x.id === 'a')!.size).toBe(1)
  })

  it('changes a headline’s colour when its signal fires, and fades it when +5 m does not confirm it', () => {
    const a = [article('s', 60_000, ['AAPL'])]
    const colour = (r: Parameters<typeof impact>[2]) => buildMarkers(a, () => impact('s', 'AAPL', r), 'AAPL', '1m', null)[0]!.color
    expect(colour({ signal: null })).toBe(SIGNAL_COLORS.pending)
    expect(colour({ signal: 'up', detectedAt: 70_000 })).toBe(SIGNAL_COLORS.up)
    expect(colour({ signal: 'up', detectedAt: 70_000, confirmed: true })).toBe(SIGNAL_COLORS.up)
    expect(colour({ signal: 'up', detectedAt: 70_000, confirmed: false })).toBe(SIGNAL_COLORS.upUnconfirmed)
    expect(colour({ signal: 'down', detectedAt: 70_000, confirmed: false })).toBe(SIGNAL_COLORS.downUnconfirmed)
    expect(colour({ signal: 'none' })).toBe(SIGNAL_COLORS.none)
  })

  it('puts the symbol’s move alerts at their detection bar, arrow by direction, highlighted when selected', () => {
    const moves = [move('AAPL', 185_000, { direction: 'up' }), move('AAPL', 61_000, { direction: 'down' }), move('MSFT', 100_000)]
    const m = buildMarkers(arts, get, 'AAPL', '1m', 'AAPL|185000', moves)
    expect(m.map((x) => [x.id, x.time, x.color, x.shape, x.position, x.size])).toEqual([
      ['a', 60, SIGNAL_COLORS.up, 'arrowUp', 'belowBar', 1],
      ['AAPL|61000', 60, MOVE_COLOR, 'arrowDown', 'aboveBar', 1],
      ['b', 120, SIGNAL_COLORS.none, 'circle', 'aboveBar', 1],
      ['AAPL|185000', 180, MOVE_COLOR, 'arrowUp', 'belowBar', 2],
      ['d', 180, SIGNAL_COLORS.pending, 'circle', 'aboveBar', 1],
    ])
  })
})
