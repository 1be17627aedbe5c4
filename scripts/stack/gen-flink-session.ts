// Writes fixtures/flink/session.jsonl: a small, deterministic recording of what the app publishes to Kafka
// (trades of three symbols for ~56 minutes, four articles, one app bar, one duplicate and one malformed record),
// replayed by the Flink integration test. Run: npx tsx scripts/stack/gen-flink-session.ts
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

export const SESSION_START = 1_795_532_400_000 // a minute boundary
const MIN = 60_000

interface Shock {
  symbol: string
  at: number
  jumpPct: number
  rate: number
}

export function generateSession(seed = 7): SessionLine[] {
  const rnd = mulberry32(seed)
  const start = SESSION_START
  const end = start + 56 * MIN
  const symbols: Record<string, number> = { AAPL: 230, MSFT: 414, NVDA: 180 }
  const articles: Article[] = [
    art('business/2026/nov/24/nvidia-chips-demand', start + 10 * MIN, 5_000, 'Nvidia says chip demand stays strong', ['NVDA']),
    art('business/2026/nov/24/apple-beats-iphone', start + 35 * MIN, 4_000, 'Apple beats estimates on iPhone sales', ['AAPL']),
    art('business/2026/nov/24/apple-beats-iphone-again', start + 36 * MIN, 6_000, 'Apple beats estimates on iPhone sales again', ['AAPL']),
    art('business/2026/nov/24/microsoft-nvidia-ai-deal', start + 38 * MIN + 30_000, 3_000, 'Microsoft and Nvidia sign AI cloud deal', ['MSFT', 'NVDA']),
  ]
  const shocks: Shock[] = [{ symbol: 'AAPL', at: start + 35 * MIN + 20_000, jumpPct: 0.025, rate: 3 }]
  const lines: { at: number; line: SessionLine }[] = []
  let seq = 1000
  for (const [symbol, p0] of Object.entries(symbols)) {
    let price = p0
    let t = start + Math.floor(rnd() * 3000)
    let first = true
    let shocked = false
    while (t < end) {
      const shock = shocks.find((s) => s.symbol === symbol && t >= s.at && t < s.at + 5 * MIN)
      if (shock && !shocked) {
        price = price * (1 + shock.jumpPct)
        shocked = true
      }
      price = Math.max(1, Math.round(price * (1 + (rnd() - 0.5) * 0.0016) * 100) / 100)
      const size = rnd() < 0.15 ? 1 + Math.floor(rnd() * 99) : 100 * (1 + Math.floor(rnd() * 5))
      const conditions: number[] = first ? [16] : size < 100 ? [37] : rnd() < 0.03 ? [12] : []
      first = false
      seq += 1 + Math.floor(rnd() * 3)
      const trade: Trade = { symbol, price, size, ts: t, exchange: 1 + Math.floor(rnd() * 12), conditions, seq, id: String(seq), tape: 3 }
      lines.push({ at: t, line: { topic: 'market.trades', key: symbol, value: trade } })
      const rate = shock && t >= shock.at ? shock.rate : 1
      t += Math.max(50, Math.floor((rnd() * 14_000) / rate))
    }
  }
  for (const a of articles) lines.push({ at: a.receivedAt, line: { topic: 'news.articles', key: a.id, value: a } })
  // An app-side bar (socket AM) and the faults the job must absorb.
  lines.push({
    at: start + 2 * MIN + 1_000,
    line: {
      topic: 'market.bars.1m',
      key: 'MSFT',
      value: { symbol: 'MSFT', start: start + MIN, end: start + 2 * MIN, open: 414, high: 414.6, low: 413.8, close: 414.2, volume: 5200, vwap: 414.1, trades: 31, source: 'AM' },
    },
  })
  lines.sort((a, b) => a.at - b.at)
  const dup = lines.find((l) => l.line.topic === 'market.trades' && l.at > start + 20 * MIN)
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
