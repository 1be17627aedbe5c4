// Scoring of a detection session against the simulator's ground truth (issue #17 §5): pure functions over what
// the pipeline emitted (impact records, move alerts, received articles) and what the simulator says happened
// (shocks, macro moves, articles). The rules, all in data time (epoch ms of the market data):
//
// - Scored span [from, to): shocks that start in it, headlines published in it, move alerts detected in it
//   (for false alerts; recall may use an alert detected after `to`, in the tail).
// - A shock X of symbol S (ground truth `sim.groundTruthShocks()`, symbol not null) is RECALLED when the trader
//   is told in the right direction within 5 minutes of its start: a move alert on S with X's direction and
//   detectedAt in [X.from, X.start + 5 min] (X.from is the leakage start: an alert on the leak is about X), or
//   the impact record of X's headline on S with signal = X's direction and alertAt ≤ X.start + 5 min
//   (alertAt = max(detectedAt, receivedAt): a signal computed before the poller delivered the headline tells
//   nobody). Halted shocks are included and reported apart: a halt's reopening is never a move (docs/impact-v2.md),
//   so they are caught on the way to the Limit Up-Limit Down band, before the pause (src-main/simulator/README.md).
// - MOVE ALERT DELAY of X: detectedAt − X.start of the first alert that recalls it (negative when it fired on
//   the leakage); percentiles over the shocks that have one.
// - FIRST TOLD of X: min(detectedAt of the first move alert on S, either direction, in X's window
//   [X.from, X.end + 5 min]; alertAt of X's headline's up/down signal in X's direction) − X.start, with the
//   receivedAt of the real poller on a 500-calls/day key. A shock never told counts as +∞ in the percentiles
//   (a miss stays a miss).
// - A FALSE MOVE ALERT is one on a scored symbol S with no shock of S's own in [X.from − 5 min, X.end + 5 min]
//   around its detectedAt. Market-wide (macro) moves are not shocks of S: an alert they cause is false (the
//   abnormal return a(u,t) removes β·market). Rate per 20 symbol-hours = false / (symbols × hours of the span) × 20.
// - A FALSE SIGNAL on a null headline (ground truth kind `null`: the story is told, nothing moves) is an up/down
//   signal on its record for the story's company. A single-stock headline DURING A MACRO MOVE is any headline
//   about one company (kind null, recycled or other, no shock) whose [t0, t0 + 5 min] overlaps a macro move's
//   [from, end], its company having no own shock within 5 minutes of that window; up/down on its record = false.
//   Rates over the headlines whose record reached a decided signal (up/down/none); undecided ones are counted apart.
import type { ImpactRecordV2, MoveAlert } from '../../src-main/domain/impact'
import type { GroundTruthEntry } from '../../src-main/simulator/guardian/generator'
import type { ShockTruth } from '../../src-main/simulator/types'
import { sessionOf } from '../../src-main/simulator/intraday'

export const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
/** "Within 5 minutes" of a shock's start. */
export const RECALL_MS = 5 * MINUTE_MS
/** An alert within this of a shock of its own symbol is about that shock. */
export const OWN_SHOCK_MARGIN_MS = 5 * MINUTE_MS

export type SessionName = 'pre' | 'regular' | 'post' | 'none'

/** A move alert as the pipeline emitted it: the latest version and the data time of its first emission. */
export interface ObservedMove {
  alert: MoveAlert
  /** Newest trade ts the pipeline had ingested when the alert first left it. */
  emittedDataAt: number
}

export interface ReceivedArticle {
  receivedAt: number
  tickers: readonly string[]
}

export interface ScoreInput {
  from: number
  to: number
  /** The scored symbols (the watchlist without the market proxy). */
  symbols: readonly string[]
  shocks: readonly ShockTruth[]
  articles: readonly GroundTruthEntry[]
  received: ReadonlyMap<string, ReceivedArticle>
  /** The latest impact record per (article, symbol). */
  impacts: readonly ImpactRecordV2[]
  moves: readonly ObservedMove[]
}

export interface ShockScore {
  id: string
  symbol: string
  articleId: string | null
  start: number
  from: number
  end: number
  direction: 'up' | 'down'
  /** Net log move of the symbol's own price. */
  size: number
  session: SessionName
  halted: boolean
  receivedAt: number | null
  tagged: boolean
  /** First alert on S in X's direction detected in [from, start + 5 min]. */
  moveId: string | null
  moveDelayMs: number | null
  signal: ImpactRecordV2['signal'] | null
  signalDetectedAt: number | null
  alertAt: number | null
  signalRecalled: boolean
  recalled: boolean
  /** First told − start; null = never told in the window. */
  toldDelayMs: number | null
  toldBy: 'move' | 'signal' | null
}

export interface FalseMove {
  id: string
  symbol: string
  detectedAt: number
  direction: 'up' | 'down'
  z: number
  beta: number
  adjusted: boolean
  session: SessionName
  duringMacro: boolean
}

export interface HeadlineScore {
  articleId: string
  kind: GroundTruthEntry['kind']
  symbol: string
  published: number
  signal: ImpactRecordV2['signal'] | null
  z5: number | null
  falseSignal: boolean
  decided: boolean
}

export interface Dist {
  n: number
  p50: number
  p90: number
  max: number
}

export interface DetectionScore {
  shocks: ShockScore[]
  recall: { n: number; hit: number; rate: number }
  /** Recall by the session of the shock's start. */
  recallBySession: Record<SessionName, { n: number; hit: number; rate: number }>
  /** Shocks recalled by a move alert alone / by the headline's signal alone. */
  moveRecall: { n: number; hit: number; rate: number }
  signalRecall: { n: number; hit: number; rate: number }
  /** Move alert delay after the shock's start, seconds, over the shocks a move alert recalled. */
  moveDelaySec: Dist
  /** First told − start, seconds, over every shock (never told = +∞). */
  toldDelaySec: Dist
  falseMoves: FalseMove[]
  symbolHours: number
  symbolHoursBySession: Record<SessionName, number>
  falseMovesPer20SymbolHours: number
  /** Move alerts detected in the span on scored symbols. */
  movesInSpan: number
  nullHeadlines: HeadlineScore[]
  nullFalseRate: { n: number; hit: number; rate: number; undecided: number }
  macroHeadlines: HeadlineScore[]
  macroFalseRate: { n: number; hit: number; rate: number; undecided: number }
  macroMoves: number
  /** Poll latency (receivedAt − published) of the scored headlines received, seconds. */
  pollLatencySec: Dist
  /** Data time between a move's detection and its first emission, seconds (retroactive alerts show here). */
  moveEmissionLagSec: Dist
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export function dist(values: readonly number[]): Dist {
  const s = [...values].sort((a, b) => a - b)
  return {
    n: s.length,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    max: s.length ? s[s.length - 1]! : NaN,
  }
}

const rate = (hit: number, n: number): { n: number; hit: number; rate: number } => ({
  n,
  hit,
  rate: n ? hit / n : NaN,
})

/** Hours of [from, to) in each session (ET wall clock), on a one-minute grid. */
export function hoursBySession(from: number, to: number): Record<SessionName, number> {
  // Summed in ms, divided once: no rounding drift from adding fractions of an hour.
  const ms: Record<SessionName, number> = { pre: 0, regular: 0, post: 0, none: 0 }
  for (let t = from; t < to; t += MINUTE_MS) ms[sessionOf(t)] += Math.min(MINUTE_MS, to - t)
  return { pre: ms.pre / HOUR_MS, regular: ms.regular / HOUR_MS, post: ms.post / HOUR_MS, none: ms.none / HOUR_MS }
}

export function scoreDetection(input: ScoreInput): DetectionScore {
  const { from, to } = input
  const scored = new Set(input.symbols)
  const own = input.shocks.filter((x): x is ShockTruth & { symbol: string } => x.symbol !== null)
  const macros = input.shocks.filter((x) => x.symbol === null)
  const record = new Map<string, ImpactRecordV2>()
  for (const r of input.impacts) record.set(`${r.articleId}|${r.symbol}`, r)
  const movesBySymbol = new Map<string, ObservedMove[]>()
  for (const m of input.moves) {
    const list = movesBySymbol.get(m.alert.symbol) ?? []
    list.push(m)
    movesBySymbol.set(m.alert.symbol, list)
  }
  for (const list of movesBySymbol.values()) list.sort((a, b) => a.alert.detectedAt - b.alert.detectedAt)

  const shocks: ShockScore[] = own
    .filter((x) => scored.has(x.symbol) && x.start >= from && x.start < to)
    .map((x) => {
      const alerts = movesBySymbol.get(x.symbol) ?? []
      const recallMove = alerts.find(
        (m) =>
          m.alert.direction === x.direction &&
          m.alert.detectedAt >= x.from &&
          m.alert.detectedAt <= x.start + RECALL_MS,
      )
      const toldMove = alerts.find(
        (m) => m.alert.detectedAt >= x.from && m.alert.detectedAt <= x.end + OWN_SHOCK_MARGIN_MS,
      )
      const r = x.articleId ? record.get(`${x.articleId}|${x.symbol}`) : undefined
      const got = x.articleId ? input.received.get(x.articleId) : undefined
      const rightSignal = r !== undefined && r.signal === x.direction && r.alertAt !== null
      const signalRecalled = rightSignal && r.alertAt! <= x.start + RECALL_MS
      const told: { at: number; by: 'move' | 'signal' }[] = []
      if (toldMove) told.push({ at: toldMove.alert.detectedAt, by: 'move' })
      if (rightSignal) told.push({ at: r.alertAt!, by: 'signal' })
      told.sort((a, b) => a.at - b.at)
      return {
        id: x.id,
        symbol: x.symbol,
        articleId: x.articleId,
        start: x.start,
        from: x.from,
        end: x.end,
        direction: x.direction,
        size: x.size,
        session: x.session,
        halted: x.halted !== null,
        receivedAt: got?.receivedAt ?? null,
        tagged: got?.tickers.includes(x.symbol) ?? false,
        moveId: recallMove?.alert.id ?? null,
        moveDelayMs: recallMove ? recallMove.alert.detectedAt - x.start : null,
        signal: r?.signal ?? null,
        signalDetectedAt: r?.detectedAt ?? null,
        alertAt: r?.alertAt ?? null,
        signalRecalled,
        recalled: recallMove !== undefined || signalRecalled,
        toldDelayMs: told[0] ? told[0].at - x.start : null,
        toldBy: told[0]?.by ?? null,
      }
    })

  const bySession = (s: SessionName): { n: number; hit: number; rate: number } => {
    const list = shocks.filter((x) => x.session === s)
    return rate(list.filter((x) => x.recalled).length, list.length)
  }

  const nearOwn = (symbol: string, lo: number, hi: number): boolean =>
    own.some(
      (x) => x.symbol === symbol && hi >= x.from - OWN_SHOCK_MARGIN_MS && lo <= x.end + OWN_SHOCK_MARGIN_MS,
    )
  const duringMacro = (lo: number, hi: number, margin: number): boolean =>
    macros.some((m) => hi >= m.from - margin && lo <= m.end + margin)

  const inSpan = input.moves.filter(
    (m) => scored.has(m.alert.symbol) && m.alert.detectedAt >= from && m.alert.detectedAt < to,
  )
  const falseMoves: FalseMove[] = inSpan
    .filter((m) => !nearOwn(m.alert.symbol, m.alert.detectedAt, m.alert.detectedAt))
    .map((m) => ({
      id: m.alert.id,
      symbol: m.alert.symbol,
      detectedAt: m.alert.detectedAt,
      direction: m.alert.direction,
      z: m.alert.z,
      beta: m.alert.beta,
      adjusted: m.alert.adjusted,
      session: sessionOf(m.alert.detectedAt),
      duringMacro: duringMacro(m.alert.detectedAt, m.alert.detectedAt, OWN_SHOCK_MARGIN_MS),
    }))
    .sort((a, b) => a.detectedAt - b.detectedAt)
  const span = hoursBySession(from, to)
  const symbolHoursBySession: Record<SessionName, number> = {
    pre: span.pre * scored.size,
    regular: span.regular * scored.size,
    post: span.post * scored.size,
    none: span.none * scored.size,
  }
  const symbolHours = (scored.size * (to - from)) / HOUR_MS

  const headline = (e: GroundTruthEntry & { symbol: string }): HeadlineScore => {
    const r = record.get(`${e.articleId}|${e.symbol}`)
    const signal = r?.signal ?? null
    return {
      articleId: e.articleId,
      kind: e.kind,
      symbol: e.symbol,
      published: e.published,
      signal,
      z5: r?.z5 ?? null,
      falseSignal: signal === 'up' || signal === 'down',
      decided: signal !== null,
    }
  }
  const company = input.articles.filter(
    (e): e is GroundTruthEntry & { symbol: string } =>
      e.symbol !== null && scored.has(e.symbol) && e.published >= from && e.published < to,
  )
  const nullHeadlines = company.filter((e) => e.kind === 'null').map(headline)
  const macroHeadlines = company
    .filter((e) => e.kind !== 'shock' && e.kind !== 'liveblog' && e.kind !== 'macro' && e.shock === null)
    .filter(
      (e) =>
        duringMacro(e.published, e.published + RECALL_MS, 0) &&
        !nearOwn(e.symbol, e.published, e.published + RECALL_MS),
    )
    .map(headline)
  const falseRate = (list: HeadlineScore[]): DetectionScore['nullFalseRate'] => {
    const decided = list.filter((h) => h.decided)
    return {
      ...rate(decided.filter((h) => h.falseSignal).length, decided.length),
      undecided: list.length - decided.length,
    }
  }

  const scoredIds = new Set(company.map((e) => e.articleId))
  const latencies: number[] = []
  for (const e of input.articles) {
    if (!scoredIds.has(e.articleId)) continue
    const got = input.received.get(e.articleId)
    if (got) latencies.push((got.receivedAt - e.published) / 1000)
  }

  const recalledByMove = shocks.filter((x) => x.moveId !== null)
  return {
    shocks,
    recall: rate(shocks.filter((x) => x.recalled).length, shocks.length),
    recallBySession: {
      pre: bySession('pre'),
      regular: bySession('regular'),
      post: bySession('post'),
      none: bySession('none'),
    },
    moveRecall: rate(recalledByMove.length, shocks.length),
    signalRecall: rate(shocks.filter((x) => x.signalRecalled).length, shocks.length),
    moveDelaySec: dist(recalledByMove.map((x) => x.moveDelayMs! / 1000)),
    toldDelaySec: dist(shocks.map((x) => (x.toldDelayMs === null ? Infinity : x.toldDelayMs / 1000))),
    falseMoves,
    symbolHours,
    symbolHoursBySession,
    falseMovesPer20SymbolHours: symbolHours > 0 ? (falseMoves.length / symbolHours) * 20 : NaN,
    movesInSpan: inSpan.length,
    nullHeadlines,
    nullFalseRate: falseRate(nullHeadlines),
    macroHeadlines,
    macroFalseRate: falseRate(macroHeadlines),
    macroMoves: macros.filter((m) => m.start >= from && m.start < to).length,
    pollLatencySec: dist(latencies),
    moveEmissionLagSec: dist(inSpan.map((m) => (m.emittedDataAt - m.alert.detectedAt) / 1000)),
  }
}

/** "Headlines on screen with numbers" at one instant (a demo start + 10 s). */
export interface ScreenInput {
  /** The instant measured (data time = wall time in a demo). */
  at: number
  received: ReadonlyMap<string, ReceivedArticle & { published: number }>
  /** The latest record per (article, symbol) the window had by `at`. */
  impacts: ReadonlyMap<string, ImpactRecordV2>
  /** Whether S has an eligible print in (lo, hi] on the simulator's complete tape. */
  tradedIn: (symbol: string, lo: number, hi: number) => boolean
}

export interface ScreenScore {
  /** (headline, tagged symbol) pairs on screen whose first minute has passed and had trades in it. */
  n: number
  withNumbers: number
  rate: number
  /** Pairs on screen left out: first minute not yet passed, or no trade in it. */
  excluded: number
  missing: { articleId: string; symbol: string; published: number; record: boolean }[]
}

/**
 * Headlines in the timeline's first page: the newest `n` by publication (ties by id). The e2e test reads the real
 * viewport (tests/e2e/impact-v2.test.ts): at 1440 × 900 it holds 8–10 headlines.
 */
export const FIRST_PAGE = 10
export function newestHeadlines<A extends { published: number }>(received: ReadonlyMap<string, A>, n = FIRST_PAGE): Map<string, A> {
  const sorted = [...received].sort(([ia, a], [ib, b]) => b.published - a.published || (ia < ib ? -1 : ia > ib ? 1 : 0))
  return new Map(sorted.slice(0, n))
}

/** A pair "has numbers" when its record shows the 1-minute return (ret1), the first number a headline gets. */
export function scoreScreen(input: ScreenInput): ScreenScore {
  let n = 0
  let withNumbers = 0
  let excluded = 0
  const missing: ScreenScore['missing'] = []
  for (const [articleId, a] of input.received) {
    for (const symbol of a.tickers) {
      if (
        a.published + MINUTE_MS > input.at ||
        !input.tradedIn(symbol, a.published, a.published + MINUTE_MS)
      ) {
        excluded++
        continue
      }
      n++
      const r = input.impacts.get(`${articleId}|${symbol}`)
      if (r && r.ret1 !== null) withNumbers++
      else missing.push({ articleId, symbol, published: a.published, record: r !== undefined })
    }
  }
  return { n, withNumbers, rate: n ? withNumbers / n : NaN, excluded, missing }
}
