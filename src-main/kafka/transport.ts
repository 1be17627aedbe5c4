// The only file that talks kafkajs for producing. The publisher core sees a tiny Transport interface, so its
// state machine (batching, spooling, replay, status) is unit-tested with a scripted transport and exercised
// end to end against the real broker in tests/integration.
import kafkajs from 'kafkajs'
import type { LogEntry, Producer } from 'kafkajs'
import type { EncodedRecord } from './records'

const { Kafka, CompressionTypes, logLevel: LogLevel } = kafkajs

export type Compression = 'none' | 'gzip'

export interface Transport {
  /** Connect (or reconnect); throws when the broker cannot be reached. */
  connect(): Promise<void>
  /** Create topics that do not exist yet (idempotent). */
  ensureTopics(topics: readonly string[], partitions: number): Promise<void>
  /** Produce the batch in order with acks=-1; resolves once the broker acknowledged every record. */
  send(records: readonly EncodedRecord[]): Promise<void>
  /** Drop the connection (after a failure the publisher starts over with a fresh producer id). */
  disconnect(): Promise<void>
}

export interface KafkaTransportOptions {
  brokers: string[]
  clientId?: string
  compression?: Compression
  /** Broker-side wait for acks=-1 and the client's request timeout, ms. */
  requestTimeoutMs?: number
  connectionTimeoutMs?: number
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
}

const LEVEL: Record<number, 'debug' | 'info' | 'warn' | 'error'> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
}

/** kafkajs producer: idempotent, acks=-1, one request in flight (order), gzip by default. */
export function createKafkaTransport(opts: KafkaTransportOptions): Transport {
  const log = opts.log
  const kafka = new Kafka({
    clientId: opts.clientId ?? 'newstape-ingest',
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeoutMs ?? 3000,
    requestTimeout: opts.requestTimeoutMs ?? 10_000,
    // Short internal retries: the publisher does its own backoff and spools meanwhile.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: LogLevel.ERROR,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        // kafkajs logs every failed connect at ERROR; the publisher reports those through its status instead.
        log?.(level === LogLevel.ERROR ? 'warn' : (LEVEL[level] ?? 'info'), `kafkajs: ${entry.message}`)
      },
  })
  const admin = kafka.admin()
  let adminConnected = false
  let producer: Producer | null = null
  const compression = opts.compression === 'none' ? CompressionTypes.None : CompressionTypes.GZIP
  const timeout = opts.requestTimeoutMs ?? 10_000

  return {
    async connect() {
      if (producer) return
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // Retries are the publisher's job (it spools while retrying); see README for the at-least-once note.
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
        allowAutoTopicCreation: true,
      })
      try {
        await p.connect()
      } catch (e) {
        await p.disconnect().catch(() => {})
        throw e
      }
      producer = p
    },
    async ensureTopics(topics, partitions) {
      if (!adminConnected) {
        await admin.connect()
        adminConnected = true
      }
      const existing = new Set(await admin.listTopics())
      const missing = topics.filter((t) => !existing.has(t))
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
        })
      }
    },
    async send(records) {
      const p = producer
      if (!p) throw new Error('not connected')
      // Group by topic, keeping each topic's records in publish order.
      const byTopic = new Map<string, { key: string; value: string; headers: { schema: string } }[]>()
      for (const r of records) {
        let list = byTopic.get(r.topic)
        if (!list) byTopic.set(r.topic, (list = []))
        list.push({ key: r.key, value: r.value, headers: { schema: r.schema } })
      }
      await p.sendBatch({
        acks: -1,
        timeout,
        compression,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      })
    },
    async disconnect() {
      const p = producer
      producer = null
      const a = adminConnected
      adminConnected = false
      await Promise.allSettled([p?.disconnect(), a ? admin.disconnect() : undefined])
    },
  }
}
