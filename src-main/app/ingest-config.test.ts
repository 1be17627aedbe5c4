import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src-preload/settings-schema'
import { buildIngestConfig } from './ingest-config'

describe('buildIngestConfig: clocks and REST rate', () => {
  const demo = { wsBase: 'ws://127.0.0.1:1', httpBase: 'http://127.0.0.1:1' }
  it.each([
    ['demo in a session: wall clock, no REST limit', 'demo', { ...demo, clockOffsetMs: 0 }, undefined, undefined],
    ['demo at night: the simulator clock offset reaches the worker', 'demo', { ...demo, clockOffsetMs: -54_000_000 }, -54_000_000, undefined],
    ['a real key: the plan rate from settings, never an offset', 'delayed', { ...demo, clockOffsetMs: -54_000_000 }, undefined, 5],
  ] as const)('%s', (_name, mode, endpoints, offset, rate) => {
    const s = defaultSettings()
    const settings = { ...s, feed: { ...s.feed, mode } }
    const c = buildIngestConfig(settings, { polygon: 'POLY-123456', guardian: 'G' }, endpoints, '/tmp/x')
    expect(c.clockOffsetMs).toBe(offset)
    expect(c.restCallsPerMinute).toBe(rate)
  })
})
