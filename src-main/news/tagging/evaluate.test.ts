import { describe, expect, it } from 'vitest'
import { fnv1a, isHeldOut, score, titleCaseSlice } from './evaluate'

describe('evaluate', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('fnv1a(%j) = %i', (s, h) => {
    expect(fnv1a(s)).toBe(h)
  })

  it('splits by the hash of the trimmed, lower-cased text', () => {
    expect(isHeldOut('Apple shares rise')).toBe(isHeldOut('  APPLE SHARES RISE '))
    const n = Array.from({ length: 1000 }, (_, i) => `headline ${i}`).filter(isHeldOut).length
    expect(n).toBeGreaterThan(250)
    expect(n).toBeLessThan(350)
  })

  it('scores pairs: true/false positives and misses', () => {
    const items = [
      { text: 'a', expected: ['X'], source: { note: '' } },
      { text: 'b', expected: [], source: { note: '' } },
      { text: 'c', expected: ['Y', 'Z'], source: { note: '' } },
    ]
    const s = score(items, (h) => (h.text === 'a' ? ['X'] : h.text === 'b' ? ['Q'] : ['Y']))
    expect(s).toMatchObject({ headlines: 3, tp: 2, fp: 1, fn: 1 })
    expect(s.precision).toBeCloseTo(2 / 3)
    expect(s.recall).toBeCloseTo(2 / 3)
    expect(s.errors).toEqual(['FP Q: b', 'FN Z: c'])
    expect(score([], () => [])).toMatchObject({ precision: 1, recall: 1 })
  })

  it('slices Title Case headlines', () => {
    const items = [{ text: 'Walmart Agrees To Acquire Vizio' }, { text: 'Walmart agrees to acquire Vizio' }, { text: 'WALMART BUYS VIZIO' }]
    expect(titleCaseSlice(items).map((h) => h.text)).toEqual(['Walmart Agrees To Acquire Vizio', 'WALMART BUYS VIZIO'])
  })
})
