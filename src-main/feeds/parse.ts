// Hot-path parser for Polygon (Massive) socket frames. Every frame is a JSON array of events, possibly of
// mixed types; every element is validated by hand (zod is ~10× too slow here) and a bad element never
// spoils the rest of the frame. Field tables and the 2026 shapes: docs/protocols.md.
import type { Bar, Quote, Trade } from '../domain/market'
import { microShares, sharesOfMicro } from './decimal-size'
import { scanFrame, type ScannedFrame } from './frame-scan'

export interface PolygonStatusEvent {
  status: string
  message?: string
}

export interface PolygonSink {
  trade(t: Trade): void
  quote(q: Quote): void
  /** Socket aggregates: source 'A' (per second) or 'AM' (per minute). */
  aggregate(b: Bar): void
  status(s: PolygonStatusEvent): void
  malformed(reason: string): void
}

export interface ParseStats {
  /** Elements delivered to the sink (trade, quote, aggregate, status). */
  events: number
  /** Elements (or whole frames that are not a JSON array) rejected; each also reached `sink.malformed`. */
  malformed: number
  /** Well-formed elements with an `ev` this client does not know (ignored, not an error). */
  unknown: number
}

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function int(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v)
}

/** Exchange ids: vendor JS clients type `x` as string. Returns NaN when not an integer (or a numeric string of one). */
function exchangeId(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : NaN
  if (typeof v === 'string' && v.length > 0 && v.length < 16) {
    const n = Number(v)
    return Number.isInteger(n) && n >= 0 ? n : NaN
  }
  return NaN
}

function intArray(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false
  for (let k = 0; k < v.length; k++) if (!int(v[k])) return false
  return true
}

// Reasons are constant strings: no allocation on the error path either.
const R_FRAME_JSON = 'frame is not valid JSON'
const R_FRAME_ARRAY = 'frame is not a JSON array'
const R_ELEMENT = 'element is not an object'
const R_EV = 'element has no string ev'

// Validators return the value or null (one shape: keeps the call sites monomorphic) and leave the reason here.
let reason = ''
function fail(r: string): null {
  reason = r
  return null
}

function parseTrade(e: Obj): Trade | null {
  const sym = e.sym
  if (typeof sym !== 'string' || sym.length === 0) return fail('T: sym')
  const p = e.p
  if (!finite(p) || p <= 0) return fail('T: p')
  const s = e.s
  if (!int(s) || s < 0) return fail('T: s')
  const t = e.t
  if (!int(t) || t <= 0) return fail('T: t')
  const q = e.q
  if (!int(q) || q < 0) return fail('T: q')
  const exchange = exchangeId(e.x)
  if (exchange !== exchange) return fail('T: x')
  const i = e.i
  let id: string
  if (typeof i === 'string') id = i
  else if (finite(i)) id = String(i)
  else return fail('T: i')
  const z = e.z
  // Tape is part of the protocol but some relays omit it: 0 = unknown rather than rejecting a real trade.
  let tape = 0
  if (z !== undefined) {
    if (!int(z)) return fail('T: z')
    tape = z
  }
  const c = e.c
  let conditions: number[]
  if (c === undefined || c === null) conditions = []
  else if (intArray(c)) conditions = c
  else return fail('T: c')
  // 2026 fields: participant time, TRF id and time (off-exchange prints), decimal size.
  const ptv = e.pt
  let pt: number | undefined
  if (ptv !== undefined) {
    if (!int(ptv) || ptv <= 0) return fail('T: pt')
    pt = ptv
  }
  const trfiv = e.trfi
  let trfi: number | undefined
  if (trfiv !== undefined) {
    if (!int(trfiv)) return fail('T: trfi')
    trfi = trfiv
  }
  const trftv = e.trft
  let trft: number | undefined
  if (trftv !== undefined) {
    if (!int(trftv)) return fail('T: trft')
    trft = trftv
  }
  // `ds` is the true size (fractional trades carry `s` = 1); read exactly, in millionths (decimal-size.ts).
  let size = s
  const ds = e.ds
  if (ds !== undefined) {
    if (typeof ds !== 'string') return fail('T: ds')
    const micro = microShares(ds)
    if (micro !== micro) return fail('T: ds')
    size = sharesOfMicro(micro)
  }
  // Field order is part of the contract with frame-scan.ts: one hidden class for every Trade downstream.
  return { symbol: sym, price: p, size, ts: t, exchange, conditions, seq: q, id, tape, pt, trfi, trft }
}

function parseQuote(e: Obj): Quote | null {
  const sym = e.sym
  if (typeof sym !== 'string' || sym.length === 0) return fail('Q: sym')
  const bp = e.bp
  if (!finite(bp) || bp < 0) return fail('Q: bp')
  const ap = e.ap
  if (!finite(ap) || ap < 0) return fail('Q: ap')
  const bs = e.bs
  if (!finite(bs) || bs < 0) return fail('Q: bs')
  const as = e.as
  if (!finite(as) || as < 0) return fail('Q: as')
  const t = e.t
  if (!int(t) || t <= 0) return fail('Q: t')
  if (e.bx !== undefined && exchangeId(e.bx) !== exchangeId(e.bx)) return fail('Q: bx')
  if (e.ax !== undefined && exchangeId(e.ax) !== exchangeId(e.ax)) return fail('Q: ax')
  // Sizes are shares (since 2025-11-03 on every Polygon feed; before, round lots).
  return { symbol: sym, bid: bp, bidSize: bs, ask: ap, askSize: as, ts: t }
}

function parseAggregate(e: Obj, source: 'A' | 'AM'): Bar | null {
  const sym = e.sym
  if (typeof sym !== 'string' || sym.length === 0) return fail(source === 'A' ? 'A: sym' : 'AM: sym')
  const o = e.o
  const h = e.h
  const l = e.l
  const c = e.c
  if (!finite(o) || !finite(h) || !finite(l) || !finite(c))
    return fail(source === 'A' ? 'A: ohlc' : 'AM: ohlc')
  if (h < l || o > h || o < l || c > h || c < l)
    return fail(source === 'A' ? 'A: ohlc order' : 'AM: ohlc order')
  const v0 = e.v
  if (!finite(v0) || v0 < 0) return fail(source === 'A' ? 'A: v' : 'AM: v')
  let v = v0
  // `dv`: the window's volume including fractional shares (a decimal string, millionths): the volume we keep.
  const dv = e.dv
  if (dv !== undefined) {
    const micro = typeof dv === 'string' ? microShares(dv) : NaN
    if (micro !== micro) return fail(source === 'A' ? 'A: dv' : 'AM: dv')
    v = sharesOfMicro(micro)
  }
  const vw = e.vw
  if (!finite(vw)) return fail(source === 'A' ? 'A: vw' : 'AM: vw')
  const s = e.s
  const en = e.e
  if (!int(s) || !int(en) || en <= s) return fail(source === 'A' ? 'A: s/e' : 'AM: s/e')
  const z = e.z
  // Polygon `z` is the average trade size of the window, so trades ≈ v / z.
  let trades = 0
  if (z !== undefined) {
    if (!finite(z)) return fail(source === 'A' ? 'A: z' : 'AM: z')
    if (z > 0) trades = Math.round(v / z)
  }
  return {
    symbol: sym,
    start: s,
    end: en,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
    vwap: vw,
    trades,
    source,
  }
}

/**
 * Parses one socket frame into `sink`. Never throws on bad input: non-JSON / non-array frames count as one
 * malformed; each bad element counts as one malformed and the rest of the frame is still delivered.
 * Exceptions thrown by the sink itself propagate (they are bugs in the caller, not bad input).
 */
export function parsePolygonFrame(text: string, sink: PolygonSink): ParseStats {
  // Most frames are compact trades and quotes: read those without the generic JSON tree (same result, see
  // frame-scan.ts); anything else, the general path below.
  const fast: ScannedFrame = { events: [], quote: [] }
  if (scanFrame(text, fast)) {
    const { events, quote } = fast
    for (let k = 0; k < events.length; k++) {
      if (quote[k] === true) sink.quote(events[k] as Quote)
      else sink.trade(events[k] as Trade)
    }
    return { events: events.length, malformed: 0, unknown: 0 }
  }
  return parsePolygonFrameGeneric(text, sink)
}

/** The general path: any mixture of events, each validated on its own. Exported as the fast path's oracle. */
export function parsePolygonFrameGeneric(text: string, sink: PolygonSink): ParseStats {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    sink.malformed(R_FRAME_JSON)
    return { events: 0, malformed: 1, unknown: 0 }
  }
  if (!Array.isArray(data)) {
    sink.malformed(R_FRAME_ARRAY)
    return { events: 0, malformed: 1, unknown: 0 }
  }
  let events = 0
  let malformed = 0
  let unknown = 0
  for (let k = 0; k < data.length; k++) {
    const e: unknown = data[k]
    if (!isObj(e)) {
      malformed++
      sink.malformed(R_ELEMENT)
      continue
    }
    const ev = e.ev
    if (ev === 'T') {
      const r = parseTrade(e)
      if (r === null) {
        malformed++
        sink.malformed(reason)
      } else {
        events++
        sink.trade(r)
      }
    } else if (ev === 'Q') {
      const r = parseQuote(e)
      if (r === null) {
        malformed++
        sink.malformed(reason)
      } else {
        events++
        sink.quote(r)
      }
    } else if (ev === 'AM' || ev === 'A') {
      const r = parseAggregate(e, ev)
      if (r === null) {
        malformed++
        sink.malformed(reason)
      } else {
        events++
        sink.aggregate(r)
      }
    } else if (ev === 'status') {
      const st = e.status
      if (typeof st !== 'string') {
        malformed++
        sink.malformed('status: status')
        continue
      }
      events++
      // `message` may be missing (tolerated); a non-string one is dropped rather than passed on.
      const m = e.message
      sink.status(typeof m === 'string' ? { status: st, message: m } : { status: st })
    } else if (typeof ev === 'string') {
      unknown++
    } else {
      malformed++
      sink.malformed(R_EV)
    }
  }
  return { events, malformed, unknown }
}
