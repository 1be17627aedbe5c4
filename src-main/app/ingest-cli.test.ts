import { describe, expect, it } from 'vitest'
import { parseIngestArgs, pointNewsAt, statusLine } from './ingest-cli'
import { buildIngestConfig } from './ingest-config'
import { initialStatus } from './initial-status'

describe('parseIngestArgs', () => {
  it('demo with defaults', () => {
    const a = parseIngestArgs(['--demo'])
    expect(a.settings.feed.mode).toBe('demo')
    expect(a.settings.kafka.enabled).toBe(false)
    expect(a.settings.watchlist.symbols.length).toBeGreaterThan(0)
  })
  it('Kafka security from the command line (the password only from the environment)', () => {
    const a = parseIngestArgs(['--demo', '--kafka', '--brokers', 'kafka.example:9093', '--security-protocol', 'SASL_SSL', '--sasl-mechanism', 'SCRAM-SHA-256', '--sasl-username', 'alice', '--ca-file', '/etc/ca.pem'])
    expect(a.settings.kafka.security).toMatchObject({ protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-256', username: 'alice', caFile: '/etc/ca.pem', insecureTls: false })
    expect(() => parseIngestArgs(['--demo', '--security-protocol', 'TLS'])).toThrow(/protocol/)
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
    [['--news-sim', 'ws://127.0.0.1:8765']],
    [['--news-sim', 'nonsense']],
  ])('rejects %j', (argv) => {
    expect(() => parseIngestArgs(argv)).toThrow()
  })
})

describe('news from a simulator while the feed is custom', () => {
  it.each([
    [['--feed', 'custom', '--url', 'ws://127.0.0.1:9000/stocks', '--news-sim', 'http://127.0.0.1:8765'], 'http://127.0.0.1:8765'],
    [['--feed', 'custom', '--url', 'ws://127.0.0.1:9000/stocks', '--news-sim', 'demo'], 'demo'],
    [['--demo'], null],
  ] as const)('%j', (argv, want) => {
    expect(parseIngestArgs([...argv]).newsSim).toBe(want)
  })

  it('points only the news at the simulator: the feed stays custom, the Guardian key is the simulator\'s', () => {
    const a = parseIngestArgs(['--feed', 'custom', '--url', 'ws://127.0.0.1:9000/stocks', '--news-sim', 'http://127.0.0.1:8765/'])
    const config = buildIngestConfig(a.settings, { polygon: 'POLY-123456', guardian: 'REAL-GUARDIAN-KEY' }, null, '/tmp/x')
    const c = pointNewsAt(config, 'http://127.0.0.1:8765/', 'demo')
    expect(c.feed).toMatchObject({ mode: 'custom', url: 'ws://127.0.0.1:9000/stocks', key: 'POLY-123456' })
    expect(c.news).toMatchObject({ base: 'http://127.0.0.1:8765/guardian', key: 'demo', enabled: true })
    expect(JSON.stringify(c.news)).not.toContain('REAL-GUARDIAN-KEY')
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
