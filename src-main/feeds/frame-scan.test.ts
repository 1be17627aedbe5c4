import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../simulator/prng'
import { quoteJson, tradeJson } from '../simulator/wire'
import { scanFrame, type ScannedFrame } from './frame-scan'
import { parsePolygonFrame, parsePolygonFrameGeneric, type ParseStats, type PolygonSink } from './parse'

/** Every sink call in order, so interleaving of trades and quotes is compared too. */
function record(parse: (text: string, sink: PolygonSink) => ParseStats, text: string) {
  const calls: unknown[] = []
  const sink: PolygonSink = {
    trade: (t) => calls.push(['T', t]),
    quote: (q) => calls.push(['Q', q]),
    aggregate: (b) => calls.push(['A', b]),
    status: (s) => calls.push(['status', s]),
    malformed: (r) => calls.push(['malformed', r]),
  }
  const stats = parse(text, sink)
  return { calls, stats }
}

function fastTaken(text: string): boolean {
  const out: ScannedFrame = { events: [], quote: [] }
  return scanFrame(text, out)
}

/** The fast path's whole contract: parsePolygonFrame gives exactly what the general path gives. */
function expectSameAsGeneral(text: string): void {
  const fast = record(parsePolygonFrame, text)
  const general = record(parsePolygonFrameGeneric, text)
  // toEqual compares numbers with Object.is: -0 and 0 differ, as do NaN and anything.
  expect(fast).toEqual(general)
}

const T =
  '{"ev":"T","sym":"AAPL","i":"52983525029461","x":4,"p":189.5,"s":100,"c":[14,41],"t":1700000000123,"q":3063213,"z":3}'
const Q =
  '{"ev":"Q","sym":"MSFT","bx":4,"bp":114.125,"bs":2,"ax":7,"ap":114.128,"as":3,"c":0,"i":[604],"t":1700000000124,"q":50385480,"z":3}'
// The 2026 shapes, verbatim from fixtures/polygon (captured from the live servers; key order as sent).
const T26 =
  '{"ev":"T","sym":"NVDA","i":"40161","x":4,"p":225.63,"s":129,"t":1786649956459,"pt":1786649956458,"q":9059424,"z":3,"trfi":202,"trft":1786649956459,"ds":"129.0"}'
const Q26 =
  '{"ev":"Q","sym":"NVDA","i":[604],"bx":10,"ax":15,"bp":225.62,"ap":225.64,"bs":100,"as":500,"t":1786649956446,"pt":1786649956446,"q":106078192,"z":3}'
const TFRAC = T26.replace('"s":129', '"s":1').replace('"ds":"129.0"', '"ds":"0.740474"')

describe('scanFrame — which frames take the fast path', () => {
  // [name, frame, fast path taken]. Either way the delivered events equal the general path's.
  const cases: Array<[string, string, boolean]> = [
    ['empty array', '[]', true],
    ['2026 trade (pt, trfi/trft, ds)', `[${T26}]`, true],
    ['2026 quote (i first, pt)', `[${Q26}]`, true],
    ['2026 trades and quotes mixed', `[${Q26},${T26},${TFRAC}]`, true],
    ['2026 fractional trade', `[${TFRAC}]`, true],
    ['ds with more than six decimals', `[${T26.replace('"129.0"', '"0.0000015"')}]`, true],
    ['pt first', `[${T26.replace(',"pt":1786649956458', '').replace('{"ev":"T",', '{"pt":5,"ev":"T",')}]`, true],
    ['ds invalid', `[${T26.replace('"129.0"', '"1e2"')}]`, false],
    ['ds as a number', `[${T26.replace('"129.0"', '129.0')}]`, false],
    ['pt as a float', `[${T26.replace('"pt":1786649956458', '"pt":1.5')}]`, false],
    ['pt zero', `[${T26.replace('"pt":1786649956458', '"pt":0')}]`, false],
    ['quote pt as text', `[${Q26.replace('"pt":1786649956446', '"pt":"x"')}]`, false],
    ['status after 2026 events', `[${Q26},${T26},{"ev":"status","status":"success","message":"subscribed"}]`, false],
    ['one trade', `[${T}]`, true],
    ['trades and quotes mixed', `[${T},${Q},${T.replace('3063213', '3063214')}]`, true],
    [
      'keys in another order',
      '[{"q":5,"t":1700000000000,"s":1,"p":2.5,"x":1,"i":"9","sym":"X","ev":"T"}]',
      true,
    ],
    ['null conditions', `[${T.replace('[14,41]', 'null')}]`, true],
    ['empty conditions', `[${T.replace('[14,41]', '[]')}]`, true],
    ['no tape', '[{"ev":"T","sym":"X","i":"1","x":1,"p":1,"s":1,"t":1,"q":0}]', true],
    ['exchange id as digits text', `[${T.replace('"x":4', '"x":"04"')}]`, true],
    [
      'TRF fields and fractional size',
      `[${T.replace('"z":3', '"z":3,"trfi":201,"trft":1700000000120,"ds":"0.5"')}]`,
      true,
    ],
    ['quote without optional fields', '[{"ev":"Q","sym":"X","bp":1,"bs":0,"ap":1.01,"as":1,"t":5}]', true],
    ['integer written as 100.0', `[${T.replace('"s":100', '"s":100.0')}]`, true],
    ['exponent price', `[${T.replace('189.5', '1.895e2')}]`, true],
    ['non-ASCII symbol', `[${T.replace('AAPL', 'ÄPL')}]`, true],
    // Declined: the general path decides (and the result is the same).
    ['whitespace', `[ ${T}]`, false],
    ['pretty printed', JSON.stringify([JSON.parse(T)], null, 2), false],
    ['trailing text', `[${T}]x`, false],
    ['truncated', `[${T}`.slice(0, 60), false],
    ['not an array', T, false],
    ['aggregate', '[{"ev":"AM","sym":"X","v":1,"vw":1,"o":1,"c":1,"h":1,"l":1,"s":0,"e":60000}]', false],
    ['status', '[{"ev":"status","status":"connected","message":"Connected Successfully"}]', false],
    ['unknown ev', '[{"ev":"LULD","sym":"X"}]', false],
    ['unknown key', `[${T.replace('"z":3', '"z":3,"r":1')}]`, false],
    ['repeated key (JSON.parse keeps the last)', `[${T.replace('"s":100', '"s":100,"s":200')}]`, false],
    ['escape in a string', `[${T.replace('AAPL', 'AA\\u0050L')}]`, false],
    ['escape in a key', `[${T.replace('"sym"', '"s\\u0079m"')}]`, false],
    ['raw control character', `[${T.replace('AAPL', 'AA\tPL')}]`, false],
    ['numeric trade id', `[${T.replace('"52983525029461"', '52983525029461')}]`, false],
    ['price as text', `[${T.replace('189.5', '"189.5"')}]`, false],
    ['zero price', `[${T.replace('189.5', '0')}]`, false],
    ['negative size', `[${T.replace('"s":100', '"s":-100')}]`, false],
    ['fractional size', `[${T.replace('"s":100', '"s":100.5')}]`, false],
    ['missing sym', `[${T.replace('"sym":"AAPL",', '')}]`, false],
    ['empty sym', `[${T.replace('AAPL', '')}]`, false],
    ['long sym', `[${T.replace('AAPL', 'ABCDEFGHIJKLM')}]`, false],
    ['condition not an integer', `[${T.replace('[14,41]', '[14,4.5]')}]`, false],
    ['conditions as a number', `[${T.replace('[14,41]', '14')}]`, false],
    ['leading zero', `[${T.replace('"s":100', '"s":0100')}]`, false],
    ['bare minus', `[${T.replace('"s":100', '"s":-')}]`, false],
    ['exchange as signed text', `[${T.replace('"x":4', '"x":"+4"')}]`, false],
    ['quote with a trade key', `[${Q.replace('"z":3', '"z":3,"p":1')}]`, false],
    ['quote exchange as text', `[${Q.replace('"bx":4', '"bx":"4"')}]`, false],
    ['one bad element among good ones', `[${T},{"ev":"T"},${Q}]`, false],
    ['element not an object', `[${T},"garbage"]`, false],
    ['empty object', '[{}]', false],
    ['true as a value', `[${T.replace('"z":3', '"z":true')}]`, false],
    ['huge exponent', `[${T.replace('189.5', '1e400')}]`, false],
  ]
  it.each(cases)('%s', (_name, frame, taken) => {
    expect(fastTaken(frame)).toBe(taken)
    expectSameAsGeneral(frame)
  })

  it('the simulator’s own frames all take it', () => {
    const rand = mulberry32(7)
    for (let f = 0; f < 200; f++) {
      const els: string[] = []
      for (let k = 0; k < 50; k++) {
        const t = 1_700_000_000_000 + f * 1000 + k
        if (rand() < 0.4) els.push(quoteJson('MSFT', 4, 99.99, 300, 7, 100.01, 200, t, f * 50 + k, 3, t))
        else {
          const x = rand() < 0.3 ? 4 : 11
          els.push(
            tradeJson(
              'AAPL',
              f * 50 + k,
              x,
              Math.round(rand() * 1e6) / 100,
              rand() < 0.1 ? Math.ceil(rand() * 999_999) / 1e6 : 100,
              rand() < 0.5 ? [37] : [],
              t,
              f * 50 + k,
              3,
              t - (k % 3),
              x === 4 ? 202 : 0,
              t,
            ),
          )
        }
      }
      const frame = `[${els.join(',')}]`
      expect(fastTaken(frame)).toBe(true)
      expectSameAsGeneral(frame)
    }
  })
})

describe('scanFrame — numbers are the doubles JSON.parse makes', () => {
  const literals = [
    '0',
    '-0',
    '0.0',
    '-0.0',
    '1',
    '189.5',
    '0.1',
    '0.30000000000000004',
    '123.456789012345',
    '1234567890123456',
    '12345678901234567890',
    '9007199254740993',
    '1.7976931348623157e308',
    '5e-324',
    '1E3',
    '1e+3',
    '2.5E-3',
    '0.000001',
    '99999999999999.9',
    '4.35',
    '1700000000123',
    '0.1234567890123456789',
  ]
  it.each(literals)('%s', (lit) => {
    // As a quote's bid, which takes any finite number ≥ 0 (and -0).
    const frame = `[{"ev":"Q","sym":"X","bp":${lit},"bs":1,"ap":1,"as":1,"t":1}]`
    const out: ScannedFrame = { events: [], quote: [] }
    const taken = scanFrame(frame, out)
    const expected = JSON.parse(lit) as number
    if (taken) expect(Object.is((out.events[0] as { bid: number }).bid, expected)).toBe(true)
    // Negative bids are rejected by both paths; everything else here is a valid bid.
    expect(taken).toBe(expected >= 0 && Number.isFinite(expected))
    expectSameAsGeneral(frame)
  })
})

describe('scanFrame — differential fuzz against the general path', () => {
  it('random edits of realistic frames never make the two paths differ', () => {
    const rand = mulberry32(20261128)
    // Characters that matter to JSON, numbers and the key table.
    const alphabet = '{}[],:"\\ 0123456789.-+eEtrfnulsymevpqxzicdbaTQ'
    // Mostly the 2026 shapes (pt, trfi/trft, ds, i arrays first), in the servers' and in shuffled key orders.
    const shuffled = (json: string): string => {
      const o = JSON.parse(json) as Record<string, unknown>
      const keys = Object.keys(o)
      for (let k = keys.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1))
        ;[keys[k], keys[j]] = [keys[j] as string, keys[k] as string]
      }
      return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(',')}}`
    }
    const bases = [
      T26,
      Q26,
      TFRAC,
      T26.replace('"ds":"129.0"', '"ds":"100.5"'),
      shuffled(T26),
      shuffled(Q26),
      shuffled(TFRAC),
      T,
      Q,
      T.replace('"z":3', '"z":3,"trfi":201,"trft":5'),
      T.replace('[14,41]', 'null'),
    ]
    let taken = 0
    const runs = 4000
    for (let n = 0; n < runs; n++) {
      const els: string[] = []
      const count = 1 + Math.floor(rand() * 4)
      for (let k = 0; k < count; k++) els.push(bases[Math.floor(rand() * bases.length)] as string)
      let s = `[${els.join(',')}]`
      const edits = Math.floor(rand() * 3)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * s.length)
        const ch = alphabet[Math.floor(rand() * alphabet.length)] as string
        const op = rand()
        if (op < 0.4) s = s.slice(0, at) + s.slice(at + 1)
        else if (op < 0.7) s = s.slice(0, at) + ch + s.slice(at + 1)
        else s = s.slice(0, at) + ch + s.slice(at)
      }
      if (fastTaken(s)) taken++
      expectSameAsGeneral(s)
    }
    // The fuzz must exercise both sides: frames it takes, and frames it declines.
    expect(taken).toBeGreaterThan(runs / 10)
    expect(taken).toBeLessThan(runs)
  })
})
