// Shared helpers for the Kafka integration tests: the broker address from the global setup, and an
// independent client to read and write topics with.
import { inject } from 'vitest'
import type { ImpactRecord } from '../../src-main/domain/news'
import { blankImpactRecord, DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'

/** v2 fields a test does not care about (every number null), for its literal to override. */
const BLANK_IMPACT = blankImpactRecord({ articleId: 'x', symbol: 'AAPL', published: 1_764_000_000_000, receivedAt: 1_764_000_000_000, asOf: 1_764_000_000_000, settings: DEFAULT_IMPACT_SETTINGS, origin: 'app' })

/** The broker tests/setup/kafka.ts made sure of. */
export function testBrokers(): string {
  let injected: string | undefined
  try {
    injected = inject('kafkaBrokers')
  } catch {
    injected = undefined
  }
  return injected ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
}

// The independent reader/writer: Kafka's own Java client from the broker jars (scripts/kafka/tools.ts).
export { consumeTopic, produceLines, type TopicRecord } from '../../scripts/kafka/tools'

export const uniquePrefix = (name: string): string =>
  `it-${name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}.`

/** An impact record as the Flink job writes it to signals.news-impact (published 2026-11-27 15:30 UTC). */
export const flinkImpact = (articleId: string, symbol: string, over: Partial<ImpactRecord> = {}): ImpactRecord => ({ ...BLANK_IMPACT,
  articleId,
  symbol,
  published: Date.UTC(2026, 10, 27, 15, 30),
  p0: 100,
  ret1: 0.01,
  ret5: 0.03,
  ret15: 0.04,
  sigma: 0.001,
  z1: 5,
  z5: 4,
  z15: 3,
  rvol5: 3.5,
  signal: 'up',
  latencyMs: 800,
  stale: false,
  origin: 'flink',
  final: true,
  ...over,
})
