// The Kafka publisher's settings, as the ingest worker receives them.
import type { KafkaSecurityConfig } from './security'

export interface KafkaConfig {
  enabled: boolean
  brokers: string[]
  topicPrefix: string
  partitions: number
  /** Spool folder and cap. */
  spoolDir: string
  spoolCapBytes: number
  /** TLS and SASL (secrets resolved from the keychain by the main process); absent = PLAINTEXT. */
  security?: KafkaSecurityConfig
}
