import { describe, expect, it } from 'vitest'
import type { Shock } from '../types'
import { ArticleGenerator, jaccard, type GeneratorOptions } from './generator'
import { STORIES } from './templates'

const START = Date.UTC(2026, 10, 23, 6, 0, 0) // Monday
const HOUR = 3_600_000

function make(over: Partial<GeneratorOptions> = {}): { gen: ArticleGenerator; shocks: Shock[] } {
  const shocks: Shock[] = []
  const gen = new ArticleGenerator({
    seed: 42,
    start: START,
    liveFrom: START,
    companies: [
      { symbol: 'AAPL', name: 'Apple' },
      { symbol: 'TSLA', name: 'Tesla' },
      { symbol: 'NVDA', name: 'Nvidia' },
    ],
    articlesPerHour: 12,
    mix: { shock: 0.3, null: 0.3, recycled: 0.15, other: 0.25 },
    liveBlogs: true,
    shockDelayMs: [30_000, 90_000],
    shockPct: [0.015, 0.04],
    onShock: (s) => shocks.push(s),
    apiBase: 'http://x/guardian',
    ...over,
  })
  return { gen, shocks }
}

describe('ArticleGenerator', () => {
  it('is deterministic for a seed, however the time is advanced', () => {
    const a = make()
    a.gen.extendTo(START + 24 * HOUR)
    const b = make()
    for (let t = START; t <= START + 24 * HOUR; t += 7 * 60_000 + 13) b.gen.extendTo(t)
    b.gen.extendTo(START + 24 * HOUR)
    expect(JSON.stringify(b.gen.all())).toEqual(JSON.stringify(a.gen.all()))
    expect(b.gen.groundTruth()).toEqual(a.gen.groundTruth())
    expect(b.shocks).toEqual(a.shocks)
    const c = make({ seed: 43 })
    c.gen.extendTo(START + 24 * HOUR)
    expect(c.gen.groundTruth().map((e) => e.title)).not.toEqual(a.gen.groundTruth().map((e) => e.title))
  })

  it('produces about the configured rate and every kind', () => {
    const { gen } = make()
    gen.extendTo(START + 24 * HOUR)
    const articles = gen.groundTruth().filter((e) => e.kind !== 'liveblog')
    expect(articles.length).toBeGreaterThan(24 * 12 * 0.7)
    expect(articles.length).toBeLessThan(24 * 12 * 1.3)
    const kinds = new Set(gen.groundTruth().map((e) => e.kind))
    expect([...kinds].sort()).toEqual(['liveblog', 'null', 'other', 'recycled', 'shock'])
  })

  it('schedules one shock per shock article, 30–90 s after publication, |jump| 1.5–4 %, in the story direction', () => {
    const { gen, shocks } = make()
    gen.extendTo(START + 12 * HOUR)
    const truth = gen.groundTruth().filter((e) => e.kind === 'shock')
    expect(truth.length).toBeGreaterThan(10)
    expect(shocks).toEqual(truth.map((e) => e.shock))
    for (const e of truth) {
      const s = e.shock!
      expect(s.at - e.published).toBeGreaterThanOrEqual(30_000)
      expect(s.at - e.published).toBeLessThanOrEqual(90_000)
      expect(Math.abs(s.jumpPct)).toBeGreaterThanOrEqual(0.015)
      expect(Math.abs(s.jumpPct)).toBeLessThanOrEqual(0.04)
      const story = STORIES.find((st) =>
        st.variants.some((v) => v.replaceAll('{name}', e.title.match(/Apple|Tesla|Nvidia/)![0]) === e.title),
      )!
      expect(Math.sign(s.jumpPct)).toBe(story.dir)
      expect(e.title).toContain({ AAPL: 'Apple', TSLA: 'Tesla', NVDA: 'Nvidia' }[s.symbol]!)
    }
    for (const e of gen.groundTruth().filter((x) => x.kind !== 'shock')) expect(e.shock).toBeNull()
  })

  it('never schedules shocks before liveFrom (backfill)', () => {
    const { gen, shocks } = make({ liveFrom: START + 6 * HOUR })
    gen.extendTo(START + 12 * HOUR)
    expect(shocks.length).toBeGreaterThan(0)
    for (const s of shocks) expect(s.at).toBeGreaterThan(START + 6 * HOUR)
    const early = gen.groundTruth().filter((e) => e.published < START + 6 * HOUR)
    expect(early.length).toBeGreaterThan(0)
    expect(early.some((e) => e.kind === 'shock')).toBe(false)
  })

  it('keeps a live blog id while its publication date and lastModified move on', () => {
    const { gen } = make()
    gen.extendTo(START + 24 * HOUR)
    const blogs = gen.all().filter((i) => i.type === 'liveblog')
    expect(blogs.length).toBe(1) // one per weekday
    const blog = blogs[0]!
    expect(blog.id).toMatch(/^business\/live\/2026\/nov\/23\//)
    expect(blog.revisions.length).toBeGreaterThan(10)
    for (let i = 1; i < blog.revisions.length; i++) {
      expect(blog.revisions[i]!.at).toBeGreaterThan(blog.revisions[i - 1]!.at)
      expect(blog.revisions[i]!.lastModified).toBeGreaterThan(blog.revisions[i - 1]!.lastModified)
    }
    const revs = gen.groundTruth().filter((e) => e.kind === 'liveblog')
    expect(new Set(revs.map((e) => e.articleId))).toEqual(new Set([blog.id]))
    expect(revs.map((e) => e.revision)).toEqual(blog.revisions.map((_, i) => i))
  })

  it('has no live blog at weekends', () => {
    const sat = Date.UTC(2026, 10, 28, 0, 0)
    const { gen } = make({ start: sat, liveFrom: sat })
    gen.extendTo(sat + 48 * HOUR)
    expect(gen.all().filter((i) => i.type === 'liveblog')).toEqual([])
  })

  it('recycles an earlier story of the same company in new, largely shared words', () => {
    const { gen } = make()
    gen.extendTo(START + 24 * HOUR)
    const truth = gen.groundTruth()
    const recycled = truth.filter((e) => e.kind === 'recycled')
    expect(recycled.length).toBeGreaterThan(5)
    for (const r of recycled) {
      const orig = truth.find((e) => e.articleId === r.recycledOf)!
      expect(orig.published).toBeLessThan(r.published)
      expect(orig.symbol).toBe(r.symbol)
      expect(r.title).not.toBe(orig.title)
      expect(jaccard(r.title, orig.title)).toBeGreaterThanOrEqual(0.6)
    }
  })

  it('writes every story variant within 60 % Jaccard of the original wording', () => {
    for (const s of STORIES) {
      for (const v of s.variants.slice(1)) {
        expect(
          jaccard(v.replaceAll('{name}', 'Apple'), s.variants[0]!.replaceAll('{name}', 'Apple')),
          v,
        ).toBeGreaterThanOrEqual(0.6)
      }
    }
  })

  it('gives unique ids and mentions no watchlist company in "other" stories', () => {
    const { gen } = make()
    gen.extendTo(START + 48 * HOUR)
    const ids = gen.all().map((i) => i.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const e of gen.groundTruth().filter((x) => x.kind === 'other'))
      expect(e.title).not.toMatch(/Apple|Tesla|Nvidia/)
  })

  it('writes about a changed watchlist from then on', () => {
    const { gen } = make({ liveBlogs: false })
    gen.extendTo(START + 2 * HOUR)
    gen.setCompanies([{ symbol: 'AMD', name: 'AMD' }])
    gen.extendTo(START + 6 * HOUR)
    const later = gen
      .groundTruth()
      .filter((e) => e.published > START + 2 * HOUR && (e.kind === 'shock' || e.kind === 'null'))
    expect(later.length).toBeGreaterThan(5)
    for (const e of later) expect([e.symbol, e.title.includes('AMD')]).toEqual(['AMD', true])
  })

  it('follows the configured mix', () => {
    const { gen } = make({ mix: { shock: 1, null: 0, recycled: 0, other: 0 }, liveBlogs: false })
    gen.extendTo(START + 6 * HOUR)
    expect(new Set(gen.groundTruth().map((e) => e.kind))).toEqual(new Set(['shock']))
  })

  it('with shockSpacingMs keeps a company\'s shocks apart and its null stories clear of its shocks', () => {
    const spacing = 35 * 60_000
    const { gen, shocks } = make({ shockSpacingMs: spacing, articlesPerHour: 60, liveBlogs: false })
    gen.extendTo(START + 12 * HOUR)
    const truth = gen.groundTruth()
    expect(shocks).toEqual(truth.filter((e) => e.kind === 'shock').map((e) => e.shock))
    expect(shocks.length).toBeGreaterThan(30)
    for (const sym of ['AAPL', 'TSLA', 'NVDA']) {
      const mine = truth.filter((e) => e.kind === 'shock' && e.symbol === sym)
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.published - mine[i - 1]!.published).toBeGreaterThanOrEqual(spacing)
      // No shock of the company lands inside a null story's [t0, t0 + 5 min] (a move there would be the null's).
      for (const n of truth.filter((e) => e.kind === 'null' && e.symbol === sym)) {
        for (const s of mine.map((e) => e.shock!)) {
          expect(s.at + (s.overMs ?? 0) < n.published || s.at > n.published + 5 * 60_000).toBe(true)
        }
      }
    }
    // Without the option (the default of the class) shocks of one company may bunch together.
    const free = make({ articlesPerHour: 60, liveBlogs: false })
    free.gen.extendTo(START + 12 * HOUR)
    const gaps = ['AAPL', 'TSLA', 'NVDA'].flatMap((sym) => {
      const mine = free.gen.groundTruth().filter((e) => e.kind === 'shock' && e.symbol === sym)
      return mine.slice(1).map((e, i) => e.published - mine[i]!.published)
    })
    expect(Math.min(...gaps)).toBeLessThan(spacing)
  })

  it('scales a shock by the name\'s volatility when volatilityOf is given', () => {
    const vol: Record<string, number> = { AAPL: 0.28, TSLA: 0.6, NVDA: 0.45 }
    const { gen, shocks } = make({ volatilityOf: (s) => vol[s]!, articlesPerHour: 30 })
    gen.extendTo(START + 24 * HOUR)
    expect(shocks.length).toBeGreaterThan(20)
    for (const s of shocks) {
      const k = Math.max(1, vol[s.symbol]! / 0.3)
      expect(Math.abs(s.jumpPct)).toBeGreaterThanOrEqual(0.015 * k - 1e-12)
      expect(Math.abs(s.jumpPct)).toBeLessThanOrEqual(0.04 * k + 1e-12)
    }
    expect(shocks.some((s) => s.symbol === 'TSLA' && Math.abs(s.jumpPct) > 0.04)).toBe(true)
  })
})
