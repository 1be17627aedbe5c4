// Generates the news-impact golden vectors in fixtures/news-impact/*.json (reproducible: fixed seeds).
// The `expected` numbers come from the naive reference implementation below (linear scans, written from
// fixtures/news-impact/README.md), NOT from src-main/signals, so the production code is checked against an
// independent reading of the definition.  Run: npx tsx scripts/gen-golden.ts
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '../src-main/simulator/prng'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'fixtures', 'news-impact')
const MIN = 60_000

// ---------- data types of the file format ----------
interface GTrade { symbol: string; ts: number; price: number; size: number; conditions: number[]; seq: number }
interface GHistory { symbol: string; published: number; title: string }
interface GArticle { id: string; published: number; receivedAt: number; title: string; tickers: string[] }
interface Thresholds { z: number; rvol: number; zWithVolume: number }
interface Expected {
  symbol: string; p0: number | null; ret1: number | null; ret5: number | null; ret15: number | null
  sigma: number | null; z1: number | null; z5: number | null; z15: number | null; rvol5: number | null
  signal: 'up' | 'down' | 'none' | null; latencyMs: number; stale: boolean; final: boolean
}
interface GCase {
  name: string; description: string; asOf: number; thresholds: Thresholds; article: GArticle
  history: GHistory[]; trades: GTrade[]; expected?: Expected[]
}

// ---------- reference implementation (deliberately naive) ----------
const condTable = (JSON.parse(readFileSync(join(ROOT, 'fixtures', 'trade-conditions.json'), 'utf8')) as {
  conditions: Record<string, { updatesLast: boolean; updatesVolume: boolean }>
}).conditions
const updLast = (t: GTrade): boolean => t.conditions.every((c) => condTable[String(c)]?.updatesLast !== false)
const updVol = (t: GTrade): boolean => t.conditions.every((c) => condTable[String(c)]?.updatesVolume !== false)

function refPrice(trades: GTrade[], symbol: string, t: number): number | null {
  let best: { tr: GTrade; i: number } | null = null
  trades.forEach((tr, i) => {
    if (tr.symbol !== symbol || !updLast(tr) || tr.ts > t) return
    if (!best) return void (best = { tr, i })
    const b: { tr: GTrade; i: number } = best
    if (tr.ts > b.tr.ts || (tr.ts === b.tr.ts && (tr.seq > b.tr.seq || (tr.seq === b.tr.seq && i > b.i)))) best = { tr, i }
  })
  return best === null ? null : (best as { tr: GTrade }).tr.price
}

function refVolume(trades: GTrade[], symbol: string, a: number, b: number): number {
  let v = 0
  for (const tr of trades) if (tr.symbol === symbol && updVol(tr) && tr.ts >= a && tr.ts < b) v += tr.size
  return v
}

function refWords(s: string): Set<string> {
  return new Set(s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0))
}

function refStale(title: string, symbol: string, t0: number, history: GHistory[]): boolean {
  const cands = history
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => h.symbol === symbol && h.published < t0 && h.published >= t0 - 24 * 60 * MIN)
    .sort((x, y) => y.h.published - x.h.published || y.i - x.i)
    .slice(0, 10)
  const a = refWords(title)
  return cands.some(({ h }) => {
    const b = refWords(h.title)
    const inter = [...a].filter((w) => b.has(w)).length
    const union = new Set([...a, ...b]).size
    return union > 0 && inter / union >= 0.6
  })
}

function reference(c: GCase): Expected[] {
  const t0 = c.article.published
  return c.article.tickers.map((symbol) => {
    // Only what is known at asOf.
    const known = c.trades.filter((t) => t.ts <= c.asOf)
    const price = (t: number): number | null => refPrice(known, symbol, t)
    const p0 = price(t0)
    const ret = (k: number): number | null => {
      if (p0 === null || c.asOf < t0 + k * MIN) return null
      const p = price(t0 + k * MIN)
      return p === null ? null : p / p0 - 1
    }
    const [ret1, ret5, ret15] = [ret(1), ret(5), ret(15)]
    const pts: (number | null)[] = []
    for (let i = 30; i >= 0; i--) pts.push(price(t0 - i * MIN))
    const rets: number[] = []
    for (let j = 1; j < pts.length; j++) {
      const a = pts[j - 1], b = pts[j]
      if (a != null && b != null) rets.push(Math.log(b / a))
    }
    let sigma: number | null = null
    if (rets.length >= 2) {
      const m = rets.reduce((s, x) => s + x, 0) / rets.length
      sigma = Math.sqrt(rets.reduce((s, x) => s + (x - m) ** 2, 0) / (rets.length - 1))
    }
    const z = (r: number | null, k: number): number | null =>
      r === null || sigma === null || sigma === 0 ? null : Math.log(1 + r) / (sigma * Math.sqrt(k))
    const [z1, z5, z15] = [z(ret1, 1), z(ret5, 5), z(ret15, 15)]
    let rvol5: number | null = null
    let signal: Expected['signal'] = null
    if (c.asOf >= t0 + 5 * MIN) {
      const den = refVolume(known, symbol, t0 - 60 * MIN, t0) / 12
      rvol5 = den === 0 ? null : refVolume(known, symbol, t0, t0 + 5 * MIN) / den
      signal = 'none'
      if (z5 !== null) {
        const th = c.thresholds
        if (Math.abs(z5) >= th.z || (rvol5 !== null && rvol5 >= th.rvol && Math.abs(z5) >= th.zWithVolume)) {
          signal = z5 > 0 ? 'up' : z5 < 0 ? 'down' : 'none'
        }
      }
    }
    return {
      symbol, p0, ret1, ret5, ret15, sigma, z1, z5, z15, rvol5, signal,
      latencyMs: c.article.receivedAt - c.article.published,
      stale: refStale(c.article.title, symbol, t0, c.history),
      final: c.asOf >= t0 + 15 * MIN,
    }
  })
}

// ---------- deterministic trade series ----------
interface SeriesSpec {
  symbol: string; seed: number; from: number; to: number; price: number
  /** Per-minute log-return volatility. */
  volPerMin?: number; meanGapMs?: number
  shocks?: { at: number; pct: number }[]
  /** Trade-rate multipliers (more trades, so more volume) over [from, to). */
  busy?: { from: number; to: number; factor: number }[]
  oddLots?: boolean
  constant?: boolean
  seqStart?: number
}

function series(s: SeriesSpec): GTrade[] {
  const rnd = mulberry32(s.seed)
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
  const out: GTrade[] = []
  let t = s.from
  let logP = Math.log(s.price)
  let seq = s.seqStart ?? 1000
  const shocks = [...(s.shocks ?? [])].sort((a, b) => a.at - b.at)
  const vol = s.volPerMin ?? 0.0008
  const meanGap = s.meanGapMs ?? 6000
  while (t < s.to) {
    const factor = (s.busy ?? []).find((b) => t >= b.from && t < b.to)?.factor ?? 1
    const gap = Math.max(1, Math.round((-Math.log(1 - rnd()) * meanGap) / factor))
    const next = t + gap
    for (const sh of shocks) if (sh.at > t && sh.at <= next) logP += Math.log(1 + sh.pct)
    if (!s.constant) logP += vol * Math.sqrt(gap / MIN) * gauss()
    t = next
    if (t >= s.to) break
    seq += 1 + Math.floor(rnd() * 3)
    const odd = s.oddLots !== false && rnd() < 0.1
    out.push({
      symbol: s.symbol,
      ts: t,
      price: Math.round(Math.exp(logP) * 100) / 100,
      size: odd ? 1 + Math.floor(rnd() * 99) : 100 * (1 + Math.floor(rnd() * 8)),
      conditions: odd ? [37] : [],
      seq,
    })
  }
  return out
}

const byTs = (a: GTrade, b: GTrade): number => a.ts - b.ts || a.seq - b.seq

// ---------- the cases ----------
const OPEN = Date.UTC(2026, 10, 24, 14, 30) // Tue 24 Nov 2026, 09:30 New York
const PREV_CLOSE = Date.UTC(2026, 10, 23, 21, 0)
const T0 = OPEN + 90 * MIN + 12_345 // mid-morning, not on a second boundary
const DEF: Thresholds = { z: 3, rvol: 3, zWithVolume: 2 }

function art(id: string, title: string, tickers: string[], published = T0, latency = 4_000): GArticle {
  return { id: `business/2026/nov/24/${id}`, published, receivedAt: published + latency, title, tickers }
}

function win(symbol: string, seed: number, extra: Partial<SeriesSpec> = {}, t0 = T0): GTrade[] {
  return series({ symbol, seed, from: t0 - 65 * MIN, to: t0 + 17 * MIN, price: 100, ...extra })
}

const cases: GCase[] = []

cases.push({
  name: 'up-shock',
  description: 'Clear +2.5 % jump 20 s after t0 on normal volume: |z5| ≥ 3 alone signals up. Final record.',
  asOf: T0 + 20 * MIN, thresholds: DEF, history: [],
  article: art('apple-surprise-profit', 'Apple posts surprise profit jump', ['AAPL']),
  trades: win('AAPL', 11, { price: 231.4, shocks: [{ at: T0 + 20_000, pct: 0.025 }] }),
})

cases.push({
  name: 'down-shock',
  description: 'Clear −3 % drop 2 min after t0: ret1 small, ret5/ret15 large negative, signal down.',
  asOf: T0 + 16 * MIN, thresholds: DEF, history: [],
  article: art('microsoft-probe', 'Microsoft faces antitrust probe over cloud deals', ['MSFT'], T0, 95_000),
  trades: win('MSFT', 22, { price: 412.1, shocks: [{ at: T0 + 2 * MIN, pct: -0.03 }] }),
})

// Volume-driven: find a jump that lands 2.3 ≤ z5 < 2.7 with heavy volume (deterministic grid search).
{
  const nvda = (pct: number, busy: boolean): GTrade[] =>
    win('NVDA', 33, { price: 181.2, shocks: [{ at: T0 + 30_000, pct }], busy: busy ? [{ from: T0, to: T0 + 6 * MIN, factor: 6 }] : [] })
  const make = (name: string, description: string, trades: GTrade[]): GCase => ({
    name, description, asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
    article: art('nvidia-deal', 'Nvidia agrees chip supply deal with Saudi fund', ['NVDA']),
    trades,
  })
  const fits = (c: GCase, wantVolume: boolean): boolean => {
    const e = reference(c)[0]!
    return e.z5 !== null && e.z5 >= 2.3 && e.z5 < 2.7 && e.rvol5 !== null && (wantVolume ? e.rvol5 >= 3 : e.rvol5 < 3)
  }
  let loud: GCase | null = null
  let quiet: GCase | null = null
  for (let k = 1; k < 100 && !(loud && quiet); k++) {
    const pct = k / 2000
    const a = make('volume-driven-up', 'Moderate move (2 ≤ z5 < 3) that signals up only because rvol5 ≥ 3 (trade rate ×6 after t0).', nvda(pct, true))
    if (!loud && fits(a, true)) loud = a
    const b = make('moderate-move-normal-volume', 'A 2 ≤ z5 < 3 move on normal volume (rvol5 < 3): signal none.', nvda(pct, false))
    if (!quiet && fits(b, false)) quiet = b
  }
  if (!loud || !quiet) throw new Error('volume cases: no jump size fits')
  cases.push(loud, quiet)
}

cases.push({
  name: 'no-trade-before-t0',
  description: 'First trade of S comes after t0 (no earlier session in the data): p0 null, every ret/z null, sigma null, rvol5 null (no baseline volume), signal none.',
  asOf: T0 + 20 * MIN, thresholds: DEF, history: [],
  article: art('newco-listing', 'Newco shares debut on Nasdaq', ['NEWC']),
  trades: series({ symbol: 'NEWC', seed: 44, from: T0 + 7_000, to: T0 + 17 * MIN, price: 21 }),
})

cases.push({
  name: 'sigma-zero-constant-price',
  description: 'Price constant at 50.00 for the hour before t0: sigma = 0 so every z is null and the signal is none despite a move and volume.',
  asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
  article: art('pinned-stock', 'Pinned stock finally moves', ['PIN']),
  trades: [
    ...series({ symbol: 'PIN', seed: 55, from: T0 - 65 * MIN, to: T0 - 1, price: 50, constant: true }),
    ...series({ symbol: 'PIN', seed: 56, from: T0, to: T0 + 17 * MIN, price: 50, shocks: [{ at: T0 + MIN, pct: 0.04 }], busy: [{ from: T0, to: T0 + 5 * MIN, factor: 4 }], seqStart: 900_000 }),
  ],
})

{
  // Article at 09:25 New York, before the open: p0 is the previous session's last price.
  const t0 = OPEN - 5 * MIN
  const prev = series({ symbol: 'TSLA', seed: 66, from: PREV_CLOSE - 70 * MIN, to: PREV_CLOSE, price: 344 })
  const today = series({ symbol: 'TSLA', seed: 67, from: OPEN, to: OPEN + 20 * MIN, price: 351, seqStart: 5_000_000 })
  // The opening print lands exactly on 09:30:00.000 = t0 + 5 m: price(t0 + 5 m) includes it (ts ≤ t).
  today.unshift({ symbol: 'TSLA', ts: OPEN, price: 352.5, size: 5000, conditions: [], seq: 4_999_999 })
  cases.push({
    name: 'pre-open-previous-session',
    description: 'Published 5 min before the open: p0 = previous close; sigma = 0 (31 points all equal the previous close); ret1 = 0; ret5 reads the opening print at exactly t0 + 5 m; rvol5 null (no volume in the hour before t0).',
    asOf: OPEN + 20 * MIN, thresholds: DEF, history: [],
    article: art('tesla-premarket', 'Tesla recalls 200,000 cars over camera fault', ['TSLA'], t0, 600_000),
    trades: [...prev, ...today],
  })
}

cases.push({
  name: 'halted-no-trades-after-t0',
  description: 'Trading halted 3 s before t0 and never resumes: ret_k = 0 once each horizon passes, z_k = 0, rvol5 = 0, signal none, final.',
  asOf: T0 + 16 * MIN, thresholds: DEF, history: [],
  article: art('halt-pending-news', 'Shares halted pending news as buyout talks confirmed', ['HALT']),
  trades: series({ symbol: 'HALT', seed: 77, from: T0 - 65 * MIN, to: T0 - 3_000, price: 18.4 }),
})

cases.push({
  name: 'two-symbols',
  description: 'One article tagged AAPL and GOOGL, trades interleaved: AAPL jumps, GOOGL does not; one expected record per symbol, in ticker order.',
  asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
  article: art('apple-google-search-deal', 'Apple and Google extend search deal', ['AAPL', 'GOOGL']),
  trades: [
    ...win('AAPL', 88, { price: 229.9, shocks: [{ at: T0 + 45_000, pct: 0.02 }] }),
    ...win('GOOGL', 89, { price: 301.3, seqStart: 2_000_000 }),
  ].sort(byTs),
})

cases.push({
  name: 'partial-asof-3m',
  description: 'asOf = t0 + 3 m: ret1/z1 known; ret5, ret15, rvol5, signal null; final false.',
  asOf: T0 + 3 * MIN, thresholds: DEF, history: [],
  article: art('amazon-strike', 'Amazon warehouse workers strike', ['AMZN']),
  trades: win('AMZN', 99, { price: 227.5, shocks: [{ at: T0 + 30_000, pct: -0.01 }] }),
})

cases.push({
  name: 'asof-exactly-5m',
  description: 'asOf = t0 + 5 m exactly: ret5, z5, rvol5 and signal are known (asOf ≥ t0 + 5 m); ret15 still null; not final.',
  asOf: T0 + 5 * MIN, thresholds: DEF, history: [],
  article: art('meta-fine', 'Meta fined over data transfers', ['META']),
  trades: win('META', 111, { price: 612.2, shocks: [{ at: T0 + 10_000, pct: -0.015 }] }),
})

cases.push({
  name: 'stale-headline',
  description: 'A recycled headline: Jaccard 6/8 with an AAPL headline 3 h earlier. Near-duplicates for another symbol, older than 24 h, or published after t0 do not count.',
  asOf: T0 + 15 * MIN, thresholds: DEF,
  history: [
    { symbol: 'AAPL', published: T0 - 3 * 60 * MIN, title: 'Apple shares rise on strong iPhone sales' },
    { symbol: 'AAPL', published: T0 - 60 * MIN, title: 'EU opens probe into App Store rules' },
  ],
  article: art('apple-iphone-sales-again', 'Apple shares rise on strong iPhone demand', ['AAPL']),
  trades: win('AAPL', 121, { price: 230.1 }),
})

{
  const h: GHistory[] = []
  // The identical headline is the 11th most recent within 24 h: outside the lookback, so not stale for AAPL.
  h.push({ symbol: 'AAPL', published: T0 - 20 * 60 * MIN, title: 'Apple to cut jobs in services unit' })
  for (let i = 0; i < 10; i++) h.push({ symbol: 'AAPL', published: T0 - (10 - i) * 60 * MIN, title: `Unrelated story number ${i} about chips` })
  // For MSFT: Jaccard exactly 3/5 = 0.6 with a headline 23 h 59 m earlier: stale (≥ 0.6, inside the window).
  h.push({ symbol: 'MSFT', published: T0 - 24 * 60 * MIN + MIN, title: 'Apple to cut staff' })
  // Exactly 24 h before t0 is inside [t0 − 24 h, t0); published = t0 is not "previous".
  h.push({ symbol: 'AAPL', published: T0, title: 'Apple to cut jobs in services unit' })
  cases.push({
    name: 'stale-lookback-and-boundary',
    description: 'AAPL: the only similar headline is the 11th most recent (not stale). MSFT: Jaccard exactly 0.6 (stale). A same-title headline published at t0 itself is not previous.',
    asOf: T0 + 15 * MIN, thresholds: DEF, history: h,
    article: art('apple-microsoft-cuts', 'Apple to cut jobs', ['AAPL', 'MSFT']),
    trades: [...win('AAPL', 131, { price: 230 }), ...win('MSFT', 132, { price: 410, seqStart: 3_000_000 })].sort(byTs),
  })
}

{
  const base = win('JPM', 141, { price: 301.2, oddLots: false })
  const extra: GTrade[] = [
    // Right before t0 at absurd prices: odd lot, Form T, average price, prior reference: none may set p0.
    { symbol: 'JPM', ts: T0 - 400, price: 999.99, size: 50, conditions: [37], seq: 0 },
    { symbol: 'JPM', ts: T0 - 300, price: 1.11, size: 300, conditions: [12], seq: 0 },
    { symbol: 'JPM', ts: T0 - 200, price: 555.55, size: 400, conditions: [2, 14], seq: 0 },
    { symbol: 'JPM', ts: T0 - 100, price: 7.77, size: 100, conditions: [22], seq: 0 },
    // Official open/close prints: neither price nor volume, even with a huge size.
    { symbol: 'JPM', ts: T0 + 30_000, price: 444.44, size: 5_000_000, conditions: [15], seq: 0 },
    { symbol: 'JPM', ts: T0 - 30 * MIN, price: 444.44, size: 5_000_000, conditions: [16], seq: 0 },
    // Counted in volume only (cash sale) — a big block after t0 that makes rvol5 large but leaves price alone.
    { symbol: 'JPM', ts: T0 + 60_000, price: 2.22, size: 250_000, conditions: [7], seq: 0 },
  ]
  const all = [...base, ...extra].sort(byTs)
  all.forEach((t, i) => (t.seq = 10_000 + i * 3)) // unique, increasing, non-contiguous
  cases.push({
    name: 'conditions-codes',
    description: 'Trades whose conditions (37, 12, 2, 22, 7) do not update the last price surround t0 at absurd prices, and official open/close prints (15, 16) with 5M shares: p0 and horizons ignore them; 15/16 add no volume; the cash sale (7) adds 250,000 shares to V[t0, t0+5m).',
    asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
    article: art('jpmorgan-results', 'JPMorgan profits beat forecasts', ['JPM']),
    trades: all,
  })
}

{
  const base = win('IBM', 151, { price: 289.0, oddLots: false })
  // Several trades at exactly the same ms at t0, at t0 + 1 m and at t0 − 60 m / t0 + 5 m boundaries.
  const ties: GTrade[] = [
    { symbol: 'IBM', ts: T0, price: 290.0, size: 100, conditions: [], seq: 0 },
    { symbol: 'IBM', ts: T0, price: 290.5, size: 200, conditions: [], seq: 0 },
    { symbol: 'IBM', ts: T0, price: 289.5, size: 300, conditions: [], seq: 0 }, // last listed, highest seq: p0
    { symbol: 'IBM', ts: T0, price: 999.0, size: 100, conditions: [37], seq: 0 }, // after it, but odd lot
    { symbol: 'IBM', ts: T0 + MIN, price: 292.0, size: 100, conditions: [], seq: 0 },
    { symbol: 'IBM', ts: T0 + MIN, price: 293.0, size: 100, conditions: [], seq: 0 }, // price(t0 + 1 m)
    { symbol: 'IBM', ts: T0 - 60 * MIN, price: 288.0, size: 7_000, conditions: [], seq: 0 }, // in baseline [t0−60m, t0)
    { symbol: 'IBM', ts: T0 + 5 * MIN, price: 296.0, size: 9_000, conditions: [], seq: 0 }, // not in [t0, t0+5m), but price(t0+5m)
  ]
  const all = [...base.filter((t) => t.ts !== T0 && t.ts !== T0 + MIN), ...ties].sort((a, b) => a.ts - b.ts)
  all.forEach((t, i) => (t.seq = 50_000 + i * 2))
  cases.push({
    name: 'ties-and-boundaries',
    description: 'Ties on ts: the last listed (highest seq) last-updating trade wins (p0 = 289.5, price(t0+1m) = 293). A trade at exactly t0 counts for p0; exactly t0 − 60 m is in the baseline; exactly t0 + 5 m is outside V[t0, t0+5m) but sets price(t0 + 5m).',
    asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
    article: art('ibm-quantum', 'IBM unveils quantum roadmap', ['IBM']),
    trades: all,
  })
}

{
  const base = win('KO', 161, { price: 70.2 })
  const rnd = mulberry32(162)
  const shuffled = [...base]
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
  }
  cases.push({
    name: 'unsorted-trades',
    description: 'Same kind of session but the trades are listed in a shuffled order: implementations must sort by (ts, seq).',
    asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
    article: art('coca-cola-sugar', 'Coca-Cola cuts sugar across range', ['KO']),
    trades: shuffled,
  })
}

cases.push({
  name: 'sparse-history',
  description: 'First trade 12.5 min before t0: the sigma points t0−30m … t0−13m have no price, so sigma uses the 12 returns that exist.',
  asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
  article: art('ipo-day', 'Freshly listed chipmaker rallies', ['CHIP']),
  trades: series({ symbol: 'CHIP', seed: 171, from: T0 - 12.5 * MIN, to: T0 + 17 * MIN, price: 33, shocks: [{ at: T0 + 50_000, pct: 0.03 }] }),
})

cases.push({
  name: 'single-return-sigma-null',
  description: 'First trade 90 s before t0: only one log return (t0−1m → t0), so sigma and every z are null; ret_k still known.',
  asOf: T0 + 15 * MIN, thresholds: DEF, history: [],
  article: art('late-start', 'Stock opens late after order imbalance', ['LATE']),
  trades: series({ symbol: 'LATE', seed: 181, from: T0 - 90_000, to: T0 + 17 * MIN, price: 12 }),
})

{
  // Search a small drop that the defaults ignore (|z5| < 2) but {z: 1.5} signals.
  const custom: Thresholds = { z: 1.5, rvol: 2, zWithVolume: 1 }
  let found: GCase | null = null
  for (let k = 1; k < 60 && !found; k++) {
    const c: GCase = {
      name: 'custom-thresholds',
      description: 'Per-case thresholds {z: 1.5, rvol: 2, zWithVolume: 1}: a small drop (1.5 ≤ |z5| < 2) that the defaults would ignore signals down.',
      asOf: T0 + 15 * MIN, thresholds: custom, history: [],
      article: art('pepsi-price-rise', 'PepsiCo raises prices again', ['PEP']),
      trades: win('PEP', 191, { price: 142.3, shocks: [{ at: T0 + 40_000, pct: -k / 4000 }] }),
    }
    const e = reference(c)[0]!
    if (e.z5 !== null && e.z5 <= -1.6 && e.z5 > -1.9) found = c
  }
  if (!found) throw new Error('custom-thresholds: no jump size fits')
  cases.push(found)
}

cases.push({
  name: 'article-after-asof',
  description: 'asOf 20 s before t0 (clock skew: received before its own publication time): trades after asOf are not yet known, so p0 is the last price at asOf; no horizon passed; latency negative.',
  asOf: T0 - 20_000, thresholds: DEF, history: [],
  article: { ...art('future-dated', 'Walmart lifts outlook', ['WMT']), receivedAt: T0 - 20_000 },
  trades: win('WMT', 201, { price: 101.7 }),
})

// ---------- write ----------
for (const f of readdirSync(OUT)) if (f.endsWith('.json')) unlinkSync(join(OUT, f))
const names = new Set<string>()
for (const c of cases) {
  if (names.has(c.name)) throw new Error(`duplicate case ${c.name}`)
  names.add(c.name)
  c.expected = reference(c)
  writeFileSync(join(OUT, `${c.name}.json`), format(c))
}
console.log(`wrote ${cases.length} cases to ${OUT}`)
for (const c of cases) {
  for (const e of c.expected ?? []) {
    console.log(`${c.name.padEnd(30)} ${e.symbol.padEnd(5)} p0=${e.p0} sigma=${e.sigma?.toExponential(3)} z5=${e.z5?.toFixed(3)} rvol5=${e.rvol5?.toFixed(2)} signal=${e.signal} stale=${e.stale}`)
  }
}

/** Pretty top level, one trade per line (diff-friendly, still plain JSON). */
function format(c: GCase): string {
  const lines = [
    '{',
    `  "name": ${JSON.stringify(c.name)},`,
    `  "description": ${JSON.stringify(c.description)},`,
    `  "asOf": ${c.asOf},`,
    `  "thresholds": ${JSON.stringify(c.thresholds)},`,
    `  "article": ${JSON.stringify(c.article)},`,
    `  "history": [${c.history.length ? '\n' + c.history.map((h) => '    ' + JSON.stringify(h)).join(',\n') + '\n  ' : ''}],`,
    `  "trades": [\n${c.trades.map((t) => '    ' + JSON.stringify(t)).join(',\n')}\n  ],`,
    `  "expected": [\n${(c.expected ?? []).map((e) => '    ' + JSON.stringify(e)).join(',\n')}\n  ]`,
    '}',
    '',
  ]
  return lines.join('\n')
}
