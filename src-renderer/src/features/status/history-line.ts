// Pure: the status bar's REST-history line for news impact ("history 3/12 · waiting 12 s (rate limit)") from
// status.history, with a live countdown (the host's message is frozen when it is sent).
import type { HistoryStatus } from '@domain/status'

export interface HistoryLine {
  text: string
  tone: 'ok' | 'warn' | 'bad'
  /** The host's own words, for hover. */
  title: string
}

const secs = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

/** The reason in the host's "waiting 12 s (rate limit)" / "<reason> · retry in 5 s" wording, if it is there. */
const reasonOf = (h: HistoryStatus): string | null => {
  if (h.state === 'waiting') return /waiting \d+ s \(([^)]+)\)/.exec(h.message)?.[1] ?? null
  if (h.state === 'error') return /\d+\/\d+ · (.+?) · retry in/.exec(h.message)?.[1] ?? null
  return null
}

/** Null when there is nothing to say (no history requested yet). */
export const historyLine = (h: HistoryStatus | undefined, now: number): HistoryLine | null => {
  if (!h) return null
  const total = h.done + h.failed + h.pending
  if (total === 0 && h.state === 'idle') return null
  let text = `history ${h.done}/${total}`
  const why = reasonOf(h)
  if (h.state === 'loading') text += ' · loading'
  else if (h.state === 'waiting') text += `${h.retryAt === null ? ' · waiting' : ` · waiting ${secs(h.retryAt - now)} s`}${why ? ` (${why})` : ''}`
  else if (h.state === 'error') text += `${why ? ` · ${why}` : ' · error'}${h.retryAt === null ? '' : ` · retry in ${secs(h.retryAt - now)} s`}`
  if (h.failed > 0) text += ` · ${h.failed} failed`
  if (h.source === 'seconds') text += ' · from 1-s bars'
  const tone = h.state === 'error' ? 'bad' : h.state === 'waiting' || h.failed > 0 ? 'warn' : 'ok'
  return { text, tone, title: h.message }
}
