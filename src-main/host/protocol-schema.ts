// zod schemas for commands entering the ingest worker: a message port is a boundary like any other.
import { z } from 'zod'
import { SYMBOL_PATTERN } from '../domain/watchlist'
import type { WorkerCommand } from './protocol'
import { kafkaSecurityConfigSchema } from '../kafka/security'

const symbol = z.string().regex(SYMBOL_PATTERN)
export const watchlistEntrySchema = z.object({ symbol, aliases: z.array(z.string().min(1).max(80)).max(20) })
export const watchlistSchema = z.array(watchlistEntrySchema).max(500)
export const thresholdsSchema = z.object({
  z: z.number().positive().max(100),
  rvol: z.number().positive().max(1000),
  zWithVolume: z.number().positive().max(100),
})

export const ingestConfigSchema = z.object({
  feed: z.object({
    mode: z.enum(['demo', 'delayed', 'realtime', 'custom']),
    url: z.string().url().optional(),
    restBase: z.string().url().optional(),
    key: z.string().min(1).max(200).optional(),
    channels: z.array(z.enum(['T', 'Q', 'A', 'AM'])).min(1),
  }),
  news: z.object({
    enabled: z.boolean(),
    key: z.string().min(1).max(200).optional(),
    base: z.string().url().optional(),
    sections: z.array(z.string().regex(/^[a-z0-9-]+$/)).max(30),
    tier: z.enum(['developer', 'commercial']),
    perSecond: z.number().positive().optional(),
    perDay: z.number().int().positive().optional(),
  }),
  kafka: z.object({
    enabled: z.boolean(),
    brokers: z.array(z.string().min(1)).min(1),
    topicPrefix: z.string().regex(/^[A-Za-z0-9._-]*$/),
    partitions: z.number().int().min(1).max(64),
    spoolDir: z.string().min(1),
    spoolCapBytes: z.number().int().positive(),
    security: kafkaSecurityConfigSchema.optional(),
  }),
  watchlist: watchlistSchema,
  thresholds: thresholdsSchema,
  dataDir: z.string().min(1),
  historyDepth: z.number().int().min(10).max(100_000),
  flushMs: z.number().min(1).max(1000),
})

export const workerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), config: ingestConfigSchema }),
  z.object({ type: z.literal('watchlist'), watchlist: watchlistSchema }),
  z.object({ type: z.literal('thresholds'), thresholds: thresholdsSchema }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({
    type: z.literal('history'),
    requestId: z.number().int(),
    symbol,
    timeframe: z.enum(['1s', '1m', '5m', '15m']),
    limit: z.number().int().min(1).max(100_000),
  }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('ack'), seq: z.number().int() }),
])

export function parseWorkerCommand(raw: unknown): { ok: true; value: WorkerCommand } | { ok: false; error: string } {
  const r = workerCommandSchema.safeParse(raw)
  return r.success ? { ok: true, value: r.data as WorkerCommand } : { ok: false, error: r.error.message }
}
