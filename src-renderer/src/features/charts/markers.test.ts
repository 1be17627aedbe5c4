import { describe, expect, it } from 'vitest'
import { article, impact } from '../../test/fixtures'
import { buildMarkers, SIGNAL_COLORS } from './markers'

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
})
