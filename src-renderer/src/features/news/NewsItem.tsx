import type { MoveAlert } from '@domain/impact'
import type { Article, ImpactRecord } from '@domain/news'
import { fmtClock, fmtDuration } from '../../app/format'
import { HORIZONS, horizonCell, moveLink, noPriceText, rvolCell, signalLine, SOURCE_LABEL, sourceTitle, type Cell } from './impact-format'
import { articleSignal } from './news-store'
import { describeReason, reasonFor } from './tag-reasons'
import { TagEditor } from './TagEditor'

interface Props {
  index: number
  article: Article
  impacts: Record<string, ImpactRecord> | undefined
  /** Move alerts by id, for the headlines linked to one. */
  moves?: Record<string, MoveAlert>
  selected: boolean
  onSelect(id: string): void
  onOpen(url: string): void
  onTicker(symbol: string): void
}

const CellView = ({ cell, testid }: { cell: Cell; testid: string }) => (
  <span data-testid={testid} data-state={cell.state} className={`cell ${cell.state}`} title={cell.title}>
    {cell.text}
  </span>
)

export function NewsItem({ index, article: a, impacts, moves = {}, selected, onSelect, onOpen, onTicker }: Props) {
  const signal = articleSignal(impacts)
  // The engine judges staleness per symbol too; either marks the headline (it stays marked, as today).
  const stale = a.stale || Object.values(impacts ?? {}).some((r) => r.stale)
  return (
    <li
      data-testid={`news-item-${index}`}
      data-article-id={a.id}
      data-signal={signal ?? 'pending'}
      className={`news-item ${selected ? 'selected' : ''} signal-${signal ?? 'pending'}`}
      onClick={() => onSelect(a.id)}
    >
      <div className="news-meta">
        <time dateTime={new Date(a.published).toISOString()}>{fmtClock(a.published)}</time>
        <span className="section">{a.section}</span>
        {stale && (
          <span className="badge stale" data-testid="news-stale" title="Recycled headline: ≥ 60 % of its words match a recent one">
            stale
          </span>
        )}
        {(signal === 'up' || signal === 'down') && <span className={`badge ${signal}`}>{signal === 'up' ? '▲ up' : '▼ down'}</span>}
        <span className="latency muted" title="Feed latency: received − published">
          lat {fmtDuration(a.receivedAt - a.published)}
        </span>
      </div>
      <div className="headline">
        <span>{a.title}</span>{' '}
        <button
          className="link open-external"
          aria-label="Open article"
          data-testid="news-open"
          onClick={(e) => {
            e.stopPropagation()
            onOpen(a.url)
          }}
        >
          ↗
        </button>
      </div>
      {a.tickers.length > 0 && (
        <div className="tickers">
          {a.tickers.map((t) => {
            const r = impacts?.[t]
            return (
              <div className="impact" key={t} data-testid={`impact-${t}`}>
                <button
                  className={`chip signal-${r?.signal ?? 'pending'}`}
                  title={`${describeReason(reasonFor(a, t))}. Click to show only ${t}.`}
                  data-testid={`ticker-chip-${t}`}
                  onClick={(e) => {
                    e.stopPropagation()
                    onTicker(t)
                  }}
                >
                  {t}
                </button>
                {r && r.p0 == null ? (
                  // p0 is the price at the headline: none means no eligible trade at or before it (backfilled news
                  // from before the symbol's session, or overnight), so no move can be measured.
                  <span className="moves muted" data-testid="impact-none" title={noPriceText(a.published).title}>
                    {noPriceText(a.published).text}
                  </span>
                ) : r ? (
                  <ImpactLine r={r} move={r.move === null ? undefined : moves[r.move]} />
                ) : (
                  <span className="moves muted">measuring…</span>
                )}
              </div>
            )
          })}
        </div>
      )}
      {selected && <TagEditor article={a} />}
    </li>
  )
}

/** One symbol's numbers: abnormal moves at +1/+5/+15 m, rvol5, the data source, the signal and a linked move alert. */
function ImpactLine({ r, move }: { r: ImpactRecord; move: MoveAlert | undefined }) {
  const sig = signalLine(r)
  return (
    <span className="moves grid">
      {HORIZONS.map((k) => (
        <CellView key={k} cell={horizonCell(r, k)} testid={`impact-${k}`} />
      ))}
      <CellView cell={rvolCell(r)} testid="impact-rvol" />
      {r.source && (
        <span className={`source source-${r.source}`} data-testid="impact-source" title={sourceTitle(r.source)}>
          {SOURCE_LABEL[r.source]}
        </span>
      )}
      {sig && (
        <span className={`sig ${r.signal ?? ''}`} data-testid="impact-signal" title={r.alertAt === null ? undefined : `Alerted at ${fmtClock(r.alertAt)}`}>
          {sig}
        </span>
      )}
      {r.move !== null && (
        <span className="move-link" data-testid="impact-move" title={move ? `Move alert at ${fmtClock(move.detectedAt)}` : 'Linked move alert'}>
          ⚡ {move ? moveLink(r.published, move) : 'linked to a move alert'}
        </span>
      )}
    </span>
  )
}
