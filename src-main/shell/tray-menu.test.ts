import { describe, expect, it } from 'vitest'
import { trayMenuModel, trayTooltip } from './tray-menu'
import type { StatusSnapshot } from '../domain/status'

function snap(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    paused: false,
    feed: { state: 'live', message: '', retryAt: null, attempt: 0, malformed: 0, msgsPerSec: 1234.4, backfilledBars: 0 },
    news: { state: 'waiting', message: '', callsToday: 3, dailyBudget: 500, nextPollAt: null, lastPollAt: null, lastError: null },
    kafka: { state: 'connected', message: '', spooledRecords: 0, spooledBytes: 0, droppedRecords: 0, recordsPerSec: 0, bytesPerSec: 0, lastError: null },
    ...over,
  }
}

describe('tray model', () => {
  it('offers Pause when live and Resume when paused, never both', () => {
    const live = trayMenuModel(snap()).map((i) => i.id)
    expect(live).toContain('pause')
    expect(live).not.toContain('resume')
    const paused = trayMenuModel(snap({ paused: true })).map((i) => i.id)
    expect(paused).toContain('resume')
    expect(paused).not.toContain('pause')
  })

  it.each([
    [snap(), 'Newstape — Live · 1,234 msg/s — Kafka connected'],
    [snap({ paused: true }), 'Newstape — Paused — Kafka connected'],
    [snap({ feed: { ...snap().feed, state: 'auth_failed' } }), 'Newstape — Polygon key rejected — Kafka connected'],
    [
      snap({ kafka: { ...snap().kafka, state: 'spooling', spooledRecords: 12000 } }),
      'Newstape — Live · 1,234 msg/s — Kafka spooling (12,000)',
    ],
    [snap({ kafka: { ...snap().kafka, state: 'disabled' } }), 'Newstape — Live · 1,234 msg/s — Kafka off'],
  ])('tooltip %#', (s, text) => {
    expect(trayTooltip(s)).toBe(text)
  })

  it('status line is not clickable', () => {
    expect(trayMenuModel(snap())[0]).toMatchObject({ id: 'status', enabled: false })
  })
})
