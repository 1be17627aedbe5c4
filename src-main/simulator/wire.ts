// Serialisers for Polygon socket events. Hand-built strings: the hot path emits ~100k events/s
// and JSON.stringify of objects costs several times more. Symbols are validated upstream
// (SYMBOL_RE) so they need no escaping.
import { FINRA_TRF_EXCHANGE } from './tape'

export function tradeJson(
  sym: string,
  id: number,
  x: number,
  p: number,
  s: number,
  conds: readonly number[],
  t: number,
  q: number,
  z: number,
): string {
  let json = `{"ev":"T","sym":"${sym}","i":"${id}","x":${x},"p":${p},"s":${s}`
  if (conds.length > 0) json += `,"c":[${conds.join(',')}]`
  json += `,"t":${t},"q":${q},"z":${z}`
  // Off-exchange (FINRA TRF) prints carry the reporting facility id and its timestamp.
  if (x === FINRA_TRF_EXCHANGE) json += `,"trfi":${201 + (id % 3)},"trft":${t - (id % 4)}`
  return json + '}'
}

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
): string {
  return `{"ev":"Q","sym":"${sym}","bx":${bx},"bp":${bp},"bs":${bs},"ax":${ax},"ap":${ap},"as":${as},"t":${t},"q":${q},"z":${z}}`
}

export interface BarFields {
  v: number
  av: number
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
  return `{"ev":"${ev}","sym":"${sym}","v":${b.v},"av":${b.av},"op":${b.op},"vw":${b.vw},"o":${b.o},"c":${b.c},"h":${b.h},"l":${b.l},"a":${b.a},"z":${b.z},"s":${b.s},"e":${b.e}}`
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
