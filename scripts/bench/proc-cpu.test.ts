import { describe, expect, it } from 'vitest'
import { cpuShares, cpuTicks, formatShares, type CpuTicks } from './proc-cpu'

const ticks = (o: Record<string, number>): CpuTicks => new Map(Object.entries(o)) as CpuTicks

describe('cpuShares', () => {
  it.each<[string, CpuTicks | null, CpuTicks | null, number, Record<string, number>]>([
    ['ticks over the window, per second, 100 ticks a second', ticks({ core: 100, renderer: 50 }), ticks({ core: 150, renderer: 250 }), 2, { core: 0.25, renderer: 1 }],
    ['a process that started in the window counts from zero', ticks({}), ticks({ compositor: 30 }), 1, { compositor: 0.3 }],
    ['a role with no CPU used is left out', ticks({ core: 10 }), ticks({ core: 10 }), 1, {}],
    ['no /proc: nothing', null, null, 1, {}],
    ['no time: nothing', ticks({ core: 0 }), ticks({ core: 10 }), 0, {}],
  ])('%s', (_what, a, b, secs, expected) => {
    const s = cpuShares(a, b, secs)
    expect(Object.keys(s).sort()).toEqual(Object.keys(expected).sort())
    // getconf CLK_TCK is 100 on Linux.
    for (const [k, v] of Object.entries(expected)) expect(s[k as keyof typeof s]).toBeCloseTo(v, 6)
  })
})

describe('formatShares', () => {
  it('busiest first, in percent of one core', () => {
    expect(formatShares({ core: 0.554, renderer: 0.75, compositor: 0.35 })).toBe('renderer 75 %, core 55 %, compositor 35 %')
  })
})

describe('cpuTicks', () => {
  it('on Linux, finds this process as the core and sees it use CPU', () => {
    const a = cpuTicks()
    expect(a, 'this test needs Linux /proc').not.toBeNull()
    const until = Date.now() + 300
    let x = 0
    while (Date.now() < until) x += Math.sqrt(x + 1)
    const b = cpuTicks()!
    expect(x).toBeGreaterThan(0)
    expect(b.get('core')!).toBeGreaterThan(a!.get('core') ?? 0)
  })
})
