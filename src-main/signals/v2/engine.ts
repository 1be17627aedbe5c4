// The app's online news impact v2 and move alert engine (docs/impact-v2.md, interface in ./types.ts). One
// object per app: fed live prints, REST history, previous sessions' minute bars and articles; emits impact
// records and move alerts as data time passes. Prints are evaluated (move detector, early signals) once data
// time reaches them, so every print with ts ≤ t is known when p(t) is taken; a live print moves data time to
// its ts − 1 s, which leaves a second for prints that arrive slightly out of order.
import type { Direction, ImpactRecordV2, ImpactSettings, MoveAlert, PrintSource } from '../../domain/impact'
import { DEFAULT_IMPACT_SETTINGS, moveId } from '../../domain/impact'
import { easternMinuteOfDay } from '../../domain/eastern-time'
import { CONDITION_FLAGS, NO_LAST, NO_VOLUME, conditionFlags } from '../../market/conditions'
import { Coverage } from './coverage'
import type { ReturnPair } from './math'
import { combineSigma, sampleStdev, shrunkBeta, sigmaFloor, similarWords, titleWords } from './math'
import { MinuteBars, isRegular } from './minute-bars'
import { sessionStart, tradingDay } from './sessions'
import { ELIGIBLE, PrintStore, SlidingPrice, SRC_SHIFT, VOLUME, type BatchPrints, PRICE_WINDOW_MS } from './store'
import type {
  EngineArticle,
  EngineOutput,
  EnginePrint,
  HistoryWindow,
  ImpactEngine,
  SecondBarIn,
} from './types'

const MIN = 60_000
const SILENCE_MS = 5 * MIN
const QUIET_SPELL_MS = 5 * MIN
const LINK_MS = 3 * MIN
const CONFIRM_MS = 1000
const LIVE_LAG_MS = 1000
const STALE_WINDOW_MS = 24 * 60 * MIN
const MAX_HEADLINES_PER_SYMBOL = 200
const EVICT_EVERY_MS = 10_000
const MAX_ARTICLE_IDS = 50_000
const MAX_MOVES_REMEMBERED = 10_000
/** What an open article reads before t0: the rvol hour basis (60 min) and p's 2-second window. */
const ARTICLE_LOOKBACK_MS = 60 * MIN + 2000
/** The detector reads back to u − 60 s and sigma 30 minutes before u. */
const MIN_RETENTION_MS = 35 * MIN
const HORIZONS = [1, 5, 15] as const
const SQRT = { 1: 1, 5: Math.sqrt(5), 15: Math.sqrt(15) } as const

/** The condition table with code 12 (Form T) removed for eligibility: extended hours trade as Form T. */
const ELIGIBILITY_FLAGS: Uint8Array = (() => {
  const f = CONDITION_FLAGS.slice()
  f[12] = (f[12] as number) & ~NO_LAST
  return f
})()

const SOURCE_BITS: Record<PrintSource, number> = { live: 0, trades: 1, seconds: 2 }

export interface ImpactEngineOptions {
  settings?: ImpactSettings
  /** Prints kept per symbol, ms of data time (plus whatever open articles need). Default 2 h, at least 35 min. */
  retentionMs?: number
  /** Records of finished articles kept for snapshot() and late history. Default 10 000. */
  maxFinalRecords?: number
}

interface Detector {
  day: number
  runStart: number
  runDir: number
  runFired: boolean
  lastEligible: number
  quietEnd: number
  silenceUntil: number
  silenceDir: number
}

interface Early {
  runStart: number
  runDir: number
  fired: boolean
  dir: number
  detectedAt: number
}

interface Base {
  p0: number
  pM0: number
  beta: number
  sigma: number | null
  realised: number | null
  floor: number | null
}

interface Headline {
  id: string
  published: number
  words: Set<string>
  order: number
}

interface Tracked {
  key: string
  article: { id: string; published: number; receivedAt: number; title: string }
  sym: Sym
  base: Base | null
  early: Early
  due: number
  final: boolean
  last: ImpactRecordV2 | null
}

interface Sym {
  name: string
  index: number
  store: PrintStore
  cov: Coverage
  bars: MinuteBars
  firstLive: number
  /** Next print index for the detector and early signals (everything before it was evaluated). */
  next: number
  seenShift: number
  det: Detector
  moves: Map<string, MoveAlert>
  trackers: Tracked[]
  headlines: Headline[]
  betaCache: Map<number, number>
  floorCache: Map<number, number | null>
  sigmaT: number
  sigmaV: { sigma: number | null; realised: number | null; floor: number | null }
  /** p_S at the print being evaluated and 60 s before it. */
  winT: SlidingPrice
  winU: SlidingPrice
  /** beta and floor of the day last asked (the hot path asks per print). */
  statDay: number
  statBeta: number
  statFloor: number | null
  /** Records without a source yet: S's first eligible print after t0 gives them one, even after final. */
  sourceless: Set<Tracked>
}

const freshDetector = (day: number): Detector => ({
  day,
  runStart: 0,
  runDir: 0,
  runFired: false,
  lastEligible: -Infinity,
  quietEnd: Infinity,
  silenceUntil: -Infinity,
  silenceDir: 0,
})

/** What a call that emitted nothing returns (shared, frozen: callers only read it). */
const NOTHING: EngineOutput = Object.freeze({ impacts: Object.freeze([]) as unknown as ImpactRecordV2[], moves: Object.freeze([]) as unknown as MoveAlert[] })

const freshEarly = (): Early => ({ runStart: 0, runDir: 0, fired: false, dir: 0, detectedAt: 0 })

const dirName = (d: number): Direction => (d > 0 ? 'up' : 'down')
const nn = (x: number): number | null => (Number.isNaN(x) ? null : x)
const dayOf = (ts: number): number => tradingDay(ts).start

export function createImpactEngine(options: ImpactEngineOptions = {}): ImpactEngine {
  let settings: ImpactSettings = { ...(options.settings ?? DEFAULT_IMPACT_SETTINGS) }
  const retentionMs = Math.max(options.retentionMs ?? 120 * MIN, MIN_RETENTION_MS)
  const maxFinal = options.maxFinalRecords ?? 10_000

  const syms = new Map<string, Sym>()
  const symList: Sym[] = []
  const articles = new Map<string, { id: string; published: number; receivedAt: number; title: string; tickers: Set<string> }>()
  const open: Tracked[] = []
  const finals = new Map<string, Tracked>()
  const emittedMoveJson = new Map<string, string>()
  const counters = { prints: 0, duplicates: 0, rejected: 0, articles: 0, moves: 0, emitted: 0 }

  let now = -Infinity
  let nextDueMin = Infinity
  let nextEvictAt = -Infinity
  let headlineOrder = 0
  let out: EngineOutput = NOTHING

  // Arrival queue of (symbol index, ts): a symbol is evaluated when data time reaches one of its prints.
  let qSym = new Int32Array(1024)
  let qTs = new Float64Array(1024)
  let qHead = 0
  let qTail = 0
  /** Symbols with history prints beyond data time (not in the arrival queue). */
  const pending: Sym[] = []

  const push = (sym: number, ts: number): void => {
    if (qTail === qSym.length) {
      if (qHead > 0) {
        qSym.copyWithin(0, qHead, qTail)
        qTs.copyWithin(0, qHead, qTail)
        qTail -= qHead
        qHead = 0
      }
      if (qTail === qSym.length) {
        const s = new Int32Array(qSym.length * 2)
        s.set(qSym)
        qSym = s
        const t = new Float64Array(qTs.length * 2)
        t.set(qTs)
        qTs = t
      }
    }
    qSym[qTail] = sym
    qTs[qTail] = ts
    qTail++
  }

  /** The proxy's symbol, kept with the settings and the symbol table (the hot path asks per print). */
  let proxySym: Sym | undefined
  const proxy = (): Sym | undefined => proxySym

  let lastName = ''
  let lastSym: Sym | null = null
  const symbol = (name: string): Sym => {
    if (name === lastName && lastSym) return lastSym
    let s = syms.get(name)
    if (!s) {
      const store = new PrintStore()
      s = {
        name,
        index: symList.length,
        store,
        cov: new Coverage(),
        bars: new MinuteBars(),
        firstLive: Infinity,
        next: 0,
        seenShift: 0,
        det: freshDetector(NaN),
        moves: new Map(),
        trackers: [],
        headlines: [],
        betaCache: new Map(),
        floorCache: new Map(),
        sigmaT: NaN,
        sigmaV: { sigma: null, realised: null, floor: null },
        winT: new SlidingPrice(store),
        winU: new SlidingPrice(store),
        statDay: NaN,
        statBeta: 1,
        statFloor: null,
        sourceless: new Set(),
      }
      syms.set(name, s)
      symList.push(s)
      if (name === settings.proxy) proxySym = s
    }
    lastName = name
    lastSym = s
    return s
  }


  // p_M at the print being evaluated (of any symbol) and 60 s before: prints are evaluated in about ts order.
  let mWinFor: PrintStore | null = null
  let mWinT: SlidingPrice | null = null
  let mWinU: SlidingPrice | null = null
  const proxyWindows = (m: Sym): void => {
    if (mWinFor === m.store) return
    mWinFor = m.store
    mWinT = new SlidingPrice(m.store)
    mWinU = new SlidingPrice(m.store)
  }

  /** beta and floor of s for `day`, cached for the day last asked. */
  const dayStats = (s: Sym, day: number): void => {
    if (s.statDay === day) return
    s.statBeta = beta(s, day)
    s.statFloor = floorOf(s, day)
    s.statDay = day
  }

  const syncShift = (s: Sym): void => {
    const d = s.store.shifted - s.seenShift
    if (d !== 0) {
      s.next = Math.max(s.store.head, s.next - d)
      s.seenShift = s.store.shifted
    }
    if (s.next < s.store.head) s.next = s.store.head
  }

  // ---------------------------------------------------------------- statistics

  const beta = (s: Sym, day: number): number => {
    if (s.name === settings.proxy) return 1
    const cached = s.betaCache.get(day)
    if (cached !== undefined) return cached
    const m = proxy()
    const pairs: ReturnPair[] = []
    if (m) {
      for (const d of s.bars.daysBefore(day, 5, (b) => isRegular(b.start))) {
        const rm = m.bars.regularReturns(d)
        for (const [k, y] of s.bars.regularReturns(d)) {
          const x = rm.get(k)
          if (x !== undefined) pairs.push({ x, y })
        }
      }
    }
    const b = shrunkBeta(pairs)
    s.betaCache.set(day, b)
    return b
  }

  const floorOf = (s: Sym, day: number): number | null => {
    const cached = s.floorCache.get(day)
    if (cached !== undefined) return cached
    const prev = s.bars.daysBefore(day, 1, (b) => isRegular(b.start))[0]
    let f: number | null = null
    if (prev !== undefined) {
      const m = s.name === settings.proxy ? undefined : proxy()
      const rm = m ? m.bars.regularReturns(prev) : undefined
      const b = beta(s, day)
      const rs: number[] = []
      for (const [k, y] of s.bars.regularReturns(prev)) {
        const x = rm?.get(k)
        rs.push(x === undefined ? y : y - b * x)
      }
      f = sigmaFloor(rs)
    }
    s.floorCache.set(day, f)
    return f
  }

  /** a(u, t) of s; NaN when p_S is missing at either end. */
  const abnormal = (s: Sym, pSu: number, pSt: number, u: number, t: number, b: number): number => {
    if (Number.isNaN(pSu) || Number.isNaN(pSt)) return NaN
    const raw = Math.log(pSt / pSu)
    const m = proxy()
    if (!m || m === s) return raw
    const pMu = m.store.priceAt(u, now)
    const pMt = m.store.priceAt(t, now)
    if (Number.isNaN(pMu) || Number.isNaN(pMt)) return raw
    return raw - b * Math.log(pMt / pMu)
  }

  /** Realised sigma at T: the 30 one-minute intervals before T that are covered, in T's session, with an `a`. */
  const realisedAt = (s: Sym, T: number): number | null => {
    const ss = sessionStart(T)
    if (Number.isNaN(ss)) return null
    const b = beta(s, dayOf(T))
    const rs: number[] = []
    let pEnd = s.store.priceAt(T, now)
    for (let i = 0; i < 30; i++) {
      const a0 = T - (i + 1) * MIN
      const a1 = T - i * MIN
      if (a0 < ss) break
      const pStart = s.store.priceAt(a0, now)
      if (s.cov.covered(a0, a1, now)) {
        const a = abnormal(s, pStart, pEnd, a0, a1, b)
        if (!Number.isNaN(a)) rs.push(a)
      }
      pEnd = pStart
    }
    return rs.length >= 10 ? sampleStdev(rs) : null
  }

  const sigmaAt = (s: Sym, T: number): { sigma: number | null; realised: number | null; floor: number | null } => {
    if (s.sigmaT === T) return s.sigmaV
    const realised = realisedAt(s, T)
    const floor = floorOf(s, dayOf(T))
    const p = nn(s.store.priceAt(T, now))
    const v = { sigma: combineSigma(realised, floor, p), realised, floor }
    // Before data time reaches T, prints at or before T can still come: not cached.
    if (now >= T) {
      s.sigmaT = T
      s.sigmaV = v
    }
    return v
  }

  // ---------------------------------------------------------------- move detector

  let fireU = 0
  let fireA = 0
  let fireSigma = 0
  let fireBeta = 1
  let fireAdjusted = false
  let firePrice = 0

  /** The move rule at an eligible print at t: +1 / −1 when it holds, 0 when it fails or cannot be evaluated. */
  const moveRule = (s: Sym, t: number, day: number): number => {
    const u = t - MIN
    const ss = sessionStart(t)
    if (!(u >= ss)) return 0
    if (u < s.det.quietEnd) return 0
    // p_S(u) first: its window also answers "S printed in [u − 60 s, u]" most of the time.
    const pSu = s.winU.query(u, now)
    if (!s.winU.any) {
      const j = s.store.lastEligibleAtOrBefore(u)
      if (j < 0 || (s.store.ts[j] as number) < u - MIN) return 0
    }
    if (!s.cov.covered(u - MIN, t, now)) return 0
    const pSt = s.winT.query(t, now)
    if (Number.isNaN(pSu) || Number.isNaN(pSt)) return 0
    dayStats(s, day)
    const b = s.statBeta
    let a = Math.log(pSt / pSu)
    let adjusted = false
    const m = proxy()
    if (m && m !== s) {
      proxyWindows(m)
      const pMu = (mWinU as SlidingPrice).query(u, now)
      const pMt = (mWinT as SlidingPrice).query(t, now)
      if (!Number.isNaN(pMu) && !Number.isNaN(pMt)) {
        a -= b * Math.log(pMt / pMu)
        adjusted = true
      }
    }
    // sigma ≥ max(floor, cent): below that the rule fails without the realised part (the common case).
    const lb = Math.max(s.statFloor ?? 0, 0.01 / pSu)
    if (Math.abs(a) < settings.zMove * lb) return 0
    const sig = sigmaAt(s, u).sigma
    if (sig === null || !(Math.abs(a) >= settings.zMove * sig) || a === 0) return 0
    fireU = u
    fireA = a
    fireSigma = sig
    fireBeta = b
    fireAdjusted = adjusted
    firePrice = pSt
    return a > 0 ? 1 : -1
  }

  const linkedHeadlines = (s: Sym, detectedAt: number): string[] =>
    s.headlines
      .filter((h) => Math.abs(h.published - detectedAt) <= LINK_MS)
      .sort((x, y) => x.published - y.published || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .map((h) => h.id)

  const emitMove = (m: MoveAlert): void => {
    const json = JSON.stringify(m)
    if (emittedMoveJson.get(m.id) === json) return
    emittedMoveJson.delete(m.id)
    emittedMoveJson.set(m.id, json)
    // Remembered to never send the same alert twice; a move is only re-sent within minutes of its detection.
    if (emittedMoveJson.size > MAX_MOVES_REMEMBERED) {
      const oldest = emittedMoveJson.keys().next().value
      if (oldest !== undefined) emittedMoveJson.delete(oldest)
    }
    output().moves.push(m)
    counters.emitted++
  }

  const fire = (s: Sym, t: number, dir: number): void => {
    const d = s.det
    if (t < d.silenceUntil && dir === d.silenceDir) return
    d.silenceUntil = t + SILENCE_MS
    d.silenceDir = dir
    const m: MoveAlert = {
      id: moveId(s.name, t),
      symbol: s.name,
      windowStart: fireU,
      detectedAt: t,
      direction: dirName(dir),
      size: fireA,
      z: fireA / fireSigma,
      sigma: fireSigma,
      beta: fireBeta,
      adjusted: fireAdjusted,
      price: firePrice,
      headlines: linkedHeadlines(s, t),
      settings: { proxy: settings.proxy, zMove: settings.zMove },
      origin: 'app',
    }
    if (!s.moves.has(m.id)) counters.moves++
    s.moves.set(m.id, m)
    emitMove(m)
    for (const tr of s.trackers) if (Math.abs(tr.article.published - t) <= LINK_MS) refresh(tr)
    for (const tr of finals.values()) if (tr.sym === s && Math.abs(tr.article.published - t) <= LINK_MS) refreshFinal(tr)
  }

  // ---------------------------------------------------------------- early signal

  const ensureBase = (tr: Tracked): Base => {
    if (tr.base) return tr.base
    const s = tr.sym
    const t0 = tr.article.published
    const m = proxy()
    const sig = sigmaAt(s, t0)
    const base: Base = {
      p0: s.store.priceAt(t0, now),
      pM0: m && m !== s ? m.store.priceAt(t0, now) : NaN,
      beta: beta(s, dayOf(t0)),
      sigma: sig.sigma,
      realised: sig.realised,
      floor: sig.floor,
    }
    // Only final once data time passed t0: before that later prints can still land at or before t0.
    if (now >= t0) tr.base = base
    return base
  }

  /** a(t0, t) for a tracked article, given p_S(t) and p_M(t) (NaN: none); NaN when p0 is missing. */
  const articleA = (tr: Tracked, base: Base, pSt: number, pMt: number): number => {
    if (Number.isNaN(base.p0) || Number.isNaN(pSt)) return NaN
    const raw = Math.log(pSt / base.p0)
    if (tr.sym.name === settings.proxy || Number.isNaN(base.pM0) || Number.isNaN(pMt)) return raw
    return raw - base.beta * Math.log(pMt / base.pM0)
  }

  /** p_M(t) off the hot path; NaN without a proxy price. */
  const proxyAt = (t: number): number => {
    const m = proxy()
    return m ? m.store.priceAt(t, now) : NaN
  }

  /** One eligible print at t (in (t0, t0 + 5 m]) through the early rule and its confirmation. */
  const earlyStep = (tr: Tracked, t: number, pSt: number, pMt: number): boolean => {
    const e = tr.early
    const base = ensureBase(tr)
    let dir = 0
    if (base.sigma !== null) {
      const a = articleA(tr, base, pSt, pMt)
      if (!Number.isNaN(a) && Math.abs(a) >= settings.z * base.sigma * SQRT[5] && a !== 0) dir = a > 0 ? 1 : -1
    }
    if (dir === 0) {
      e.runDir = 0
      return false
    }
    if (dir !== e.runDir) {
      e.runDir = dir
      e.runStart = t
      return false
    }
    if (t - e.runStart >= CONFIRM_MS) {
      e.fired = true
      e.dir = dir
      e.detectedAt = t
      return true
    }
    return false
  }

  /** Re-runs a tracker's early signal over the prints already evaluated (after history or new settings). */
  const rescanEarly = (tr: Tracked): void => {
    tr.early = freshEarly()
    const s = tr.sym
    syncShift(s)
    const st = s.store
    const t0 = tr.article.published
    const end = t0 + 5 * MIN
    // Prices along the scan from sliding windows of their own (the scan moves forward).
    const m = proxy()
    const wS = new SlidingPrice(st)
    const wM = m && m !== s ? new SlidingPrice(m.store) : null
    for (let i = st.upperBound(t0); i < s.next && (st.ts[i] as number) <= end; i++) {
      if (((st.flags[i] as number) & ELIGIBLE) === 0) continue
      const t = st.ts[i] as number
      if (earlyStep(tr, t, wS.query(t, now), wM ? wM.query(t, now) : NaN)) break
    }
  }

  // ---------------------------------------------------------------- evaluation of prints

  const step = (s: Sym, i: number): void => {
    const st = s.store
    if (((st.flags[i] as number) & ELIGIBLE) === 0) return
    const t = st.ts[i] as number
    const d = s.det
    const day = dayOf(t)
    if (d.day !== day) {
      s.det = freshDetector(day)
      s.moves.clear()
      return step(s, i)
    }
    if (t - d.lastEligible >= QUIET_SPELL_MS) d.quietEnd = t
    d.lastEligible = t
    if (s.sourceless.size > 0) {
      for (const tr of [...s.sourceless]) {
        if (!tr.final || !tr.last) refresh(tr)
        else if (t > tr.article.published) {
          // A finished record without a source: this is S's first eligible print after t0, nothing else moves.
          s.sourceless.delete(tr)
          tr.last = { ...tr.last, source: st.sourceAt(i), asOf: now }
          output().impacts.push(tr.last)
          counters.emitted++
        }
      }
    }
    if (s !== proxySym) {
      const dir = moveRule(s, t, day)
      if (dir === 0) d.runDir = 0
      else if (dir !== d.runDir) {
        d.runDir = dir
        d.runStart = t
        d.runFired = false
      } else if (!d.runFired && t - d.runStart >= CONFIRM_MS) {
        d.runFired = true
        fire(s, t, dir)
      }
    }
    const trackers = s.trackers
    if (trackers.length === 0) return
    let known = false
    let pSt = NaN
    let pMt = NaN
    for (let k = 0; k < trackers.length; k++) {
      const tr = trackers[k] as Tracked
      const t0 = tr.article.published
      if (tr.early.fired || t <= t0 || t > t0 + 5 * MIN) continue
      if (!known) {
        known = true
        pSt = s.winT.query(t, now)
        const m = proxy()
        if (m && m !== s) {
          proxyWindows(m)
          pMt = (mWinT as SlidingPrice).query(t, now)
        }
      }
      if (earlyStep(tr, t, pSt, pMt)) refresh(tr)
    }
  }

  const processSymbol = (s: Sym): void => {
    syncShift(s)
    const st = s.store
    while (s.next < st.n && (st.ts[s.next] as number) <= now) {
      const i = s.next
      s.next++
      step(s, i)
      syncShift(s)
    }
  }

  /** Re-evaluates the current day of `s` from its first print (history or minute bars changed its inputs). */
  const replay = (s: Sym): void => {
    syncShift(s)
    s.sigmaT = NaN
    if (!Number.isFinite(now)) {
      s.next = s.store.head
      return
    }
    const from = s.store.lowerBound(dayOf(now))
    s.next = from
    s.det = freshDetector(NaN)
    s.moves.clear()
    const fromTs = from < s.store.n ? (s.store.ts[from] as number) : Infinity
    for (const tr of s.trackers) {
      tr.base = null
      if (tr.article.published + 5 * MIN >= fromTs) tr.early = freshEarly()
      else rescanEarly(tr)
    }
    processSymbol(s)
    if (s.next < s.store.n && !pending.includes(s)) pending.push(s)
  }

  // ---------------------------------------------------------------- impact records

  const staleOf = (s: Sym, id: string, t0: number, words: Set<string>): boolean => {
    const cands = s.headlines
      .filter((h) => h.id !== id && h.published < t0 && h.published >= t0 - STALE_WINDOW_MS)
      .sort((x, y) => y.published - x.published || y.order - x.order)
      .slice(0, 10)
    return cands.some((h) => similarWords(words, h.words))
  }

  const moveOf = (s: Sym, t0: number): string | null => {
    let best: MoveAlert | null = null
    for (const m of s.moves.values()) {
      const dist = Math.abs(m.detectedAt - t0)
      if (dist > LINK_MS) continue
      if (!best) best = m
      else {
        const bd = Math.abs(best.detectedAt - t0)
        if (dist < bd || (dist === bd && m.detectedAt < best.detectedAt)) best = m
      }
    }
    return best ? best.id : null
  }

  const hasEligible = (s: Sym, from: number, to: number): boolean => s.store.firstEligibleAfter(from, Math.min(to, now)) >= 0

  const weightedCount = (s: Sym, from: number, to: number): number => {
    const st = s.store
    let w = 0
    for (let i = st.lowerBound(from); i < st.n && (st.ts[i] as number) < to && (st.ts[i] as number) <= now; i++) {
      if (((st.flags[i] as number) & ELIGIBLE) !== 0) w += st.weightAt(i)
    }
    return w
  }

  const volumeIn = (s: Sym, from: number, to: number): number => {
    const st = s.store
    let v = 0
    for (let i = st.lowerBound(from); i < st.n && (st.ts[i] as number) < to && (st.ts[i] as number) <= now; i++) {
      if (((st.flags[i] as number) & VOLUME) !== 0) v += st.size[i] as number
    }
    return v
  }

  const rvolOf = (s: Sym, t0: number): { rvol: number | null; basis: 'slot' | 'hour' | null } => {
    // Volume the data does not see is unknown, not zero.
    if (!s.cov.covered(t0, t0 + 5 * MIN, now)) return { rvol: null, basis: null }
    const V = volumeIn(s, t0, t0 + 5 * MIN)
    const day = dayOf(t0)
    const days = s.bars.daysBefore(day, 5, () => true)
    if (days.length > 0) {
      const wallMinute = easternMinuteOfDay(t0)
      let total = 0
      for (const d of days) {
        const bars = s.bars.days.get(d)
        if (!bars) continue
        const start = wallToUtc(d, wallMinute)
        const end = wallToUtc(d, wallMinute + 5)
        for (const b of bars.values()) if (b.start >= start && b.start < end) total += b.volume
      }
      const mean = total / days.length
      if (mean > 0) return { rvol: V / mean, basis: 'slot' }
    }
    if (s.cov.covered(t0 - 60 * MIN, t0, now)) {
      const denom = volumeIn(s, t0 - 60 * MIN, t0) / 12
      if (denom > 0) return { rvol: V / denom, basis: 'hour' }
    }
    return { rvol: null, basis: null }
  }

  const compute = (tr: Tracked): ImpactRecordV2 => {
    const s = tr.sym
    const st = s.store
    const { id, published: t0, receivedAt, title } = tr.article
    const base = ensureBase(tr)
    const m = proxy()
    const p0 = nn(base.p0)
    const sigma = base.sigma
    const rec: ImpactRecordV2 = {
      articleId: id,
      symbol: s.name,
      published: t0,
      receivedAt,
      asOf: now,
      source: null,
      p0,
      beta: base.beta,
      adjusted: m !== undefined && m !== s && !Number.isNaN(base.pM0) && !Number.isNaN(base.p0),
      sigma,
      sigmaRealised: base.realised,
      sigmaFloor: base.floor,
      ret1: null,
      ret5: null,
      ret15: null,
      ar1: null,
      ar5: null,
      ar15: null,
      z1: null,
      z5: null,
      z15: null,
      quiet1: null,
      quiet5: null,
      quiet15: null,
      rvol5: null,
      rvolBasis: null,
      signal: null,
      detectedAt: null,
      confirmed: null,
      alertAt: null,
      move: moveOf(s, t0),
      latencyMs: receivedAt - t0,
      stale: staleOf(s, id, t0, titleWords(title)),
      final: now >= t0 + 15 * MIN,
      settings: { ...settings },
      origin: 'app',
    }
    let src = st.lastEligibleAtOrBefore(Math.min(t0, now))
    if (src < 0) src = st.firstEligibleAfter(t0, now)
    if (src >= 0) rec.source = st.sourceAt(src)
    let a5 = NaN
    for (const k of HORIZONS) {
      const end = t0 + k * MIN
      if (now < end) continue
      const printed = hasEligible(s, t0, end)
      if (p0 !== null && printed) {
        const pt = st.priceAt(end, now)
        const a = articleA(tr, base, pt, proxyAt(end))
        rec[`ret${k}`] = pt / p0 - 1
        rec[`ar${k}`] = Math.exp(a) - 1
        rec[`z${k}`] = sigma === null ? null : a / (sigma * SQRT[k])
        if (k === 5) a5 = a
      }
      rec[`quiet${k}`] =
        !printed && s.cov.covered(t0 - 30 * MIN, end, now) && (weightedCount(s, t0 - 30 * MIN, t0) * k) / 30 >= 20
    }
    if (now >= t0 + 5 * MIN) {
      const rv = rvolOf(s, t0)
      rec.rvol5 = rv.rvol
      rec.rvolBasis = rv.basis
      const r5 = (x: number): boolean => {
        if (sigma === null || Number.isNaN(x)) return false
        const zz = Math.abs(x) / (sigma * SQRT[5])
        return zz >= settings.z || (rv.rvol !== null && rv.rvol >= settings.rvol && zz >= settings.zWithVolume)
      }
      let dir = 0
      let detectedAt = 0
      if (tr.early.fired) {
        dir = tr.early.dir
        detectedAt = tr.early.detectedAt
      } else if (!Number.isNaN(a5) && rec.quiet5 === false && r5(a5) && a5 !== 0) {
        const sign = a5 > 0 ? 1 : -1
        const end = t0 + 5 * MIN
        const first = st.upperBound(t0)
        let L = -1
        for (let i = st.upperBound(end) - 1; i >= first; i--) {
          if (((st.flags[i] as number) & ELIGIBLE) !== 0) {
            L = i
            break
          }
        }
        if (L >= 0) {
          let startTs = Infinity
          for (let i = L; i >= first; i--) {
            if (((st.flags[i] as number) & ELIGIBLE) === 0) continue
            const t = st.ts[i] as number
            const a = articleA(tr, base, st.priceAt(t, now), proxyAt(t))
            if (!r5(a) || (a > 0 ? 1 : -1) !== sign) break
            startTs = t
          }
          if (startTs <= (st.ts[L] as number) - CONFIRM_MS) {
            dir = sign
            detectedAt = end
          }
        }
      }
      if (dir !== 0) {
        rec.signal = dirName(dir)
        rec.detectedAt = detectedAt
        rec.alertAt = Math.max(detectedAt, receivedAt)
        rec.confirmed = r5(a5) && (a5 > 0 ? 1 : -1) === dir
      } else rec.signal = 'none'
    } else if (tr.early.fired) {
      rec.signal = dirName(tr.early.dir)
      rec.detectedAt = tr.early.detectedAt
      rec.alertAt = Math.max(tr.early.detectedAt, receivedAt)
    }
    return rec
  }

  const sameRecord = (a: ImpactRecordV2, b: ImpactRecordV2): boolean => {
    for (const k of Object.keys(a) as Array<keyof ImpactRecordV2>) {
      if (k === 'asOf' || k === 'settings') continue
      if (a[k] !== b[k]) return false
    }
    return JSON.stringify(a.settings) === JSON.stringify(b.settings)
  }

  /** Recomputes a record and emits it when anything but asOf changed. */
  function refresh(tr: Tracked): void {
    const rec = compute(tr)
    if (rec.source === null) tr.sym.sourceless.add(tr)
    else tr.sym.sourceless.delete(tr)
    if (tr.last && sameRecord(tr.last, rec)) return
    tr.last = rec
    output().impacts.push(rec)
    counters.emitted++
  }

  /** Whether nothing a record reads was evicted (it can be recomputed exactly). */
  const retained = (tr: Tracked): boolean => tr.article.published - ARTICLE_LOOKBACK_MS > tr.sym.store.evictedUpTo

  /** A finished record again: recomputed while its data is retained, else only its stale flag. */
  function refreshFinal(tr: Tracked): void {
    if (retained(tr)) {
      refresh(tr)
      return
    }
    tr.sym.sourceless.delete(tr)
    if (!tr.last) return
    const stale = staleOf(tr.sym, tr.article.id, tr.article.published, titleWords(tr.article.title))
    if (stale === tr.last.stale) return
    tr.last = { ...tr.last, stale, asOf: now }
    output().impacts.push(tr.last)
    counters.emitted++
  }

  const dueAfter = (t0: number): number => {
    for (const off of [0, MIN, 5 * MIN, 15 * MIN]) if (t0 + off > now) return t0 + off
    return Infinity
  }

  const finish = (tr: Tracked): void => {
    tr.final = true
    const i = tr.sym.trackers.indexOf(tr)
    if (i >= 0) tr.sym.trackers.splice(i, 1)
    finals.set(tr.key, tr)
    if (finals.size > maxFinal) {
      const oldest = finals.keys().next().value
      if (oldest !== undefined) {
        finals.get(oldest)?.sym.sourceless.delete(finals.get(oldest) as Tracked)
        finals.delete(oldest)
      }
    }
  }

  const runDue = (): void => {
    if (now < nextDueMin) return
    let min = Infinity
    for (let i = 0; i < open.length; i++) {
      const tr = open[i] as Tracked
      if (now >= tr.due) {
        refresh(tr)
        tr.due = dueAfter(tr.article.published)
      }
      if (tr.due === Infinity) {
        finish(tr)
        open.splice(i, 1)
        i--
        continue
      }
      if (tr.due < min) min = tr.due
    }
    nextDueMin = min
  }

  const evict = (): void => {
    if (now < nextEvictAt) return
    nextEvictAt = now + EVICT_EVERY_MS
    let floor = now - retentionMs
    for (const tr of open) floor = Math.min(floor, tr.article.published - ARTICLE_LOOKBACK_MS)
    for (const s of symList) {
      s.store.evictBefore(floor)
      syncShift(s)
      s.cov.evict(floor)
      const oldest = now - STALE_WINDOW_MS - 60 * MIN
      if (s.headlines.some((h) => h.published < oldest)) s.headlines = s.headlines.filter((h) => h.published >= oldest)
    }
  }

  /** Data time moves forward to t: evaluate the prints it reached, then records whose horizons passed. */
  const moveTime = (t: number): void => {
    if (!(t > now)) return
    now = t
    while (qHead < qTail && (qTs[qHead] as number) <= now) {
      const s = symList[qSym[qHead] as number] as Sym
      qHead++
      processSymbol(s)
    }
    if (qHead === qTail) {
      qHead = 0
      qTail = 0
    }
    for (let i = 0; i < pending.length; i++) {
      const s = pending[i] as Sym
      processSymbol(s)
      if (s.next >= s.store.n) pending.splice(i--, 1)
    }
    runDue()
    evict()
  }

  const begin = (): void => {
    out = NOTHING
  }

  /** The output of the call under way, allocated at its first emission (most calls emit nothing). */
  const output = (): EngineOutput => {
    if (out === NOTHING) out = { impacts: [], moves: [] }
    return out
  }

  // ---------------------------------------------------------------- input

  /** Flags for a valid print: eligible (session + table without Form T), volume-counting, source. */
  const printFlags = (ts: number, conditions: readonly number[] | undefined, source: PrintSource): number => {
    const f = conditionFlags(conditions, ELIGIBILITY_FLAGS)
    let flags = SOURCE_BITS[source] << SRC_SHIFT
    if ((f & NO_LAST) === 0 && !Number.isNaN(sessionStart(ts))) flags |= ELIGIBLE
    if ((f & NO_VOLUME) === 0) flags |= VOLUME
    return flags
  }

  const valid = (ts: unknown, price: unknown, size: unknown): boolean =>
    typeof ts === 'number' && Number.isFinite(ts) && typeof price === 'number' && Number.isFinite(price) && price > 0 &&
    typeof size === 'number' && Number.isFinite(size) && size > 0

  /**
   * Stores a batch (a history window): duplicates of held prints and within the batch are dropped as store() drops
   * them; the rest merge in one pass, in the order single stores would have left them (a stable sort keeps equal
   * keys in arrival order, after the held ones).
   */
  const storeMany = (s: Sym, rows: { ts: number; seq: number; price: number; size: number; weight: number; flags: number }[]): void => {
    const st = s.store
    rows.sort((a, b) => a.ts - b.ts || a.seq - b.seq)
    const batch: BatchPrints = { ts: [], seq: [], price: [], size: [], weight: [], flags: [] }
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j] as (typeof rows)[number]
      const prev = batch.ts.length - 1
      if (st.hasSeq(r.ts, r.seq) || (prev >= 0 && r.seq !== Infinity && batch.ts[prev] === r.ts && batch.seq[prev] === r.seq)) {
        counters.duplicates++
        continue
      }
      batch.ts.push(r.ts)
      batch.seq.push(r.seq)
      batch.price.push(r.price)
      batch.size.push(r.size)
      batch.weight.push(r.weight)
      batch.flags.push(r.flags)
    }
    syncShift(s)
    const moved = st.insertMany(batch, s.next)
    syncShift(s)
    s.next += moved
    counters.prints += batch.ts.length
  }

  /**
   * Drops the cached bases (p0, p_M(t0), sigma) that data of s in [from, to] (prints and coverage) can change; the
   * proxy's data touches every symbol's. A base reads prices at points of [t0 − 30 min, t0]: each from the prints
   * of the 2 s before it, else the last print at or before it. So records with t0 ≥ from whose earliest point's
   * 2-second window reaches into the window, or whose last print at or before that point is in or before it.
   * Recomputing only those keeps a history load linear in the headlines it touches.
   */
  const invalidate = (s: Sym, from = -Infinity, to = Infinity): void => {
    const all = s.name === settings.proxy
    const st = s.store
    const hit = (tr: Tracked): boolean => {
      const t0 = tr.article.published
      if (t0 < from) return false
      const first = t0 - 30 * MIN
      if (first - PRICE_WINDOW_MS <= to) return true
      const j = st.lastEligibleAtOrBefore(first)
      return j < 0 || (st.ts[j] as number) <= to
    }
    for (const x of all ? symList : [s]) {
      x.sigmaT = NaN
      for (const tr of x.trackers) if (hit(tr)) tr.base = null
      for (const tr of finals.values()) if (tr.sym === x && hit(tr)) tr.base = null
    }
  }

  const refreshSymbol = (s: Sym): void => {
    const all = s.name === settings.proxy
    for (const x of all ? symList : [s]) replay(x)
    for (const x of all ? symList : [s]) {
      for (const tr of x.trackers) refresh(tr)
      for (const tr of finals.values()) if (tr.sym === x && retained(tr)) refresh(tr)
    }
  }

  const engine: ImpactEngine = {
    onTrade(trade) {
      begin()
      if (typeof trade !== 'object' || trade === null || typeof trade.symbol !== 'string' || trade.symbol === '' ||
        !valid(trade.ts, trade.price, trade.size)) {
        counters.rejected++
        return out
      }
      const s = symbol(trade.symbol)
      const seq = typeof trade.seq === 'number' && Number.isFinite(trade.seq) ? trade.seq : Infinity
      if (s.store.hasSeq(trade.ts, seq)) {
        counters.duplicates++
        return out
      }
      if (s.firstLive === Infinity) {
        s.firstLive = trade.ts
        const cut = s.store.lowerBound(trade.ts)
        if (cut < s.store.n) {
          // Live wins: history at or after the first live print goes, and the day is evaluated again.
          s.store.truncate(cut)
          replay(s)
        }
      }
      const flags = printFlags(trade.ts, trade.conditions, 'live')
      syncShift(s)
      const at = s.store.insert(trade.ts, seq, trade.price, trade.size, 1, flags)
      syncShift(s)
      // A late print lands before prints already evaluated: it is kept, and not evaluated itself.
      if (at < s.next) s.next++
      counters.prints++
      s.cov.livePrint(trade.ts)
      push(s.index, trade.ts)
      moveTime(trade.ts - LIVE_LAG_MS)
      return out
    },

    liveStarted(sym, at) {
      if (typeof sym !== 'string' || sym === '' || !Number.isFinite(at)) return
      symbol(sym).cov.liveStarted(at)
    },

    liveStopped(sym, at) {
      if (typeof sym !== 'string' || sym === '' || !Number.isFinite(at)) return
      symbol(sym).cov.liveStopped(at)
    },

    addHistory(sym, from, to, data) {
      begin()
      if (typeof sym !== 'string' || sym === '' || !Number.isFinite(from) || !Number.isFinite(to)) return out
      const s = symbol(sym)
      const cut = s.firstLive
      const isBars = 'secondBars' in data
      if (from <= cut) s.cov.addHistory(from, Math.min(to, cut), isBars ? 'seconds' : 'trades')
      // The window's prints are sorted and merged into the store in one pass (storeMany).
      const rows: { ts: number; seq: number; price: number; size: number; weight: number; flags: number }[] = []
      if (isBars) {
        for (const b of data.secondBars as readonly SecondBarIn[]) {
          if (typeof b !== 'object' || b === null) {
            counters.rejected++
            continue
          }
          const ts = b.start + 999
          if (!valid(ts, b.close, b.volume)) {
            counters.rejected++
            continue
          }
          if (ts >= cut) continue
          const w = Number.isFinite(b.trades) ? Math.max(1, b.trades) : 1
          rows.push({ ts, seq: Infinity, price: b.close, size: b.volume, weight: w, flags: printFlags(ts, [], 'seconds') })
        }
      } else {
        for (const p of data.prints as readonly EnginePrint[]) {
          if (typeof p !== 'object' || p === null || !valid(p.ts, p.price, p.size)) {
            counters.rejected++
            continue
          }
          if (p.ts >= cut) continue
          const seq = typeof p.seq === 'number' && Number.isFinite(p.seq) ? p.seq : Infinity
          const src: PrintSource = p.source === 'seconds' ? 'seconds' : 'trades'
          rows.push({ ts: p.ts, seq, price: p.price, size: p.size, weight: 1, flags: printFlags(p.ts, p.conditions, src) })
        }
      }
      storeMany(s, rows)
      invalidate(s, from, to)
      refreshSymbol(s)
      return out
    },

    addMinuteBars(sym, bars) {
      begin()
      if (typeof sym !== 'string' || sym === '') return out
      const s = symbol(sym)
      for (const b of bars) if (typeof b === 'object' && b !== null) s.bars.add(b)
      s.bars.trim()
      const all = s.name === settings.proxy
      for (const x of all ? symList : [s]) {
        x.betaCache.clear()
        x.floorCache.clear()
        x.statDay = NaN
      }
      invalidate(s)
      refreshSymbol(s)
      return out
    },

    onArticle(article: EngineArticle) {
      begin()
      if (typeof article !== 'object' || article === null || typeof article.id !== 'string' || article.id === '' ||
        !Number.isFinite(article.published) || !Number.isFinite(article.receivedAt) || !Array.isArray(article.tickers)) {
        return out
      }
      let known = articles.get(article.id)
      if (!known) {
        known = {
          id: article.id,
          published: article.published,
          receivedAt: article.receivedAt,
          title: typeof article.title === 'string' ? article.title : '',
          tickers: new Set(),
        }
        articles.set(article.id, known)
        counters.articles++
        // Ids are remembered to merge revisions; the oldest are forgotten past a bound.
        if (articles.size > MAX_ARTICLE_IDS) {
          const oldest = articles.keys().next().value
          if (oldest !== undefined) articles.delete(oldest)
        }
      }
      const words = titleWords(known.title)
      for (const ticker of article.tickers) {
        if (typeof ticker !== 'string' || ticker === '' || known.tickers.has(ticker)) continue
        known.tickers.add(ticker)
        const s = symbol(ticker)
        s.headlines.push({ id: known.id, published: known.published, words, order: headlineOrder++ })
        if (s.headlines.length > MAX_HEADLINES_PER_SYMBOL) {
          s.headlines.sort((a, b) => a.published - b.published || a.order - b.order)
          s.headlines.shift()
        }
        const tr: Tracked = {
          key: `${known.id}|${ticker}`,
          article: known,
          sym: s,
          base: null,
          early: freshEarly(),
          due: 0,
          final: false,
          last: null,
        }
        // Stale flags of later headlines of S (within 24 h) can change with this one.
        for (const other of s.trackers) if (other.article.published > known.published && other.article.published <= known.published + STALE_WINDOW_MS) refresh(other)
        for (const other of finals.values()) {
          if (other.sym === s && other.article.published > known.published && other.article.published <= known.published + STALE_WINDOW_MS) refreshFinal(other)
        }
        s.trackers.push(tr)
        rescanEarly(tr)
        refresh(tr)
        tr.due = dueAfter(known.published)
        if (tr.due === Infinity) finish(tr)
        else {
          open.push(tr)
          nextDueMin = Math.min(nextDueMin, tr.due)
        }
        for (const mv of s.moves.values()) {
          if (Math.abs(mv.detectedAt - known.published) > LINK_MS) continue
          const updated = { ...mv, headlines: linkedHeadlines(s, mv.detectedAt) }
          s.moves.set(mv.id, updated)
          emitMove(updated)
        }
      }
      return out
    },

    advance(t) {
      begin()
      if (typeof t === 'number' && Number.isFinite(t)) moveTime(t)
      return out
    },

    setSettings(next) {
      begin()
      const ok =
        typeof next === 'object' && next !== null && typeof next.proxy === 'string' && next.proxy !== '' &&
        [next.z, next.rvol, next.zWithVolume, next.zMove].every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)
      if (!ok) return out
      const proxyChanged = next.proxy !== settings.proxy
      settings = { ...next }
      proxySym = syms.get(settings.proxy)
      if (proxyChanged) {
        for (const s of symList) {
          s.betaCache.clear()
          s.floorCache.clear()
          s.statDay = NaN
          s.sigmaT = NaN
          for (const tr of s.trackers) tr.base = null
          replay(s)
        }
      }
      for (const tr of open) rescanEarly(tr)
      for (const tr of open) refresh(tr)
      return out
    },

    settings: () => ({ ...settings }),
    now: () => now,
    covered(symbol, from, to) {
      const s = syms.get(symbol)
      return s !== undefined && s.cov.covered(from, to, now)
    },

    historyNeeds() {
      const wanted = new Map<Sym, Array<[number, number]>>()
      // Finished records count too while their window is within retention: an article published before the
      // app started is final on arrival and is exactly what history is for.
      const recent = [...open]
      for (const tr of finals.values()) if (tr.article.published - 30 * MIN >= now - retentionMs) recent.push(tr)
      for (const tr of recent) {
        const t0 = tr.article.published
        const s = tr.sym
        const from = t0 - 30 * MIN
        const to = Math.min(t0 + 15 * MIN, now, s.firstLive - 1)
        if (!(to >= from)) continue
        let list = wanted.get(s)
        if (!list) {
          list = []
          wanted.set(s, list)
        }
        list.push([from, to])
      }
      const needs: HistoryWindow[] = []
      for (const [s, list] of wanted) {
        list.sort((a, b) => a[0] - b[0])
        const merged: Array<[number, number]> = []
        for (const w of list) {
          const last = merged[merged.length - 1]
          if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1])
          else merged.push([w[0], w[1]])
        }
        for (const [from, to] of merged) {
          for (const [a, b] of s.cov.gaps(from, to, now)) needs.push({ symbol: s.name, from: a, to: b })
        }
      }
      return needs
    },

    snapshot() {
      // A record's numbers change only at the moments it is emitted; as of now it reads the same.
      const impacts: ImpactRecordV2[] = []
      for (const tr of finals.values()) if (tr.last) impacts.push({ ...tr.last, asOf: now })
      for (const tr of open) if (tr.last) impacts.push({ ...tr.last, asOf: now })
      const moves: MoveAlert[] = []
      const today = Number.isFinite(now) ? dayOf(now) : NaN
      for (const s of symList) for (const m of s.moves.values()) if (dayOf(m.detectedAt) === today) moves.push(m)
      moves.sort((a, b) => a.detectedAt - b.detectedAt || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
      return { impacts, moves }
    },

    stats: () => {
      let entries = 0
      for (const s of symList) entries += s.store.count
      return { ...counters, entries }
    },
  }
  return engine
}

/** UTC instant of wall-clock minute `minute` on the trading day starting at `day`. */
function wallToUtc(day: number, minute: number): number {
  const d = tradingDay(day)
  return d.pre + (minute - 240) * MIN
}
