// Writes fixtures/flink/session.jsonl: a small, deterministic recording of what the app publishes to Kafka, replayed
// by the Flink integration tests. Trades of AAPL, MSFT, NVDA and the market proxy SPY from 09:10 ET (pre-market Form T
// prints) to 10:56 ET; the previous session's 1-minute bars (REST history on market.bars.1m, for beta, the sigma floor
// and the rvol slot basis of news impact v2); five articles: a pre-market headline with a jump (NVDA), a shock with
// its headline and a recycled one (AAPL), a two-ticker article, and a macro move (everything falls 1 % with SPY: large
// returns, small abnormal moves); one app bar, one duplicate and one malformed record.
// Run: npx tsx scripts/stack/gen-flink-session.ts
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Trade } from '../../src-main/domain/market'
import type { Article } from '../../src-main/domain/news'
import { mulberry32 } from '../../src-main/simulator/prng'

export interface SessionLine {
  topic: 'market.trades' | 'market.bars.1m' | 'news.articles'
  key: string
  /** The record value; absent when `raw` carries deliberately malformed bytes. */
  value?: unknown
  raw?: string
}

export const SESSION_START = 1_795_532_400_000 // 2026-11-24 10:00 ET, a minute boundary
const MIN = 60_000
/** First pre-market print: 09:10 ET. */
export const PRE_START = SESSION_START - 50 * MIN
const OPEN = SESSION_START - 30 * MIN
/** 2026-11-23 09:30 ET: the previous regular session, whose minute bars the recording carries. */
export const PREVIOUS_OPEN = OPEN - 24 * 60 * MIN
/** The macro move: from 10:45 ET every symbol falls 1 % with the market over 60 s. */
export const MACRO_AT = SESSION_START + 45 * MIN

interface Shock {
  symbol: string
  at: number
  jumpPct: number
  rate: number
}

export function generateSession(seed = 7): SessionLine[] {
  const rnd = mulberry32(seed)
  const end = SESSION_START + 56 * MIN
  const symbols: Record<string, number> = { AAPL: 230, MSFT: 414, NVDA: 180, SPY: 600 }
  // Mean milliseconds between prints (SPY trades most).
  const spacing: Record<string, number> = { AAPL: 7_000, MSFT: 7_000, NVDA: 7_000, SPY: 2_500 }
  const articles: Article[] = [
    art('business/2026/nov/24/nvidia-premarket-supply-deal', OPEN - 15 * MIN, 3_000, 'Nvidia shares rise before the bell on a supply deal', ['NVDA']),
    art('business/2026/nov/24/nvidia-chips-demand', SESSION_START + 10 * MIN, 5_000, 'Nvidia says chip demand stays strong', ['NVDA']),
    art('business/2026/nov/24/apple-beats-iphone', SESSION_START + 35 * MIN, 4_000, 'Apple beats estimates on iPhone sales', ['AAPL']),
    art('business/2026/nov/24/apple-beats-iphone-again', SESSION_START + 36 * MIN, 6_000, 'Apple beats estimates on iPhone sales again', ['AAPL']),
    art('business/2026/nov/24/microsoft-nvidia-ai-deal', SESSION_START + 38 * MIN + 30_000, 3_000, 'Microsoft and Nvidia sign AI cloud deal', ['MSFT', 'NVDA']),
    art('business/2026/nov/24/microsoft-cloud-outlook', MACRO_AT - 30_000, 2_000, 'Microsoft keeps its cloud outlook', ['MSFT']),
  ]
  const shocks: Shock[] = [
    { symbol: 'NVDA', at: OPEN - 15 * MIN + 20_000, jumpPct: 0.02, rate: 3 },
    { symbol: 'AAPL', at: SESSION_START + 35 * MIN + 20_000, jumpPct: 0.025, rate: 3 },
  ]
  const macro = (t: number): number => 1 - 0.01 * Math.min(1, Math.max(0, (t - MACRO_AT) / MIN))
  const lines: { at: number; line: SessionLine }[] = []
  let seq = 1000
  for (const [symbol, p0] of Object.entries(symbols)) {
    let base = p0
    let t = PRE_START + Math.floor(rnd() * 3000)
    let firstRegular = true
    const done = new Set<Shock>()
    while (t < end) {
      const shock = shocks.find((s) => s.symbol === symbol && t >= s.at && t < s.at + 5 * MIN)
      if (shock && !done.has(shock)) {
        base = base * (1 + shock.jumpPct)
        done.add(shock)
      }
      base = Math.max(1, base * (1 + (rnd() - 0.5) * 0.0016))
      const price = Math.round(base * macro(t) * 100) / 100
      const size = rnd() < 0.15 ? 1 + Math.floor(rnd() * 99) : 100 * (1 + Math.floor(rnd() * 5))
      const pre = t < OPEN
      let conditions: number[]
      if (pre) conditions = size < 100 ? [12, 37] : [12]
      else if (firstRegular) conditions = [16]
      else conditions = size < 100 ? [37] : rnd() < 0.03 ? [12] : []
      if (!pre) firstRegular = false
      seq += 1 + Math.floor(rnd() * 3)
      const trade: Trade = { symbol, price, size, ts: t, exchange: 1 + Math.floor(rnd() * 12), conditions, seq, id: String(seq), tape: 3 }
      lines.push({ at: t, line: { topic: 'market.trades', key: symbol, value: trade } })
      const rate = shock && t >= shock.at ? shock.rate : 1
      t += Math.max(50, Math.floor((rnd() * 2 * (spacing[symbol] ?? 7_000)) / rate))
    }
  }
  // The previous regular session's minute bars, as the app's history fetch publishes them (source rest): the stocks
  // move with the market (beta about 1) plus noise of their own, so abnormal moves are measured against SPY.
  const closes: Record<string, number> = {}
  for (const [symbol, p0] of Object.entries(symbols)) closes[symbol] = p0 * (1 - 0.004)
  for (let i = 0; i < 390; i++) {
    const start = PREVIOUS_OPEN + i * MIN
    const market = (rnd() - 0.5) * 0.003
    for (const symbol of Object.keys(symbols)) {
      const open = closes[symbol] as number
      const r = symbol === 'SPY' ? market : market + (rnd() - 0.5) * 0.002
      const close = Math.round(open * Math.exp(r) * 100) / 100
      closes[symbol] = close
      const volume = Math.round((symbol === 'SPY' ? 3 : 1) * 2_000 * (0.5 + rnd()))
      lines.push({
        at: PRE_START - 1,
        line: {
          topic: 'market.bars.1m',
          key: symbol,
          value: {
            symbol, start, end: start + MIN, open, high: Math.max(open, close), low: Math.min(open, close), close, volume,
            vwap: Math.round(((open + close) / 2) * 100) / 100, trades: Math.max(1, Math.round(volume / 250)), source: 'rest',
          },
        },
      })
    }
  }
  for (const a of articles) lines.push({ at: a.receivedAt, line: { topic: 'news.articles', key: a.id, value: a } })
  // An app-side bar (socket AM) and the faults the job must absorb.
  lines.push({
    at: SESSION_START + 2 * MIN + 1_000,
    line: {
      topic: 'market.bars.1m',
      key: 'MSFT',
      value: { symbol: 'MSFT', start: SESSION_START + MIN, end: SESSION_START + 2 * MIN, open: 414, high: 414.6, low: 413.8, close: 414.2, volume: 5200, vwap: 414.1, trades: 31, source: 'AM' },
    },
  })
  lines.sort((a, b) => a.at - b.at)
  const dup = lines.find((l) => l.line.topic === 'market.trades' && l.at > SESSION_START + 20 * MIN)
  if (dup) lines.splice(lines.indexOf(dup) + 40, 0, { at: dup.at, line: { ...dup.line } })
  lines.splice(Math.floor(lines.length / 2), 0, { at: 0, line: { topic: 'market.trades', key: 'AAPL', raw: '{"symbol":"AAPL","price":"NaN"' } })
  return lines.map((l) => l.line)
}

function art(id: string, published: number, latency: number, title: string, tickers: string[]): Article {
  return {
    id,
    published,
    updated: published,
    title,
    url: `https://www.theguardian.com/${id}`,
    section: 'business',
    type: 'article',
    trailText: title,
    tickers,
    query: tickers.join(' OR '),
    receivedAt: published + latency,
    stale: false,
  }
}

const isMain = process.argv[1]?.endsWith('gen-flink-session.ts')
if (isMain) {
  const out = join(import.meta.dirname, '..', '..', 'fixtures', 'flink', 'session.jsonl')
  const lines = generateSession()
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  console.log(`wrote ${lines.length} records to ${out}`)
}
