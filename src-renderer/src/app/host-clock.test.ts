import { afterEach, describe, expect, it, vi } from 'vitest'
import { hostNow, setHostClockOffset } from './host-clock'

describe('host clock', () => {
  afterEach(() => {
    setHostClockOffset(undefined)
    vi.useRealTimers()
  })
  it('is the wall clock plus the host offset; absent or non-finite offsets read as 0', () => {
    vi.useFakeTimers({ now: 1_800_000_000_000 })
    expect(hostNow()).toBe(1_800_000_000_000)
    setHostClockOffset(-15 * 3_600_000)
    expect(hostNow()).toBe(1_800_000_000_000 - 15 * 3_600_000)
    setHostClockOffset(Number.NaN)
    expect(hostNow()).toBe(1_800_000_000_000)
  })
})
