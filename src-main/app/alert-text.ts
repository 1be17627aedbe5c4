// What a desktop notification says for a headline's signal and for a move alert (docs/impact-v2.md). Pure, so
// the wording is tested without Electron; src-main/index.ts shows it.
import type { MoveAlert } from '../domain/impact'
import type { Article, ImpactRecord } from '../domain/news'

export interface AlertText {
  title: string
  body: string
}

const pct = (logMove: number): string => {
  const p = (Math.exp(logMove) - 1) * 100
  return `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(1)} %`
}

/** "TSLA −5.7 % in 40 s, 8σ" + the linked headline, or "no headline yet". */
export function moveAlertText(move: MoveAlert, headline: string | null): AlertText {
  const secs = Math.round((move.detectedAt - move.windowStart) / 1000)
  const arrow = move.direction === 'up' ? '▲' : '▼'
  const z = Math.abs(move.z)
  return {
    title: `${arrow} ${move.symbol} ${pct(move.size)} in ${secs} s, ${z >= 10 ? z.toFixed(0) : z.toFixed(1)}σ${move.adjusted ? ' beyond the market' : ''}`,
    body: headline ?? 'No headline yet',
  }
}

/** "▲ AAPL +2.1 % beyond the market, 38 s after the headline" + the headline. */
export function signalText(impact: ImpactRecord, article: Article | undefined): AlertText {
  const arrow = impact.signal === 'up' ? '▲' : '▼'
  const after = impact.detectedAt === null ? '' : `, ${Math.max(0, Math.round((impact.detectedAt - impact.published) / 1000))} s after the headline`
  // The move so far: the +5 m abnormal move once known, else the size that fired (z × sigma × √5 is not a move).
  const ar = impact.ar5 ?? impact.ar1
  const move = ar === null ? '' : ` ${pct(Math.log1p(ar))}${impact.adjusted ? ' beyond the market' : ''}`
  return { title: `${arrow} ${impact.symbol}${move}${after}`, body: article?.title ?? impact.articleId }
}
