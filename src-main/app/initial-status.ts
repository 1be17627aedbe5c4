import type { StatusSnapshot } from '../host/protocol'

export function initialStatus(): StatusSnapshot {
  return {
    paused: false,
    feed: { state: 'idle', message: 'Starting', retryAt: null, attempt: 0, malformed: 0, msgsPerSec: 0, backfilledBars: 0 },
    news: { state: 'idle', message: 'Starting', callsToday: 0, dailyBudget: 500, nextPollAt: null, lastPollAt: null, lastError: null },
    kafka: {
      state: 'disabled',
      message: 'Kafka publishing is off',
      spooledRecords: 0,
      spooledBytes: 0,
      droppedRecords: 0,
      recordsPerSec: 0,
      bytesPerSec: 0,
      lastError: null,
    },
  }
}
