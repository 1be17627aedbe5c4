import type { MoveAlert } from '@domain/impact'
import type { Article } from '@domain/news'
import { fmtClock } from '../../app/format'
import { moveDetail, moveTitle, secondsBetween } from './impact-format'

interface Props {
  move: MoveAlert
  /** The headlines linked to it, by publication; empty: no headline yet. */
  explainedBy: readonly Article[]
  selected: boolean
  onSelect(moveId: string): void
  onHeadline(articleId: string): void
}

/** A move alert as its own timeline entry; the explaining headline joins it when it arrives. */
export function MoveItem({ move: m, explainedBy, selected, onSelect, onHeadline }: Props) {
  const first = explainedBy[0]
  return (
    <li
      data-testid="move-item"
      data-move-id={m.id}
      data-direction={m.direction}
      data-explained={first ? 'yes' : 'no'}
      className={`news-item move-item ${selected ? 'selected' : ''} signal-${m.direction}`}
      onClick={() => onSelect(m.id)}
    >
      <div className="news-meta">
        <time dateTime={new Date(m.detectedAt).toISOString()}>{fmtClock(m.detectedAt)}</time>
        <span className={`badge move ${m.direction}`}>{m.direction === 'up' ? '⚡ ▲ move' : '⚡ ▼ move'}</span>
      </div>
      <div className="headline" data-testid="move-title" title={moveDetail(m)}>
        {moveTitle(m)}
      </div>
      <div className="move-explain">
        {first ? (
          <span data-testid="move-explained">
            explained by:{' '}
            <button
              className="link"
              title={`Published ${secondsBetween(Math.min(first.published, m.detectedAt), Math.max(first.published, m.detectedAt))} s ${first.published <= m.detectedAt ? 'before' : 'after'} the alert`}
              onClick={(e) => {
                e.stopPropagation()
                onHeadline(first.id)
              }}
            >
              {first.title}
            </button>
            {explainedBy.length > 1 && <span className="muted"> (+{explainedBy.length - 1} more)</span>}
          </span>
        ) : (
          <span className="muted" data-testid="move-unexplained">
            no headline yet
          </span>
        )}
      </div>
    </li>
  )
}
