import { disabledKafkaStatus } from '../domain/status'
import type { StatusSnapshot } from '../domain/status'

export function initialStatus(): StatusSnapshot {
  return {
    paused: false,
    feed: { state: 'idle', message: 'Starting', retryAt: null, attempt: 0, malformed: 0, msgsPerSec: 0, backfilledBars: 0 },
    news: { state: 'idle', message: 'Starting', callsToday: 0, dailyBudget: 500, nextPollAt: null, lastPollAt: null, lastError: null },
    kafka: disabledKafkaStatus(),
  }
}
