// Pure: which in-app toasts a news batch raises. A toast comes when a move alert or a headline's signal first
// arrives (the app emits it at detectedAt), one per key: a move by its id, a signal by (article, symbol,
// direction), so a flip toasts again, as the desktop notifications do (src-main/app/app-core.ts). Which are still
// worth one: src-main/domain/alert-policy.ts.
import { moveAlertFresh, signalAlertFresh } from '@domain/alert-policy'
import type { Direction, MoveAlert } from '@domain/impact'
import type { ImpactRecord } from '@domain/news'
import type { NewsBundle } from '@contract/contract'
import { fmtLogPct, moveTitle, secondsBetween } from '../news/impact-format'

export type ToastTarget = { articleId: string } | { moveId: string }

export interface Toast {
  key: string
  target: ToastTarget
  symbol: string
  direction: Direction
  title: string
  body: string
  /** detectedAt. */
  at: number
  /** A signal's alertAt (its headline may come after the move); null for a move. */
  alertAt: number | null
}

export const moveKey = (m: MoveAlert): string => `move|${m.id}`
export const signalKey = (r: ImpactRecord): string => `signal|${r.articleId}|${r.symbol}|${r.signal ?? ''}`

export const moveBody = (m: MoveAlert, headline: (id: string) => string | undefined): string => {
  const title = m.headlines.map(headline).find((t) => t !== undefined)
  return title === undefined ? 'no headline yet' : `explained by: ${title}`
}

export const moveToast = (m: MoveAlert, headline: (id: string) => string | undefined): Toast => ({
  key: moveKey(m),
  target: { moveId: m.id },
  symbol: m.symbol,
  direction: m.direction,
  title: `${m.direction === 'up' ? '▲' : '▼'} ${moveTitle(m)}`,
  body: moveBody(m, headline),
  at: m.detectedAt,
  alertAt: null,
})

/** "▲ AAPL +2.1 % beyond the market, 38 s after the headline"; null when the record carries no signal. */
export const signalToast = (r: ImpactRecord, headline: (id: string) => string | undefined): Toast | null => {
  if ((r.signal !== 'up' && r.signal !== 'down') || r.detectedAt === null) return null
  // The move so far: +5 m once known, else +1 m; nothing when neither is measured yet.
  const ar = r.ar5 ?? r.ar1
  const move = ar === null ? '' : ` ${fmtLogPct(Math.log1p(ar))}${r.adjusted ? ' beyond the market' : ''}`
  return {
    key: signalKey(r),
    target: { articleId: r.articleId },
    symbol: r.symbol,
    direction: r.signal,
    title: `${r.signal === 'up' ? '▲' : '▼'} ${r.symbol}${move}, ${secondsBetween(r.published, r.detectedAt)} s after the headline`,
    body: headline(r.articleId) ?? r.articleId,
    at: r.detectedAt,
    alertAt: r.alertAt,
  }
}

/** Every alert-worthy item of a batch as a toast (not yet filtered by key or freshness). */
export const batchToasts = (bundle: NewsBundle, headline: (id: string) => string | undefined): Toast[] => [
  ...bundle.moves.map((m) => moveToast(m, headline)),
  ...bundle.impacts.flatMap((r) => signalToast(r, headline) ?? []),
]

export const isFresh = (t: Toast, now: number): boolean =>
  'moveId' in t.target ? moveAlertFresh({ detectedAt: t.at }, now) : signalAlertFresh({ signal: t.direction, detectedAt: t.at, alertAt: t.alertAt }, now)
