import { describe, expect, it } from 'vitest'
import {
  combineSigma,
  median,
  medianInPlace,
  sampleStdev,
  shrunkBeta,
  sigmaFloor,
  sigmaRealised,
  similarWords,
  titleWords,
  type ReturnPair,
} from './math'

describe('median', () => {
  const big = Array.from({ length: 41 }, (_, i) => (i * 37) % 41)
  it.each([
    { xs: [5], want: 5 },
    { xs: [3, 1, 2], want: 2 },
    { xs: [4, 1, 3, 2], want: 2.5 },
    { xs: [10.01, 10.02, 10.02, 10.03], want: 10.02 },
    { xs: big, want: 20 },
    { xs: [...big, 41], want: 20.5 },
  ])('$xs → $want', ({ xs, want }) => {
    expect(median(xs)).toBe(want)
    const arr = Float64Array.from([...xs, 999])
    expect(medianInPlace(arr, xs.length)).toBe(want)
  })
  it('is NaN for nothing', () => expect(median([])).toBeNaN())
})

describe('sampleStdev', () => {
  it.each([
    { xs: [1, 2, 3, 4], want: Math.sqrt(5 / 3) },
    { xs: [2, 2, 2], want: 0 },
    { xs: [1], want: NaN },
  ])('$xs', ({ xs, want }) => {
    if (Number.isNaN(want)) expect(sampleStdev(xs)).toBeNaN()
    else expect(sampleStdev(xs)).toBeCloseTo(want, 12)
  })
})

const line = (slope: number, noise: (i: number) => number, n = 50): ReturnPair[] =>
  Array.from({ length: n }, (_, i) => {
    const x = Math.sin(i * 1.7) * 1e-3
    return { x, y: slope * x + noise(i) }
  })

describe('shrunkBeta', () => {
  it.each([
    { name: 'fewer than 3 pairs', pairs: line(2, () => 0, 2), want: 1 },
    { name: 'no spread in M (Sxx = 0)', pairs: [{ x: 1e-3, y: 0 }, { x: 1e-3, y: 1e-3 }, { x: 1e-3, y: 2e-3 }], want: 1 },
    { name: 'exact fit (se² = 0): the slope as measured', pairs: line(1.7, () => 0), want: 1.7 },
    { name: 'exact fit above 3 is clamped', pairs: line(4.5, () => 0), want: 3 },
    { name: 'exact fit below 0 is clamped', pairs: line(-0.5, () => 0), want: 0 },
  ])('$name', ({ pairs, want }) => expect(shrunkBeta(pairs)).toBeCloseTo(want, 9))

  it('shrinks a noisy slope towards 1 with weight 0.25/se²', () => {
    const pairs = line(2.5, (i) => Math.cos(i * 3.1) * 2e-3)
    const n = pairs.length
    const mx = pairs.reduce((s, p) => s + p.x, 0) / n
    const my = pairs.reduce((s, p) => s + p.y, 0) / n
    const sxx = pairs.reduce((s, p) => s + (p.x - mx) ** 2, 0)
    const b = pairs.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx
    const ssr = pairs.reduce((s, p) => s + (p.y - (my - b * mx) - b * p.x) ** 2, 0)
    const w = 0.25 / (ssr / (n - 2) / sxx)
    const got = shrunkBeta(pairs)
    expect(got).toBeCloseTo((w * b + 1) / (w + 1), 12)
    expect(got).toBeGreaterThan(1)
    expect(got).toBeLessThan(b)
  })
})

describe('sigma pieces', () => {
  const ten = [1, -1, 2, -2, 3, -3, 4, -4, 5, -5].map((x) => x * 1e-4)
  it.each([
    { name: 'floor needs 10 returns', got: () => sigmaFloor(ten.slice(0, 9)), want: null },
    { name: 'floor: 1.4826 × median|r| when above half the stdev', got: () => sigmaFloor(ten), want: 1.4826 * 3e-4 },
    { name: 'floor: half the stdev when above', got: () => sigmaFloor([...Array(9).fill(0), 1e-2]), want: 0.5 * sampleStdev([...Array(9).fill(0), 1e-2]) },
    { name: 'realised needs 10', got: () => sigmaRealised(ten.slice(1)), want: null },
    { name: 'realised: sample stdev', got: () => sigmaRealised(ten), want: sampleStdev(ten) },
    { name: 'both absent: null', got: () => combineSigma(null, null, 100), want: null },
    { name: 'the cent term wins for a cheap stock', got: () => combineSigma(1e-4, null, 2), want: 0.005 },
    { name: 'max of realised and floor', got: () => combineSigma(2e-3, 3e-3, 100), want: 3e-3 },
    { name: 'no price: no cent term', got: () => combineSigma(null, 1e-5, null), want: 1e-5 },
  ])('$name', ({ got, want }) => {
    const v = got()
    if (want === null) expect(v).toBeNull()
    else expect(v).toBeCloseTo(want, 15)
  })
})

describe('stale words', () => {
  it.each([
    { title: 'Apple’s Q3: Ｆｉｎａｎｃｅ chief ２０２６!', want: ['apple', 's', 'q3', 'finance', 'chief', '2026'] },
    { title: 'ﬁnance café', want: ['finance', 'café'] },
    { title: 'cafe\u0301 東京 株', want: ['café', '東京', '株'] },
    { title: '  --  ', want: [] },
  ])('$title', ({ title, want }) => expect([...titleWords(title)]).toEqual(want))

  it.each([
    { a: 'a b c d', b: 'a b c e', want: true }, // 3 shared of 5 words: exactly 0.6
    { a: 'a b c d', b: 'a b e f', want: false }, // 2/6
    { a: 'a b c', b: 'a b c d e', want: true }, // 3/5
    { a: 'a b', b: 'a c d', want: false }, // 1/4
    { a: '', b: '', want: false },
  ])('$a ~ $b', ({ a, b, want }) => {
    expect(similarWords(titleWords(a), titleWords(b))).toBe(want)
  })
})
