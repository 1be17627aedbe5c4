// Trade → drawn latency per trade, from what the page can see per chart change. A change draws the trades
// that arrived since the previous drawn state: its newest trade's timestamp is known (the bar state's
// `lastTs`), and so is the previous state's newest trade, which bounds the oldest one; the bar's trade count
// says how many there were. Their own timestamps are not sent, so they are spread evenly between the two
// (the simulator's trades arrive as a Poisson stream, about 70 per chart per frame at 50k trades/s).

/** One chart change: latency of its newest trade, of the previous drawn state's newest trade, trades drawn. */
export interface DrawSpan {
  newest: number
  previous: number
  trades: number
}

/** Flat triples (newest, previous, trades) from the page → spans. */
export function spansOf(flat: readonly number[]): DrawSpan[] {
  if (flat.length % 3 !== 0) throw new Error(`draw spans come in triples, got ${flat.length} numbers`)
  const out: DrawSpan[] = []
  for (let i = 0; i < flat.length; i += 3) out.push({ newest: flat[i]!, previous: flat[i + 1]!, trades: flat[i + 2]! })
  return out
}

/**
 * Every trade's latency, sorted ascending. Trade j of n (oldest first) in a span gets
 * previous − j/n·(previous − newest): the newest (j = n) exactly, the others evenly between. A span with no
 * trades counted (a bar reset the count) still stands for its newest trade.
 */
export function perTradeLatencies(spans: readonly DrawSpan[]): Float64Array {
  let total = 0
  for (const s of spans) total += Math.max(1, Math.round(s.trades))
  const out = new Float64Array(total)
  let k = 0
  for (const s of spans) {
    const n = Math.max(1, Math.round(s.trades))
    const width = s.previous - s.newest
    for (let j = 1; j <= n; j++) out[k++] = s.previous - (j / n) * width
  }
  return out.sort()
}
