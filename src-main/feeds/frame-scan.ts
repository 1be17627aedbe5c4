// Fast path for the commonest socket frames: compact JSON arrays of trades (T) and quotes (Q). It reads the
// text once, straight into Trade and Quote objects, without building the generic JSON tree first
// (JSON.parse allocates ~12 values per event that are thrown away at once). Same idea as the Flink job's
// trade parser.
//
// Contract: `scanFrame` returns true only when the whole frame is valid JSON made of T and Q events that
// pass exactly the checks of the general path (parse.ts); the events are then exactly what that path would
// deliver, in order. Anything else (another event type, whitespace between tokens, an unknown or repeated
// key, a string escape, a value of an unexpected type, a value the checks reject, a syntax error) returns
// false, and the caller reads the whole frame on the general path. So the fast path can only be faster,
// never different; a differential fuzz test holds it to that. Polygon and the simulator send compact JSON.
import type { Quote, Trade } from '../domain/market'
import { microSharesAt, sharesOfMicro } from './decimal-size'

// Helpers take the text and a position and return the position after what they read, or -1 when the fast
// path must give up; side results go to this object's fields (in-object properties: cheap to write).
class ScanState {
  // Span of the last string read (without quotes).
  sA = 0
  sB = 0
  // Last number read.
  num = 0
  conds: number[] = []
}
const S = new ScanState()

// Exact powers of ten: m / 10^k is correctly rounded (the same double JSON.parse gives) while m < 2^53.
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/** A string token with no escapes: span in S.sA..S.sB. Gives up on an escape, a control char or no end. */
function readString(src: string, p: number): number {
  if (src.charCodeAt(p) !== 34) return -1
  const a = ++p
  for (;;) {
    const c = src.charCodeAt(p)
    if (c === 34) break
    // Escapes take the general path; raw control characters (and NaN past the end) are not JSON.
    if (c === 92 || !(c >= 32)) return -1
    p++
  }
  S.sA = a
  S.sB = p
  return p + 1
}

/** A JSON number into S.num; gives up when the text there is not one. */
function readNumber(src: string, p: number): number {
  const start = p
  let c = src.charCodeAt(p)
  const neg = c === 45
  if (neg) c = src.charCodeAt(++p)
  let m = 0
  let digits = 0
  if (c === 48) {
    c = src.charCodeAt(++p)
    digits = 1
    if (c >= 48 && c <= 57) return -1 // leading zero
  } else if (c >= 49 && c <= 57) {
    do {
      m = m * 10 + (c - 48)
      digits++
      c = src.charCodeAt(++p)
    } while (c >= 48 && c <= 57)
  } else return -1
  let frac = 0
  if (c === 46) {
    c = src.charCodeAt(++p)
    if (!(c >= 48 && c <= 57)) return -1
    do {
      m = m * 10 + (c - 48)
      digits++
      frac++
      c = src.charCodeAt(++p)
    } while (c >= 48 && c <= 57)
  }
  if (c === 101 || c === 69 || digits > 15) {
    if (c === 101 || c === 69) {
      c = src.charCodeAt(++p)
      if (c === 43 || c === 45) c = src.charCodeAt(++p)
      if (!(c >= 48 && c <= 57)) return -1
      do c = src.charCodeAt(++p)
      while (c >= 48 && c <= 57)
    }
    // Long mantissas and exponents: the engine's own correctly rounded conversion, as JSON.parse uses.
    S.num = Number(src.slice(start, p))
    return p
  }
  const v = frac === 0 ? m : m / (POW10[frac] as number)
  S.num = neg ? -v : v
  return p
}

/** `[number, ...]` or `null` (→ []) into a new array in S.conds; -1 to give up. */
function readNumberArray(src: string, p: number): number {
  const c = src.charCodeAt(p)
  const out: number[] = []
  S.conds = out
  if (c === 110) {
    return src.charCodeAt(p + 1) === 117 && src.charCodeAt(p + 2) === 108 && src.charCodeAt(p + 3) === 108
      ? p + 4
      : -1
  }
  if (c !== 91) return -1
  p++
  if (src.charCodeAt(p) === 93) return p + 1
  for (;;) {
    p = readNumber(src, p)
    if (p < 0) return -1
    out.push(S.num)
    const d = src.charCodeAt(p++)
    if (d === 93) return p
    if (d !== 44) return -1
  }
}

// Symbols repeat all day: keep one string per symbol instead of a new one per event.
const SYM_SLOTS = 512
const symCache: string[] = new Array<string>(SYM_SLOTS).fill('')
const SYM_MAX = 12 // longer strings would be slices pinning the whole frame text in the cache

function symbolAt(src: string, a: number, b: number): string {
  let h = b - a
  for (let k = a; k < b; k++) h = (Math.imul(h, 31) + src.charCodeAt(k)) | 0
  const slot = h & (SYM_SLOTS - 1)
  const c = symCache[slot] as string
  const n = b - a
  if (c.length === n) {
    let k = 0
    while (k < n && c.charCodeAt(k) === src.charCodeAt(a + k)) k++
    if (k === n) return c
  }
  const s = src.slice(a, b)
  symCache[slot] = s
  return s
}

// One bit per key. A repeated key makes JSON.parse keep the last value; the general path does that, we give up.
const K_EV = 1 << 0
const K_SYM = 1 << 1
const K_I = 1 << 2
const K_X = 1 << 3
const K_P = 1 << 4
const K_S = 1 << 5
const K_C = 1 << 6
const K_T = 1 << 7
const K_Q = 1 << 8
const K_Z = 1 << 9
const K_TRFI = 1 << 10
const K_TRFT = 1 << 11
const K_DS = 1 << 12
const K_BX = 1 << 13
const K_BP = 1 << 14
const K_BS = 1 << 15
const K_AX = 1 << 16
const K_AP = 1 << 17
const K_AS = 1 << 18
const K_PT = 1 << 19

const T_REQUIRED = K_EV | K_SYM | K_I | K_X | K_P | K_S | K_T | K_Q
const T_KEYS = T_REQUIRED | K_C | K_Z | K_TRFI | K_TRFT | K_DS | K_PT
const Q_REQUIRED = K_EV | K_SYM | K_BP | K_BS | K_AP | K_AS | K_T
const Q_KEYS = Q_REQUIRED | K_BX | K_AX | K_C | K_I | K_Q | K_Z | K_PT

/**
 * The key at p (an opening quote): its bit, or 0 for one the fast path does not take (escapes included).
 * Peeks at the few characters a key can have instead of scanning a string; it ends at p + 2 + keyLength.
 */
function keyAt(src: string, p: number): number {
  if (src.charCodeAt(p) !== 34) return 0
  const c0 = src.charCodeAt(p + 1)
  const c1 = src.charCodeAt(p + 2)
  if (c1 === 34) {
    switch (c0) {
      case 105:
        return K_I
      case 120:
        return K_X
      case 112:
        return K_P
      case 115:
        return K_S
      case 99:
        return K_C
      case 116:
        return K_T
      case 113:
        return K_Q
      case 122:
        return K_Z
      default:
        return 0
    }
  }
  if (src.charCodeAt(p + 3) === 34) {
    switch (c0) {
      case 101: // ev
        return c1 === 118 ? K_EV : 0
      case 100: // ds
        return c1 === 115 ? K_DS : 0
      case 112: // pt
        return c1 === 116 ? K_PT : 0
      case 98: // bx bp bs
        return c1 === 120 ? K_BX : c1 === 112 ? K_BP : c1 === 115 ? K_BS : 0
      case 97: // ax ap as
        return c1 === 120 ? K_AX : c1 === 112 ? K_AP : c1 === 115 ? K_AS : 0
      default:
        return 0
    }
  }
  const c2 = src.charCodeAt(p + 3)
  const c3 = src.charCodeAt(p + 4)
  if (c3 === 34) return c0 === 115 && c1 === 121 && c2 === 109 ? K_SYM : 0 // sym
  if (c0 === 116 && c1 === 114 && c2 === 102 && src.charCodeAt(p + 5) === 34) {
    if (c3 === 105) return K_TRFI // trfi
    if (c3 === 116) return K_TRFT // trft
  }
  return 0
}

function keyLength(bit: number): number {
  if (bit === K_SYM) return 3
  if (bit === K_TRFI || bit === K_TRFT) return 4
  if (bit >= K_BX || bit === K_EV || bit === K_DS) return 2
  return 1
}

/** Exchange id given as a string (vendor JS clients do that): plain decimal digits, else NaN (general path). */
function exchangeFromSpan(src: string, a: number, b: number): number {
  // Spaces, signs, hex and exponents, which Number() also takes, go to the general path.
  if (a === b || b - a > 15) return NaN
  let v = 0
  for (let k = a; k < b; k++) {
    const c = src.charCodeAt(k)
    if (c < 48 || c > 57) return NaN
    v = v * 10 + (c - 48)
  }
  return v
}

function isIntArray(a: number[]): boolean {
  for (let k = 0; k < a.length; k++) if (!Number.isInteger(a[k])) return false
  return true
}

/** Exchange ids as the general path takes them from a number: an integer ≥ 0. */
function exchangeOk(v: number): boolean {
  return Number.isInteger(v) && v >= 0
}

/** Events read by `scanFrame`, in frame order; `quote[k]` tells which kind `events[k]` is. */
export interface ScannedFrame {
  events: Array<Trade | Quote>
  quote: boolean[]
}

/** One `{...}` event at p into out; -1 when the general path must decide. */
function scanEvent(src: string, p: number, out: ScannedFrame): number {
  if (src.charCodeAt(p) !== 123 || src.charCodeAt(p + 1) === 125) return -1 // {} is no event
  p++
  let seen = 0
  let isQuote = false
  let symbol = ''
  // T fields; `c` and `i` of a Q are read but not checked, as the general path does.
  let id = ''
  let idIsString = false
  let conditions: number[] | null = null
  let cIsNumber = false
  let exchange = NaN
  let price = NaN
  let size = NaN
  let ts = NaN
  let seq = NaN
  let tape = NaN
  let trfi = 0
  let trft = 0
  let pt = 0
  let dsMicro = NaN
  // Q fields.
  let bx = 0
  let ax = 0
  let bp = NaN
  let bs = NaN
  let ap = NaN
  let as = NaN
  for (;;) {
    const bit = keyAt(src, p)
    if (bit === 0 || (seen & bit) !== 0) return -1
    seen |= bit
    p += keyLength(bit) + 2
    if (src.charCodeAt(p) !== 58) return -1
    p++
    const c = src.charCodeAt(p)
    if (bit === K_EV) {
      // "T" or "Q"
      const k = src.charCodeAt(p + 1)
      if (c !== 34 || (k !== 84 && k !== 81) || src.charCodeAt(p + 2) !== 34) return -1
      isQuote = k === 81
      p += 3
    } else if (bit === K_SYM) {
      p = readString(src, p)
      if (p < 0 || S.sB === S.sA || S.sB - S.sA > SYM_MAX) return -1
      symbol = symbolAt(src, S.sA, S.sB)
    } else if (c === 34) {
      // Strings: a T's `i` and `ds`, an exchange id as text.
      p = readString(src, p)
      if (p < 0) return -1
      if (bit === K_I) {
        id = src.slice(S.sA, S.sB)
        idIsString = true
      } else if (bit === K_X) {
        exchange = exchangeFromSpan(src, S.sA, S.sB)
      } else if (bit === K_DS) {
        // Read as the general path reads it (the same function): an invalid one sends the frame there.
        dsMicro = microSharesAt(src, S.sA, S.sB)
        if (dsMicro !== dsMicro) return -1
      } else return -1
    } else if (c === 91 || c === 110) {
      // Arrays and null: a T's conditions `c`, a Q's indicators `i`.
      if (bit !== K_C && bit !== K_I) return -1
      p = readNumberArray(src, p)
      if (p < 0) return -1
      if (bit === K_C) conditions = S.conds
      else if (c === 110) return -1 // a null `i`: general path
    } else {
      if (bit === K_DS) return -1
      p = readNumber(src, p)
      if (p < 0) return -1
      const v = S.num
      switch (bit) {
        case K_I: // numeric `i` of a T: the general path makes String(n) of it
          return -1
        case K_C:
          cIsNumber = true
          break
        case K_X:
          exchange = v
          break
        case K_P:
          price = v
          break
        case K_S:
          size = v
          break
        case K_T:
          ts = v
          break
        case K_Q:
          seq = v
          break
        case K_Z:
          tape = v
          break
        case K_TRFI:
          trfi = v
          break
        case K_TRFT:
          trft = v
          break
        case K_PT:
          pt = v
          break
        case K_BX:
          bx = v
          break
        case K_AX:
          ax = v
          break
        case K_BP:
          bp = v
          break
        case K_BS:
          bs = v
          break
        case K_AP:
          ap = v
          break
        default: // K_AS
          as = v
      }
    }
    const d = src.charCodeAt(p++)
    if (d === 125) break
    if (d !== 44) return -1
  }
  if (!isQuote) {
    // The general path's checks for a trade (parse.ts parseTrade), in the same terms.
    if ((seen & T_REQUIRED) !== T_REQUIRED || (seen & ~T_KEYS) !== 0 || !idIsString) return -1
    if (!(Number.isFinite(price) && price > 0)) return -1
    if (!(Number.isInteger(size) && size >= 0)) return -1
    if (!(Number.isInteger(ts) && ts > 0)) return -1
    if (!(Number.isInteger(seq) && seq >= 0)) return -1
    if (!exchangeOk(exchange)) return -1
    if ((seen & K_Z) !== 0 && !Number.isInteger(tape)) return -1
    if ((seen & K_C) !== 0 && (cIsNumber || conditions === null || !isIntArray(conditions))) return -1
    if (!Number.isInteger(trfi) || !Number.isInteger(trft)) return -1
    if ((seen & K_PT) !== 0 && !(Number.isInteger(pt) && pt > 0)) return -1
    // `ds` in a string was checked when read (a number there went to the general path above).
    // Same field order as the general path: one hidden class for every Trade downstream.
    out.events.push({
      symbol,
      price,
      size: (seen & K_DS) !== 0 ? sharesOfMicro(dsMicro) : size,
      ts,
      exchange,
      conditions: conditions ?? [],
      seq,
      id,
      tape: (seen & K_Z) !== 0 ? tape : 0,
      pt: (seen & K_PT) !== 0 ? pt : undefined,
      trfi: (seen & K_TRFI) !== 0 ? trfi : undefined,
      trft: (seen & K_TRFT) !== 0 ? trft : undefined,
    })
    out.quote.push(false)
    return p
  }
  // The general path's checks for a quote (parse.ts parseQuote); it ignores c, i, q, z and pt.
  if ((seen & Q_REQUIRED) !== Q_REQUIRED || (seen & ~Q_KEYS) !== 0 || idIsString) return -1
  if (!(Number.isFinite(bp) && bp >= 0 && Number.isFinite(ap) && ap >= 0)) return -1
  if (!(Number.isFinite(bs) && bs >= 0 && Number.isFinite(as) && as >= 0)) return -1
  if (!(Number.isInteger(ts) && ts > 0)) return -1
  if (!exchangeOk(bx) || !exchangeOk(ax)) return -1
  out.events.push({ symbol, bid: bp, bidSize: bs, ask: ap, askSize: as, ts })
  out.quote.push(true)
  return p
}

/**
 * Reads `text` when it is a compact JSON array of T and Q events that the general path would accept one and
 * all: true, with the events appended to `out`. False means the general path must read the frame; `out`
 * may then hold some events already, which the caller discards.
 */
export function scanFrame(text: string, out: ScannedFrame): boolean {
  if (text.charCodeAt(0) !== 91) return false
  let p = 1
  if (text.charCodeAt(p) === 93) return text.length === 2
  for (;;) {
    p = scanEvent(text, p, out)
    if (p < 0) return false
    const d = text.charCodeAt(p++)
    if (d === 93) return p === text.length
    if (d !== 44) return false
  }
}
