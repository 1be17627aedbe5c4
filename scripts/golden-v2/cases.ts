// The golden inputs of news impact v2 and move alerts (fixtures/news-impact/v2/, docs/impact-v2.md): one builder
// per case, deterministic (a generator seeded from the case name). scripts/golden-v2/gen.ts runs the reference
// on them; gen.test.ts checks that each case exercises what its description says.
import { CaseBuilder, cents, scale, step, sum, tradingDaysBefore, walk, zero, type Gap, type Path } from './builder'
import type { PrintSource } from '../../src-main/domain/impact'
import { MIN, Reference, type GoldenInput } from './reference'

const S = 'AAPL'
const M = 'SPY'

interface DaySpec {
  from: number
  to: number
  stock?: string
  base?: number
  /** True beta of the generated stock against the proxy (today and on the previous days). */
  beta?: number
  sdM?: number
  sdS?: number
  /** Extra log moves of the stock's own (idiosyncratic) and of the proxy (the stock follows with beta). */
  s?: Path
  m?: Path
  gapS?: Gap
  gapM?: Gap
  conditions?: (t: number) => number[]
  /** Previous days' minute-bar ranges (ET wall clock); default 10:00–10:45 plus the case's own. */
  ranges?: [string, string][]
  prevSdS?: number
  noProxy?: boolean
  noPrevious?: boolean
  volumePerMin?: number
  /** Size multiplier of the stock's prints at t. */
  volume?: (t: number) => number
  /** Print (and cover) only in these spans of [from, to] (default all of it). */
  windows?: [number, number][]
  /** Leave coverage to the case. */
  noCover?: boolean
  /** Source of the generated prints (default live). */
  source?: PrintSource
}

/** A stock and the proxy printing over [from, to] with live coverage, and 5 previous sessions of minute bars. */
function day(b: CaseBuilder, o: DaySpec): { priceS: (t: number) => number; priceM: (t: number) => number } {
  const stock = o.stock ?? S
  const beta = o.beta ?? 1.2
  const baseS = o.base ?? 231.4
  const mPath = sum(walk(b.rng, o.from, o.to, o.sdM ?? 0.0005), o.m ?? zero)
  const sPath = sum(scale(beta, mPath), walk(b.rng, o.from, o.to, o.sdS ?? 0.0007), o.s ?? zero)
  const priceM = (t: number): number => 602.15 * Math.exp(mPath(t))
  const priceS = (t: number): number => baseS * Math.exp(sPath(t))
  if (!o.noPrevious) {
    b.previousDays({
      days: tradingDaysBefore(b.date, 5),
      ranges: o.ranges ?? [['10:00', '10:45']],
      stocks: [{ symbol: stock, base: baseS, beta, sdPerMin: o.prevSdS ?? 0.0007, volumePerMin: o.volumePerMin ?? 5000 }],
    })
  }
  const source = o.source ?? 'live'
  for (const [from, to] of o.windows ?? [[o.from, o.to]]) {
    b.tape({ symbol: stock, from, to, gap: o.gapS ?? [1000, 5000], price: priceS, conditions: o.conditions, volume: o.volume, source })
    if (!o.noCover) b.cover(stock, from, to)
    if (!o.noProxy) {
      b.tape({ symbol: M, from, to, gap: o.gapM ?? [2000, 6000], price: priceM, conditions: o.conditions, source })
      if (!o.noCover) b.cover(M, from, to)
    }
  }
  return { priceS, priceM }
}

/** Dense prints (gaps of 300–1500 ms) in [from, to], the usual 1–5 s elsewhere. */
const denseIn =
  (from: number, to: number): Gap =>
  (t) =>
    t >= from && t <= to ? [300, 1500] : [1000, 5000]

const formT = (b: CaseBuilder): ((t: number) => number[]) => {
  const open = b.et('09:30')
  return (t) => (t < open ? [12] : [])
}

export interface CaseDef {
  name: string
  build: () => GoldenInput
}

export const CASES: CaseDef[] = [
  {
    name: 'premarket-form-t',
    build: () => {
      const b = new CaseBuilder(
        'premarket-form-t',
        'Pre-market headline at 07:15 ET: every print is Form T ([12], eligible); odd-lot Form T prints ([12, 37]) at stray prices are not. A +1.2% jump 15 s after the headline fires the early signal on Form T prints.',
        '2026-12-01',
      )
      const t0 = b.et('07:15')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const { priceS } = day(b, {
        from,
        to,
        s: step(t0 + 15_000, 0.012),
        gapS: [2000, 6000],
        conditions: () => [12],
        ranges: [['07:10', '07:25'], ['10:00', '10:45']],
        volumePerMin: 800,
      })
      // Odd lots at prices far off the tape: never a price, always volume.
      for (let t = from + 7_321; t < to; t += 97_000) {
        b.print({ symbol: S, ts: t, price: cents(priceS(t) * 1.03), size: 7, conditions: [12, 37] })
      }
      b.article('technology/2026/dec/01/apple-supplier-deal-early-trading', t0, 'Apple seals chip supply deal ahead of the open', [S])
      return b.build(to)
    },
  },
  {
    name: 'pre-open-window',
    build: () => {
      const b = new CaseBuilder(
        'pre-open-window',
        'Headline at 09:25 ET: its 5-minute window ends exactly at the 09:30 open (a print at 09:30:00.000 is in it); Form T prints before the open, regular after. A +1.5% jump at 09:29:59.600 (prints at 09:29:59.700 and 09:30:00.000) makes z5 large, but the +5 m run starts less than 1 s before the last print: signal none. Nor is the jump a move alert: no run lasts 1 s before the open, and regular-session windows start at 09:30.',
        '2026-12-02',
      )
      const t0 = b.et('09:25')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const jump = b.et('09:29:59.600')
      const { priceS } = day(b, {
        from,
        to,
        s: step(jump, 0.015),
        gapS: [1500, 5000],
        conditions: formT(b),
        ranges: [['09:20', '09:35'], ['10:00', '10:45']],
        volumePerMin: 2000,
      })
      // Only the two forced prints in (09:29:58, 09:30:00]: the window's price at the open is the last, post-jump.
      const open = b.et('09:30')
      for (const p of [...b.prints]) if (p.symbol === S && p.ts > open - 2000 && p.ts <= open + 300) b.prints.splice(b.prints.indexOf(p), 1)
      b.print({ symbol: S, ts: jump + 100, price: cents(priceS(jump + 100)), size: 300, conditions: [12] })
      b.print({ symbol: S, ts: open, price: cents(priceS(open)), size: 400 })
      b.article('business/2026/dec/02/apple-opening-bell-preview', t0, 'Apple in focus before the opening bell', [S])
      return b.build(to)
    },
  },
  {
    name: 'sigma-floor',
    build: () => {
      const b = new CaseBuilder(
        'sigma-floor',
        'A calm morning after a volatile session: the realised sigma (30 min of small moves) is far below the previous regular session floor, so sigma = sigmaFloor.',
        '2026-12-03',
      )
      const t0 = b.et('11:05')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        sdM: 0.0001,
        sdS: 0.00012,
        prevSdS: 0.002,
        s: step(t0 + 40_000, 0.004),
        ranges: [['10:00', '10:45'], ['11:00', '11:15']],
      })
      b.article('business/2026/dec/03/apple-analyst-note', t0, 'Analyst trims Apple price target', [S])
      return b.build(to)
    },
  },
  {
    name: 'market-wide-move',
    build: () => {
      const b = new CaseBuilder(
        'market-wide-move',
        'The market falls 1% over 90 s after the headline and the stock (beta about 1.1) falls with it: ret5 is large, the abnormal move small, no signal and no move alert. The headline is tagged SPY too: its record is raw (beta 1, adjusted false) and signals down; the proxy has no move alerts.',
        '2026-12-04',
      )
      const t0 = b.et('14:30')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        beta: 1.1,
        m: step(t0 + 30_000, -0.01, 90_000),
        ranges: [['10:00', '11:00'], ['14:20', '14:50']],
      })
      // Tagged with the proxy too: its own record is raw (beta 1, adjusted false) and it never has move alerts.
      b.article('business/2026/dec/04/fed-minutes-stocks-slide', t0, 'Stocks slide as Fed minutes point to higher rates for longer', [S, M])
      return b.build(to)
    },
  },
  { name: 'early-jump', build: () => earlyJump(16 * MIN) },
  { name: 'early-jump-partial', build: () => earlyJump(3 * MIN) },
  {
    name: 'early-reversal',
    build: () => {
      const b = new CaseBuilder(
        'early-reversal',
        'A -1.5% drop 5 s after the headline fires the early signal down; the price recovers fully 100 s later, so at +5 m the rule no longer holds: confirmed false. Move alerts: down, then up within the silence (direction flip).',
        '2026-11-24',
      )
      const t0 = b.et('15:10')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, {
        from,
        to,
        s: sum(step(t0 + 5_000, -0.015), step(t0 + 100_000, 0.015)),
        gapS: (t) => (t >= t0 && t <= t0 + 130_000 ? [400, 2000] : [1000, 5000]),
        ranges: [['10:00', '10:45'], ['15:00', '15:20']],
      })
      b.article('business/2026/nov/24/apple-recall-report-denied', t0, 'Report of Apple recall; company denies it', [S])
      return b.build(to)
    },
  },
  {
    name: 'post-market',
    build: () => {
      const b = new CaseBuilder(
        'post-market',
        'Headline at 16:10 ET in the post-market session (Form T prints after 16:00): realised sigma has exactly the 10 intervals since 16:00; the floor and beta ignore the day\'s own regular-session bars (present in the file) and use the previous session. A jump in the last second of the regular session is no move alert (no run can last 1 s before 16:00, and post-market windows start at 16:00); a +1.2% jump 20 s after the headline fires the signal.',
        '2026-12-10',
      )
      const t0 = b.et('16:10')
      const from = b.et('15:36')
      const to = t0 + 16 * MIN
      const close = b.et('16:00')
      day(b, {
        from,
        to,
        s: sum(step(b.et('15:59:59.200'), 0.008), step(t0 + 20_000, 0.012)),
        conditions: (t) => (t < close ? [] : [12]),
        ranges: [['10:00', '10:45'], ['16:05', '16:20']],
        volumePerMin: 1500,
      })
      // Today's regular session, far more volatile: not a previous session, so neither floor nor beta reads it.
      b.previousDays({ days: [b.date], ranges: [['10:00', '10:45']], stocks: [{ symbol: S, base: 231.4, beta: -0.5, sdPerMin: 0.006, volumePerMin: 5000 }] })
      b.article('technology/2026/dec/10/apple-after-hours-guidance', t0, 'Apple raises guidance after the bell', [S])
      return b.build(to)
    },
  },
  { name: 'volume-rule', build: () => volumeRule(null) },
  {
    name: 'halt',
    build: () => {
      const b = new CaseBuilder(
        'halt',
        'Trading halts at the headline: no print of the stock for 20 minutes while the socket keeps delivering (coverage continues, SPY prints). quiet1/5/15 are true, every number after t0 null, signal none. The reopening 3% higher is no move alert (quiet-spell end).',
        '2026-11-20',
      )
      const t0 = b.et('11:40')
      const from = t0 - 32 * MIN
      const reopen = t0 + 20 * MIN
      const to = t0 + 25 * MIN
      day(b, { from, to, s: step(reopen, 0.03), windows: [[from, t0 - 1500], [reopen, to]], noCover: true })
      b.tape({ symbol: M, from: t0 - 1500, to: reopen, gap: [2000, 6000], price: () => 602.4 })
      b.cover(S, from, to)
      b.cover(M, from, to)
      b.article('business/2026/nov/20/apple-shares-halted-pending-news', t0, 'Apple shares halted pending news', [S])
      return b.build(to)
    },
  },
  {
    name: 'halt-history-then-live',
    build: () => {
      const b = new CaseBuilder(
        'halt-history-then-live',
        'A halt seen by an app started 2 minutes after the headline: /v3/trades history up to 10:47:00.000, the socket from 10:47:00.001. Coverage is the union (spans 1 ms apart join), so [t0 − 30 min, t0 + k] is covered and quiet1/5/15 are true.',
        '2026-12-11',
      )
      const t0 = b.et('10:45')
      const from = t0 - 35 * MIN
      const started = t0 + 2 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, windows: [[from, t0 - 1500]], noCover: true, source: 'trades', noProxy: true })
      b.tape({ symbol: M, from, to, gap: [2000, 6000], price: () => 601.9 })
      for (const p of b.prints) if (p.symbol === M && p.ts > started) p.source = 'live'
      for (const sym of [S, M]) {
        b.cover(sym, from, started, 'trades')
        b.cover(sym, started + 1, to, 'live')
      }
      b.article('business/2026/dec/11/apple-trading-halted', t0, 'Trading in Apple shares halted', [S], 2 * MIN + 30_000)
      return b.build(to)
    },
  },
  { name: 'history-trades', build: () => historyCase('trades') },
  { name: 'history-seconds', build: () => historyCase('seconds') },
  {
    name: 'stale-24h-boundary',
    build: () => {
      const b = new CaseBuilder(
        'stale-24h-boundary',
        'Stale window edges: a similar headline exactly 24 h before counts (stale), one 24 h + 1 ms before does not; a similar one published after t0 does not either.',
        '2026-11-18',
      )
      const t1 = b.et('10:00')
      const t2 = b.et('14:00')
      day(b, {
        from: t1 - 31 * MIN,
        to: t2 + 16 * MIN,
        windows: [[t1 - 31 * MIN, t1 + 16 * MIN], [t2 - 31 * MIN, t2 + 16 * MIN]],
        gapS: [2500, 7000],
        gapM: [3000, 9000],
      })
      b.article('business/2026/nov/17/apple-faces-eu-fine', t1 - 24 * 60 * MIN, 'Apple faces EU fine over App Store rules', [S])
      b.article('business/2026/nov/17/apple-supplier-strike', t2 - 24 * 60 * MIN - 1, 'Apple supplier strike halts iPhone assembly', [S])
      b.article('business/2026/nov/17/apple-new-campus', t2 - 20 * 60 * MIN, 'Apple opens new campus in Austin', [S])
      b.article('business/2026/nov/18/eu-fines-apple', t1, 'EU fines Apple over App Store rules', [S])
      b.article('business/2026/nov/18/apple-supplier-strike-lines', t2, 'Apple supplier strike halts iPhone assembly lines', [S])
      b.article('business/2026/nov/18/apple-supplier-strike-update', t2 + 5 * MIN, 'Update: Apple supplier strike halts iPhone assembly lines', [S])
      return b.build(t2 + 16 * MIN)
    },
  },
  {
    name: 'stale-11th-headline',
    build: () => {
      const b = new CaseBuilder(
        'stale-11th-headline',
        'Only the 10 most recent earlier headlines are candidates: for AAPL the similar one is 11th (it shares its time with the 10th and is listed earlier, so ties put it 11th): not stale. For MSFT the similar one is 10th: stale.',
        '2026-11-17',
      )
      const t0 = b.et('12:00')
      day(b, { from: t0 - 32 * MIN, to: t0 + 16 * MIN })
      const topics = ['services revenue', 'Vision Pro sales', 'India factory', 'Siri overhaul', 'chip design team', 'App Store fees', 'Apple Pay Later', 'watch ban appeal', 'Mac shipments', 'China market share']
      const similar = 'Apple to buy back record amount of shares'
      // AAPL: nine dissimilar headlines, then two at the same time: the similar one listed first (so it is 11th).
      topics.slice(0, 9).forEach((topic, i) => {
        b.article(`business/2026/nov/17/apple-${i}`, t0 - (i + 1) * 60 * MIN, `Apple news on ${topic}`, [S])
      })
      b.article('business/2026/nov/16/apple-buyback-earlier', t0 - 10 * 60 * MIN, similar, [S])
      b.article('business/2026/nov/16/apple-china-share', t0 - 10 * 60 * MIN, `Apple news on ${topics[9] ?? ''}`, [S])
      // MSFT: nine dissimilar, the 10th similar.
      topics.slice(0, 9).forEach((topic, i) => {
        b.article(`business/2026/nov/17/microsoft-${i}`, t0 - (i + 1) * 50 * MIN, `Microsoft news on ${topic}`, ['MSFT'])
      })
      b.article('business/2026/nov/16/microsoft-buyback-earlier', t0 - 10 * 50 * MIN, 'Microsoft to buy back record amount of shares', ['MSFT'])
      b.article('business/2026/nov/17/apple-buyback', t0, 'Apple to buy back a record amount of its shares', [S])
      b.article('business/2026/nov/17/microsoft-buyback', t0, 'Microsoft to buy back a record amount of its shares', ['MSFT'])
      return b.build(t0 + 16 * MIN)
    },
  },
  {
    name: 'equal-timestamps',
    build: () => {
      const b = new CaseBuilder(
        'equal-timestamps',
        'Prints sharing a millisecond are ordered by seq, not by their place in the file: at t0 two prints share the ms (listed highest seq first), p0 is the higher seq one; at t0 + 1 min three share the ms (median).',
        '2026-11-16',
      )
      const t0 = b.et('10:30')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const quietAround = (t: number): boolean => Math.abs(t - t0) < 2500 || Math.abs(t - t0 - MIN) < 2500
      const { priceS } = day(b, { from, to, gapS: (t) => (quietAround(t) ? [5000, 5000] : [1000, 5000]) })
      // Drop generated prints too close to the two instants, then place the equal-time prints.
      for (const p of [...b.prints]) if (p.symbol === S && quietAround(p.ts)) b.prints.splice(b.prints.indexOf(p), 1)
      const p0 = cents(priceS(t0))
      const low = b.nextSeq(S)
      const high = b.nextSeq(S)
      b.print({ symbol: S, ts: t0, price: cents(p0 + 0.09), size: 100, seq: high })
      b.print({ symbol: S, ts: t0, price: p0, size: 300, seq: low })
      const t1 = t0 + MIN
      const p1 = cents(priceS(t1))
      const seqs = [b.nextSeq(S), b.nextSeq(S), b.nextSeq(S)]
      b.print({ symbol: S, ts: t1, price: cents(p1 + 0.05), size: 200, seq: seqs[2] })
      b.print({ symbol: S, ts: t1, price: cents(p1 - 0.04), size: 100, seq: seqs[0] })
      b.print({ symbol: S, ts: t1, price: p1, size: 100, seq: seqs[1] })
      b.article('technology/2026/nov/16/apple-ai-partnership', t0, 'Apple announces AI partnership', [S])
      return b.build(to)
    },
  },
  {
    name: 'invalid-prints',
    build: () => {
      const b = new CaseBuilder(
        'invalid-prints',
        'Zero-size, zero-price and negative prints at far-off prices around t0, t0 + 1/5/15 min and in the sigma window are ignored, also as de-duplication keys (some carry the seq of a real print listed after them).',
        '2026-11-13',
      )
      const t0 = b.et('14:05')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, s: step(t0 + 20_000, 0.008) })
      const real = b.prints.filter((p) => p.symbol === S)
      const bad: [number, number][] = [
        [0, 100],
        [-231.5, 100],
        [312.5, 0],
        [312.5, -200],
        [0, 0],
      ]
      const at = [t0 - 20 * MIN, t0 - 1000, t0, t0 + 500, t0 + MIN, t0 + 3 * MIN, t0 + 5 * MIN, t0 + 15 * MIN]
      at.forEach((t, i) => {
        const [price, size] = bad[i % bad.length] as [number, number]
        b.print({ symbol: i % 3 === 2 ? M : S, ts: t, price, size })
      })
      // Bad copies of real prints' seq, listed before them: they must not make the real ones duplicates.
      for (const p of real.filter((_, i) => i % 97 === 5)) {
        b.prints.splice(b.prints.indexOf(p), 0, { ...p, price: 0, size: 100 })
      }
      b.article('business/2026/nov/13/apple-ceo-interview', t0, 'Apple chief executive says demand is strong', [S])
      return b.build(to)
    },
  },
  {
    name: 'nfkc-words',
    build: () => {
      const b = new CaseBuilder(
        'nfkc-words',
        'Stale by words after NFKC: full-width letters and digits, the ligature fi and a combining accent read as their plain forms; CJK words are letters too.',
        '2026-11-12',
      )
      const t0 = b.et('11:30')
      day(b, { from: t0 - 32 * MIN, to: t0 + 16 * MIN })
      b.article('business/2026/nov/12/apple-finance-chief-cafe', t0 - 3 * 60 * MIN, 'Apple finance chief resigns after café row in 2026', [S])
      b.article('business/2026/nov/12/apple-stock-tokyo', t0 - 60 * MIN, 'Apple 株価 急落', [S])
      b.article('business/2026/nov/12/apple-finance-chief-fullwidth', t0, 'ＡＰＰＬＥ ﬁnance chief resigns after cafe\u0301 row in ２０２６', [S])
      b.article('business/2026/nov/12/apple-stock-tokyo-again', t0 + 2 * MIN, 'ＡＰＰＬＥ：株価、急落', [S])
      return b.build(t0 + 16 * MIN)
    },
  },
  {
    name: 'move-then-headline',
    build: () => {
      const b = new CaseBuilder(
        'move-then-headline',
        'A move alert with no headline yet; a headline published 2 minutes later links to it both ways (move.headlines, impact.move). One published 3 min 30 s after the move does not. A third, 3 minutes before asOf, has ret1 but nothing from +5 m on (signal, confirmed, rvol5, quiet5 null).',
        '2026-11-10',
      )
      const jump = b.et('11:20:10')
      const from = jump - 32 * MIN
      const to = jump + 20 * MIN
      day(b, { from, to, s: step(jump, -0.014), gapS: denseIn(jump - 5_000, jump + 30_000) })
      b.article('business/2026/nov/10/apple-antitrust-ruling', jump + 2 * MIN, 'Judge rules against Apple in antitrust case', [S])
      b.article('business/2026/nov/10/apple-antitrust-reaction', jump + 3.5 * MIN, 'Apple to appeal antitrust ruling', [S])
      // Less than 5 minutes old at asOf: ret1 known, everything from +5 m on still null.
      b.article('business/2026/nov/10/apple-antitrust-analysis', to - 3 * MIN, 'What the antitrust ruling means for Apple', [S], 20_000)
      return b.build(to)
    },
  },
  {
    name: 'stray-print',
    build: () => {
      const b = new CaseBuilder(
        'stray-print',
        'A single stray print 2% above the tape, 500 ms before the next regular print (prints 2.1–5 s apart, so it is the price at its own instant): the move rule and the early-signal rule hold at that one print only, and neither fires.',
        '2026-11-09',
      )
      const t0 = b.et('11:01:40')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const { priceS } = day(b, { from, to, gapS: [2100, 5000] })
      // 500 ms before a regular print: the stray is the price only for those 500 ms (less than a run needs).
      const next = b.prints.find((p) => p.symbol === S && p.ts > t0 + 50_000) as { ts: number }
      const stray = next.ts - 500
      b.print({ symbol: S, ts: stray, price: cents(priceS(stray) * 1.02), size: 100 })
      b.article('business/2026/nov/09/apple-dividend', t0, 'Apple keeps dividend unchanged', [S])
      return b.build(to)
    },
  },
  {
    name: 'move-direction-flip',
    build: () => {
      const b = new CaseBuilder(
        'move-direction-flip',
        'Moves with no headline: up (emitted), up again 90 s later (swallowed by the silence), down 90 s after that (direction flip: emitted, silence restarts), down again (swallowed).',
        '2026-11-06',
      )
      const j1 = b.et('10:15')
      const from = j1 - 32 * MIN
      const to = j1 + 10 * MIN
      day(b, {
        from,
        to,
        s: sum(step(j1, 0.012), step(j1 + 90_000, 0.015), step(j1 + 180_000, -0.03), step(j1 + 300_000, -0.035)),
        gapS: [700, 3000],
      })
      return b.build(to)
    },
  },
  {
    name: 'duplicate-prints',
    build: () => {
      const b = new CaseBuilder(
        'duplicate-prints',
        'One print in six delivered twice (same seq, as Kafka at-least-once does), the copies listed later in the file: nothing changes, volume included.',
        '2026-11-05',
      )
      const t0 = b.et('10:05')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, s: step(t0 + 8_000, 0.011), gapS: denseIn(t0, t0 + 30_000) })
      const copies = b.prints.filter((_, i) => i % 6 === 3).map((p) => ({ ...p }))
      // Copies interleaved further down the list (a redelivery comes later).
      copies.forEach((c, i) => b.prints.splice(Math.min(b.prints.length, b.prints.indexOf(b.prints.find((p) => p.seq === c.seq && p.symbol === c.symbol) as never) + 40 + (i % 7)), 0, c))
      b.article('technology/2026/nov/05/apple-foldable-iphone', t0, 'Apple confirms foldable iPhone for 2027', [S])
      return b.build(to)
    },
  },
  {
    name: 'live-wins',
    build: () => {
      const b = new CaseBuilder(
        'live-wins',
        'REST /v3/trades history overlaps the live stream by 3 minutes and disagrees there (other seqs, prices 0.8% higher): history at or after the first live print is dropped, so no signal fires; kept, it would.',
        '2026-11-04',
      )
      const t0 = b.et('10:40')
      const liveFrom = t0 + MIN
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const { priceS, priceM } = day(b, { from, to, noCover: true })
      for (const p of b.prints) if (p.ts < liveFrom) p.source = 'trades'
      for (const p of [...b.prints]) if (p.source === 'live' && p.ts < liveFrom + 700) b.prints.splice(b.prints.indexOf(p), 1)
      b.tape({ symbol: S, from: liveFrom, to: liveFrom + 3 * MIN, gap: [1000, 3000], price: (t) => priceS(t) * 1.008, source: 'trades' })
      b.tape({ symbol: M, from: liveFrom, to: liveFrom + 3 * MIN, gap: [2000, 5000], price: priceM, source: 'trades' })
      for (const sym of [S, M]) {
        b.cover(sym, from, liveFrom + 3 * MIN, 'trades')
        b.cover(sym, liveFrom, to, 'live')
      }
      b.article('business/2026/nov/04/apple-services-growth', t0, 'Apple services growth beats forecasts', [S], 60_000)
      return b.build(to)
    },
  },
  {
    name: 'coverage-gap',
    build: () => {
      const b = new CaseBuilder(
        'coverage-gap',
        'The socket was down from 12:35 to 12:56: only 9 of the 30 one-minute intervals before t0 are covered, so sigmaRealised is absent and sigma is the floor; quiet and the hour basis need coverage too.',
        '2026-11-03',
      )
      const t0 = b.et('13:00')
      const from = t0 - 40 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, windows: [[from, b.et('12:35')], [b.et('12:56'), to]], ranges: [['10:00', '10:45'], ['12:55', '13:10']], s: step(t0 + 30_000, 0.006) })
      b.article('business/2026/nov/03/apple-card-partner', t0, 'Apple picks new partner for its credit card', [S])
      return b.build(to)
    },
  },
  {
    name: 'no-proxy',
    build: () => {
      const b = new CaseBuilder(
        'no-proxy',
        'No SPY data at all (no prints, no minute bars): beta 1, every move raw, adjusted false on the record and on the move alert.',
        '2026-11-02',
      )
      const t0 = b.et('10:10')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, noProxy: true, s: step(t0 + 4_000, 0.012), gapS: denseIn(t0, t0 + 20_000) })
      for (const bar of [...b.minuteBars]) if (bar.symbol === M) b.minuteBars.splice(b.minuteBars.indexOf(bar), 1)
      b.article('technology/2026/nov/02/apple-vision-pro-price-cut', t0, 'Apple cuts Vision Pro price', [S])
      return b.build(to)
    },
  },
  {
    name: 'beta-shrinkage',
    build: () => {
      const b = new CaseBuilder(
        'beta-shrinkage',
        'Beta from 5 short previous sessions (11 returns each) of a noisy high-beta stock: se is large, so beta lies clearly between 1 and the OLS estimate. Two older sessions with a negative beta are not used.',
        '2026-11-25',
      )
      const t0 = b.et('10:50')
      const from = t0 - 32 * MIN
      const to = t0 + 16 * MIN
      const days = tradingDaysBefore(b.date, 7)
      b.previousDays({ days: days.slice(0, 5), ranges: [['10:00', '10:12']], stocks: [{ symbol: S, base: 231.4, beta: 1.8, sdPerMin: 0.0012, volumePerMin: 5000 }] })
      b.previousDays({ days: days.slice(5), ranges: [['10:00', '10:30']], stocks: [{ symbol: S, base: 231.4, beta: -1, sdPerMin: 0.0002, volumePerMin: 5000 }] })
      day(b, { from, to, beta: 1.8, noPrevious: true, m: step(t0 + 60_000, 0.004, 30_000) })
      b.article('business/2026/nov/25/apple-holiday-sales-outlook', t0, 'Apple upbeat on holiday sales', [S])
      return b.build(to)
    },
  },
  {
    name: 'rvol-hour-basis',
    build: () => {
      const b = new CaseBuilder(
        'rvol-hour-basis',
        'The previous sessions have minute bars, none in the 14:10 slot: rvol5 falls back to the covered hour before t0 (rvolBasis hour), and heavy volume after the headline makes it large.',
        '2026-12-08',
      )
      const t0 = b.et('14:10')
      const from = t0 - 62 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, gapS: [2000, 6000], gapM: [3000, 8000], volume: (t) => (t >= t0 && t < t0 + 5 * MIN ? 4 : 1), s: step(t0 + 30_000, 0.004) })
      b.article('business/2026/dec/08/apple-block-trade', t0, 'Large block of Apple shares changes hands', [S])
      return b.build(to)
    },
  },
  {
    name: 'rvol-none',
    build: () => {
      const b = new CaseBuilder(
        'rvol-none',
        'No slot history (no bars at 14:10 on previous days) and only 40 minutes covered before t0: rvol5 and rvolBasis are null; the +5 m rule uses z alone.',
        '2026-12-09',
      )
      const t0 = b.et('14:10')
      const from = t0 - 40 * MIN
      const to = t0 + 16 * MIN
      day(b, { from, to, volume: (t) => (t >= t0 && t < t0 + 5 * MIN ? 4 : 1), s: step(t0 + 30_000, 0.004) })
      b.article('business/2026/dec/09/apple-index-rebalance', t0, 'Index rebalance adds to Apple trading', [S])
      return b.build(to)
    },
  },
]

/**
 * |z5| between 2 and 3 with rvol5 ≥ 3: the stock drifts by 2.5 sigma·√5 over 150 s (under the move threshold
 * per minute) on 5× volume. Built twice: sigma at t0 depends on data before t0 only, so the first build
 * measures it and the second sizes the drift (the generator draws the same numbers both times).
 */
function volumeRule(target: number | null): GoldenInput {
  const b = new CaseBuilder(
    'volume-rule',
    'No early signal: a drift of 2.5 sigma·√5 over 150 s on 5x volume. At +5 m |z5| is between 2 and 3 and rvol5 ≥ 3, so the volume rule fires (detectedAt = t0 + 5 min), confirmed.',
    '2026-11-23',
  )
  const t0 = b.et('13:20')
  const from = t0 - 32 * MIN
  const to = t0 + 16 * MIN
  const before = walk(b.rng, from, t0, 0.0007)
  const after = walk(b.rng, t0, to, 0.00008)
  day(b, {
    from,
    to,
    sdS: 0,
    s: sum(before, (t) => (t < t0 ? 0 : after(t)), step(t0 + 60_000, target ?? 0, 150_000)),
    volume: (t) => (t >= t0 && t < t0 + 5 * MIN ? 5 : 1),
    ranges: [['10:00', '10:45'], ['13:15', '13:30']],
  })
  b.article('business/2026/nov/23/apple-buyers-step-in', t0, 'Buyers step in for Apple after supplier update', [S])
  const input = b.build(to)
  if (target !== null) return input
  const sigma = new Reference(input).sigmaParts(S, t0).sigma
  if (sigma === null) throw new Error('volume-rule: no sigma at t0')
  return volumeRule(2.5 * sigma * Math.sqrt(5))
}

/**
 * The app started at 10:31 for a headline of 10:20: history for [09:45, 10:34] from REST (prints overlapping the
 * live stream's first 3 minutes, which live wins over), then the socket. `trades` and `seconds` use the same tape.
 */
function historyCase(kind: 'trades' | 'seconds'): GoldenInput {
  const b = new CaseBuilder(
    `history-${kind}`,
    kind === 'trades'
      ? 'Headline at 10:20, app started 10:31: the window before and after t0 comes from /v3/trades history (source trades, with sequence numbers; its copies of the first live minutes are dropped). The early signal fires in history; alertAt = receivedAt.'
      : 'The same tape as history-trades, with the history as 1-second bars (source seconds: one print per bar at start + 999, weight = trades). The early signal fires in history; alertAt = receivedAt.',
    '2026-11-19',
    'history',
  )
  const t0 = b.et('10:20')
  const liveFrom = b.et('10:31')
  const from = b.et('09:45')
  const to = t0 + 16 * MIN
  day(b, { from, to, s: step(t0 + 20_000, 0.011), gapS: denseIn(t0 + 15_000, t0 + 40_000), noCover: true })
  for (const p of b.prints) if (p.ts < liveFrom) p.source = 'trades'
  // The history fetch ran until 10:34: its prints of 10:31–10:34 are copies of live ones (same seq).
  for (const p of b.prints.filter((q) => q.ts >= liveFrom && q.ts <= liveFrom + 3 * MIN)) b.prints.push({ ...p, source: 'trades' })
  for (const sym of [S, M]) {
    if (kind === 'seconds') b.toSecondBars(sym, from, liveFrom + 3 * MIN)
    b.cover(sym, from, liveFrom + 3 * MIN, kind)
    b.cover(sym, liveFrom, to, 'live')
  }
  b.article('business/2026/nov/19/apple-earnings-date', t0, 'Apple moves earnings date forward', [S], liveFrom + 30_000 - t0)
  return b.build(to)
}

/** The early-jump tape, asOf `after` past the headline (the partial one: fired, not yet confirmed). */
function earlyJump(after: number): GoldenInput {
  const partial = after < 5 * MIN
  const b = new CaseBuilder(
    partial ? 'early-jump-partial' : 'early-jump',
    partial
      ? 'The early-jump tape seen 3 minutes after the headline: the signal has fired (up, detectedAt within 10 s) but +5 m has not come: confirmed, ret5, z5, quiet5, rvol5 null, final false.'
      : 'A +1.5% jump 2.5 s after the headline with dense prints: the early signal fires within 10 s (confirmed at +5 m), and a move alert fires and links the headline.',
    '2026-11-30',
    'early-jump',
  )
  const t0 = b.et('10:42:13')
  const from = t0 - 32 * MIN
  const to = t0 + 16 * MIN
  day(b, {
    from,
    to,
    s: step(t0 + 2_500, 0.015),
    gapS: denseIn(t0 - 5_000, t0 + 40_000),
    ranges: [['10:00', '10:50']],
  })
  b.article('technology/2026/nov/30/apple-wins-patent-case', t0, 'Apple wins appeal in patent case against rival', [S])
  const input = b.build(t0 + after)
  // Prints after asOf are not known yet: the file holds only what had arrived, coverage up to asOf.
  return {
    ...input,
    prints: input.prints.filter((p) => p.ts <= input.asOf),
    coverage: Object.fromEntries(Object.entries(input.coverage).map(([k, spans]) => [k, spans.map((sp) => ({ ...sp, to: Math.min(sp.to, input.asOf) }))])),
  }
}
