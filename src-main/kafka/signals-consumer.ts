// Signals back in: consumes `signals.news-impact` (the Flink job writes ImpactRecord JSON with origin 'flink'),
// parses every record with zod and hands the accepted ones to a callback in batches. A record that does not
// parse is counted and reported, never thrown. The app's own records on the same topic (origin 'app') are
// skipped by default: the app already holds them.
import kafkajs from 'kafkajs'
import type { Consumer } from 'kafkajs'
import { z } from 'zod'
import type { MoveAlert } from '../domain/impact'
import { impactKey, type ImpactRecord } from '../domain/news'
import { topicName } from './records'
import { createTokenSource } from './oauth'
import { PLAINTEXT, kafkajsSecurity, usesSasl, type KafkaSecurityConfig } from './security'

const { Kafka, logLevel: LogLevel } = kafkajs

const fin = z.number().finite()
const nfin = fin.nullable()
const nbool = z.boolean().nullable()
const symbol = z.string().regex(/^[A-Z0-9][A-Z0-9.\-:/]{0,19}$/)
const settings = z.object({ proxy: symbol, z: fin, rvol: fin, zWithVolume: fin, zMove: fin })
/** `news-impact/v2` (docs/impact-v2.md). A v1 record (an older Flink job) fails here and is counted, not shown. */
export const impactRecordSchema = z.object({
  articleId: z.string().min(1).max(1024),
  symbol,
  published: z.number().int(),
  receivedAt: fin,
  asOf: fin,
  source: z.enum(['live', 'trades', 'seconds']).nullable(),
  p0: nfin,
  beta: fin,
  adjusted: z.boolean(),
  sigma: nfin,
  sigmaRealised: nfin,
  sigmaFloor: nfin,
  ret1: nfin,
  ret5: nfin,
  ret15: nfin,
  ar1: nfin,
  ar5: nfin,
  ar15: nfin,
  z1: nfin,
  z5: nfin,
  z15: nfin,
  quiet1: nbool,
  quiet5: nbool,
  quiet15: nbool,
  rvol5: nfin,
  rvolBasis: z.enum(['slot', 'hour']).nullable(),
  signal: z.enum(['up', 'down', 'none']).nullable(),
  detectedAt: nfin,
  confirmed: nbool,
  alertAt: nfin,
  move: z.string().min(1).max(100).nullable(),
  latencyMs: fin,
  stale: z.boolean(),
  final: z.boolean(),
  settings,
  origin: z.enum(['app', 'flink']),
})

/** `move/v1`, key = id. */
export const moveAlertSchema = z.object({
  id: z.string().min(1).max(100),
  symbol,
  windowStart: fin,
  detectedAt: fin,
  direction: z.enum(['up', 'down']),
  size: fin,
  z: fin,
  sigma: fin,
  beta: fin,
  adjusted: z.boolean(),
  price: fin,
  headlines: z.array(z.string().min(1).max(1024)).max(200),
  settings: z.object({ proxy: symbol, zMove: fin }),
  origin: z.enum(['app', 'flink']),
})

export type ParsedMove = { ok: true; record: MoveAlert } | { ok: false; reason: string }

/** Parse one Kafka record of `signals.moves`. The key, when present, must be the move's id. */
export function parseMoveMessage(key: Buffer | string | null | undefined, value: Buffer | string | null | undefined): ParsedMove {
  if (value === null || value === undefined) return { ok: false, reason: 'empty value (tombstone)' }
  let json: unknown
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'))
  } catch {
    return { ok: false, reason: 'value is not JSON' }
  }
  const r = moveAlertSchema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    return { ok: false, reason: `invalid move alert: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}` }
  }
  if (key !== null && key !== undefined) {
    const k = typeof key === 'string' ? key : key.toString('utf8')
    if (k !== r.data.id) return { ok: false, reason: `key '${k.slice(0, 200)}' does not match '${r.data.id}'` }
  }
  return { ok: true, record: r.data }
}

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
  const record: ImpactRecord = r.data
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
  /** Move alerts from `signals.moves` (same origins accepted). */
  onMoves?: (moves: MoveAlert[]) => void
  onMalformed?: (reason: string, partition: number, offset: string) => void
  /** Default ['flink']. */
  acceptOrigins?: readonly ImpactRecord['origin'][]
  /** Read the topic from the start when the group has no committed offset. Default true. */
  fromBeginning?: boolean
  clientId?: string
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void
  /** TLS and SASL, the same settings the publisher uses; default PLAINTEXT. */
  security?: KafkaSecurityConfig
  /** Partitions of a topic this consumer has to create (it does not exist yet). Default 3. */
  partitions?: number
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
  const movesTopic = topicName(o.topicPrefix, 'signals.moves')

  /**
   * The topics to subscribe to. A topic nobody has written yet (a new prefix, or `signals.moves` before the Flink
   * job's first move) does not exist on a broker without auto-creation, and subscribing to it fails the whole
   * consumer: create what is missing as the publisher does; where the credentials may not create topics, read
   * the ones that exist and say which one is not read.
   */
  const readableTopics = async (): Promise<string[]> => {
    const wanted = [topic, movesTopic]
    const admin = kafka.admin()
    await admin.connect()
    try {
      const existing = new Set(await admin.listTopics())
      const missing = wanted.filter((t) => !existing.has(t))
      if (missing.length === 0) return wanted
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({ topic: t, numPartitions: o.partitions ?? 3 })),
        })
        return wanted
      } catch (e) {
        const present = wanted.filter((t) => existing.has(t))
        stats.lastError = `cannot create ${missing.join(', ')} (${e instanceof Error ? e.message : String(e)}); not read until it exists`
        o.log?.('warn', stats.lastError)
        if (present.length === 0) throw new Error(stats.lastError)
        return present
      }
    } finally {
      await admin.disconnect()
    }
  }

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
      await c.subscribe({ topics: await readableTopics(), fromBeginning: o.fromBeginning ?? true })
      await c.run({
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          if (batch.topic === movesTopic) {
            const moves: MoveAlert[] = []
            for (const m of batch.messages) {
              stats.received++
              const p = parseMoveMessage(m.key, m.value)
              if (!p.ok) {
                stats.malformed++
                stats.lastError = p.reason
                o.onMalformed?.(p.reason, batch.partition, m.offset)
              } else if (!accept.has(p.record.origin)) stats.skipped++
              else {
                stats.accepted++
                moves.push(p.record)
              }
              resolveOffset(m.offset)
            }
            if (moves.length > 0) {
              try {
                o.onMoves?.(moves)
              } catch (e) {
                stats.lastError = `onMoves threw: ${e instanceof Error ? e.message : String(e)}`
                o.log?.('error', stats.lastError)
              }
            }
            await heartbeat()
            return
          }
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
