import { describe, expect, it } from 'vitest'
import { resolveEndpoints, type EndpointResult } from './endpoints'

const demo = { wsBase: 'ws://127.0.0.1:4100', httpBase: 'http://127.0.0.1:4100' }

describe('resolveEndpoints', () => {
  const cases: [string, Parameters<typeof resolveEndpoints>[0], typeof demo | undefined, EndpointResult][] = [
    [
      'demo uses the simulator and its key',
      { mode: 'demo' },
      demo,
      {
        ok: true,
        endpoints: { url: 'ws://127.0.0.1:4100/stocks', restBase: 'http://127.0.0.1:4100', key: 'demo' },
      },
    ],
    [
      'demo without simulator',
      { mode: 'demo' },
      undefined,
      { ok: false, error: 'Demo mode needs the built-in simulator, which is not running' },
    ],
    [
      'delayed',
      { mode: 'delayed', key: 'K' },
      undefined,
      {
        ok: true,
        endpoints: { url: 'wss://delayed.massive.com/stocks', restBase: 'https://api.massive.com', key: 'K' },
      },
    ],
    [
      'realtime',
      { mode: 'realtime', key: 'K' },
      undefined,
      {
        ok: true,
        endpoints: { url: 'wss://socket.massive.com/stocks', restBase: 'https://api.massive.com', key: 'K' },
      },
    ],
    [
      'realtime without key',
      { mode: 'realtime' },
      undefined,
      { ok: false, error: 'No Polygon/Massive API key set' },
    ],
    [
      'custom',
      { mode: 'custom', url: 'ws://127.0.0.1:9/stocks', restBase: 'http://127.0.0.1:9', key: 'K' },
      undefined,
      { ok: true, endpoints: { url: 'ws://127.0.0.1:9/stocks', restBase: 'http://127.0.0.1:9', key: 'K' } },
    ],
    [
      'custom old polygon host, default REST',
      { mode: 'custom', url: 'wss://socket.polygon.io/stocks', key: 'K' },
      undefined,
      {
        ok: true,
        endpoints: { url: 'wss://socket.polygon.io/stocks', restBase: 'https://api.massive.com', key: 'K' },
      },
    ],
    [
      'custom with http socket URL',
      { mode: 'custom', url: 'http://x/stocks' },
      undefined,
      { ok: false, error: 'Custom feed URL must be a ws:// or wss:// URL' },
    ],
    [
      'custom with bad REST base',
      { mode: 'custom', url: 'ws://x/stocks', restBase: 'ftp://x' },
      undefined,
      { ok: false, error: 'Custom REST base must be an http:// or https:// URL' },
    ],
  ]
  it.each(cases)('%s', (_n, cfg, d, expected) => {
    expect(resolveEndpoints(cfg, d)).toEqual(expected)
  })
})
