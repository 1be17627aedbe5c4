// Feed selection: which socket URL and REST base a FeedConfig means.
import type { FeedConfig } from '../host/protocol'

export const REALTIME_SOCKET_URL = 'wss://socket.massive.com/stocks'
export const DELAYED_SOCKET_URL = 'wss://delayed.massive.com/stocks'
export const REST_BASE = 'https://api.massive.com'
/** The simulator's key when no key is configured (demo mode). */
export const DEMO_KEY = 'demo'

export interface FeedEndpoints {
  url: string
  restBase: string
  key: string
}

export interface DemoEndpoints {
  /** Simulator `wsBase`, e.g. ws://127.0.0.1:PORT (the socket lives at `/stocks`). */
  wsBase: string
  /** Simulator `httpBase`. */
  httpBase: string
  key?: string
}

export type EndpointResult = { ok: true; endpoints: FeedEndpoints } | { ok: false; error: string }

function validUrl(s: string | undefined, protocols: string[]): boolean {
  if (!s) return false
  try {
    return protocols.includes(new URL(s).protocol)
  } catch {
    return false
  }
}

/** Resolves a feed config; `demo` must be given in demo mode (the simulator's addresses). */
export function resolveEndpoints(
  cfg: Pick<FeedConfig, 'mode' | 'url' | 'restBase' | 'key'>,
  demo?: DemoEndpoints,
): EndpointResult {
  switch (cfg.mode) {
    case 'demo':
      if (!demo) return { ok: false, error: 'Demo mode needs the built-in simulator, which is not running' }
      return {
        ok: true,
        endpoints: {
          url: `${demo.wsBase.replace(/\/$/, '')}/stocks`,
          restBase: demo.httpBase,
          key: demo.key ?? DEMO_KEY,
        },
      }
    case 'delayed':
    case 'realtime': {
      if (!cfg.key) return { ok: false, error: 'No Polygon/Massive API key set' }
      const url = cfg.mode === 'delayed' ? DELAYED_SOCKET_URL : REALTIME_SOCKET_URL
      return { ok: true, endpoints: { url, restBase: REST_BASE, key: cfg.key } }
    }
    case 'custom': {
      if (!validUrl(cfg.url, ['ws:', 'wss:']))
        return { ok: false, error: 'Custom feed URL must be a ws:// or wss:// URL' }
      const restBase = cfg.restBase ?? REST_BASE
      if (!validUrl(restBase, ['http:', 'https:']))
        return { ok: false, error: 'Custom REST base must be an http:// or https:// URL' }
      return { ok: true, endpoints: { url: cfg.url!, restBase, key: cfg.key ?? DEMO_KEY } }
    }
  }
}
