// The worker's status line: feed, news and Kafka status in one snapshot, with the message rate measured
// over at least a second, and sent only when something changed.
import type { FeedStatus, HistoryStatus, KafkaStatus, NewsStatus, StatusSnapshot } from '../domain/status'

export const IDLE_FEED: FeedStatus = {
  state: 'idle',
  message: '',
  retryAt: null,
  attempt: 0,
  malformed: 0,
  msgsPerSec: 0,
  backfilledBars: 0,
}

export interface StatusParts {
  paused: boolean
  feed: FeedStatus
  news: NewsStatus
  kafka: KafkaStatus
  /** REST history for news impact, when a loader runs. */
  history?: HistoryStatus
  /** Demo clock minus wall clock (ms) when not 0. */
  clockOffsetMs?: number
  /** Messages received so far (trades + quotes + aggregates), for the rate. */
  messages: number
}

export interface StatusAggregator {
  snapshot(parts: StatusParts): StatusSnapshot
  /** The snapshot when it differs from the last one returned by `changed` (always with `force`), else null. */
  changed(parts: StatusParts, force?: boolean): StatusSnapshot | null
}

export function createStatusAggregator(now: () => number): StatusAggregator {
  let lastCount = 0
  let lastRateAt = now()
  let rate = 0
  let lastJson = ''
  const snapshot = (p: StatusParts): StatusSnapshot => {
    const t = now()
    if (t - lastRateAt >= 1_000) {
      rate = ((p.messages - lastCount) * 1000) / (t - lastRateAt)
      lastCount = p.messages
      lastRateAt = t
    }
    return {
      paused: p.paused,
      feed: { ...p.feed, msgsPerSec: p.paused ? 0 : rate },
      news: p.news,
      kafka: p.kafka,
      ...(p.history ? { history: p.history } : {}),
      ...(p.clockOffsetMs ? { clockOffsetMs: p.clockOffsetMs } : {}),
    }
  }
  return {
    snapshot,
    changed(p, force = false) {
      const s = snapshot(p)
      const json = JSON.stringify(s)
      if (!force && json === lastJson) return null
      lastJson = json
      return s
    },
  }
}
