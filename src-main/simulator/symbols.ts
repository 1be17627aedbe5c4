// Per-symbol market profile: starting price, volatility, beta to the market factor, base trade rate, listing tape.
// Well-known names get realistic values; any other ticker is seeded from its name.
import { hashSeed, Rng } from './prng'

export interface SymbolProfile {
  symbol: string
  /** Price at the tape origin (also the synthetic previous close). */
  startPrice: number
  /** Annualised volatility, e.g. 0.3 (total: the market factor's share by beta plus the name's own noise). */
  vol: number
  /** Sensitivity of the name's log returns to the market factor (the proxy SPY's); 1 for SPY itself. */
  beta: number
  /** Annualised volatility of the name's own (idiosyncratic) returns: √(vol² − beta²·MARKET_VOL²), at least 30 % of vol. */
  idioVol: number
  /** Trades per second at midday with intensity 1. */
  baseRate: number
  /** 1 NYSE, 2 AMEX/Arca, 3 Nasdaq. */
  tape: 1 | 2 | 3
}

/** The market proxy: its tape is the market factor itself (beta 1, no own noise). */
export const MARKET_PROXY = 'SPY'
/** Annualised volatility of the market factor (SPY's): low, as an index's is. */
export const MARKET_VOL = 0.14

type Known = [price: number, vol: number, rate: number, tape: 1 | 2 | 3, beta: number]
// Betas roughly as measured against the S&P 500 (high for chips and Tesla, low for staples and health care).
const KNOWN: Record<string, Known> = {
  AAPL: [230, 0.28, 14, 3, 1.15],
  MSFT: [420, 0.25, 10, 3, 1.05],
  NVDA: [140, 0.55, 20, 3, 1.7],
  TSLA: [250, 0.6, 16, 3, 1.8],
  AMZN: [200, 0.32, 11, 3, 1.25],
  GOOGL: [170, 0.3, 9, 3, 1.1],
  GOOG: [172, 0.3, 7, 3, 1.1],
  META: [560, 0.4, 8, 3, 1.3],
  AVGO: [170, 0.45, 7, 3, 1.5],
  NFLX: [700, 0.4, 4, 3, 1.2],
  AMD: [150, 0.5, 9, 3, 1.65],
  INTC: [22, 0.45, 6, 3, 1.1],
  COST: [900, 0.25, 2, 3, 0.75],
  ADBE: [500, 0.35, 3, 3, 1.2],
  QQQ: [490, 0.19, 9, 3, 1.15],
  PLTR: [40, 0.6, 9, 3, 1.8],
  JPM: [220, 0.25, 5, 1, 1.0],
  V: [280, 0.22, 4, 1, 0.9],
  WMT: [80, 0.22, 5, 1, 0.6],
  XOM: [115, 0.27, 5, 1, 0.8],
  UNH: [560, 0.3, 3, 1, 0.6],
  JNJ: [160, 0.2, 3, 1, 0.5],
  BAC: [42, 0.3, 6, 1, 1.2],
  DIS: [95, 0.3, 4, 1, 1.1],
  KO: [64, 0.18, 3, 1, 0.55],
  PFE: [28, 0.28, 5, 1, 0.65],
  BA: [160, 0.45, 4, 1, 1.35],
  ORCL: [170, 0.35, 4, 1, 1.1],
  CRM: [280, 0.35, 3, 1, 1.2],
  SPY: [680, MARKET_VOL, 18, 2, 1],
}

/** What `T.*` (and other wildcards) cover: 20 well-known names and the market proxy SPY. */
export const DEFAULT_UNIVERSE: readonly string[] = [
  'AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AVGO', 'NFLX', 'AMD',
  'JPM', 'V', 'WMT', 'XOM', 'UNH', 'JNJ', 'BAC', 'DIS', 'KO', 'INTC', 'SPY',
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
    const [price, vol, baseRate, tape, beta] = known
    return { symbol, startPrice: roundCent(price * jitter), vol, beta, idioVol: idioVolOf(symbol, vol, beta), baseRate, tape }
  }
  const nameRng = new Rng(hashSeed(0, `name:${symbol}`))
  const price = Math.exp(Math.log(5) + nameRng.next() * (Math.log(300) - Math.log(5)))
  const tapes: (1 | 2 | 3)[] = [1, 3, 3, 2]
  const vol = 0.25 + nameRng.next() * 0.35
  const baseRate = 1 + nameRng.next() * 5
  const tape = tapes[nameRng.int(0, 3)] ?? 3
  // Drawn after the older fields so they keep their values; the spread of betas seen in the S&P 500.
  const beta = Math.round((0.5 + nameRng.next() * 1.3) * 100) / 100
  return { symbol, startPrice: roundCent(price * (1 + (rng.next() - 0.5) * 0.04)), vol, beta, idioVol: idioVolOf(symbol, vol, beta), baseRate, tape }
}

/** Own volatility so that the total stays `vol`; never below 30 % of it (a name is never just the market). */
function idioVolOf(symbol: string, vol: number, beta: number): number {
  if (symbol === MARKET_PROXY) return 0
  return Math.sqrt(Math.max(vol * vol - beta * beta * MARKET_VOL * MARKET_VOL, 0.09 * vol * vol))
}

export function roundCent(x: number): number {
  return Math.round(x * 100) / 100
}
