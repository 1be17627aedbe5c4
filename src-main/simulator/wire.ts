// Serialisers for Polygon socket events. Hand-built strings: the hot path emits ~100k events/s
// and JSON.stringify of objects costs several times more. Symbols are validated upstream
// (SYMBOL_RE) so they need no escaping.

/** Decimal size text as the servers write `ds`: "129.0" for whole shares, "0.740474" otherwise (exact). */
export function decimalSizeText(size: number): string {
  const micro = Math.round(size * 1_000_000)
  const whole = Math.floor(micro / 1_000_000)
  const frac = micro - whole * 1_000_000
  if (frac === 0) return `${whole}.0`
  return `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`
}

/**
 * A trade in the 2026 shape, keys in the servers' order (fixtures/polygon): `pt` always, `trfi`/`trft` on
 * off-exchange (TRF) prints, `ds` always; a fractional-share trade carries `s` = 1 and its size in `ds`.
 */
export function tradeJson(
  sym: string,
  id: number,
  x: number,
  p: number,
  size: number,
  conds: readonly number[],
  t: number,
  q: number,
  z: number,
  pt: number,
  trfi = 0,
  trft = 0,
): string {
  const s = size >= 1 ? Math.floor(size) : 1
  let json = `{"ev":"T","sym":"${sym}","i":"${id}","x":${x},"p":${p},"s":${s}`
  if (conds.length > 0) json += `,"c":[${conds.join(',')}]`
  json += `,"t":${t},"pt":${pt},"q":${q},"z":${z}`
  if (trfi !== 0) json += `,"trfi":${trfi},"trft":${trft}`
  return `${json},"ds":"${decimalSizeText(size)}"}`
}

/** A quote in the 2026 shape (keys in the servers' order): sizes in shares, `i` indicators, `pt`. */
export function quoteJson(
  sym: string,
  bx: number,
  bp: number,
  bs: number,
  ax: number,
  ap: number,
  as: number,
  t: number,
  q: number,
  z: number,
  pt: number = t,
): string {
  return `{"ev":"Q","sym":"${sym}","i":[604],"bx":${bx},"ax":${ax},"bp":${bp},"ap":${ap},"bs":${bs},"as":${as},"t":${t},"pt":${pt},"q":${q},"z":${z}}`
}

export interface BarFields {
  v: number
  /** Decimal window volume (fractional shares included), as text. */
  dv: string
  av: number
  dav: string
  op: number
  vw: number
  o: number
  c: number
  h: number
  l: number
  a: number
  z: number
  s: number
  e: number
}

export function barJson(ev: 'A' | 'AM', sym: string, b: BarFields): string {
  return `{"ev":"${ev}","sym":"${sym}","v":${b.v},"dv":"${b.dv}","av":${b.av},"dav":"${b.dav}","op":${b.op},"vw":${b.vw},"o":${b.o},"c":${b.c},"h":${b.h},"l":${b.l},"a":${b.a},"z":${b.z},"s":${b.s},"e":${b.e}}`
}

export function statusFrame(status: string, message?: string): string {
  return JSON.stringify([message === undefined ? { ev: 'status', status } : { ev: 'status', status, message }])
}

/** Malformed elements for fault injection: each is invalid in a different way. */
export function malformedElement(n: number, sym: string, t: number): string {
  switch (n % 4) {
    case 0:
      return `{"ev":"T","sym":"${sym}","i":"x","x":4,"p":"not-a-price","s":100,"t":${t},"q":1,"z":3}`
    case 1:
      return `{"ev":"T","i":"y","x":12,"p":1.23,"s":100,"t":${t},"q":2,"z":3}`
    case 2:
      return `"garbage"`
    default:
      return `{"ev":"T","sym":"${sym}","p":null,"s":-5,"t":"soon"}`
  }
}
