// Scoring a tagger against labelled headlines: precision/recall over (headline, symbol) pairs, the dev/held-out
// split of the real set, and the Title Case slice. Shared by the tests and the bench.
import { isTitleCase } from './tagger'

export interface LabelledHeadline {
  text: string
  trailText?: string
  /** Symbols a careful reader tags, by fixtures/tagging/real/RULES.md. */
  expected: string[]
  source: { repo?: string; path?: string; indexId?: string; note: string }
}

export interface Score {
  headlines: number
  tp: number
  fp: number
  fn: number
  precision: number
  recall: number
  errors: string[]
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** The split rule: a headline is held out when FNV-1a of its trimmed, lower-cased text is 0, 1 or 2 mod 10 (~30 %). */
export function isHeldOut(text: string): boolean {
  return fnv1a(text.trim().toLowerCase()) % 10 < 3
}

export function titleCaseSlice<T extends { text: string }>(items: readonly T[]): T[] {
  return items.filter((h) => isTitleCase(h.text))
}

export function score(items: readonly LabelledHeadline[], tag: (h: LabelledHeadline) => readonly string[]): Score {
  let tp = 0
  let fp = 0
  let fn = 0
  const errors: string[] = []
  for (const h of items) {
    const got = tag(h)
    const want = new Set(h.expected)
    for (const s of got) {
      if (want.has(s)) tp++
      else {
        fp++
        errors.push(`FP ${s}: ${h.text}`)
      }
    }
    for (const s of want) {
      if (!got.includes(s)) {
        fn++
        errors.push(`FN ${s}: ${h.text}`)
      }
    }
  }
  return { headlines: items.length, tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), errors }
}
