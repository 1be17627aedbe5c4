import { afterEach, describe, expect, it } from 'vitest'
import { ArticleGenerator, type GeneratorOptions } from './guardian/generator'
import { mountGuardian, type GuardianSim } from './guardian/index'
import { startGuardianServer, type StandaloneGuardian } from './guardian/server'
import { createSimulator, type Simulator } from './index'
import { sessionOf } from './intraday'
import type { MacroMove, Shock } from './types'

const START = Date.UTC(2026, 10, 18, 15, 0, 0) // Wednesday 10:00 ET
const HOUR = 3_600_000

let sim: Simulator | null = null
let guardian: GuardianSim | null = null
let server: StandaloneGuardian | null = null
afterEach(async () => {
  guardian?.close()
  guardian = null
  await server?.close()
  server = null
  await sim?.close()
  sim = null
})

function generator(over: Partial<GeneratorOptions> = {}): { gen: ArticleGenerator; shocks: Shock[]; macros: MacroMove[] } {
  const shocks: Shock[] = []
  const macros: MacroMove[] = []
  const gen = new ArticleGenerator({
    seed: 5,
    start: START,
    liveFrom: START,
    companies: ['AAPL', 'MSFT', 'NVDA', 'KO', 'JPM'].map((symbol) => ({ symbol, name: symbol })),
    articlesPerHour: 30,
    mix: { shock: 0.4, null: 0.2, recycled: 0.1, other: 0.1, macro: 0.2 },
    liveBlogs: false,
    shockDelayMs: [0, 0],
    shockPct: [0.015, 0.04],
    shockSpacingMs: 50 * 60_000,
    onShock: (s) => shocks.push(s),
    onMacro: (m) => macros.push(m),
    apiBase: 'http://x/guardian',
    ...over,
  })
  gen.extendTo(START + 24 * HOUR)
  return { gen, shocks, macros }
}

const waitFor = async (cond: () => boolean, what: string): Promise<void> => {
  const end = Date.now() + 30_000
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('news on the tape', () => {
  it('starts every shock at its headline publication (whole seconds) and macro stories move the market', () => {
    const { gen, shocks, macros } = generator()
    const truth = gen.groundTruth()
    const shockStories = truth.filter((e) => e.kind === 'shock')
    expect(shockStories.length).toBeGreaterThan(20)
    for (const e of shockStories) {
      expect(e.shock!.at).toBe(e.published)
      expect(e.shock!.at % 1000).toBe(0)
      expect(e.shock!.articleId).toBe(e.articleId)
      expect(e.shock!.shape).toBe('news')
    }
    expect(shocks).toEqual(shockStories.map((e) => e.shock))
    const macroStories = truth.filter((e) => e.kind === 'macro' && e.macro)
    expect(macroStories.length).toBeGreaterThan(5)
    expect(macros).toEqual(macroStories.map((e) => e.macro))
    for (const e of macroStories) expect([e.symbol, e.macro!.at, e.macro!.articleId]).toEqual([null, e.published, e.articleId])
    // Macro moves keep an hour apart; a macro story inside that hour is told without a move.
    for (let i = 1; i < macros.length; i++) expect(macros[i]!.at - macros[i - 1]!.at).toBeGreaterThanOrEqual(HOUR)
  })

  it.each([
    ['none', 0, 0],
    ['macro-only', 0, 1],
  ] as const)('schedules sessions in mode %s: company shocks only when allowed', (mode, wantShocks, wantMacros) => {
    const { gen, shocks, macros } = generator({ shockMode: () => mode })
    expect(shocks.length).toBe(wantShocks)
    expect(Math.min(macros.length, 1)).toBe(wantMacros)
    // The stream goes on: company stories are still told (as stories that move nothing).
    expect(gen.groundTruth().filter((e) => e.symbol !== null).length).toBeGreaterThan(50)
    expect(gen.groundTruth().filter((e) => e.kind === 'shock')).toEqual([])
  })

  it('schedules modes per session, deterministically by seed', () => {
    const quietRegular = (t: number): 'none' | 'all' => (sessionOf(t) === 'regular' ? 'none' : 'all')
    const a = generator({ shockMode: quietRegular })
    const b = generator({ shockMode: quietRegular })
    expect(b.shocks).toEqual(a.shocks)
    expect(a.shocks.length).toBeGreaterThan(5)
    for (const s of a.shocks) expect(sessionOf(s.at)).not.toBe('regular')
    for (const m of a.macros) expect(sessionOf(m.at)).not.toBe('regular')
  })

  it('serves a shock headline whose webPublicationDate is the shock start', async () => {
    const clock = { t: START }
    const shocks: Shock[] = []
    server = await startGuardianServer({ seed: 3, now: () => clock.t, scheduleShock: (s) => shocks.push(s), quota: null, articlesPerHour: 60 })
    expect(shocks.length).toBeGreaterThan(0)
    const s = shocks[0]!
    clock.t = s.at
    const res = await fetch(`${server.base}/${s.articleId}?api-key=demo`)
    const body = (await res.json()) as { response: { content: { webPublicationDate: string } } }
    expect(body.response.content.webPublicationDate).toBe(new Date(s.at).toISOString().replace('.000Z', 'Z'))
  })
})

describe('simulator ground truth', () => {
  it('lists every shock and macro move with its article, shape and session, the same for the same seed', async () => {
    const truths: string[] = []
    for (let i = 0; i < 2; i++) {
      sim = await createSimulator({ seed: 8, clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 0 })
      guardian = mountGuardian(sim, { seed: 8, articlesPerHour: 40, lookaheadMs: 3 * HOUR, mix: { macro: 0.2 } })
      const stories = guardian.groundTruth({ includeFuture: true })
      const list = sim.groundTruthShocks()
      const byArticle = new Map(list.map((t) => [t.articleId, t]))
      const shocks = stories.filter((e) => e.kind === 'shock')
      const macros = stories.filter((e) => e.kind === 'macro' && e.macro)
      expect(shocks.length).toBeGreaterThan(3)
      expect(macros.length).toBeGreaterThan(0)
      expect(list.length).toBe(shocks.length + macros.length)
      for (const e of [...shocks, ...macros]) {
        const t = byArticle.get(e.articleId)!
        expect(t.symbol).toBe(e.symbol)
        expect(t.start).toBe(e.published)
        expect(t.session).toBe(sessionOf(t.start))
        expect(t.from).toBeLessThanOrEqual(t.start)
        expect(t.end).toBeGreaterThanOrEqual(t.landed)
        expect(t.direction).toBe(t.size > 0 ? 'up' : 'down')
        expect(Math.sign((e.shock ?? e.macro)!.jumpPct)).toBe(Math.sign(t.size))
      }
      truths.push(JSON.stringify(list))
      guardian.close()
      guardian = null
      await sim.close()
      sim = null
    }
    expect(truths[1]).toBe(truths[0])
  })

  it('has no shocks in sessions scheduled without them', async () => {
    sim = await createSimulator({ seed: 8, clock: { kind: 'accelerated', factor: 1, start: START }, historyMs: 0 })
    guardian = mountGuardian(sim, { seed: 8, articlesPerHour: 40, lookaheadMs: 6 * HOUR, shocks: 'none', mix: { macro: 0.2 } })
    expect(guardian.groundTruth({ includeFuture: true }).filter((e) => e.symbol !== null).length).toBeGreaterThan(20)
    expect(sim.groundTruthShocks()).toEqual([])
  })

  it('moves SPY and the other names by their betas on a macro move', async () => {
    sim = await createSimulator({ seed: 4, clock: { kind: 'accelerated', factor: 600, start: START }, historyMs: 0, intensity: 0.5 })
    const s = sim
    for (const sym of ['SPY', 'NVDA']) s.groundTruthTrades(sym)
    s.scheduleMacro({ at: s.now() + 120_000, jumpPct: -0.03, articleId: 'macro-1' })
    const [truth] = s.groundTruthShocks()
    expect(truth).toMatchObject({ symbol: null, articleId: 'macro-1', direction: 'down', halted: null })
    await waitFor(() => s.now() > truth!.end + 60_000, 'the move to end')
    const mid = (sym: string, a: number, b: number): number => {
      const xs = s.groundTruthTrades(sym).filter((t) => t.ts >= a && t.ts < b).map((t) => t.price).sort((p, q) => p - q)
      return xs[xs.length >> 1]!
    }
    const move = (sym: string): number => Math.log(mid(sym, truth!.end, truth!.end + 60_000) / mid(sym, truth!.from - 60_000, truth!.from))
    // The market's own noise over the move's span (≤ 25 min) is ≈ 0.2 % for SPY; NVDA's own noise ≈ 0.8 %.
    expect(Math.abs(move('SPY') - truth!.size)).toBeLessThan(0.008)
    expect(Math.abs(move('NVDA') - s.betaOf('NVDA') * truth!.size)).toBeLessThan(0.025)
    expect(move('NVDA')).toBeLessThan(move('SPY'))
  })
})
