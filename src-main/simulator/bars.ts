// Bar arithmetic shared by the socket A/AM events and REST aggregates, so both agree exactly
// with each other and with a client recomputing from the T events (same order, same rounding).

/** Polygon sends VWAPs with 4 decimals. */
export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000
}

export class BarAccumulator {
  start = 0
  end = 0
  open = 0
  high = 0
  low = 0
  close = 0
  hasLast = false
  /** Volume in micro-shares (an integer: fractional-share trades add exactly, whole shares stay whole). */
  micro = 0
  /** Σ price·size over volume-updating trades. */
  pv = 0
  /** Count of volume-updating trades. */
  trades = 0

  reset(start: number, end: number): void {
    this.start = start
    this.end = end
    this.hasLast = false
    this.open = this.high = this.low = this.close = 0
    this.micro = 0
    this.pv = 0
    this.trades = 0
  }

  add(price: number, size: number, last: boolean, vol: boolean): void {
    if (last) {
      if (!this.hasLast) {
        this.open = this.high = this.low = price
        this.hasLast = true
      } else {
        if (price > this.high) this.high = price
        if (price < this.low) this.low = price
      }
      this.close = price
    }
    if (vol) {
      this.micro += Math.round(size * 1_000_000)
      this.pv += price * size
      this.trades++
    }
  }

  /** A window gets a bar only with at least one last-updating trade. */
  get hasBar(): boolean {
    return this.hasLast
  }

  /** Volume in shares (decimal; exact for whole shares). */
  get volume(): number {
    return this.micro / 1_000_000
  }

  get vwap(): number {
    return this.volume > 0 ? round4(this.pv / this.volume) : 0
  }
}

/** The REST aggregate shape. */
export interface RestBar {
  o: number
  h: number
  l: number
  c: number
  v: number
  vw: number
  n: number
  t: number
}

export interface TradeRow {
  ts: number
  price: number
  size: number
  last: boolean
  vol: boolean
}

/**
 * Aggregate time-ordered trades into bars. `windowOf(ts)` returns the window start and end containing ts.
 * Windows without a last-updating trade produce no bar. Pure.
 */
export function aggregateTrades(
  rows: Iterable<TradeRow>,
  windowOf: (ts: number) => [number, number],
): RestBar[] {
  const out: RestBar[] = []
  const acc = new BarAccumulator()
  let open = false
  const flush = (): void => {
    if (open && acc.hasBar) {
      out.push({ o: acc.open, h: acc.high, l: acc.low, c: acc.close, v: acc.volume, vw: acc.vwap, n: acc.trades, t: acc.start })
    }
  }
  for (const r of rows) {
    if (!open || r.ts >= acc.end || r.ts < acc.start) {
      flush()
      const [s, e] = windowOf(r.ts)
      acc.reset(s, e)
      open = true
    }
    acc.add(r.price, r.size, r.last, r.vol)
  }
  flush()
  return out
}
