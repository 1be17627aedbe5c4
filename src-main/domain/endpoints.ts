// The one endpoint table: the vendors' hosts (docs/protocols.md) and the built-in simulator's addresses.

/** Polygon (Massive) socket URLs per feed; the old socket.polygon.io / delayed.polygon.io hosts still answer. */
export const POLYGON_SOCKETS = {
  delayed: 'wss://delayed.massive.com/stocks',
  realtime: 'wss://socket.massive.com/stocks',
} as const
export const POLYGON_REST = 'https://api.massive.com'
export const GUARDIAN_BASE = 'https://content.guardianapis.com'
/** The key the built-in simulator accepts. */
export const DEMO_KEY = 'demo'

/** Where the built-in simulator listens (demo mode). */
export interface DemoEndpoints {
  /** e.g. ws://127.0.0.1:PORT (socket at /stocks) */
  wsBase: string
  /** e.g. http://127.0.0.1:PORT (Polygon REST; Guardian under /guardian) */
  httpBase: string
  /** Demo clock minus wall clock, ms (0 in a weekday session; negative at night: simulator/demo-clock.ts). */
  clockOffsetMs?: number
}

/** Derives a REST base for a custom socket URL: same host, http(s) scheme. */
export function restBaseForSocket(socketUrl: string): string {
  const u = new URL(socketUrl)
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:'
  return u.origin
}
