// Signals back in: consumes `signals.news-impact` (the Flink job writes ImpactRecord JSON with origin 'flink'),
// parses every record with zod and hands the accepted ones to a callback in batches. A record that does not
// parse is counted and reported, never thrown. The app's own records on the same topic (origin 'app') are
// skipped by default: the app already holds them.
import kafkajs from 'kafkajs'
import type { Consumer } from 'kafkajs'
import { z } from 'zod'
import { impactKey, type ImpactRecord } from '../domain/news'
import { topicName } from './records'
import { createTokenSource } from './oauth'
import { PLAINTEXT, kafkajsSecurity, usesSasl, type KafkaSecurityConfig } from './security'

const { Kafka, logLevel: LogLevel } = kafkajs

const fin = z.number().finite()
const nfin = fin.nullable()
export const impactRecordSchema = z.object({
  articleId: z.string().min(1).max(1024),
  symbol: z.string().regex(/^[A-Z0-9][A-Z0-9.\-:/]{0,19}$/),
  published: z.number().int(),
  p0: nfin,
  ret1: nfin,
  ret5: nfin,
  ret15: nfin,
  sigma: nfin,
  z1: nfin,
  z5: nfin,
  z15: nfin,
  rvol5: nfin,
  signal: z.enum(['up', 'down', 'none']).nullable(),
  latencyMs: fin,
  stale: z.boolean(),
  origin: z.enum(['app', 'flink']),
  final: z.boolean(),
})

export type ParsedImpact = { ok: true; record: ImpactRecord } | { ok: false; reason: string }

/** Parse one Kafka record of `signals.news-impact`. The key, when present, must match the value's key. */
export function parseImpactMessage(
  key: Buffer | string | null | undefined,
  value: Buffer | string | null | undefined,
): ParsedImpact {
  if (value === null || value === undefined) return { ok: false, reason: 'empty value (tombstone)' }
  let json: unknown
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'))
  } catch {
    return { ok: false, reason: 'value is not JSON' }
  }
  const r = impactRecordSchema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    return {
      ok: false,
      reason: `invalid impact record: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}`,
    }
  }
  const record = r.data as ImpactRecord
  if (key !== null && key !== undefined) {
    const k = typeof key === 'string' ? key : key.toString('utf8')
    if (k !== impactKey(record))
      return { ok: false, reason: `key '${k.slice(0, 200)}' does not match '${impactKey(record)}'` }
  }
  return { ok: true, record }
}

export interface SignalsConsumerOptions {
  brokers: string[]
  topicPrefix: string
  /** One group per app installation, so every instance sees every record. */
  groupId: string
  onRecords: (records: ImpactRecord[]) => void
  onMalformed?: (reason: string, partition: number, offset: string) => void
  /** Default ['flink']. */
  acceptOrigins?: readonly ImpactRecord['origin'][]
  /** Read the topic from the start when the group has no committed offset. Default true. */
  fromBeginning?: boolean
  clientId?: string
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
  /** TLS and SASL, the same settings the publisher uses; default PLAINTEXT. */
  security?: KafkaSecurityConfig
}

export interface SignalsConsumerStats {
  received: number
  accepted: number
  skipped: number
  malformed: number
  lastError: string | null
}

export interface SignalsConsumer {
  /** Connects, joins the group and starts delivering. Resolves once running. */
  start(): Promise<void>
  stop(): Promise<void>
  stats(): SignalsConsumerStats
}

export function createSignalsConsumer(o: SignalsConsumerOptions): SignalsConsumer {
  const accept = new Set(o.acceptOrigins ?? ['flink'])
  const stats: SignalsConsumerStats = { received: 0, accepted: 0, skipped: 0, malformed: 0, lastError: null }
  const security = o.security ?? PLAINTEXT
  const tokens =
    security.mechanism === 'OAUTHBEARER' && usesSasl(security.protocol) && security.oauth
      ? createTokenSource(security.oauth)
      : null
  const kafka = new Kafka({
    clientId: o.clientId ?? 'newstape-signals',
    brokers: o.brokers,
    ...kafkajsSecurity(security, tokens ? () => tokens.get() : null),
    reauthenticationThreshold: 1000,
    logLevel: LogLevel.ERROR,
    logCreator:
      () =>
      ({ level, log: entry }) =>
        o.log?.(level <= LogLevel.ERROR ? 'warn' : 'debug', `kafkajs: ${entry.message}`),
  })
  let consumer: Consumer | null = null
  const topic = topicName(o.topicPrefix, 'signals.news-impact')

  return {
    async start() {
      if (consumer) return
      const c = kafka.consumer({ groupId: o.groupId, retry: { retries: 10 } })
      consumer = c
      c.on(c.events.CRASH, (e) => {
        stats.lastError = `consumer crashed: ${String((e.payload as { error?: unknown }).error)}`
        o.log?.('error', stats.lastError)
      })
      await c.connect()
      await c.subscribe({ topic, fromBeginning: o.fromBeginning ?? true })
      await c.run({
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          const out: ImpactRecord[] = []
          for (const m of batch.messages) {
            stats.received++
            const p = parseImpactMessage(m.key, m.value)
            if (!p.ok) {
              stats.malformed++
              stats.lastError = p.reason
              o.onMalformed?.(p.reason, batch.partition, m.offset)
            } else if (!accept.has(p.record.origin)) {
              stats.skipped++
            } else {
              stats.accepted++
              out.push(p.record)
            }
            resolveOffset(m.offset)
          }
          if (out.length > 0) {
            try {
              o.onRecords(out)
            } catch (e) {
              // The callback's bug must not stall the consumer: report it and move on.
              stats.lastError = `onRecords threw: ${e instanceof Error ? e.message : String(e)}`
              o.log?.('error', stats.lastError)
            }
          }
          await heartbeat()
        },
      })
    },
    async stop() {
      const c = consumer
      consumer = null
      tokens?.close()
      await c?.disconnect()
    },
    stats: () => ({ ...stats }),
  }
}
