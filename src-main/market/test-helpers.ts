// Test helpers shared by the market engine tests (not imported by production code).
import type { Bar, Trade } from '../domain/market'

/** 2024-03-12 14:00 UTC = 10:00 EDT, a Tuesday; aligned to every timeframe (15 min included). */
export const T = Date.UTC(2024, 2, 12, 14, 0)
export const SEC = 1_000
export const MIN = 60_000

let autoSeq = 1_000

export function trade(
  symbol: string,
  price: number,
  size: number,
  ts: number,
  extra: Partial<Pick<Trade, 'conditions' | 'seq' | 'id'>> = {},
): Trade {
  const seq = extra.seq ?? ++autoSeq
  return {
    symbol,
    price,
    size,
    ts,
    exchange: 4,
    conditions: extra.conditions ?? [],
    seq,
    id: extra.id ?? String(seq),
    tape: 3,
  }
}

export function aggregate(
  symbol: string,
  source: 'A' | 'AM' | 'rest',
  start: number,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
  vw: number,
): Bar {
  const ms = source === 'A' ? 1_000 : 60_000
  return {
    symbol,
    start,
    end: start + ms,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
    vwap: vw,
    trades: 0,
    source,
  }
}

/** The fields a chart shows, for compact expectations. */
export function ohlcv(
  b: Bar | undefined,
): [number, number, number, number, number, number, number] | undefined {
  if (b === undefined) return undefined
  return [b.start, b.open, b.high, b.low, b.close, b.volume, Math.round(b.vwap * 1e6) / 1e6]
}
