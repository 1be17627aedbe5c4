// Per-symbol market profile: starting price, volatility, base trade rate, listing tape.
// Well-known names get realistic values; any other ticker is seeded from its name.
import { hashSeed, Rng } from './prng'

export interface SymbolProfile {
  symbol: string
  /** Price at the tape origin (also the synthetic previous close). */
  startPrice: number
  /** Annualised volatility, e.g. 0.3. */
  vol: number
  /** Trades per second at midday with intensity 1. */
  baseRate: number
  /** 1 NYSE, 2 AMEX/Arca, 3 Nasdaq. */
  tape: 1 | 2 | 3
}

type Known = [price: number, vol: number, rate: number, tape: 1 | 2 | 3]
const KNOWN: Record<string, Known> = {
  AAPL: [230, 0.28, 14, 3],
  MSFT: [420, 0.25, 10, 3],
  NVDA: [140, 0.55, 20, 3],
  TSLA: [250, 0.6, 16, 3],
  AMZN: [200, 0.32, 11, 3],
  GOOGL: [170, 0.3, 9, 3],
  GOOG: [172, 0.3, 7, 3],
  META: [560, 0.4, 8, 3],
  AVGO: [170, 0.45, 7, 3],
  NFLX: [700, 0.4, 4, 3],
  AMD: [150, 0.5, 9, 3],
  INTC: [22, 0.45, 6, 3],
  COST: [900, 0.25, 2, 3],
  ADBE: [500, 0.35, 3, 3],
  QQQ: [490, 0.22, 9, 3],
  PLTR: [40, 0.6, 9, 3],
  JPM: [220, 0.25, 5, 1],
  V: [280, 0.22, 4, 1],
  WMT: [80, 0.22, 5, 1],
  XOM: [115, 0.27, 5, 1],
  UNH: [560, 0.3, 3, 1],
  JNJ: [160, 0.2, 3, 1],
  BAC: [42, 0.3, 6, 1],
  DIS: [95, 0.3, 4, 1],
  KO: [64, 0.18, 3, 1],
  PFE: [28, 0.28, 5, 1],
  BA: [160, 0.45, 4, 1],
  ORCL: [170, 0.35, 4, 1],
  CRM: [280, 0.35, 3, 1],
  SPY: [570, 0.18, 18, 2],
}

/** What `T.*` (and other wildcards) cover: ~20 well-known names. */
export const DEFAULT_UNIVERSE: readonly string[] = [
  'AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AVGO', 'NFLX', 'AMD',
  'JPM', 'V', 'WMT', 'XOM', 'UNH', 'JNJ', 'BAC', 'DIS', 'KO', 'INTC',
]

/** Tickers as Polygon spells them: upper case letters, digits, dot, dash, colon. */
export const SYMBOL_RE = /^[A-Z0-9][A-Z0-9.\-:]{0,14}$/

export function symbolProfile(seed: number, symbol: string): SymbolProfile {
  const known = KNOWN[symbol]
  // The profile draws from its own stream so the tape's stream stays untouched.
  const rng = new Rng(hashSeed(seed ^ 0x5bd1e995, `profile:${symbol}`))
  if (known) {
    // A small seeded perturbation keeps runs with different seeds distinct.
    const jitter = 1 + (rng.next() - 0.5) * 0.04
    return { symbol, startPrice: roundCent(known[0] * jitter), vol: known[1], baseRate: known[2], tape: known[3] }
  }
  const nameRng = new Rng(hashSeed(0, `name:${symbol}`))
  const price = Math.exp(Math.log(5) + nameRng.next() * (Math.log(300) - Math.log(5)))
  const tapes: (1 | 2 | 3)[] = [1, 3, 3, 2]
  return {
    symbol,
    startPrice: roundCent(price * (1 + (rng.next() - 0.5) * 0.04)),
    vol: 0.25 + nameRng.next() * 0.35,
    baseRate: 1 + nameRng.next() * 5,
    tape: tapes[nameRng.int(0, 3)] ?? 3,
  }
}

export function roundCent(x: number): number {
  return Math.round(x * 100) / 100
}
