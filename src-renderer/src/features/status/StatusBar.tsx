import { useEffect, useState } from 'react'
import { fmtBytes, fmtDuration } from '../../app/format'
import { historyLine } from './history-line'
import { useStatusStore } from './status-store'
import { hostNow } from '../../app/host-clock'

const BAD = new Set(['auth_failed', 'max_connections', 'error', 'spool_full'])
const WARN = new Set(['reconnecting', 'connecting', 'authenticating', 'backoff', 'retrying', 'spooling', 'paused', 'outside_hours'])
const tone = (state: string) => (BAD.has(state) ? 'bad' : WARN.has(state) ? 'warn' : 'ok')

/** Re-renders every second for countdowns. */
const useNow = (clock: () => number) => {
  const [now, setNow] = useState(clock)
  useEffect(() => {
    const t = setInterval(() => setNow(clock()), 1000)
    return () => clearInterval(t)
  }, [clock])
  return now
}

export function StatusBar({ clock = hostNow }: { clock?: () => number }) {
  const snap = useStatusStore((s) => s.snapshot)
  const paused = useStatusStore((s) => s.paused)
  const connection = useStatusStore((s) => s.connection)
  const error = useStatusStore((s) => s.error)
  const setError = useStatusStore((s) => s.setError)
  const now = useNow(clock)

  const feed = snap?.feed
  const news = snap?.news
  const kafka = snap?.kafka
  const history = historyLine(snap?.history, now)
  // What the user must read: files moved aside, read-only settings, keys to enter again, spool damage.
  const notices = [
    ...(snap?.notices ?? []),
    ...(news?.notice ? [{ id: 'news-state', level: 'warn' as const, text: news.notice }] : []),
    ...(kafka?.spoolNotice ? [{ id: 'spool-damage', level: 'warn' as const, text: kafka.spoolNotice }] : []),
  ]
  return (
    <footer className="status-bar" role="status">
      {notices.map((n) => (
        <span key={n.id} className={`status-item status-notice ${n.level === 'error' ? 'bad' : 'warn'}`} data-testid="status-notice" role="alert">
          {n.text}
        </span>
      ))}
      {connection !== 'open' && (
        <span className="status-item bad" data-testid="status-connection">
          {connection === 'unauthorized' ? 'Server refused the token' : connection === 'connecting' ? 'Connecting to server…' : 'Server connection lost — retrying'}
        </span>
      )}
      {paused && (
        <span className="status-item warn" data-testid="status-paused">
          ❚❚ Paused
        </span>
      )}
      <span className={`status-item ${tone(feed?.state ?? 'idle')}`} data-testid="status-feed" title={feed?.message}>
        Feed: {feed ? feed.state.replace('_', ' ') : '—'}
        {feed && ` · ${Math.round(feed.msgsPerSec)} msg/s`}
        {feed?.state === 'reconnecting' && feed.retryAt != null && ` · retry in ${fmtDuration(feed.retryAt - now)}`}
        {feed && feed.malformed > 0 && ` · ${feed.malformed} malformed`}
        {feed && BAD.has(feed.state) && feed.message && ` — ${feed.message}`}
      </span>
      <span className={`status-item ${tone(news?.state ?? 'idle')}`} data-testid="status-news" title={news?.lastError ?? news?.message}>
        News: {news ? news.state.replace('_', ' ') : '—'}
        {news && ` · ${news.callsToday}/${news.dailyBudget} calls`}
        {news?.nextPollAt != null && ` · next poll ${fmtDuration(news.nextPollAt - now)}`}
        {news && BAD.has(news.state) && news.message && ` — ${news.message}`}
      </span>
      <span className={`status-item ${tone(kafka?.state ?? 'disabled')}`} data-testid="status-kafka" title={kafka?.lastError ?? kafka?.message}>
        Kafka: {kafka ? kafka.state.replace('_', ' ') : '—'}
        {kafka && kafka.state !== 'disabled' && ` · ${Math.round(kafka.recordsPerSec)} rec/s`}
        {kafka && kafka.spooledRecords > 0 && ` · spool ${kafka.spooledRecords.toLocaleString('en-US')} (${fmtBytes(kafka.spooledBytes)})`}
        {kafka && kafka.droppedRecords > 0 && ` · ${kafka.droppedRecords.toLocaleString('en-US')} dropped`}
        {kafka && (kafka.damagedRecords ?? 0) > 0 && ` · ${(kafka.damagedRecords ?? 0).toLocaleString('en-US')} damaged`}
        {kafka?.failedStep && kafka.state !== 'connected' && ` — ${kafka.message}`}
      </span>
      {history && (
        <span className={`status-item ${history.tone}`} data-testid="status-history" title={history.title}>
          {history.text}
        </span>
      )}
      {kafka?.insecureTls && kafka.state !== 'disabled' && (
        <span className="status-item bad" data-testid="status-kafka-insecure" title="Kafka TLS: the broker certificate is not verified (setting: insecure, testing only)">
          Kafka TLS insecure (testing only)
        </span>
      )}
      {error && (
        <span className="status-item bad" data-testid="status-error">
          {error}{' '}
          <button className="link" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </span>
      )}
    </footer>
  )
}
