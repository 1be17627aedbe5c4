// zod schemas for commands entering the ingest worker: a message port is a boundary like any other.
import { z } from 'zod'
import { SYMBOL_PATTERN } from '../domain/watchlist'
import type { WorkerCommand } from './protocol'
import { kafkaSecurityConfigSchema } from '../kafka/security'
import { MAX_DENY, MAX_EDITS, tagEditSchema, userTagRuleSchema } from '../news/tagging/corrections'

const symbol = z.string().regex(SYMBOL_PATTERN)
export const watchlistEntrySchema = z.object({ symbol, aliases: z.array(z.string().min(1).max(80)).max(20) })
export const watchlistSchema = z.array(watchlistEntrySchema).max(500)
export const thresholdsSchema = z.object({
  z: z.number().positive().max(100),
  rvol: z.number().positive().max(1000),
  zWithVolume: z.number().positive().max(100),
  zMove: z.number().positive().max(100),
  proxy: symbol,
})

// The user's tagging (news/tagging/corrections.ts holds the rule and file schemas; the bounds are the file's).
export const userTaggingSchema = z.object({
  deny: z.array(userTagRuleSchema.refine((r) => r.kind === 'deny', 'only deny rules travel to the worker')).max(MAX_DENY),
  edits: z.record(z.string().min(1).max(1000), tagEditSchema).refine((e) => Object.keys(e).length <= MAX_EDITS, `at most ${MAX_EDITS} kept corrections`),
})

const tagRule = z.enum(['cashtag', 'exchange', 'ric', 'ticker', 'name', 'name-in-context', 'user-alias', 'guardian-tag', 'user'])
/** An article the app hands back to be re-published (the shape of `news.articles`, domain/news.ts). */
export const articleSchema = z.object({
  id: z.string().min(1).max(1000),
  published: z.number().finite(),
  updated: z.number().finite(),
  title: z.string().max(10_000),
  url: z.string().max(4096),
  section: z.string().max(200),
  type: z.string().max(100),
  trailText: z.string().max(100_000),
  tickers: z.array(symbol).max(500),
  query: z.string().max(10_000),
  receivedAt: z.number().finite(),
  stale: z.boolean(),
  tagReasons: z
    .array(z.object({ symbol, term: z.string().max(200), rule: tagRule, field: z.enum(['title', 'trail', 'tags', 'user']) }))
    .max(500)
    .optional(),
  tagEdit: z.object({ added: z.array(symbol).max(20), removed: z.array(symbol).max(500) }).optional(),
  guardianTags: z.array(z.string().max(200)).max(50).optional(),
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
  restCallsPerMinute: z.number().positive().max(100_000).optional(),
  clockOffsetMs: z.number().finite().min(-30 * 86_400_000).max(0).optional(),
  dataDir: z.string().min(1),
  historyDepth: z.number().int().min(10).max(100_000),
  flushMs: z.number().min(1).max(1000),
  userTagging: userTaggingSchema.optional(),
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
  z.object({ type: z.literal('tag-rules'), userTagging: userTaggingSchema }),
  z.object({ type: z.literal('tag-correction'), articles: z.array(articleSchema).min(1).max(MAX_EDITS) }),
])

export function parseWorkerCommand(raw: unknown): { ok: true; value: WorkerCommand } | { ok: false; error: string } {
  const r = workerCommandSchema.safeParse(raw)
  return r.success ? { ok: true, value: r.data as WorkerCommand } : { ok: false, error: r.error.message }
}
