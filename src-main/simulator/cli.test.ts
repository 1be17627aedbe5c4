import { describe, expect, it } from 'vitest'
import { describeFault, parseClock, parseFaultArgs, parseFaultCommand } from './cli'

describe('simulator CLI', () => {
  it.each([
    ['realtime', { kind: 'realtime' }],
    ['fast', { kind: 'fast' }],
    ['accelerated', { kind: 'accelerated', factor: 10 }],
    ['accelerated:60', { kind: 'accelerated', factor: 60 }],
    ['slow', null],
  ])('clock %s', (text, want) => {
    expect(parseClock(text)).toEqual(want)
  })

  it.each([
    [{}, []],
    [{ 'malformed-every': '10' }, [{ atMs: 0, everyMs: null, action: { kind: 'plan', plan: { malformedEvery: 10 } } }]],
    [{ 'slow-consumer-bytes': '65536' }, [{ atMs: 0, everyMs: null, action: { kind: 'plan', plan: { slowConsumerBufferBytes: 65536 } } }]],
    [{ 'drop-after-frames': '50', 'drop-every': '30' }, [{ atMs: 0, everyMs: 30_000, action: { kind: 'plan', plan: { dropAfterFrames: 50 } } }]],
    [{ stall: '40000', 'stall-at': '5' }, [{ atMs: 5_000, everyMs: null, action: { kind: 'plan', plan: { stallMs: 40_000 } } }]],
    [{ 'max-connections-at': '10', 'max-connections-every': '60' }, [{ atMs: 10_000, everyMs: 60_000, action: { kind: 'max_connections' } }]],
  ] as const)('fault flags %j', (flags, want) => {
    expect(parseFaultArgs(flags)).toEqual(want)
  })

  it.each([
    [{ 'malformed-every': '0' }, /--malformed-every must be a whole number/],
    [{ stall: 'long' }, /--stall must be a whole number/],
    [{ 'drop-every': '5' }, /--drop-every needs --drop-after-frames/],
    [{ 'stall-at': '5' }, /need --stall/],
    [{ 'drop-after-frames': '1', 'drop-every': '0' }, /--drop-every must be > 0/],
    [{ 'max-connections-every': '5' }, /needs --max-connections-at/],
    [{ 'max-connections-at': '-1' }, /seconds ≥ 0/],
  ] as const)('refuses %j', (flags, msg) => {
    expect(() => parseFaultArgs(flags)).toThrow(msg)
  })

  it.each([
    ['drop', { kind: 'plan', plan: { dropAfterFrames: 1 } }],
    ['drop 20', { kind: 'plan', plan: { dropAfterFrames: 20 } }],
    ['stall 40000', { kind: 'plan', plan: { stallMs: 40_000 } }],
    ['  malformed 5 ', { kind: 'plan', plan: { malformedEvery: 5 } }],
    ['malformed off', { kind: 'plan', plan: { malformedEvery: 0 } }],
    ['slow 4096', { kind: 'plan', plan: { slowConsumerBufferBytes: 4096 } }],
    ['slow off', { kind: 'plan', plan: { slowConsumerBufferBytes: undefined } }],
    ['maxconn', { kind: 'max_connections' }],
    ['help', { kind: 'help' }],
    ['', null],
    ['stall', { kind: 'error', message: 'stall MS: milliseconds ≥ 1' }],
    ['drop 0', { kind: 'error', message: 'drop [N]: N frames ≥ 1' }],
    ['maxconn 3', { kind: 'error', message: 'maxconn takes no argument' }],
  ] as const)('stdin %j', (line, want) => {
    expect(parseFaultCommand(line)).toEqual(want)
  })

  it('unknown commands and extra words answer with the command list', () => {
    expect(parseFaultCommand('explode')).toMatchObject({ kind: 'error', message: expect.stringMatching(/unknown command "explode"; commands:/) })
    expect(parseFaultCommand('stall 1 2')).toMatchObject({ kind: 'error', message: expect.stringMatching(/too many arguments/) })
  })

  it.each([
    [{ kind: 'max_connections' }, 'max_connections: evicting the live socket'],
    [{ kind: 'plan', plan: { stallMs: 40_000 } }, 'stall 40000 ms (no data, no pongs)'],
    [{ kind: 'plan', plan: { malformedEvery: 0 } }, 'malformed elements off'],
    [{ kind: 'plan', plan: { slowConsumerBufferBytes: undefined } }, 'slow consumer limit off'],
    [{ kind: 'plan', plan: { dropAfterFrames: 3 } }, 'drop every socket after 3 more frame(s)'],
  ] as const)('describes %j', (a, want) => {
    expect(describeFault(a)).toBe(want)
  })
})
