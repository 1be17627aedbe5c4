import { describe, expect, it } from 'vitest'
import { decimalText, microOfShares, microShares, sharesOfMicro } from './decimal-size'

describe('microShares — decimal sizes read exactly, in millionths', () => {
  // [text, micro-shares or NaN]
  const cases: Array<[string, number]> = [
    ['40.0', 40_000_000],
    ['129.0', 129_000_000],
    ['0.740474', 740_474],
    ['100.5', 100_500_000],
    ['7', 7_000_000],
    ['0', 0],
    ['0.000001', 1],
    ['0.0000015', 2], // seventh decimal rounds half up
    ['0.0000014', 1],
    ['0.9999995', 1_000_000],
    ['999999999.999999', 999_999_999_999_999],
    ['1000000000', NaN], // ten integer digits: not a trade size
    ['', NaN],
    ['.5', NaN],
    ['1.', NaN],
    ['-1', NaN],
    ['+1', NaN],
    ['1e2', NaN],
    [' 1', NaN],
    ['1.0000000000001', NaN], // thirteen decimals
    ['1,5', NaN],
  ]
  it.each(cases)('%j', (text, micro) => {
    expect(microShares(text)).toBe(micro)
  })
})

describe('shares ⇄ micro-shares', () => {
  it('whole shares stay exact integers, fractions come back to the same millionths', () => {
    for (const text of ['40.0', '0.740474', '100.5', '123456789.123456', '0.000001', '5']) {
      const micro = microShares(text)
      const shares = sharesOfMicro(micro)
      expect(microOfShares(shares)).toBe(micro)
      expect(Number(text)).toBe(shares)
    }
    expect(sharesOfMicro(microShares('40.0'))).toBe(40)
  })
  it('sums in micro-shares are exact where sums of doubles are not', () => {
    const sizes = ['0.1', '0.2', '0.3']
    const micro = sizes.reduce((a, s) => a + microShares(s), 0)
    expect(sharesOfMicro(micro)).toBe(0.6)
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6)
  })
  it('decimalText gives the exact decimal', () => {
    expect(decimalText(40_000_000)).toBe('40')
    expect(decimalText(740_474)).toBe('0.740474')
    expect(decimalText(100_500_000)).toBe('100.5')
    expect(decimalText(1)).toBe('0.000001')
  })
})
