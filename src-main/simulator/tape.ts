// Columnar ground-truth storage. Typed arrays keep ~45 bytes per trade instead of a few hundred
// for objects, so the default caps (2,000,000 trades + 2,000,000 quotes) stay near 150 MB.
import type { Quote, Trade } from '../domain/market'
import { CONDITION_FORM_T, updatesLast, updatesVolume } from './conditions'

/** Condition sets interned to a small id (0 = no conditions). */
export class ConditionSets {
  private readonly sets: number[][] = [[]]
  private readonly flags: number[] = [3]
  private readonly index = new Map<string, number>([['', 0]])

  intern(conditions: readonly number[]): number {
    const key = conditions.join(',')
    let id = this.index.get(key)
    if (id === undefined) {
      id = this.sets.length
      this.sets.push([...conditions])
      // Form T (12) does not keep a print out of OHLC here: Polygon's aggregates cover the extended hours, and
      // docs/impact-v2.md lets Form T prints move prices the same way. The wire still carries the 12.
      const priced = conditions.filter((c) => c !== CONDITION_FORM_T)
      this.flags.push((updatesLast(priced) ? 1 : 0) | (updatesVolume(conditions) ? 2 : 0))
      this.index.set(key, id)
    }
    return id
  }

  get(id: number): readonly number[] {
    return this.sets[id] ?? []
  }

  /** bit 0: updates last, bit 1: updates volume. */
  flagsOf(id: number): number {
    return this.flags[id] ?? 3
  }
}

export const FINRA_TRF_EXCHANGE = 4
/** TRF id of an off-exchange print (Polygon `trfi`), from its trade id: the same on the wire and the tape. */
export function trfIdOf(id: number): number {
  return 201 + (id % 3)
}
/**
 * Participant (exchange) time of a print, ms (the socket's `pt`, the REST `participant_timestamp`): off-exchange
 * prints reach the TRF after the execution (a reporting delay of up to a few hundred ms here; FINRA allows 10 s);
 * exchange prints a millisecond or two before the SIP. An on-time TRF print is stamped by the TRF as by the SIP
 * (`trft` = `t`), as in the captured frames (fixtures/polygon). `trft` is 0 for an exchange print.
 */
export function participantTime(ts: number, id: number, trft: number): number {
  return trft !== 0 ? trft - ((Math.imul(id, 2654435761) >>> 0) % 400) : ts - (id % 3)
}
/** How late a TRF print may be and still land in its own window's bars (Polygon holds bars 15 minutes). */
export const LATE_TRF_MS = 15 * 60_000
/** Bar time of a print too late for any intraday bar (`placeOf`). */
export const NO_BAR = -1

/**
 * Where Polygon's aggregates put a print: its SIP time `ts`, or for a TRF print reported late (`trft` < `ts`) the
 * window of its `trft`, up to 15 minutes late; a later one is in no intraday bar (NO_BAR), only the day's.
 */
export function placeOf(ts: number, trft: number): number {
  if (trft === 0 || trft >= ts) return ts
  return ts - trft <= LATE_TRF_MS ? trft : NO_BAR
}

/** Entries per chunk: dropping the oldest frees whole chunks, nothing is ever copied. */
const CHUNK_BITS = 14
const CHUNK = 1 << CHUNK_BITS
const MASK = CHUNK - 1

class TradeChunk {
  readonly ts = new Float64Array(CHUNK)
  readonly price = new Float64Array(CHUNK)
  /** Shares, decimal for fractional-share trades (micro-share exact as a double). */
  readonly size = new Float64Array(CHUNK)
  readonly exchange = new Uint8Array(CHUNK)
  readonly cond = new Uint16Array(CHUNK)
  readonly seq = new Float64Array(CHUNK)
  readonly id = new Float64Array(CHUNK)
  /** TRF time of an off-exchange print (ms), 0 for exchange prints. */
  readonly trft = new Float64Array(CHUNK)
}

class QuoteChunk {
  readonly ts = new Float64Array(CHUNK)
  readonly bid = new Float64Array(CHUNK)
  readonly ask = new Float64Array(CHUNK)
  readonly bidLots = new Int32Array(CHUNK)
  readonly askLots = new Int32Array(CHUNK)
  readonly bx = new Uint8Array(CHUNK)
  readonly ax = new Uint8Array(CHUNK)
  readonly seq = new Float64Array(CHUNK)
}

/** Chunked append-only columns with O(1) drop-oldest. Indexes are relative to the oldest retained entry. */
abstract class Chunked<C> {
  protected readonly chunks: C[] = []
  /** Offset of the oldest retained entry inside chunks[0]. */
  protected head = 0
  length = 0
  /** Entries ever pushed (retained or not). */
  pushed = 0

  protected abstract newChunk(): C

  // Scratch chunk/offset set by slot() and at(): avoids a tuple allocation per access on the hot path.
  protected c!: C
  protected k = 0

  /** Point c/k at the slot for the next push. */
  protected slot(): void {
    const g = this.head + this.length
    const ci = g >>> CHUNK_BITS
    let c = this.chunks[ci]
    if (!c) {
      c = this.newChunk()
      this.chunks.push(c)
    }
    this.length++
    this.pushed++
    this.c = c
    this.k = g & MASK
  }

  /** Point c/k at relative index i. */
  protected at(i: number): void {
    const g = this.head + i
    this.c = this.chunks[g >>> CHUNK_BITS] as C
    this.k = g & MASK
  }

  /** Drop the oldest `n` entries. */
  dropOldest(n: number): void {
    const k = Math.min(n, this.length)
    this.head += k
    this.length -= k
    while (this.head >= CHUNK) {
      this.chunks.shift()
      this.head -= CHUNK
    }
  }
}

export class TradeTape extends Chunked<TradeChunk> {
  constructor(
    readonly symbol: string,
    readonly tapeId: number,
    private readonly conds: ConditionSets,
  ) {
    super()
  }

  protected newChunk(): TradeChunk {
    return new TradeChunk()
  }

  push(ts: number, price: number, size: number, exchange: number, condId: number, seq: number, id: number, trft = 0): void {
    this.slot()
    const c = this.c
    const k = this.k
    c.trft[k] = trft
    c.ts[k] = ts
    c.price[k] = price
    c.size[k] = size
    c.exchange[k] = exchange
    c.cond[k] = condId
    c.seq[k] = seq
    c.id[k] = id
  }

  ts(i: number): number {
    this.at(i)
    const c = this.c
    const k = this.k
    return c.ts[k] ?? 0
  }

  price(i: number): number {
    this.at(i)
    const c = this.c
    const k = this.k
    return c.price[k] ?? 0
  }

  size(i: number): number {
    this.at(i)
    const c = this.c
    const k = this.k
    return c.size[k] ?? 0
  }

  seq(i: number): number {
    this.at(i)
    return this.c.seq[this.k] ?? 0
  }

  /** Where the aggregates put trade i (placeOf). */
  place(i: number): number {
    this.at(i)
    return placeOf(this.c.ts[this.k] ?? 0, this.c.trft[this.k] ?? 0)
  }

  /** bit 0: updates last, bit 1: updates volume. */
  flags(i: number): number {
    this.at(i)
    const c = this.c
    const k = this.k
    return this.conds.flagsOf(c.cond[k] ?? 0)
  }

  /** First index (0..length) with ts >= t. */
  lowerBound(t: number): number {
    let lo = 0
    let hi = this.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.ts(mid) < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  trade(i: number): Trade {
    this.at(i)
    const c = this.c
    const k = this.k
    const trft = c.trft[k] ?? 0
    const id = c.id[k] ?? 0
    return {
      symbol: this.symbol,
      price: c.price[k] ?? 0,
      size: c.size[k] ?? 0,
      ts: c.ts[k] ?? 0,
      exchange: c.exchange[k] ?? 0,
      conditions: [...this.conds.get(c.cond[k] ?? 0)],
      seq: c.seq[k] ?? 0,
      id: String(id),
      tape: this.tapeId,
      ...(trft !== 0 ? { trfi: trfIdOf(id), trft } : {}),
    }
  }
}

export class QuoteTape extends Chunked<QuoteChunk> {
  constructor(readonly symbol: string) {
    super()
  }

  protected newChunk(): QuoteChunk {
    return new QuoteChunk()
  }

  push(ts: number, bid: number, bidLots: number, ask: number, askLots: number, bx: number, ax: number, seq: number): void {
    this.slot()
    const c = this.c
    const k = this.k
    c.ts[k] = ts
    c.bid[k] = bid
    c.ask[k] = ask
    c.bidLots[k] = bidLots
    c.askLots[k] = askLots
    c.bx[k] = bx
    c.ax[k] = ax
    c.seq[k] = seq
  }

  quote(i: number): Quote {
    this.at(i)
    const c = this.c
    const k = this.k
    return {
      symbol: this.symbol,
      bid: c.bid[k] ?? 0,
      bidSize: (c.bidLots[k] ?? 0) * 100,
      ask: c.ask[k] ?? 0,
      askSize: (c.askLots[k] ?? 0) * 100,
      ts: c.ts[k] ?? 0,
    }
  }
}
