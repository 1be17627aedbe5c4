// Shapes of price shocks, pure. A shock is a few ramps of the log price (added to the symbol's, or for a macro move
// to the market factor's), the trade-rate surge news brings, and possibly a trading halt. News shocks look like
// real ones: sometimes a little leakage in the minutes before publication, most of the move within 5–60 s of it, then
// a continuation or a partial reversal over the next minutes; a big one may reach the Limit Up-Limit Down band and
// halt the stock for 5 or 10 minutes (no prints; the rest of the move shows when it reopens).
import { easternMinuteOfDay } from '../domain/eastern-time'
import type { Rng } from './prng'
import type { SessionName } from './intraday'

/** A log-price change spread over [from, to]: linear, or front-loaded (`fast`: ~80 % in the first third). */
export interface Ramp {
  from: number
  to: number
  log: number
  curve: 'linear' | 'fast'
}

export interface VolumeWindow {
  from: number
  until: number
  factor: number
}

export interface ShockShape {
  ramps: Ramp[]
  volume: VolumeWindow[]
  halt: { from: number; to: number } | null
  /** Publication time: the main move starts here. */
  start: number
  /** When the main move is complete (start + 5–60 s; the halt's end for a halted shock). */
  landed: number
  /** When the last ramp ends. */
  end: number
  /** Net log move from before the first ramp to `end`. */
  size: number
}

/** The Limit Up-Limit Down limit state: a stock at its band for this long pauses. */
export const LIMIT_STATE_MS = 15_000

/**
 * The LULD price band of a Tier 1 stock above $3 at t: 5 %, doubled in the first 15 and the last 25 minutes of the
 * regular session. Pure.
 */
export function luldBand(t: number): number {
  const minute = easternMinuteOfDay(t)
  return minute < 585 || minute >= 935 ? 0.1 : 0.05
}

/** How far before its start a news shock may leak, and how far after its start it may still move. */
export const NEWS_SHOCK_BEFORE_MS = 5 * 60_000
export const NEWS_SHOCK_AFTER_MS = 20 * 60_000
const FAST_K = 5
const FAST_NORM = 1 - Math.exp(-FAST_K)

/** How much of ramp r has happened by t (log units). Pure. */
export function rampLevel(r: Ramp, t: number): number {
  if (t <= r.from) return 0
  if (t >= r.to) return r.log
  const x = (t - r.from) / (r.to - r.from)
  return r.log * (r.curve === 'linear' ? x : (1 - Math.exp(-FAST_K * x)) / FAST_NORM)
}

/** The sum of the ramps at t. Pure. */
export function rampsLevel(ramps: readonly Ramp[], t: number): number {
  let s = 0
  for (const r of ramps) s += rampLevel(r, t)
  return s
}

/** The old scheduleShock shape: one linear ramp over `overMs` (a step when 0) and one volume window. */
export function linearShock(at: number, overMs: number, log: number, volumeFactor: number, volumeUntil: number): ShockShape {
  const ramps: Ramp[] = [{ from: overMs > 0 ? at : at - 1, to: at + Math.max(0, overMs), log, curve: 'linear' }]
  return {
    ramps,
    volume: volumeFactor !== 1 ? [{ from: at, until: volumeUntil, factor: volumeFactor }] : [],
    halt: null,
    start: at,
    landed: at + overMs,
    end: at + overMs,
    size: log,
  }
}

export interface NewsShockInput {
  /** Publication time (whole ms); the main move starts here. */
  start: number
  /** Net log move of the shock (its sign is the news' direction). */
  log: number
  session: SessionName
  /** Earliest time a ramp may begin (the tape is already generated up to here): leakage starts no earlier. */
  notBefore: number
  /** Trade-rate multiplier while the news is fresh. */
  volumeFactor: number
  /** Halts are possible (company news; never for a macro move). */
  mayHalt: boolean
}

/**
 * A realistic news shock drawn from `rng`: leakage (25 %: 10–25 % of the move over 1–5 min before the start),
 * the main move (front-loaded over 5–60 s), then continuation (35 %: +10–30 % over 3–15 min), partial reversal
 * (30 %: −10–40 % over 3–15 min) or nothing. Halts follow the Limit Up-Limit Down plan (src-main/simulator/README.md): in the
 * regular session a company shock whose main move reaches the price band (5 % for these Tier 1 names, doubled in
 * 09:30–09:45 and 15:35–16:00 ET) holds at the band for the 15-second limit state, and half of those pause for 5
 * minutes (30 % of pauses extended to 10, as a reopening auction that cannot clear); the rest of the move shows
 * at the reopening. The band is taken from the price at the start (the plan's reference is the 5-minute mean
 * price, which a leak has barely moved). Pure but for the draws.
 */
export function newsShock(rng: Rng, o: NewsShockInput): ShockShape {
  const { start, log } = o
  const ramps: Ramp[] = []
  let leak = 0
  const uLeak = rng.next()
  const leakShare = 0.1 + rng.next() * 0.15
  const leakMs = 60_000 + Math.round(rng.next() * 4 * 60_000)
  if (uLeak < 0.25 && start - leakMs > o.notBefore) {
    leak = log * leakShare
    ramps.push({ from: start - leakMs, to: start, log: leak, curve: 'linear' })
  }
  const uAfter = rng.next()
  const afterShare = rng.next()
  const afterMs = 3 * 60_000 + Math.round(rng.next() * 12 * 60_000)
  const mainMs = 5_000 + Math.round(rng.next() * 55_000)
  const uHalt = rng.next()
  // Drawn though unused since halts follow the price band: the draws after it (and every seed's later shocks)
  // stay as they were.
  rng.next()
  const haltMs = rng.next() < 0.7 ? 5 * 60_000 : 10 * 60_000
  const mainLog = log - leak
  const band = Math.log(1 + luldBand(start))
  const reachesBand = o.mayHalt && o.session === 'regular' && Math.abs(mainLog) >= band
  let halt: { from: number; to: number } | null = null
  if (reachesBand && uHalt < 0.5) {
    // When the front-loaded main move reaches the band (rampLevel's 'fast' curve solved for that level).
    const x = -Math.log(1 - (band / Math.abs(mainLog)) * FAST_NORM) / FAST_K
    const atBand = start + Math.max(1, Math.round(x * mainMs))
    halt = { from: atBand + LIMIT_STATE_MS, to: atBand + LIMIT_STATE_MS + haltMs }
    // Up to the band on the main move's own curve, at the band through the limit state, the rest at the reopening.
    ramps.push({ from: start, to: atBand, log: Math.sign(mainLog) * band, curve: 'fast' })
    ramps.push({ from: halt.from, to: halt.to - 1000, log: mainLog - Math.sign(mainLog) * band, curve: 'linear' })
  } else {
    ramps.push({ from: start, to: start + mainMs, log: mainLog, curve: 'fast' })
  }
  // Halted: the move is done at the reopening.
  const mainEnd = halt ? halt.to : start + mainMs
  let after = 0
  if (uAfter < 0.35) after = log * (0.1 + afterShare * 0.2)
  else if (uAfter < 0.65) after = -log * (0.1 + afterShare * 0.3)
  if (after !== 0) ramps.push({ from: mainEnd, to: mainEnd + afterMs, log: after, curve: 'linear' })
  const end = after !== 0 ? mainEnd + afterMs : mainEnd
  const volume: VolumeWindow[] = [
    { from: start, until: (halt ? halt.to : start) + 2 * 60_000, factor: o.volumeFactor },
    { from: (halt ? halt.to : start) + 2 * 60_000, until: (halt ? halt.to : start) + 10 * 60_000, factor: 1 + (o.volumeFactor - 1) / 3 },
  ]
  if (leak !== 0) volume.push({ from: start - leakMs, until: start, factor: 1 + (o.volumeFactor - 1) / 4 })
  return { ramps, volume, halt, start, landed: mainEnd, end, size: leak + mainLog + after }
}
