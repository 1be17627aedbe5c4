// The feed's user-visible state machine (domain FeedStatus). Pure reducer: the socket client feeds it events,
// the UI sees the result. Fatal states (auth_failed, max_connections, error) absorb every later connection
// event, so nothing can drive them back into a reconnect loop; only `reset` (new key/config) leaves them.
import type { FeedState, FeedStatus } from '../domain/status'

export type FeedEvent =
  | { type: 'connecting'; attempt: number }
  | { type: 'authenticating' }
  | { type: 'live' }
  | { type: 'paused' }
  | { type: 'reconnecting'; retryAt: number; attempt: number; reason: string }
  | { type: 'auth_failed'; message?: string }
  | { type: 'max_connections'; message?: string }
  | { type: 'error'; message: string }
  | { type: 'stopped' }
  /** Leave a fatal state (the user changed key or feed). */
  | { type: 'reset' }
  | { type: 'malformed'; total: number }
  | { type: 'rate'; msgsPerSec: number }
  | { type: 'backfilled'; bars: number; message?: string }
  | { type: 'note'; message: string }

export const FATAL_STATES: ReadonlySet<FeedState> = new Set<FeedState>([
  'auth_failed',
  'max_connections',
  'error',
])

export function isFatal(state: FeedState): boolean {
  return FATAL_STATES.has(state)
}

export function initialFeedStatus(): FeedStatus {
  return {
    state: 'idle',
    message: 'Not started',
    retryAt: null,
    attempt: 0,
    malformed: 0,
    msgsPerSec: 0,
    backfilledBars: 0,
  }
}

function to(s: FeedStatus, state: FeedState, message: string, extra: Partial<FeedStatus> = {}): FeedStatus {
  return { ...s, state, message, retryAt: null, ...extra }
}

export function reduceFeedStatus(s: FeedStatus, e: FeedEvent): FeedStatus {
  // Counters update in every state, fatal or not.
  switch (e.type) {
    case 'malformed':
      return e.total === s.malformed ? s : { ...s, malformed: e.total }
    case 'rate':
      return e.msgsPerSec === s.msgsPerSec ? s : { ...s, msgsPerSec: e.msgsPerSec }
    case 'backfilled':
      // A fatal state's message (what to do) is never overwritten by a late backfill result.
      return {
        ...s,
        backfilledBars: s.backfilledBars + e.bars,
        message: isFatal(s.state) ? s.message : (e.message ?? s.message),
      }
    case 'note':
      return isFatal(s.state) ? s : { ...s, message: e.message }
    case 'reset':
      return initialFeedStatus()
    case 'stopped':
      // A fatal state stays visible after stop: the user must see why the feed ended.
      return isFatal(s.state) ? s : to(s, 'idle', 'Stopped', { attempt: 0 })
    default:
      break
  }
  if (isFatal(s.state)) return s
  switch (e.type) {
    case 'connecting':
      return to(s, 'connecting', e.attempt === 0 ? 'Connecting' : `Connecting (attempt ${e.attempt + 1})`, {
        attempt: e.attempt,
      })
    case 'authenticating':
      return to(s, 'authenticating', 'Authenticating')
    case 'live':
      return to(s, 'live', 'Live')
    case 'paused':
      return to(s, 'paused', 'Paused (connected, no subscriptions)')
    case 'reconnecting':
      return to(s, 'reconnecting', `Connection lost (${e.reason}); reconnecting`, {
        retryAt: e.retryAt,
        attempt: e.attempt,
      })
    case 'auth_failed':
      return to(
        s,
        'auth_failed',
        `API key rejected or plan lacks WebSocket access${e.message ? ` (server: ${e.message})` : ''}. Check the key and plan, then restart the feed.`,
      )
    case 'max_connections':
      return to(
        s,
        'max_connections',
        `Another connection is using this API key (one socket per key)${e.message ? ` (server: ${e.message})` : ''}. Close the other app, then restart the feed.`,
      )
    case 'error':
      return to(s, 'error', e.message)
  }
}
