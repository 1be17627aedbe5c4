// Shared helpers for the Kafka integration tests: the broker address from the global setup, and an
// independent client to read and write topics with.
import { inject } from 'vitest'

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
