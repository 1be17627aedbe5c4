import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Bar, Quote, Trade } from '../domain/market'
import { parsePolygonFrame, type PolygonSink, type PolygonStatusEvent } from './parse'

function collect() {
  const out = {
    trades: [] as Trade[],
    quotes: [] as Quote[],
    bars: [] as Bar[],
    statuses: [] as PolygonStatusEvent[],
    malformed: [] as string[],
  }
  const sink: PolygonSink = {
    trade: (t) => out.trades.push(t),
    quote: (q) => out.quotes.push(q),
    aggregate: (b) => out.bars.push(b),
    status: (s) => out.statuses.push(s),
    malformed: (r) => out.malformed.push(r),
  }
  return { out, sink }
}

const T = {
  ev: 'T',
  sym: 'AAPL',
  x: 4,
  i: '52983525029461',
  z: 3,
  p: 189.5,
  s: 100,
  c: [14, 41],
  t: 1700000000123,
  q: 3063213,
}
const Q = {
  ev: 'Q',
  sym: 'MSFT',
  bx: 4,
  bp: 114.125,
  bs: 2,
  ax: 7,
  ap: 114.128,
  as: 3,
  c: 0,
  i: [604],
  t: 1700000000124,
  q: 50385480,
  z: 3,
}
const AM = {
  ev: 'AM',
  sym: 'GTE',
  v: 4110,
  av: 9470157,
  op: 0.4372,
  vw: 0.4488,
  o: 0.4488,
  c: 0.4486,
  h: 0.4489,
  l: 0.4486,
  a: 0.4352,
  z: 685,
  s: 1610144640000,
  e: 1610144700000,
}

function one(el: unknown) {
  const { out, sink } = collect()
  const stats = parsePolygonFrame(JSON.stringify([el]), sink)
  return { out, stats }
}

describe('parsePolygonFrame — trades', () => {
  it('maps a full trade', () => {
    const { out, stats } = one(T)
    expect(stats).toEqual({ events: 1, malformed: 0, unknown: 0 })
    expect(out.trades).toEqual([
      {
        symbol: 'AAPL',
        price: 189.5,
        size: 100,
        ts: 1700000000123,
        exchange: 4,
        conditions: [14, 41],
        seq: 3063213,
        id: '52983525029461',
        tape: 3,
      },
    ])
  })

  // [description, patch, expected partial trade or null = malformed]
  const cases: [string, Record<string, unknown>, Partial<Trade> | null][] = [
    ['x as numeric string', { x: '12' }, { exchange: 12 }],
    ['x as number', { x: 0 }, { exchange: 0 }],
    ['x as non-numeric string', { x: 'NYSE' }, null],
    ['x as empty string', { x: '' }, null],
    ['x as float', { x: 1.5 }, null],
    ['x negative', { x: -1 }, null],
    ['x missing', { x: undefined }, null],
    ['i as number', { i: 12345 }, { id: '12345' }],
    ['i as string', { i: 'abc' }, { id: 'abc' }],
    ['i as object', { i: { a: 1 } }, null],
    ['i missing', { i: undefined }, null],
    ['c missing', { c: undefined }, { conditions: [] }],
    ['c null', { c: null }, { conditions: [] }],
    ['c empty', { c: [] }, { conditions: [] }],
    ['c not array', { c: 12 }, null],
    ['c with string', { c: [12, '37'] }, null],
    ['trfi/trft present', { trfi: 201, trft: 1700000000100 }, { ts: 1700000000123, trfi: 201, trft: 1700000000100 }],
    ['trfi wrong type', { trfi: 'x' }, null],
    ['trft wrong type', { trft: 1.5 }, null],
    ['pt kept', { pt: 1700000000119 }, { ts: 1700000000123, pt: 1700000000119 }],
    ['pt float', { pt: 1.5 }, null],
    ['pt zero', { pt: 0 }, null],
    ['pt string', { pt: '1700000000119' }, null],
    // `ds` is the size: whole ("40.0"), fractional with s = 1, more than six decimals rounded half up.
    ['ds whole', { ds: '100.0' }, { size: 100 }],
    ['ds fractional (s = 1)', { s: 1, ds: '0.740474' }, { size: 0.740474 }],
    ['ds larger than s', { s: 100, ds: '100.5' }, { size: 100.5 }],
    ['ds integer text', { ds: '7' }, { size: 7 }],
    ['ds seven decimals round half up', { s: 1, ds: '0.0000015' }, { size: 0.000002 }],
    ['ds number', { ds: 0.5 }, null],
    ['ds empty', { ds: '' }, null],
    ['ds negative', { ds: '-1.0' }, null],
    ['ds exponent', { ds: '1e2' }, null],
    ['ds trailing dot', { ds: '1.' }, null],
    ['ds huge', { ds: '12345678901.0' }, null],
    ['z missing', { z: undefined }, { tape: 0 }],
    ['z string', { z: '3' }, null],
    ['p string', { p: '189.5' }, null],
    ['p zero', { p: 0 }, null],
    ['p negative', { p: -1 }, null],
    ['s float', { s: 10.5 }, null],
    ['s zero (odd fractional)', { s: 0 }, { size: 0 }],
    ['s negative', { s: -5 }, null],
    ['t string', { t: '1700000000123' }, null],
    ['t float', { t: 1.5 }, null],
    ['q missing', { q: undefined }, null],
    ['sym empty', { sym: '' }, null],
    ['sym number', { sym: 5 }, null],
    ['extra unknown field', { foo: 'bar' }, { symbol: 'AAPL' }],
  ]
  it.each(cases)('%s', (_d, patch, expected) => {
    const el: Record<string, unknown> = { ...T, ...patch }
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete el[k]
    const { out, stats } = one(el)
    if (expected === null) {
      expect(stats).toEqual({ events: 0, malformed: 1, unknown: 0 })
      expect(out.trades).toEqual([])
      expect(out.malformed).toHaveLength(1)
      expect(out.malformed[0]).toMatch(/^T: /)
    } else {
      expect(stats).toEqual({ events: 1, malformed: 0, unknown: 0 })
      expect(out.trades[0]).toMatchObject(expected)
    }
  })
})

describe('parsePolygonFrame — quotes', () => {
  it('maps a quote; sizes are shares (since 2025-11-03), taken as they come', () => {
    const { out, stats } = one(Q)
    expect(stats.events).toBe(1)
    expect(out.quotes).toEqual([
      { symbol: 'MSFT', bid: 114.125, bidSize: 2, ask: 114.128, askSize: 3, ts: 1700000000124 },
    ])
  })
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['bx as string', { bx: '4' }, true],
    ['bx garbage', { bx: 'x' }, false],
    ['ax garbage', { ax: [] }, false],
    ['bp string', { bp: '1' }, false],
    ['as missing', { as: undefined }, false],
    ['t missing', { t: undefined }, false],
    ['no optional fields', { c: undefined, i: undefined, q: undefined, z: undefined }, true],
  ]
  it.each(cases)('%s', (_d, patch, ok) => {
    const el: Record<string, unknown> = { ...Q, ...patch }
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete el[k]
    const { out, stats } = one(el)
    expect(stats).toEqual(
      ok ? { events: 1, malformed: 0, unknown: 0 } : { events: 0, malformed: 1, unknown: 0 },
    )
    expect(out.quotes).toHaveLength(ok ? 1 : 0)
  })
})

describe('parsePolygonFrame — aggregates', () => {
  it('maps AM with trades = round(v / z)', () => {
    const { out } = one(AM)
    expect(out.bars).toEqual([
      {
        symbol: 'GTE',
        start: 1610144640000,
        end: 1610144700000,
        open: 0.4488,
        high: 0.4489,
        low: 0.4486,
        close: 0.4486,
        volume: 4110,
        vwap: 0.4488,
        trades: 6,
        source: 'AM',
      },
    ])
  })
  it('maps A with source A', () => {
    const { out } = one({ ...AM, ev: 'A', s: 1610144640000, e: 1610144641000 })
    expect(out.bars[0]).toMatchObject({ source: 'A', end: 1610144641000 })
  })
  const cases: [string, Record<string, unknown>, Partial<Bar> | null][] = [
    ['z missing ⇒ trades 0', { z: undefined }, { trades: 0 }],
    ['z zero ⇒ trades 0', { z: 0 }, { trades: 0 }],
    ['z string', { z: '685' }, null],
    ['otc true', { otc: true }, { volume: 4110 }],
    ['vw missing', { vw: undefined }, null],
    ['h below l', { h: 0.4, l: 0.5 }, null],
    ['close above high', { c: 0.5 }, null],
    ['e before s', { e: 1610144600000 }, null],
    ['s string', { s: '1610144640000' }, null],
    ['v negative', { v: -1 }, null],
    ['dv is the volume (fractional shares included)', { v: 4110, dv: '4110.740474' }, { volume: 4110.740474 }],
    ['dv whole', { dv: '4110' }, { volume: 4110 }],
    ['dv number', { dv: 4110 }, null],
    ['dv garbage', { dv: 'x' }, null],
    ['o NaN-ish (null)', { o: null }, null],
  ]
  it.each(cases)('%s', (_d, patch, expected) => {
    const el: Record<string, unknown> = { ...AM, ...patch }
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete el[k]
    const { out, stats } = one(el)
    if (expected === null) {
      expect(stats).toEqual({ events: 0, malformed: 1, unknown: 0 })
      expect(out.malformed[0]).toMatch(/^AM: /)
    } else {
      expect(stats).toEqual({ events: 1, malformed: 0, unknown: 0 })
      expect(out.bars[0]).toMatchObject(expected)
    }
  })
})

describe('parsePolygonFrame — status, frames, mixtures', () => {
  it('status with and without message', () => {
    const { out, sink } = collect()
    const stats = parsePolygonFrame(
      '[{"ev":"status","status":"connected","message":"Connected Successfully"},{"ev":"status","status":"auth_success"},{"ev":"status","status":"x","message":5},{"ev":"status"}]',
      sink,
    )
    expect(stats).toEqual({ events: 3, malformed: 1, unknown: 0 })
    expect(out.statuses).toEqual([
      { status: 'connected', message: 'Connected Successfully' },
      { status: 'auth_success' },
      { status: 'x' },
    ])
  })

  const frames: [string, string, { events: number; malformed: number; unknown: number }][] = [
    ['empty array', '[]', { events: 0, malformed: 0, unknown: 0 }],
    ['not JSON', '[{"ev":"T"', { events: 0, malformed: 1, unknown: 0 }],
    ['truncated frame', JSON.stringify([T, T, T]).slice(0, -7), { events: 0, malformed: 1, unknown: 0 }],
    ['object instead of array', JSON.stringify(T), { events: 0, malformed: 1, unknown: 0 }],
    ['number', '42', { events: 0, malformed: 1, unknown: 0 }],
    ['null', 'null', { events: 0, malformed: 1, unknown: 0 }],
    ['empty string', '', { events: 0, malformed: 1, unknown: 0 }],
    ['array of primitives', '[1,"a",null,true,[]]', { events: 0, malformed: 5, unknown: 0 }],
    ['element without ev', '[{"sym":"A"}]', { events: 0, malformed: 1, unknown: 0 }],
    ['ev not a string', '[{"ev":5}]', { events: 0, malformed: 1, unknown: 0 }],
    ['unknown ev', '[{"ev":"LULD","sym":"A"},{"ev":"XQ"}]', { events: 0, malformed: 0, unknown: 2 }],
    [
      'mixed array, a bad element in the middle',
      JSON.stringify([
        T,
        Q,
        { ...T, p: 'bad' },
        AM,
        { ev: 'NOI' },
        null,
        { ev: 'status', status: 'success', message: 'subscribed to: T.AAPL' },
        T,
      ]),
      { events: 5, malformed: 2, unknown: 1 },
    ],
  ]
  it.each(frames)('%s', (_d, text, expected) => {
    const { out, sink } = collect()
    const stats = parsePolygonFrame(text, sink)
    expect(stats).toEqual(expected)
    expect(out.malformed).toHaveLength(expected.malformed)
    expect(out.trades.length + out.quotes.length + out.bars.length + out.statuses.length).toBe(
      expected.events,
    )
  })

  it('mixed array delivers every good element in order', () => {
    const { out, sink } = collect()
    parsePolygonFrame(
      JSON.stringify([{ ...T, q: 1 }, { ...T, p: null }, { ...T, q: 2 }, AM, { ...T, q: 3 }]),
      sink,
    )
    expect(out.trades.map((t) => t.seq)).toEqual([1, 2, 3])
    expect(out.bars).toHaveLength(1)
  })

  it('huge frame: 100,000 trades, every 1000th broken', () => {
    const els: unknown[] = []
    for (let k = 0; k < 100_000; k++) els.push(k % 1000 === 999 ? { ...T, s: 'x' } : { ...T, q: k })
    const { out, sink } = collect()
    const stats = parsePolygonFrame(JSON.stringify(els), sink)
    expect(stats).toEqual({ events: 99_900, malformed: 100, unknown: 0 })
    expect(out.trades).toHaveLength(99_900)
    expect(out.trades[998]!.seq).toBe(998)
    expect(out.trades[999]!.seq).toBe(1000)
  })

  it('random bytes never throw and count as one malformed frame', () => {
    // Deterministic LCG so a failure reproduces.
    let seed = 12345
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    for (let n = 0; n < 500; n++) {
      const len = 1 + Math.floor(rnd() * 200)
      let s = ''
      for (let k = 0; k < len; k++) s += String.fromCharCode(Math.floor(rnd() * 256))
      // Make sure it is not accidentally valid JSON array text.
      s = '\u0001' + s
      const { sink } = collect()
      expect(parsePolygonFrame(s, sink)).toEqual({ events: 0, malformed: 1, unknown: 0 })
    }
  })

  it('random mutations of valid frames: counts always add up to the element count', () => {
    let seed = 99
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    const junk: unknown[] = [null, 'x', -1, 1.5, [], {}, true, '12', 0]
    for (let n = 0; n < 300; n++) {
      const els: Record<string, unknown>[] = []
      const count = 1 + Math.floor(rnd() * 10)
      for (let k = 0; k < count; k++) {
        const base: Record<string, unknown> = { ...[T, Q, AM][Math.floor(rnd() * 3)]! }
        const keys = Object.keys(base).filter((key) => key !== 'ev')
        if (rnd() < 0.5) base[keys[Math.floor(rnd() * keys.length)]!] = junk[Math.floor(rnd() * junk.length)]
        els.push(base)
      }
      const { out, sink } = collect()
      const stats = parsePolygonFrame(JSON.stringify(els), sink)
      expect(stats.events + stats.malformed + stats.unknown).toBe(count)
      expect(out.malformed).toHaveLength(stats.malformed)
      expect(out.trades.length + out.quotes.length + out.bars.length).toBe(stats.events)
    }
  })
})

describe('parsePolygonFrame — frames captured from the live servers in 2026 (fixtures/polygon)', () => {
  const dir = join(__dirname, '..', '..', 'fixtures', 'polygon')
  it('the NVDA frame: quote in shares, TRF trade with pt/trfi/trft/ds, status, in order', () => {
    const text = readFileSync(join(dir, 'socket-frame-nvda-2026-08-13.json'), 'utf8').trim()
    const { out, sink } = collect()
    expect(parsePolygonFrame(text, sink)).toEqual({ events: 3, malformed: 0, unknown: 0 })
    expect(out.quotes).toEqual([
      { symbol: 'NVDA', bid: 225.62, bidSize: 100, ask: 225.64, askSize: 500, ts: 1786649956446 },
    ])
    expect(out.trades).toEqual([
      {
        symbol: 'NVDA',
        price: 225.63,
        size: 129,
        ts: 1786649956459,
        exchange: 4,
        conditions: [],
        seq: 9059424,
        id: '40161',
        tape: 3,
        pt: 1786649956458,
        trfi: 202,
        trft: 1786649956459,
      },
    ])
    expect(out.statuses).toEqual([{ status: 'success', message: 'subscribed' }])
  })
  it('the AAPL events, each as a frame of its own', () => {
    const lines = readFileSync(join(dir, 'socket-events-aapl-2026.jsonl'), 'utf8').trim().split('\n')
    const { out, sink } = collect()
    for (const line of lines) expect(parsePolygonFrame(`[${line}]`, sink).events).toBe(1)
    expect(out.quotes[0]).toEqual({ symbol: 'AAPL', bid: 297.83, bidSize: 80, ask: 297.86, askSize: 80, ts: 1781622375952 })
    expect(out.trades[0]).toMatchObject({ size: 40, pt: 1781622376029, trfi: 202, trft: 1781622376036, id: '143541' })
  })
})
