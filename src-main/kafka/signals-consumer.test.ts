import { describe, expect, it } from 'vitest'
import type { ImpactRecord } from '../domain/news'
import { parseImpactMessage } from './signals-consumer'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS } from '../domain/impact'

/** v2 fields a test does not care about (every number null), for its literal to override. */
const BLANK_IMPACT = blankImpactRecord({ articleId: 'x', symbol: 'AAPL', published: 1_764_000_000_000, receivedAt: 1_764_000_000_000, asOf: 1_764_000_000_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })

const rec: ImpactRecord = { ...BLANK_IMPACT,
  articleId: 'business/2026/nov/27/a',
  symbol: 'AAPL',
  published: Date.UTC(2026, 10, 27, 15),
  p0: 100,
  ret1: 0.01,
  ret5: 0.02,
  ret15: null,
  sigma: 0.001,
  z1: 4,
  z5: 3.2,
  z15: null,
  rvol5: 1.5,
  signal: 'up',
  latencyMs: 1200,
  stale: false,
  origin: 'flink',
  final: false,
}
const key = `${rec.articleId}|AAPL`

describe('parseImpactMessage', () => {
  it('accepts a valid record with its key (Buffer or string) and without a key', () => {
    expect(parseImpactMessage(Buffer.from(key), Buffer.from(JSON.stringify(rec)))).toEqual({
      ok: true,
      record: rec,
    })
    expect(parseImpactMessage(key, JSON.stringify(rec))).toEqual({ ok: true, record: rec })
    expect(parseImpactMessage(null, JSON.stringify(rec))).toEqual({ ok: true, record: rec })
  })

  it('drops unknown extra fields', () => {
    const p = parseImpactMessage(key, JSON.stringify({ ...rec, extra: 1 }))
    expect(p.ok && Object.keys(p.record)).not.toContain('extra')
  })

  it.each<[string, string | null, RegExp]>([
    ['tombstone', null, /tombstone/],
    ['not JSON', '{oops', /not JSON/],
    ['array', '[1]', /invalid impact record/],
    ['missing field', JSON.stringify({ ...rec, final: undefined }), /final/],
    ['string number', JSON.stringify({ ...rec, z5: '3.2' }), /z5/],
    ['bad origin', JSON.stringify({ ...rec, origin: 'spark' }), /origin/],
    ['bad signal', JSON.stringify({ ...rec, signal: 'sideways' }), /signal/],
    ['lower-case symbol', JSON.stringify({ ...rec, symbol: 'aapl' }), /symbol/],
  ])('rejects %s', (_n, value, reason) => {
    const p = parseImpactMessage(key, value)
    expect(p.ok).toBe(false)
    if (!p.ok) expect(p.reason).toMatch(reason)
  })

  it('rejects a key that does not match the value', () => {
    const p = parseImpactMessage('other|AAPL', JSON.stringify(rec))
    expect(p).toEqual({ ok: false, reason: `key 'other|AAPL' does not match '${key}'` })
  })
})
