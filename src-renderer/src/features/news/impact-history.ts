// Pure helpers for the per-symbol news-impact history line above the timeline: which symbol it is about, and
// its wording ("after 42 past headlines: median +5 m move +0.8 %, 31 % signalled").
import type { Article } from '@domain/news'
import type { ImpactHistory } from '@contract/contract'
import { SYMBOL_PATTERN } from '@contract/settings-schema'

export interface HistorySymbolInput {
  /** The timeline's ticker filter. */
  tickerFilter: string | null
  /** The selected (focused) article, if any. */
  selected: Article | null | undefined
  /** Symbols with a chart open, in grid order. */
  openCharts: readonly string[]
  /** Watchlist symbols. */
  watchlist: readonly string[]
}

/**
 * The symbol whose history to show: the ticker filter; else the selected article's symbol (the one its chart
 * shows, else a watched one, else its first ticker); else the first open chart. Null when none is a valid ticker.
 */
export function historySymbol(s: HistorySymbolInput): string | null {
  const valid = (x: string | null | undefined): x is string => typeof x === 'string' && SYMBOL_PATTERN.test(x)
  if (s.tickerFilter !== null) return valid(s.tickerFilter) ? s.tickerFilter : null
  const tickers = s.selected?.tickers.filter(valid) ?? []
  const fromArticle = tickers.find((t) => s.openCharts.includes(t)) ?? tickers.find((t) => s.watchlist.includes(t)) ?? tickers[0]
  if (fromArticle) return fromArticle
  return s.openCharts.find(valid) ?? null
}

/** A return (fraction) as a signed percentage with sensible precision: +12 %, +0.8 %, −0.05 %, 0.00 %. */
export function fmtMove(r: number): string {
  const pct = r * 100
  const a = Math.abs(pct)
  const text = a.toFixed(a >= 9.95 ? 0 : a >= 0.095 ? 1 : 2)
  if (Number(text) === 0) return `${text} %`
  return `${pct > 0 ? '+' : '−'}${text} %`
}

/** A share (0–1) as whole percent; never rounds a non-zero share to 0 % or a partial one to 100 %. */
export function fmtShare(s: number): string {
  if (s <= 0) return '0 %'
  if (s >= 1) return '100 %'
  const p = Math.round(s * 100)
  if (p < 1) return '<1 %'
  if (p > 99) return '>99 %'
  return `${p} %`
}

/** The one-line summary: "after 42 past headlines: median +5 m move +0.8 %, 31 % signalled". */
export function impactHistoryLine(h: ImpactHistory): string {
  const n = h.headlines
  const move = h.ret5.median === null ? '+5 m move not measured yet' : `median +5 m move ${fmtMove(h.ret5.median)}`
  return `after ${n} past headline${n === 1 ? '' : 's'}: ${move}, ${fmtShare(h.signalShare)} signalled`
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const minute = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`

/** Details for the tooltip: every horizon's median and quartiles, counts, the period and when it was computed. */
export function impactHistoryDetail(h: ImpactHistory): string {
  const horizon = (label: string, q: ImpactHistory['ret1']): string =>
    q.median === null || q.q1 === null || q.q3 === null
      ? `${label}: not measured`
      : `${label}: median ${fmtMove(q.median)}, middle half ${fmtMove(q.q1)} … ${fmtMove(q.q3)} (n ${q.n})`
  return [
    horizon('+1 m', h.ret1),
    horizon('+5 m', h.ret5),
    horizon('+15 m', h.ret15),
    `${h.signals} of ${h.headlines} signalled`,
    `headlines ${day(h.firstPublished)} – ${day(h.lastPublished)}`,
    `computed ${minute(h.computedAt)}`,
  ].join('\n')
}
