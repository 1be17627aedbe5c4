// Decimal share sizes as Polygon (Massive) sends them since fractional-share trading reached the tape:
// a trade's `ds` ("40.0", "0.740474") and an aggregate's `dv` are decimal strings whose fractional part is
// expressed in millionths (the vendor's API texts). They are read here, exactly, into an integer count of
// millionths of a share ("micro-shares"); the value a Trade or Bar carries is that count / 1e6, which is the
// correctly rounded double of the decimal and exactly the integer when the size is whole. Sums are taken in
// micro-shares (integers below 2^53, exact up to ~9 billion shares per accumulator): see
// docs/decisions/0007-decimal-volume.md.

/** Micro-shares per share. */
export const MICRO = 1_000_000

/** Longest integer part taken: 999,999,999 shares (× 1e6 stays far below 2^53). */
const MAX_INT_DIGITS = 9
/** Longer fractions than this are not a size any venue reports: the element is rejected. */
const MAX_FRAC_DIGITS = 12

/**
 * Micro-shares of the plain decimal in `src` between a and b (`digits` or `digits.digits`), or NaN when it is
 * not one (sign, exponent, spaces, empty, too long). Digits past the sixth decimal round half up.
 */
export function microSharesAt(src: string, a: number, b: number): number {
  let p = a
  let whole = 0
  let n = 0
  let c = src.charCodeAt(p)
  while (p < b && c >= 48 && c <= 57) {
    whole = whole * 10 + (c - 48)
    n++
    c = src.charCodeAt(++p)
  }
  if (n === 0 || n > MAX_INT_DIGITS) return NaN
  if (p === b) return whole * MICRO
  if (c !== 46) return NaN
  c = src.charCodeAt(++p)
  let frac = 0
  let k = 0
  let roundUp = false
  while (p < b && c >= 48 && c <= 57) {
    if (k < 6) frac = frac * 10 + (c - 48)
    else if (k === 6) roundUp = c >= 53
    k++
    c = src.charCodeAt(++p)
  }
  if (k === 0 || k > MAX_FRAC_DIGITS || p !== b) return NaN
  for (let j = k; j < 6; j++) frac *= 10
  return whole * MICRO + frac + (roundUp ? 1 : 0)
}

/** Micro-shares of a whole decimal string, or NaN. */
export function microShares(s: string): number {
  return microSharesAt(s, 0, s.length)
}

/** Shares (a number) from micro-shares: exact for whole shares, the nearest double otherwise. */
export function sharesOfMicro(micro: number): number {
  return micro / MICRO
}

/** Micro-shares of a size in shares (the inverse of sharesOfMicro for every value it returns). */
export function microOfShares(shares: number): number {
  return Math.round(shares * MICRO)
}

/** The exact decimal text of a micro-share count: "40", "0.740474", "100.5". */
export function decimalText(micro: number): string {
  const whole = Math.floor(micro / MICRO)
  const frac = micro - whole * MICRO
  if (frac === 0) return String(whole)
  return `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`
}
