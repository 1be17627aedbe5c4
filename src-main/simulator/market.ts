// The market model for one symbol: the "true" log price is the market factor times the symbol's beta
// (factor.ts, shared by all symbols) plus the symbol's own geometric random walk plus its news shocks
// (shocks.ts); an NBBO re-quotes around it (Q), and Poisson trade arrivals (T) at the quoted prices
// (bouncing between bid and ask) follow the intraday U-shape. Pre-market and after-hours prints are thin Form T
// prints (condition 12) with wider spreads; overnight a thin floor of ordinary prints keeps the demo alive. Halts stop quotes and prints. Events are generated strictly in
// time order from one PRNG, so the tape is the same however generation is chunked (ticks, history catch-up,
// fast mode).
import { BarAccumulator, round4 } from './bars'
import { CONDITION_FORM_T, CONDITION_ISO, CONDITION_ODD_LOT } from './conditions'
import { easternDayStart, easternMinuteOfDay } from '../domain/eastern-time'
import { MarketFactor } from './factor'
import { intradayFactorCached, type SessionName, sessionOfMinute, varianceFactor } from './intraday'
import { hashSeed, Rng } from './prng'
import { linearShock, rampsLevel, type Ramp, type ShockShape, type VolumeWindow } from './shocks'
import type { SymbolProfile } from './symbols'
import { type ConditionSets, FINRA_TRF_EXCHANGE, LATE_TRF_MS, NO_BAR, participantTime, placeOf, QuoteTape, TradeTape, trfIdOf } from './tape'
import { barJson, decimalSizeText, quoteJson, tradeJson } from './wire'

/** Event kinds in the outbound buffer. */
export const EV_T = 0
export const EV_Q = 1
export const EV_A = 2
export const EV_AM = 3
export const EV_NAMES = ['T', 'Q', 'A', 'AM'] as const

/** Outbound events of one symbol since the last flush, in generation order. */
export interface EventBuffer {
  kinds: number[]
  json: string[]
  /** Every kind that may be in the buffer (union of the masks it was generated with). */
  mask: number
}

export interface ShockPlan {
  at: number
  overMs: number
  logJump: number
  volumeFactor: number
  volumeUntil: number
}

// Exchange ids (Polygon numbering) and their share of prints; 4 = FINRA TRF (off-exchange).
const TRADE_EXCHANGES = [4, 12, 10, 11, 19, 8, 15, 21, 7, 18, 1, 3, 17, 9, 2]
const TRADE_WEIGHTS = [34, 14, 9, 8, 7, 6, 4, 4, 3, 3, 2, 2, 2, 1, 1]
const QUOTE_EXCHANGES = [12, 10, 11, 19, 8, 15, 21, 7, 18, 17]
const QUOTE_WEIGHTS = [20, 15, 14, 12, 10, 8, 7, 5, 5, 4]
function cumulative(w: number[]): number[] {
  let s = 0
  return w.map((x) => (s += x))
}
const TRADE_CUM = cumulative(TRADE_WEIGHTS)
const QUOTE_CUM = cumulative(QUOTE_WEIGHTS)
/** Share of off-exchange prints reported late (`trft` seconds to minutes before `t`); a tenth of those > 15 min. */
const LATE_TRF_SHARE = 0.005
/** Share of prints that are fractional-share trades (`s` = 1, true size in `ds`). */
const FRACTIONAL_SHARE = 0.02
/** Conditions that do not update last: printed away from the market, like real average-price prints. */
const OFF_MARKET_CONDITIONS = [2, 7, 10, 22, 29, 53]

/** One trading year of regular-session milliseconds: volatility is quoted per trading time. */
const YEAR_MS = 252 * 6.5 * 3_600_000

export interface MarketOptions {
  seed: number
  origin: number
  intensity: number
  quoteRatio: number
  conds: ConditionSets
  /** The market factor shared by every symbol of a simulator; without it, the same path made privately. */
  factor?: MarketFactor
}

/** Spreads widen outside regular hours (fewer market makers quote). */
const EXTENDED_SPREAD_FACTOR = 3
/** Share of odd-lot prints in regular hours and outside them (retail trades more of the extended session). */
const ODD_LOT_SHARE = 0.23
const EXTENDED_ODD_LOT_SHARE = 0.45

export class SymbolMarket {
  readonly trades: TradeTape
  readonly quotes: QuoteTape
  private readonly rng: Rng
  private readonly factor: MarketFactor
  private readonly logStart: number
  /** The symbol's own log move since the origin (its random walk). */
  private idio = 0
  private priceT: number
  private nextTrade: number
  private nextQuote: number
  private bidC = 0
  private askC = 0
  private bidLots = 1
  private askLots = 1
  private bx = 12
  private ax = 12
  private seq: number
  private tradeId: number
  private readonly varPerMs: number
  private readonly ratePerMs: number
  /** Generated up to and including this simulated time. */
  genTo: number
  private ramps: Ramp[] = []
  /** Sum of the ramps that ended (folded out of `ramps`: the price path only moves forward in time). */
  private settled = 0
  private volume: VolumeWindow[] = []
  /** Trading halts, sorted by start: no quotes and no prints in [from, to). */
  private readonly halts: { from: number; to: number }[] = []
  private readonly sec = new BarAccumulator()
  private readonly min = new BarAccumulator()
  private secOpen = false
  private minOpen = false
  private dayStart = -1
  private dayEnd = -1
  /** Day volume in micro-shares (exact). */
  private dayVolume = 0
  private dayPv = 0
  private dayOpen = 0
  /** Outbound buffer while someone is subscribed; null while generating silently. */
  out: EventBuffer | null = null
  /** Which kinds (bit per EV_*) go to `out`; others are not even serialised. */
  outMask = 0

  constructor(
    readonly profile: SymbolProfile,
    private readonly opts: MarketOptions,
  ) {
    const sym = profile.symbol
    this.rng = new Rng(hashSeed(opts.seed, sym))
    this.trades = new TradeTape(sym, profile.tape, opts.conds)
    this.quotes = new QuoteTape(sym)
    this.factor = opts.factor ?? new MarketFactor(opts.seed, opts.origin)
    this.logStart = Math.log(profile.startPrice)
    this.priceT = opts.origin
    this.varPerMs = (profile.idioVol * profile.idioVol) / YEAR_MS
    this.ratePerMs = (profile.baseRate * opts.intensity) / 1000
    this.seq = 1_000 + (hashSeed(opts.seed, `seq:${sym}`) % 100_000)
    this.tradeId = 1_000_000 + (hashSeed(opts.seed, `id:${sym}`) % 9_000_000)
    this.genTo = opts.origin
    this.requote(opts.origin)
    this.nextTrade = opts.origin + this.gap(opts.origin, 1)
    this.nextQuote = opts.origin + this.gap(opts.origin, opts.quoteRatio)
  }

  /** Where the tape starts (ms); the minute history of earlier sessions is synthetic (history.ts). */
  get origin(): number {
    return this.opts.origin
  }

  get intensity(): number {
    return this.opts.intensity
  }

  addShock(s: ShockPlan): void {
    this.addShape(linearShock(s.at, s.overMs, s.logJump, s.volumeFactor, s.volumeUntil))
  }

  /** Adds a shock's ramps, volume surge and halt (parts before `genTo` are history and cannot change). */
  addShape(s: ShockShape): void {
    for (const r of s.ramps) this.ramps.push(r)
    for (const v of s.volume) this.volume.push(v)
    if (s.halt) {
      this.halts.push(s.halt)
      this.halts.sort((a, b) => a.from - b.from)
    }
    // Re-quote exactly at the start so the move shows up then, not at the next random quote.
    if (s.start > this.genTo && s.start < this.nextQuote) this.nextQuote = s.start
    for (const r of s.ramps) if (r.from > this.genTo && r.from < this.nextQuote) this.nextQuote = r.from
  }

  /** The end of the halt covering t, or 0 when none does. */
  private haltEnd(t: number): number {
    for (const h of this.halts) {
      if (h.from > t) break
      if (t < h.to) return h.to
    }
    return 0
  }

  /** The true log price at t given the idiosyncratic walk there (beta × market + own + shocks). */
  private logPriceAt(t: number): number {
    let shock = this.settled
    if (this.ramps.length > 0) {
      if (this.ramps.some((r) => r.to <= t)) {
        for (const r of this.ramps) if (r.to <= t) this.settled += r.log
        this.ramps = this.ramps.filter((r) => r.to > t)
        shock = this.settled
      }
      shock += rampsLevel(this.ramps, t)
    }
    return this.logStart + this.profile.beta * this.factor.level(t) + this.idio + shock
  }

  private readonly condIds = new Map<number, number>()
  /** Interned id of the (sorted) condition set of up to three codes; 0 = none. */
  private condId(a: number, b: number, c: number): number {
    if (a === 0 && b === 0 && c === 0) return 0
    const key = (a * 256 + b) * 256 + c
    let id = this.condIds.get(key)
    if (id === undefined) {
      const list = [a, b, c].filter((x) => x !== 0).sort((p, q) => p - q)
      id = this.opts.conds.intern(list)
      this.condIds.set(key, id)
    }
    return id
  }

  private factorMinute = -1
  private factorValue = 1
  private sessionValue: SessionName = 'regular'
  private varScale = 1
  /** Refreshes the per-minute values (rate, session, variance share) when t is in a new minute. */
  private minuteOf(t: number): void {
    const minute = Math.floor(t / 60_000)
    if (minute !== this.factorMinute) {
      this.factorMinute = minute
      this.factorValue = intradayFactorCached(t)
      this.sessionValue = sessionOfMinute(easternMinuteOfDay(minute * 60_000))
      this.varScale = varianceFactor(this.sessionValue)
    }
  }

  private rateFactor(t: number): number {
    this.minuteOf(t)
    let f = this.factorValue
    if (this.volume.length === 0) return f
    let over = false
    for (const v of this.volume) {
      if (t >= v.from && t < v.until) f *= v.factor
      else if (t >= v.until) over = true
    }
    // Events come in time order: a window that ended never applies again.
    if (over) this.volume = this.volume.filter((v) => t < v.until)
    return f
  }

  private gap(t: number, ratio: number): number {
    return this.rng.exponential(this.ratePerMs * ratio * this.rateFactor(t))
  }

  /** Generate every event with time <= T, then emit the bars of windows that closed by T. */
  advance(T: number): void {
    if (T <= this.genTo) return
    for (;;) {
      const nt = this.nextTrade
      const nq = this.nextQuote
      if (nq <= nt) {
        if (nq > T) break
        const halted = this.halts.length > 0 ? this.haltEnd(nq) : 0
        if (halted > 0) {
          // No quotes while halted: the book reopens exactly at the halt's end.
          this.nextQuote = halted
          continue
        }
        this.requote(nq)
        this.emitQuote(nq)
        this.nextQuote = nq + this.gap(nq, this.opts.quoteRatio)
      } else {
        if (nt > T) break
        const halted = this.halts.length > 0 ? this.haltEnd(nt) : 0
        if (halted > 0) {
          // No prints while halted; trading resumes just after the reopening quote.
          this.nextTrade = halted + 1 + this.gap(halted, 1)
          continue
        }
        this.trade(nt)
        this.nextTrade = nt + this.gap(nt, 1)
      }
    }
    this.closeWindows(T)
    this.genTo = T
  }

  /** Evolve the true price to t and set a fresh NBBO around it. */
  private requote(t: number): void {
    const dt = t - this.priceT
    this.minuteOf(t)
    if (dt > 0) {
      const v = this.varPerMs * this.varScale * dt
      this.idio += Math.sqrt(v) * this.rng.normal() - 0.5 * v
      this.priceT = t
    }
    const midC = Math.exp(this.logPriceAt(t)) * 100
    const wide = this.sessionValue === 'pre' || this.sessionValue === 'post' ? EXTENDED_SPREAD_FACTOR : 1
    const spreadTicks = Math.max(1, Math.round(midC * 0.00008 * wide * (1 + Math.exp(0.5 * this.rng.normal()))))
    const bidC = Math.max(1, Math.floor(midC - spreadTicks / 2))
    this.bidC = bidC
    this.askC = bidC + spreadTicks
    this.bidLots = 1 + Math.floor(Math.exp(1.2 * this.rng.normal() + 1))
    this.askLots = 1 + Math.floor(Math.exp(1.2 * this.rng.normal() + 1))
    this.bx = QUOTE_EXCHANGES[this.rng.pickCumulative(QUOTE_CUM)] ?? 12
    this.ax = QUOTE_EXCHANGES[this.rng.pickCumulative(QUOTE_CUM)] ?? 12
  }

  private emitQuote(tf: number): void {
    const t = Math.floor(tf)
    this.seq += 1 + (this.rng.nextU32() % 7)
    const bid = this.bidC / 100
    const ask = this.askC / 100
    this.quotes.push(t, bid, this.bidLots, ask, this.askLots, this.bx, this.ax, this.seq)
    const out = this.out
    if (out && (this.outMask & (1 << EV_Q)) !== 0) {
      out.kinds.push(EV_Q)
      // Sizes in shares, as every Polygon feed sends them since 2025-11-03.
      out.json.push(quoteJson(this.profile.symbol, this.bx, bid, this.bidLots * 100, this.ax, ask, this.askLots * 100, t, this.seq, this.profile.tape, t))
    }
  }

  private trade(tf: number): void {
    const rng = this.rng
    const t = Math.floor(tf)
    this.closeWindows(t + 0.5)
    if (t >= this.dayEnd) this.newDay(t)

    this.minuteOf(t)
    // Pre-market and after-hours; overnight is the demo's floor of ordinary prints (intraday.ts).
    const extended = this.sessionValue === 'pre' || this.sessionValue === 'post'
    // Size: log-normal round lots, some odd lots, a few fractional-share trades, rare blocks.
    let size: number
    const u = rng.next()
    if (u < FRACTIONAL_SHARE) size = (1 + (rng.nextU32() % 999_999)) / 1_000_000
    else if (u < FRACTIONAL_SHARE + (extended ? EXTENDED_ODD_LOT_SHARE : ODD_LOT_SHARE)) size = Math.min(99, Math.max(1, Math.round(Math.exp(Math.log(25) + 0.8 * rng.normal()))))
    else if (u < 0.997) size = 100 * Math.max(1, Math.round(Math.exp(0.7 * rng.normal())))
    else size = 100 * rng.int(50, 500)

    const x = TRADE_EXCHANGES[rng.pickCumulative(TRADE_CUM)] ?? 4
    // At most two conditions (a modifier and the odd-lot flag); kept in scalars on the hot path.
    let cond1 = 0
    const c = rng.next()
    let offMarket = false
    if (c < 0.08) cond1 = CONDITION_ISO
    else if (c < 0.11) cond1 = 41
    else if (c < 0.115) {
      cond1 = OFF_MARKET_CONDITIONS[rng.int(0, OFF_MARKET_CONDITIONS.length - 1)] ?? 2
      offMarket = true
    }
    const cond2 = size < 100 ? CONDITION_ODD_LOT : 0
    // Every pre-market and after-hours print is reported as Form T (extended hours), odd lots as [12, 37].
    const condId = this.condId(cond1, cond2, extended ? CONDITION_FORM_T : 0)

    // Price: at the bid, at the ask, or inside the spread; off-market prints stray from it.
    let cents: number
    const side = rng.next()
    if (side < 0.45) cents = this.bidC
    else if (side < 0.9) cents = this.askC
    else {
      // The draw is made whatever the spread, so a price path shifted by a market move keeps the same draws.
      const w = rng.next()
      cents = this.askC - this.bidC >= 2 ? this.bidC + 1 + Math.floor(w * (this.askC - this.bidC - 1)) : this.bidC
    }
    if (offMarket) cents = Math.max(1, Math.round(cents * (1 + 0.004 * rng.normal())))
    let price = cents / 100

    this.seq += 1 + (rng.nextU32() % 7)
    this.tradeId += 1 + (rng.nextU32() % 3)
    // A few off-exchange prints are reported late: the SIP sees them now (`t`), the TRF had them earlier (`trft`).
    const trf = x === FINRA_TRF_EXCHANGE
    let trft = trf ? t : 0
    if (trf && rng.next() < LATE_TRF_SHARE) {
      trft = t - (rng.next() < 0.1 ? rng.int(16 * 60_000, 25 * 60_000) : rng.int(15_000, 10 * 60_000))
      // It traded back then, at that time's price: the last print at or before its trft. Before the tape's
      // first print there is no such price: then it is reported on time after all.
      const j = this.trades.lowerBound(trft + 1) - 1
      if (j >= 0) price = this.trades.price(j)
      else trft = t
    }
    const id = this.tradeId
    this.trades.push(t, price, size, x, condId, this.seq, id, trft)
    const flags = this.opts.conds.flagsOf(condId)
    const last = (flags & 1) !== 0
    const vol = (flags & 2) !== 0

    const out = this.out
    if (out && (this.outMask & (1 << EV_T)) !== 0) {
      out.kinds.push(EV_T)
      // Participant time (participantTime): REST's /v3/trades derives the same value from the tape.
      const pt = participantTime(t, id, trft)
      out.json.push(
        tradeJson(this.profile.symbol, id, x, price, size, this.opts.conds.get(condId), t, this.seq, this.profile.tape, pt, trf ? trfIdOf(id) : 0, trft),
      )
    }

    // The day's volume counts every print when it arrives (Polygon's daily bar takes even very late ones).
    if (vol) {
      this.dayVolume += Math.round(size * 1_000_000)
      this.dayPv += price * size
    }
    if (last && this.dayOpen === 0) this.dayOpen = price

    if (trft !== 0 && trft < t) {
      // Late: it belongs to the windows of its trft, as in Polygon's aggregates. A window still open takes it;
      // a closed one is computed again from the tape and sent again ("we recalculate that bar and send it out
      // again"); more than 15 minutes late, no intraday bar takes it.
      if (placeOf(t, trft) === NO_BAR) return
      const lateMin = trft - (trft % 60_000)
      if (lateMin === t - (t % 60_000)) {
        // Its minute is the current one: not sent yet, it simply takes the print.
        if (!this.minOpen) {
          this.min.reset(lateMin, lateMin + 60_000)
          this.minOpen = true
        }
        this.min.add(price, size, last, vol)
      } else this.resendBar(EV_AM, lateMin, 60_000)
      this.resendBar(EV_A, trft - (trft % 1000), 1000)
      return
    }

    if (!this.secOpen) {
      const s = t - (t % 1000)
      this.sec.reset(s, s + 1000)
      this.secOpen = true
    }
    if (!this.minOpen) {
      const s = t - (t % 60_000)
      this.min.reset(s, s + 60_000)
      this.minOpen = true
    }
    this.sec.add(price, size, last, vol)
    this.min.add(price, size, last, vol)
  }

  private readonly again = new BarAccumulator()
  /** Sends the bar of a closed window again, computed from the tape by where each print belongs (placeOf). */
  private resendBar(kind: number, start: number, ms: number): void {
    const out = this.out
    if (!out || (this.outMask & (1 << kind)) === 0) return
    const tape = this.trades
    const idx: number[] = []
    // Prints of the window arrive from its start up to 15 minutes after its end.
    for (let i = tape.lowerBound(start); i < tape.length && tape.ts(i) < start + ms + LATE_TRF_MS; i++) {
      const at = tape.place(i)
      if (at >= start && at < start + ms) idx.push(i)
    }
    idx.sort((a, b) => tape.place(a) - tape.place(b) || tape.seq(a) - tape.seq(b))
    const acc = this.again
    acc.reset(start, start + ms)
    for (const i of idx) {
      const f = tape.flags(i)
      acc.add(tape.price(i), tape.size(i), (f & 1) !== 0, (f & 2) !== 0)
    }
    if (acc.hasBar) this.emitBar(kind, acc)
  }

  private newDay(t: number): void {
    this.dayStart = easternDayStart(t)
    this.dayEnd = easternDayStart(this.dayStart + 30 * 3_600_000)
    this.dayVolume = 0
    this.dayPv = 0
    this.dayOpen = 0
  }

  private closeWindows(T: number): void {
    if (this.secOpen && this.sec.end <= T) {
      this.secOpen = false
      if (this.sec.hasBar) this.emitBar(EV_A, this.sec)
    }
    if (this.minOpen && this.min.end <= T) {
      this.minOpen = false
      if (this.min.hasBar) this.emitBar(EV_AM, this.min)
    }
  }

  private emitBar(kind: number, b: BarAccumulator): void {
    const out = this.out
    if (!out || (this.outMask & (1 << kind)) === 0) return
    out.kinds.push(kind)
    out.json.push(
      barJson(kind === EV_A ? 'A' : 'AM', this.profile.symbol, {
        // `v`/`av` whole shares (the decimal's integer part), `dv`/`dav` the decimal volume with fractions.
        v: Math.floor(b.volume),
        dv: decimalSizeText(b.volume),
        av: Math.floor(this.dayVolume / 1_000_000),
        dav: decimalSizeText(this.dayVolume / 1_000_000),
        op: this.dayOpen,
        vw: b.vwap,
        o: b.open,
        c: b.close,
        h: b.high,
        l: b.low,
        a: this.dayVolume > 0 ? round4(this.dayPv / (this.dayVolume / 1_000_000)) : 0,
        z: b.trades > 0 ? Math.round(b.volume / b.trades) : 0,
        s: b.start,
        e: b.end,
      }),
    )
  }

  /** Current NBBO (for snapshots). */
  nbbo(): { bid: number; ask: number; bidLots: number; askLots: number } {
    return { bid: this.bidC / 100, ask: this.askC / 100, bidLots: this.bidLots, askLots: this.askLots }
  }
}
