// The real-headline set (fixtures/tagging/real/headlines.json): its shape, and the tagger's precision/recall on it,
// on its held-out part and on its Title Case slice. Watchlist: every entry of sp500.json.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isHeldOut, score, titleCaseSlice, type LabelledHeadline } from './evaluate'
import { SP500, createArticleTagger } from './tagger'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const real = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'tagging', 'real', 'headlines.json'), 'utf8')) as LabelledHeadline[]
// Gathered and labelled after the tagger was frozen (first measured at P 0.957 / R 0.938 before any fix).
const fresh = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'tagging', 'real', 'fresh.json'), 'utf8')) as LabelledHeadline[]
// holdout-2: 202 headlines from public captures not used before, labelled and committed before the tagger was first
// run on them (first measurement, tagger unchanged: P 0.986 / R 0.986; Title Case P 0.980 / R 1.000). A measured
// set: the tagger is not tuned on it; the test prints its score and errors and holds the targets.
const holdout2 = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'tagging', 'real', 'holdout-2.json'), 'utf8')) as LabelledHeadline[]
const tag = createArticleTagger(SP500.map((e) => ({ symbol: e.symbol, aliases: [] })))
const run = (h: LabelledHeadline): string[] => tag({ title: h.text, trailText: h.trailText })

describe('real headline set: shape', () => {
  it('has at least 600 headlines, each with a source and known symbols, no duplicates', () => {
    expect(real.length).toBeGreaterThanOrEqual(600)
    const symbols = new Set(SP500.map((e) => e.symbol))
    const seen = new Set<string>()
    for (const h of real) {
      expect(typeof h.text).toBe('string')
      expect(h.source.note.length).toBeGreaterThan(0)
      expect(Boolean((h.source.repo && h.source.path) || h.source.indexId)).toBe(true)
      for (const s of h.expected) expect(symbols.has(s)).toBe(true)
      const key = h.text.trim().toLowerCase()
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
  })

  it('is at least a third Title Case, with at least 200 headlines about no listed company', () => {
    expect(titleCaseSlice(real).length * 3).toBeGreaterThanOrEqual(real.length)
    expect(real.filter((h) => h.expected.length === 0).length).toBeGreaterThanOrEqual(200)
  })

  it('has a held-out part of roughly 30 % (hash split)', () => {
    const held = real.filter((h) => isHeldOut(h.text)).length
    expect(held).toBeGreaterThan(real.length * 0.2)
    expect(held).toBeLessThan(real.length * 0.4)
  })
})

describe('real headline set: tagger', () => {
  const slices: [string, LabelledHeadline[]][] = [
    ['whole set', real],
    ['dev part', real.filter((h) => !isHeldOut(h.text))],
    ['held-out part', real.filter((h) => isHeldOut(h.text))],
    ['Title Case slice', titleCaseSlice(real)],
    ['Title Case, held out', titleCaseSlice(real).filter((h) => isHeldOut(h.text))],
    ['fresh batch', fresh],
  ]
  it.each(slices)('%s: precision ≥ 0.98 and recall ≥ 0.95', (name, items) => {
    const s = score(items, run)
    console.log(
      `real set, ${name}: ${s.headlines} headlines, tp=${s.tp} fp=${s.fp} fn=${s.fn}, precision=${s.precision.toFixed(4)} recall=${s.recall.toFixed(4)}` +
        (s.errors.length ? `\n  ${s.errors.join('\n  ')}` : ''),
    )
    expect(s.precision).toBeGreaterThanOrEqual(0.98)
    expect(s.recall).toBeGreaterThanOrEqual(0.95)
  })
})

describe('holdout-2 (labelled before the tagger saw it)', () => {
  it('has at least 200 sourced headlines with known symbols, none already in the real set or the fresh batch', () => {
    expect(holdout2.length).toBeGreaterThanOrEqual(200)
    const symbols = new Set(SP500.map((e) => e.symbol))
    const earlier = new Set([...real, ...fresh].map((h) => h.text.trim().toLowerCase()))
    const seen = new Set<string>()
    for (const h of holdout2) {
      expect(h.source.note.length).toBeGreaterThan(0)
      expect(Boolean((h.source.repo && h.source.path) || h.source.indexId)).toBe(true)
      for (const s of h.expected) expect(symbols.has(s)).toBe(true)
      const key = h.text.trim().toLowerCase()
      expect(earlier.has(key)).toBe(false)
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
    expect(titleCaseSlice(holdout2).length * 3).toBeGreaterThanOrEqual(holdout2.length)
    expect(holdout2.filter((h) => h.expected.length === 0).length * 3).toBeGreaterThanOrEqual(holdout2.length)
  })

  it.each([
    ['whole batch', holdout2],
    ['Title Case slice', titleCaseSlice(holdout2)],
  ] as [string, LabelledHeadline[]][])('%s: measured against the targets (precision ≥ 0.98, recall ≥ 0.95)', (name, items) => {
    const s = score(items, run)
    console.log(
      `holdout-2, ${name}: ${s.headlines} headlines, tp=${s.tp} fp=${s.fp} fn=${s.fn}, precision=${s.precision.toFixed(4)} recall=${s.recall.toFixed(4)}` +
        (s.errors.length ? `\n  ${s.errors.join('\n  ')}` : ''),
    )
    expect(s.precision).toBeGreaterThanOrEqual(0.98)
    expect(s.recall).toBeGreaterThanOrEqual(0.95)
  })
})
