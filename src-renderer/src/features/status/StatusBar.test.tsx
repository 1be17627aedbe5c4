import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { statusSnapshot } from '../../test/fixtures'
import { StatusBar } from './StatusBar'
import { useStatusStore } from './status-store'

afterEach(cleanup)
beforeEach(() => useStatusStore.setState(useStatusStore.getInitialState(), true))

const clock = () => 30_000

describe('StatusBar', () => {
  it('shows feed rate, news budget with next poll, Kafka state with spool depth', () => {
    useStatusStore.getState().setSnapshot(statusSnapshot())
    render(<StatusBar clock={clock} />)
    expect(screen.getByTestId('status-feed').textContent).toBe('Feed: live · 42 msg/s')
    expect(screen.getByTestId('status-feed').className).toContain('ok')
    expect(screen.getByTestId('status-news').textContent).toBe('News: waiting · 17/500 calls · next poll 1 m 0 s')
    expect(screen.getByTestId('status-kafka').textContent).toBe('Kafka: spooling · 0 rec/s · spool 1,234 (2.0 MiB)')
    expect(screen.getByTestId('status-kafka').className).toContain('warn')
    expect(screen.queryByTestId('status-paused')).toBeNull()
  })

  it('shows fatal feed states with their message, paused state and a lost connection', () => {
    const s = statusSnapshot({ paused: true })
    s.feed = { ...s.feed, state: 'auth_failed', message: 'Your plan lacks websocket access', msgsPerSec: 0 }
    useStatusStore.getState().setSnapshot(s)
    useStatusStore.getState().setConnection('closed')
    render(<StatusBar clock={clock} />)
    expect(screen.getByTestId('status-feed').textContent).toContain('auth failed')
    expect(screen.getByTestId('status-feed').textContent).toContain('Your plan lacks websocket access')
    expect(screen.getByTestId('status-feed').className).toContain('bad')
    expect(screen.getByTestId('status-paused')).toBeTruthy()
    expect(screen.getByTestId('status-connection').textContent).toContain('lost')
  })

  it('shows start-up notices, the news state notice and spool damage in words', () => {
    const s = statusSnapshot()
    s.notices = [{ id: 'settings-file', level: 'error', text: 'Your settings file /d/settings.json could not be read' }]
    s.news = { ...s.news, notice: 'The news state file /d/news.json was damaged: it was moved to /d/news.json.corrupt-x' }
    s.kafka = { ...s.kafka, damagedRecords: 1, spoolNotice: 'spool: 1 record damaged, 265 recovered; damaged bytes (98) kept in /d/spool/quarantine' }
    useStatusStore.getState().setSnapshot(s)
    render(<StatusBar clock={clock} />)
    const texts = screen.getAllByTestId('status-notice').map((e) => e.textContent)
    expect(texts).toEqual([
      'Your settings file /d/settings.json could not be read',
      'The news state file /d/news.json was damaged: it was moved to /d/news.json.corrupt-x',
      'spool: 1 record damaged, 265 recovered; damaged bytes (98) kept in /d/spool/quarantine',
    ])
    expect(screen.getAllByTestId('status-notice')[0]?.className).toContain('bad')
    expect(screen.getByTestId('status-kafka').textContent).toContain('· 1 damaged')
  })

  it('shows the failed Kafka step in words, and insecure TLS in red', () => {
    const s = statusSnapshot()
    s.kafka = {
      ...s.kafka,
      state: 'spooling',
      failedStep: 'sasl',
      insecureTls: true,
      message: 'spooling 1234 records: SASL authentication failed: SASL_AUTHENTICATION_FAILED (58): check the username and password',
    }
    useStatusStore.getState().setSnapshot(s)
    render(<StatusBar clock={clock} />)
    expect(screen.getByTestId('status-kafka').textContent).toContain('SASL_AUTHENTICATION_FAILED (58): check the username and password')
    expect(screen.getByTestId('status-kafka-insecure').textContent).toBe('Kafka TLS insecure (testing only)')
    expect(screen.getByTestId('status-kafka-insecure').className).toContain('bad')
  })

  it('no insecure badge when TLS is verified', () => {
    const s = statusSnapshot()
    s.kafka = { ...s.kafka, insecureTls: false }
    useStatusStore.getState().setSnapshot(s)
    render(<StatusBar clock={clock} />)
    expect(screen.queryByTestId('status-kafka-insecure')).toBeNull()
  })

  it('renders placeholders before the first snapshot', () => {
    render(<StatusBar clock={clock} />)
    expect(screen.getByTestId('status-feed').textContent).toBe('Feed: —')
    expect(screen.getByTestId('status-kafka').textContent).toBe('Kafka: —')
  })

  it('shows the news-impact history line with a live countdown when the host reports one', () => {
    useStatusStore.getState().setSnapshot(statusSnapshot())
    const { unmount } = render(<StatusBar clock={clock} />)
    expect(screen.queryByTestId('status-history')).toBeNull()
    unmount()
    useStatusStore.getState().setSnapshot(
      statusSnapshot({ history: { state: 'waiting', message: 'history 3/12 · waiting 12 s (rate limit)', pending: 9, done: 3, failed: 0, source: 'trades', retryAt: 42_000 } }),
    )
    render(<StatusBar clock={clock} />)
    const line = screen.getByTestId('status-history')
    expect(line.textContent).toBe('history 3/12 · waiting 12 s (rate limit)')
    expect(line.className).toContain('warn')
  })
})
