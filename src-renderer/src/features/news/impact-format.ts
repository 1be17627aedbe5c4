// Pure wording of news impact v2 and move alerts for the timeline, toasts and markers (docs/impact-v2.md says what
// each field means). Kept next to src-main/app/alert-text.ts's desktop wording: the same move reads the same.
import type { MoveAlert, PrintSource } from '@domain/impact'
import type { ImpactRecord } from '@domain/news'
import { easternMinuteOfDay } from '@domain/eastern-time'
import { fmtRet } from '../../app/format'

const MIN = 60_000
export const HORIZONS = [1, 5, 15] as const
export type Horizon = (typeof HORIZONS)[number]

const minus = (v: number) => (v < 0 ? '−' : '+')

/** A log move as a percent with one decimal and a space, as in the alert wording: −0.0587 → "−5.7 %". */
export const fmtLogPct = (logMove: number): string => {
  const p = (Math.exp(logMove) - 1) * 100
  return `${minus(p)}${Math.abs(p).toFixed(1)} %`
}

/** |z| as sigmas: 8.04 → "8.0σ", 12.6 → "13σ". */
export const fmtSigma = (z: number): string => {
  const a = Math.abs(z)
  return `${a >= 10 ? a.toFixed(0) : a.toFixed(1)}σ`
}

export const fmtZ = (z: number | null): string => (z == null ? '' : ` z ${minus(z)}${Math.abs(z).toFixed(1)}`)

/** Seconds between two instants, whole, never negative. */
export const secondsBetween = (from: number, to: number): number => Math.max(0, Math.round((to - from) / 1000))

/** "TSLA −5.7 % in 40 s, 8.0σ beyond the market". */
export const moveTitle = (m: MoveAlert): string =>
  `${m.symbol} ${fmtLogPct(m.size)} in ${secondsBetween(m.windowStart, m.detectedAt)} s, ${fmtSigma(m.z)}${m.adjusted ? ' beyond the market' : ''}`

/** Hover text of a move: the numbers behind it. */
export const moveDetail = (m: MoveAlert): string =>
  [
    `price ${m.price.toFixed(m.price >= 1 ? 2 : 4)}`,
    `σ(1 m) ${(m.sigma * 100).toFixed(2)} %`,
    m.adjusted ? `β ${m.beta.toFixed(2)} vs ${m.settings.proxy}` : `raw move (no ${m.settings.proxy} price)`,
    `threshold ${m.settings.zMove}σ`,
  ].join(' · ')

export const SOURCE_LABEL: Record<PrintSource, string> = { live: 'live', trades: 'from REST trades', seconds: 'from 1-s bars' }

export const sourceTitle = (s: PrintSource): string =>
  s === 'live'
    ? 'Measured on trades from the live socket'
    : s === 'trades'
      ? 'Measured on trades loaded from Polygon REST (/v3/trades): the headline predates the live stream'
      : 'Measured on 1-second bars from Polygon REST (the plan has no tick trades): prices are bar closes'

export interface Cell {
  text: string
  title: string
  /** pending: the horizon has not passed; none: passed without trades; value: a number. */
  state: 'pending' | 'none' | 'value'
}

const arOf = (r: ImpactRecord, k: Horizon) => (k === 1 ? r.ar1 : k === 5 ? r.ar5 : r.ar15)
const retOf = (r: ImpactRecord, k: Horizon) => (k === 1 ? r.ret1 : k === 5 ? r.ret5 : r.ret15)
const zOf = (r: ImpactRecord, k: Horizon) => (k === 1 ? r.z1 : k === 5 ? r.z5 : r.z15)
const quietOf = (r: ImpactRecord, k: Horizon) => (k === 1 ? r.quiet1 : k === 5 ? r.quiet5 : r.quiet15)

/** One horizon of a headline on one symbol: the abnormal move and its z; raw return and beta on hover. */
export const horizonCell = (r: ImpactRecord, k: Horizon): Cell => {
  const label = `+${k}m`
  const ar = arOf(r, k)
  if (ar !== null) {
    const ret = retOf(r, k)
    const vs = r.adjusted ? `β ${r.beta.toFixed(2)} vs ${r.settings.proxy}` : `not market-adjusted (no ${r.settings.proxy} price)`
    return { text: `${label} ${fmtRet(ar)}${fmtZ(zOf(r, k))}`, title: `abnormal move at ${label}; raw ${fmtRet(ret)} · ${vs}`, state: 'value' }
  }
  if (r.asOf < r.published + k * MIN) return { text: `${label} …`, title: `${label} not reached yet`, state: 'pending' }
  // Passed with nothing measured: no eligible trade since the headline (docs/impact-v2.md), never a 0 % move.
  const quiet = quietOf(r, k) === true
  return {
    text: `${label} ${quiet ? 'halted? ' : ''}no trades since the headline`,
    title: quiet ? 'No trades since the headline although the symbol traded steadily before it: possibly halted' : 'No trades since the headline',
    state: 'none',
  }
}

export const rvolCell = (r: ImpactRecord): Cell => {
  if (r.rvol5 !== null) {
    const basis =
      r.rvolBasis === 'slot'
        ? 'volume in the 5 minutes after the headline vs the same 5 minutes on recent days'
        : 'volume in the 5 minutes after the headline vs the pace of the hour before it (no history for this time of day)'
    return { text: `rvol ${r.rvol5.toFixed(1)}×`, title: basis, state: 'value' }
  }
  if (r.asOf < r.published + 5 * MIN) return { text: 'rvol …', title: 'rvol5 is known at +5 m', state: 'pending' }
  return { text: 'rvol —', title: 'No volume basis: no recent days at this time and the hour before is not covered', state: 'none' }
}

/** "▲ up 38 s after the headline · confirmed at +5 m", or null without a signal. */
export const signalLine = (r: ImpactRecord): string | null => {
  if (r.signal !== 'up' && r.signal !== 'down') return null
  const arrow = r.signal === 'up' ? '▲ up' : '▼ down'
  const after = r.detectedAt === null ? '' : ` ${secondsBetween(r.published, r.detectedAt)} s after the headline`
  const conf = r.confirmed === true ? ' · confirmed at +5 m' : r.confirmed === false ? ' · not confirmed' : ''
  return `${arrow}${after}${conf}`
}

/** How a headline relates to its linked move alert: "preceded by a move alert 35 s before" / "move alert 12 s after". */
export const moveLink = (published: number, m: MoveAlert): string =>
  m.detectedAt <= published
    ? `preceded by a move alert ${secondsBetween(m.detectedAt, published)} s before: ${fmtLogPct(m.size)}`
    : `move alert ${secondsBetween(published, m.detectedAt)} s after: ${fmtLogPct(m.size)}`

/** Outside every session (before 04:00 or from 20:00 ET, docs/impact-v2.md "Session"): prints there move no price. */
export const outsideSessions = (ts: number): boolean => {
  const m = easternMinuteOfDay(ts)
  return m < 4 * 60 || m >= 20 * 60
}

/** Why a headline has no p0: no eligible trade at or before it (overnight nothing is eligible). */
export const noPriceText = (published: number): { text: string; title: string } =>
  outsideSessions(published)
    ? { text: 'outside market hours: not measured', title: 'Published outside every session (20:00–04:00 ET): trades then set no price' }
    : { text: 'no trades before it this session', title: 'No trade of this symbol at or before the headline in this session' }
