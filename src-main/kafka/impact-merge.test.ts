import { describe, expect, it } from 'vitest'
import type { ImpactRecord } from '../domain/news'
import { mergeImpactLists, mergeImpacts, pickImpact } from './impact-merge'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS } from '../domain/impact'

/** v2 fields a test does not care about (every number null), for its literal to override. */
const BLANK_IMPACT = blankImpactRecord({ articleId: 'x', symbol: 'AAPL', published: 1_764_000_000_000, receivedAt: 1_764_000_000_000, asOf: 1_764_000_000_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })

const base: ImpactRecord = { ...BLANK_IMPACT,
  articleId: 'business/2026/nov/27/a',
  symbol: 'AAPL',
  published: Date.UTC(2026, 10, 27, 15),
  p0: 100,
  ret1: null,
  ret5: null,
  ret15: null,
  sigma: 0.001,
  z1: null,
  z5: null,
  z15: null,
  rvol5: null,
  signal: null,
  latencyMs: 1500,
  stale: false,
  origin: 'app',
  final: false,
}
const r = (over: Partial<ImpactRecord>): ImpactRecord => ({ ...base, ...over })
const h1 = { ret1: 0.01, z1: 4 }
const h5 = { ...h1, ret5: 0.02, z5: 3.5, rvol5: 2, signal: 'up' as const }
const h15 = { ...h5, ret15: 0.03, z15: 3 }

describe('pickImpact precedence', () => {
  it.each<[string, ImpactRecord, ImpactRecord, 'current' | 'incoming']>([
    [
      'final beats not final (incoming final flink)',
      r({ ...h5 }),
      r({ ...h15, origin: 'flink', final: true }),
      'incoming',
    ],
    [
      'final beats not final (held final app)',
      r({ ...h15, final: true }),
      r({ ...h15, origin: 'flink' }),
      'current',
    ],
    ['more horizons beat fewer', r({ ...h1 }), r({ ...h5, origin: 'flink' }), 'incoming'],
    ['fewer horizons lose', r({ ...h5, origin: 'flink' }), r({ ...h1 }), 'current'],
    ['tie: app beats flink (app held)', r({ ...h5 }), r({ ...h5, origin: 'flink', p0: 101 }), 'current'],
    ['tie: app beats flink (app incoming)', r({ ...h5, origin: 'flink' }), r({ ...h5, p0: 99 }), 'incoming'],
    ['same origin and completeness: latest wins', r({ ...h5, p0: 1 }), r({ ...h5, p0: 2 }), 'incoming'],
    [
      'both final: app over flink',
      r({ ...h15, origin: 'flink', final: true }),
      r({ ...h15, final: true, p0: 5 }),
      'incoming',
    ],
  ])('%s', (_n, current, incoming, winner) => {
    expect(pickImpact(current, incoming)).toBe(winner === 'current' ? current : incoming)
  })
})

describe('mergeImpacts', () => {
  it('de-duplicates by key, keeps one record per key and reports only what changed', () => {
    const a = r({ ...h1 })
    const b = r({ symbol: 'MSFT', ...h1 })
    const start = new Map([
      [`${a.articleId}|AAPL`, a],
      [`${b.articleId}|MSFT`, b],
    ])
    const flinkA = r({ ...h5, origin: 'flink' })
    const flinkBTie = r({ symbol: 'MSFT', ...h1, origin: 'flink' })
    const flinkC = r({ articleId: 'world/x', ...h1, origin: 'flink' })
    const { merged, changed } = mergeImpacts(start, [flinkA, flinkBTie, flinkC, flinkA])
    expect([...merged.keys()]).toEqual([`${a.articleId}|AAPL`, `${b.articleId}|MSFT`, 'world/x|AAPL'])
    expect(merged.get(`${a.articleId}|AAPL`)).toBe(flinkA)
    expect(merged.get(`${b.articleId}|MSFT`)).toBe(b)
    expect(changed).toEqual([flinkA, flinkC])
    // Input map untouched.
    expect(start.get(`${a.articleId}|AAPL`)).toBe(a)
  })

  it('mergeImpactLists: app and flink lists into one list, one per key', () => {
    const app = [r({ ...h5 }), r({ symbol: 'TSLA' })]
    const flink = [
      r({ ...h5, origin: 'flink' }),
      r({ symbol: 'TSLA', ...h1, origin: 'flink' }),
      r({ symbol: 'NVDA', origin: 'flink' }),
    ]
    const out = mergeImpactLists(app, flink)
    expect(out.map((x) => `${x.symbol}:${x.origin}`)).toEqual(['AAPL:app', 'TSLA:flink', 'NVDA:flink'])
  })
})
