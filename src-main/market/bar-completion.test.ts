import { describe, expect, it } from 'vitest'
import type { Bar } from '../domain/market'
import { BAR_SETTLE_MS, createBarCompletion, type CompletedBar } from './bar-completion'

const bar = (symbol: string, start: number, len: number, close: number): Bar => ({
  symbol,
  start,
  end: start + len,
  open: close,
  high: close,
  low: close,
  close,
  volume: 100,
  vwap: close,
  trades: 1,
  source: 'trades',
})
const s = (start: number, close: number, symbol = 'AAPL'): Bar => bar(symbol, start, 1_000, close)
const m = (start: number, close: number, symbol = 'AAPL'): Bar => bar(symbol, start, 60_000, close)
const brief = (out: CompletedBar[]): string[] => out.map((c) => `${c.tf} ${c.bar.symbol} ${c.bar.start} ${c.bar.close}`)

describe('bar completion for Kafka', () => {
  type Step = { update?: { bars: { '1s'?: Bar; '1m'?: Bar }; closed?: { '1s'?: Bar[]; '1m'?: Bar[] } }; stale?: number }
  const cases: [string, Step[], string[][]][] = [
    ['an open bar is not complete', [{ update: { bars: { '1s': s(0, 1) } } }], [[]]],
    [
      'a newer bar completes the previous one, with its final numbers',
      [{ update: { bars: { '1s': s(0, 1) } } }, { update: { bars: { '1s': s(0, 2) } } }, { update: { bars: { '1s': s(1_000, 3) } } }],
      [[], [], ['1s AAPL 0 2']],
    ],
    [
      'closed bars in an update are completed in order before the current one',
      [{ update: { bars: { '1m': m(0, 1) } } }, { update: { bars: { '1m': m(120_000, 3) }, closed: { '1m': [m(0, 2), m(60_000, 5)] } } }],
      [[], ['1m AAPL 0 2', '1m AAPL 60000 5']],
    ],
    [
      'market time 2 s past the end completes a bar nobody trades into',
      [{ update: { bars: { '1s': s(0, 1) } } }, { stale: 1_000 + BAR_SETTLE_MS - 1 }, { stale: 1_000 + BAR_SETTLE_MS }, { stale: 99_000 }],
      [[], [], ['1s AAPL 0 1'], []],
    ],
    [
      'a late trade re-opens a completed bar: it is sent again',
      [{ update: { bars: { '1s': s(0, 1) } } }, { stale: 5_000 }, { update: { bars: { '1s': s(0, 9) } } }, { stale: 5_000 }],
      [[], ['1s AAPL 0 1'], [], ['1s AAPL 0 9']],
    ],
    [
      'an older bar never replaces a newer open one',
      [{ update: { bars: { '1s': s(5_000, 1) } } }, { update: { bars: { '1s': s(1_000, 7) } } }, { update: { bars: { '1s': s(6_000, 2) } } }],
      [[], [], ['1s AAPL 5000 1']],
    ],
    [
      'symbols and timeframes are tracked apart; 5 m bars are not for Kafka',
      [
        { update: { bars: { '1s': s(0, 1), '1m': m(0, 1) } } },
        { update: { bars: { '1s': s(0, 4, 'MSFT') } } },
        { update: { bars: { '1s': s(1_000, 2) } } },
      ],
      [[], [], ['1s AAPL 0 1']],
    ],
  ]
  it.each(cases)('%s', (_name, steps, expected) => {
    const bc = createBarCompletion()
    const got = steps.map((st) => brief(st.update ? bc.track(st.update) : bc.closeStale(st.stale!)))
    expect(got).toEqual(expected)
  })
})
