import { describe, expect, it } from 'vitest'
import { parseIngestArgs, statusLine } from './ingest-cli'
import { initialStatus } from '../app/initial-status'

describe('parseIngestArgs', () => {
  it('demo with defaults', () => {
    const a = parseIngestArgs(['--demo'])
    expect(a.settings.feed.mode).toBe('demo')
    expect(a.settings.kafka.enabled).toBe(false)
    expect(a.settings.watchlist.symbols.length).toBeGreaterThan(0)
  })
  it('symbols, kafka and prefix', () => {
    const a = parseIngestArgs(['--demo', '--symbols', 'aapl, nvda', '--kafka', '--brokers', '127.0.0.1:19092', '--prefix', 'ci.'])
    expect(a.settings.watchlist.symbols.map((s) => s.symbol)).toEqual(['AAPL', 'NVDA'])
    expect(a.settings.kafka).toMatchObject({ enabled: true, brokers: ['127.0.0.1:19092'], topicPrefix: 'ci.' })
  })
  it.each([
    [['--symbols', 'not a symbol']],
    [['--feed', 'custom']],
    [['--feed', 'nonsense']],
    [['--interval', '0']],
    [['--unknown']],
  ])('rejects %j', (argv) => {
    expect(() => parseIngestArgs(argv)).toThrow()
  })
})

describe('statusLine', () => {
  it('shows feed, kafka and counts', () => {
    const s = initialStatus()
    const line = statusLine({ ...s, feed: { ...s.feed, state: 'live', msgsPerSec: 1234.6 } }, { updates: 5, articles: 2, impacts: 1 })
    expect(line).toContain('feed live')
    expect(line).toContain('1235 msg/s')
    expect(line).toContain('kafka disabled')
    expect(line).toContain('updates 5 articles 2 impacts 1')
  })
})
