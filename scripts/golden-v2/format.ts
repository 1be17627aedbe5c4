// The golden vector file of news impact v2 (docs/impact-v2.md "Golden vector file") as a zod schema: what a
// reader of fixtures/news-impact/v2/*.json may rely on once `parseGoldenFile` accepted it.
import { z } from 'zod'
import type { GoldenExpected, GoldenInput } from './reference'

const source = z.enum(['live', 'trades', 'seconds'])
const settings = z.object({ proxy: z.string(), z: z.number(), rvol: z.number(), zWithVolume: z.number(), zMove: z.number() })
const num = z.number()
const nullableNum = z.number().nullable()

const impact = z.object({
  articleId: z.string(),
  symbol: z.string(),
  published: num,
  receivedAt: num,
  asOf: num,
  source: source.nullable(),
  p0: nullableNum,
  beta: num,
  adjusted: z.boolean(),
  sigma: nullableNum,
  sigmaRealised: nullableNum,
  sigmaFloor: nullableNum,
  ret1: nullableNum,
  ret5: nullableNum,
  ret15: nullableNum,
  ar1: nullableNum,
  ar5: nullableNum,
  ar15: nullableNum,
  z1: nullableNum,
  z5: nullableNum,
  z15: nullableNum,
  quiet1: z.boolean().nullable(),
  quiet5: z.boolean().nullable(),
  quiet15: z.boolean().nullable(),
  rvol5: nullableNum,
  rvolBasis: z.enum(['slot', 'hour']).nullable(),
  signal: z.enum(['up', 'down', 'none']).nullable(),
  detectedAt: nullableNum,
  confirmed: z.boolean().nullable(),
  alertAt: nullableNum,
  move: z.string().nullable(),
  latencyMs: num,
  stale: z.boolean(),
  final: z.boolean(),
  settings,
})

const move = z.object({
  id: z.string(),
  symbol: z.string(),
  windowStart: num,
  detectedAt: num,
  direction: z.enum(['up', 'down']),
  size: num,
  z: num,
  sigma: num,
  beta: num,
  adjusted: z.boolean(),
  price: num,
  headlines: z.array(z.string()),
  settings: z.object({ proxy: z.string(), zMove: z.number() }),
})

export const goldenFileSchema = z.object({
  name: z.string(),
  description: z.string(),
  asOf: num,
  settings,
  coverage: z.record(z.string(), z.array(z.object({ from: num, to: num, source }))),
  minuteBars: z.array(z.object({ symbol: z.string(), start: num, close: num, volume: num })),
  // Prints are test input, bad ones included on purpose: only their shape is fixed here.
  prints: z.array(
    z.object({ symbol: z.string(), ts: num, price: num, size: num, conditions: z.array(num), seq: num, source }),
  ),
  secondBars: z.array(z.object({ symbol: z.string(), start: num, close: num, volume: num, trades: num })),
  articles: z.array(
    z.object({ id: z.string(), published: num, receivedAt: num, title: z.string(), tickers: z.array(z.string()) }),
  ),
  expected: z.object({ impacts: z.array(impact), moves: z.array(move) }),
})

export type GoldenFile = GoldenInput & { expected: GoldenExpected }

export function parseGoldenFile(json: unknown): GoldenFile {
  return goldenFileSchema.parse(json)
}
