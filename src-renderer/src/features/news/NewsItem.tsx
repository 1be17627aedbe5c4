import type { Article, ImpactRecord } from '@domain/news'
import { fmtClock, fmtDuration, fmtRet } from '../../app/format'
import { articleSignal } from './news-store'
import { describeReason, reasonFor } from './tag-reasons'
import { TagEditor } from './TagEditor'

interface Props {
  index: number
  article: Article
  impacts: Record<string, ImpactRecord> | undefined
  selected: boolean
  onSelect(id: string): void
  onOpen(url: string): void
  onTicker(symbol: string): void
}

const fmtZ = (z: number | null) => (z == null ? '' : ` z ${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)}`)

export function NewsItem({ index, article: a, impacts, selected, onSelect, onOpen, onTicker }: Props) {
  const signal = articleSignal(impacts)
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
        {a.stale && (
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
                  // p0 is the last trade at or before publication: none means the headline predates this
                  // session's trades for the symbol (e.g. backfilled news), so no move can be measured.
                  <span className="moves muted" data-testid="impact-none" title="No trade of this symbol at or before the headline in this session">
                    no trades before it this session
                  </span>
                ) : r ? (
                  <span className="moves">
                    <span data-testid="impact-1">+1m {fmtRet(r.ret1)}{fmtZ(r.z1)}</span>
                    <span data-testid="impact-5">+5m {fmtRet(r.ret5)}{fmtZ(r.z5)}</span>
                    <span data-testid="impact-15">+15m {fmtRet(r.ret15)}{fmtZ(r.z15)}</span>
                    <span data-testid="impact-rvol">rvol {r.rvol5 == null ? '…' : `${r.rvol5.toFixed(1)}×`}</span>
                  </span>
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
