// The app's engine against every golden vector of impact v2 (fixtures/news-impact/v2/, made by the naive
// reference scripts/golden-v2/reference.ts): fed the way the app is fed (fixtures/news-impact/v2/README.md
// "Feeding an implementation"), its snapshot at asOf must equal `expected` field by field (numbers to 1e-9).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImpactRecordV2, MoveAlert } from '../../domain/impact'
import { parseGoldenFile } from '../../../scripts/golden-v2/format'
import { feedGolden } from './golden-feed'

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'news-impact', 'v2')
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()

const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

/** Field-by-field differences of a record from its expected value (numbers to 1e-9). */
function diff(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const out: string[] = []
  for (const [k, want] of Object.entries(expected)) {
    const got = actual[k]
    const same =
      typeof want === 'number' && typeof got === 'number'
        ? close(got, want)
        : JSON.stringify(got) === JSON.stringify(want)
    if (!same) out.push(`${k}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
  }
  return out
}

describe('impact v2 golden vectors', () => {
  it('the folder holds vectors', () => {
    expect(FILES.length, `no golden vectors in ${DIR}`).toBeGreaterThan(0)
  })

  for (const file of FILES) {
    it(file, () => {
      const g = parseGoldenFile(JSON.parse(readFileSync(join(DIR, file), 'utf8')))
      const engine = feedGolden(g)
      expect(engine.now()).toBe(g.asOf)
      const snap = engine.snapshot()
      const problems: string[] = []
      const byKey = new Map<string, ImpactRecordV2>(snap.impacts.map((r) => [`${r.articleId}|${r.symbol}`, r]))
      expect(snap.impacts.length).toBe(g.expected.impacts.length)
      for (const want of g.expected.impacts) {
        const got = byKey.get(`${want.articleId}|${want.symbol}`)
        if (!got) {
          problems.push(`impact ${want.articleId}|${want.symbol}: missing`)
          continue
        }
        expect(got.origin).toBe('app')
        for (const d of diff({ ...got }, { ...want })) problems.push(`impact ${want.articleId}|${want.symbol} ${d}`)
      }
      const moves = snap.moves
      expect(moves.map((m: MoveAlert) => m.id)).toEqual(g.expected.moves.map((m) => m.id))
      moves.forEach((got, i) => {
        const want = g.expected.moves[i]
        if (!want) return
        expect(got.origin).toBe('app')
        for (const d of diff({ ...got }, { ...want })) problems.push(`move ${want.id} ${d}`)
      })
      expect(problems).toEqual([])
    })
  }
})
