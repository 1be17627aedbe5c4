// The typed IPC contract between the renderer and its host (Electron main, or the browser-mode server).
// Pure: zod + types, no electron import — the renderer, main and the server all import it.
//
// ── Invoke (request → response) ────────────────────────────────────────────────────────────────────
// Channels are named `domain:verb`; each has a zod schema for its argument and for its result value.
// The host ALWAYS answers with a Response envelope (never throws across the boundary):
//     { ok: true, value: <result> }  |  { ok: false, error: { code, message } }
// Channels without a meaningful argument take `null`; those without a result answer `value: null`.
// The host must parse every argument with `parseInvokeArg` (IPC args are `unknown`), and may use
// `ok()` / `fail()` to build envelopes.
//
// ── Events (host → renderer) ───────────────────────────────────────────────────────────────────────
// Fire-and-forget payloads, each with a zod schema (see `eventContract`). Every renderer gets every event.
//
// ── Browser-mode WebSocket protocol (`npm run serve`) ──────────────────────────────────────────────
// The server serves the built renderer on 127.0.0.1 and accepts a WebSocket at
//     ws(s)://<host>/api?token=<token>
// The token is the one in the page URL (`/?token=…`). The server must check the token and the Origin
// (same host) on upgrade and refuse otherwise (HTTP 401/403, or close code 4401 after accept).
// All frames are UTF-8 JSON text, one message per frame:
//   client → server   { "id": <int ≥ 1, unique per connection>, "channel": <invoke channel>, "arg": <arg> }
//   server → client   { "id": <same id>, "response": <Response envelope> }   (exactly one per request)
//   server → client   { "event": <event channel>, "payload": <payload> }     (any time after open)
// No subscribe message: the server pushes every event to every connection. A request for an unknown
// channel or with an invalid arg still gets a response: { ok: false, error: { code: 'invalid_arg', … } }.
// Frames the server cannot parse are ignored (or answered with `invalid_arg` if they carry an id).
// The client reconnects with backoff; requests pending on a dropped connection fail with code
// `transport`, and the client re-fetches state (status:get, news:list, history) after reconnecting.
import { z } from 'zod'
import type { Bar, SymbolSummary, SymbolUpdate, Timeframe } from '../src-main/domain/market'
import type { ImpactSettings, MoveAlert } from '../src-main/domain/impact'
import type { Article, ImpactRecord } from '../src-main/domain/news'
import type { FeedStatus, HistoryStatus, KafkaStatus, NewsStatus, StatusSnapshot } from '../src-main/domain/status'
import {
  kafkaSettingsSchema,
  settingsPatchSchema,
  settingsSchema,
  symbolSchema,
  watchlistEntriesSchema,
} from './settings-schema'

// ── Domain schemas (typed against src-main/domain so drift fails type-checking) ─────────────────────

export const timeframeSchema = z.enum(['1s', '1m', '5m', '15m']) satisfies z.ZodType<Timeframe>
const num = z.number()
const nnum = z.number().nullable()
// Every string and array crossing IPC has a maximum: tight for what the renderer sends (settings-schema.ts),
// generous for what the host produces (a bug or a hostile upstream must not make an unbounded message).
const sym = z.string().max(20)
const text = z.string().max(10_000)
const BARS_MAX = 100_000

export const barSchema: z.ZodType<Bar> = z.object({
  symbol: sym,
  start: num,
  end: num,
  open: num,
  high: num,
  low: num,
  close: num,
  volume: num,
  vwap: num,
  trades: num,
  source: z.enum(['trades', 'A', 'AM', 'rest']),
})

export const symbolSummarySchema: z.ZodType<SymbolSummary> = z.object({
  symbol: sym,
  last: nnum,
  ref: nnum,
  change: nnum,
  changePct: nnum,
  dayVolume: num,
  lastTs: nnum,
})

export const symbolUpdateSchema: z.ZodType<SymbolUpdate> = z.object({
  symbol: sym,
  bars: z.object({ '1s': barSchema.optional(), '1m': barSchema.optional(), '5m': barSchema.optional(), '15m': barSchema.optional() }),
  corrected: z.array(timeframeSchema).max(4),
  summary: symbolSummarySchema,
  closed: z
    .object({
      '1s': z.array(barSchema).max(BARS_MAX).optional(),
      '1m': z.array(barSchema).max(BARS_MAX).optional(),
      '5m': z.array(barSchema).max(BARS_MAX).optional(),
      '15m': z.array(barSchema).max(BARS_MAX).optional(),
    })
    .optional(),
})

export const articleSchema: z.ZodType<Article> = z.object({
  id: z.string().min(1).max(1000),
  published: num,
  updated: num,
  title: text,
  url: z.string().max(4096),
  section: z.string().max(200),
  type: z.string().max(100),
  trailText: z.string().max(100_000),
  tickers: z.array(sym).max(500),
  query: text,
  receivedAt: num,
  stale: z.boolean(),
  tagReasons: z
    .array(
      z.object({
        symbol: sym,
        term: z.string().max(200),
        rule: z.enum(['cashtag', 'exchange', 'ric', 'ticker', 'name', 'name-in-context', 'user-alias', 'guardian-tag', 'user']),
        field: z.enum(['title', 'trail', 'tags', 'user']),
      }),
    )
    .max(500)
    .optional(),
  tagEdit: z.object({ added: z.array(sym).max(20), removed: z.array(sym).max(500) }).optional(),
  guardianTags: z.array(z.string().max(200)).max(50).optional(),
})

/** A rule a tag correction can become once the user confirms: an alias (on the watchlist entry) or a deny phrase. */
export const userTagRuleSchema = z.object({
  symbol: symbolSchema,
  kind: z.enum(['alias', 'deny']),
  phrase: z.string().trim().min(2).max(80),
})
export type UserTagRule = z.infer<typeof userTagRuleSchema>

export const signalSchema = z.enum(['up', 'down', 'none'])

const nbool = z.boolean().nullable()
const impactSettingsSchema = z.object({ proxy: sym, z: num, rvol: num, zWithVolume: num, zMove: num }) satisfies z.ZodType<ImpactSettings>
const printSourceSchema = z.enum(['live', 'trades', 'seconds'])

export const impactRecordSchema: z.ZodType<ImpactRecord> = z.object({
  articleId: z.string().min(1).max(1000),
  symbol: sym,
  published: num,
  receivedAt: num,
  asOf: num,
  source: printSourceSchema.nullable(),
  p0: nnum,
  beta: num,
  adjusted: z.boolean(),
  sigma: nnum,
  sigmaRealised: nnum,
  sigmaFloor: nnum,
  ret1: nnum,
  ret5: nnum,
  ret15: nnum,
  ar1: nnum,
  ar5: nnum,
  ar15: nnum,
  z1: nnum,
  z5: nnum,
  z15: nnum,
  quiet1: nbool,
  quiet5: nbool,
  quiet15: nbool,
  rvol5: nnum,
  rvolBasis: z.enum(['slot', 'hour']).nullable(),
  signal: signalSchema.nullable(),
  detectedAt: nnum,
  confirmed: nbool,
  alertAt: nnum,
  move: z.string().max(100).nullable(),
  latencyMs: num,
  stale: z.boolean(),
  final: z.boolean(),
  settings: impactSettingsSchema,
  origin: z.enum(['app', 'flink']),
})

export const moveAlertSchema: z.ZodType<MoveAlert> = z.object({
  id: z.string().min(1).max(100),
  symbol: sym,
  windowStart: num,
  detectedAt: num,
  direction: z.enum(['up', 'down']),
  size: num,
  z: num,
  sigma: num,
  beta: num,
  adjusted: z.boolean(),
  price: num,
  headlines: z.array(z.string().min(1).max(1000)).max(200),
  settings: z.object({ proxy: sym, zMove: num }),
  origin: z.enum(['app', 'flink']),
})

export const feedStatusSchema: z.ZodType<FeedStatus> = z.object({
  state: z.enum(['idle', 'connecting', 'authenticating', 'live', 'reconnecting', 'paused', 'auth_failed', 'max_connections', 'error']),
  message: text,
  retryAt: nnum,
  attempt: num,
  malformed: num,
  msgsPerSec: num,
  backfilledBars: num,
})

export const newsStatusSchema: z.ZodType<NewsStatus> = z.object({
  state: z.enum(['idle', 'polling', 'waiting', 'backoff', 'paused', 'outside_hours', 'auth_failed', 'error']),
  message: text,
  callsToday: num,
  dailyBudget: num,
  nextPollAt: nnum,
  lastPollAt: nnum,
  lastError: text.nullable(),
  notice: z.string().max(4096).nullable().optional(),
})

export const kafkaStatusSchema: z.ZodType<KafkaStatus> = z.object({
  state: z.enum(['disabled', 'connecting', 'connected', 'retrying', 'spooling', 'spool_full', 'error']),
  message: text,
  spooledRecords: num,
  spooledBytes: num,
  droppedRecords: num,
  rejectedRecords: num.optional(),
  damagedRecords: num.optional(),
  spoolNotice: z.string().max(4096).nullable().optional(),
  recordsPerSec: num,
  bytesPerSec: num,
  lastError: text.nullable(),
  failedStep: z.string().max(40).nullable().optional(),
  insecureTls: z.boolean().optional(),
})

export const historyStatusSchema: z.ZodType<HistoryStatus> = z.object({
  state: z.enum(['idle', 'loading', 'waiting', 'error']),
  message: text,
  pending: num,
  done: num,
  failed: num,
  source: z.enum(['trades', 'seconds']).nullable(),
  retryAt: nnum,
})

export const statusSnapshotSchema: z.ZodType<StatusSnapshot> = z.object({
  paused: z.boolean(),
  feed: feedStatusSchema,
  news: newsStatusSchema,
  kafka: kafkaStatusSchema,
  history: historyStatusSchema.optional(),
  clockOffsetMs: z.number().finite().optional(),
  notices: z
    .array(z.object({ id: z.string().max(100), level: z.enum(['warn', 'error']), text: z.string().max(4096) }))
    .max(20)
    .optional(),
})

export const newsBundleSchema = z.object({
  articles: z.array(articleSchema).max(10_000),
  impacts: z.array(impactRecordSchema).max(100_000),
  /** Move alerts (same id replaces: sent again when a headline links to one). */
  moves: z.array(moveAlertSchema).max(10_000),
})
export type NewsBundle = z.infer<typeof newsBundleSchema>

// ── Invoke channel schemas ──────────────────────────────────────────────────────────────────────────

export const secretNameSchema = z.enum(['polygon', 'guardian'])
export type SecretName = z.infer<typeof secretNameSchema>
/** Only whether each key is set — the value never leaves main. */
export const secretsStatusSchema = z.object({ polygon: z.boolean(), guardian: z.boolean() })
export type SecretsStatus = z.infer<typeof secretsStatusSchema>
export const secretTestResultSchema = z.object({ ok: z.boolean(), message: text })
export type SecretTestResult = z.infer<typeof secretTestResultSchema>

/** Kafka credentials kept in main's secret store (the renderer sees only whether each is set). */
export const kafkaSecretNameSchema = z.enum(['password', 'clientKey', 'oauthClientSecret'])
export type KafkaSecretName = z.infer<typeof kafkaSecretNameSchema>
export const kafkaSecretsStatusSchema = z.object({ password: z.boolean(), clientKey: z.boolean(), oauthClientSecret: z.boolean() })
export type KafkaSecretsStatus = z.infer<typeof kafkaSecretsStatusSchema>
/** One step of "Test connection" (settings, DNS, TCP, TLS handshake, SASL, topic authorisation), in words. */
export const kafkaCheckSchema = z.object({
  ok: z.boolean(),
  steps: z
    .array(
      z.object({
        step: z.enum(['config', 'dns', 'tcp', 'tls', 'protocol', 'sasl', 'authorization', 'broker']),
        label: z.string().max(60),
        ok: z.boolean(),
        detail: z.string().max(2000),
      }),
    )
    .max(10),
})
export type KafkaCheck = z.infer<typeof kafkaCheckSchema>

export const historyArgSchema = z.object({
  symbol: symbolSchema,
  timeframe: timeframeSchema,
  limit: z.number().int().min(1).max(10_000).default(1_000),
})

export const externalUrlSchema = z
  .string()
  .max(4096)
  .refine((s) => {
    try {
      const u = new URL(s)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  }, 'Only http(s) URLs open externally')

export const appInfoSchema = z.object({
  name: z.string().max(200),
  version: z.string().max(200),
  /** `electron`: the renderer runs in the desktop shell; `browser`: served by `npm run serve`. */
  mode: z.enum(['electron', 'browser']),
  platform: z.string().max(200),
  /** True when no keys are set and the built-in simulator feeds the app. */
  demo: z.boolean(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

/** Rectangle in CSS pixels relative to the window's content area. */
export const boundsSchema = z.object({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: z.number().int().min(0).max(100_000),
  height: z.number().int().min(0).max(100_000),
})
export type Bounds = z.infer<typeof boundsSchema>

export const grafanaProbeSchema = z.object({
  reachable: z.boolean(),
  /** Dashboard URL the view should load (Grafana origin + /d/<uid>?kiosk…). */
  url: z.string().max(4096),
  message: text,
})
export type GrafanaProbe = z.infer<typeof grafanaProbeSchema>

/** One return horizon of a symbol's past news impact (fractions: 0.008 = +0.8 %); null quartiles: none known. */
export const impactQuartilesSchema = z.object({ n: z.number().int().min(0), q1: nnum, median: nnum, q3: nnum })
/** A row of PostgreSQL `impact_history` (written by the Flink history job, flink/HISTORY.md); times in epoch ms. */
export const impactHistorySchema = z.object({
  symbol: sym,
  /** Measured headlines (final impact rows, one per article). */
  headlines: z.number().int().min(0),
  ret1: impactQuartilesSchema,
  ret5: impactQuartilesSchema,
  ret15: impactQuartilesSchema,
  /** Headlines whose final signal was up or down, and their share of `headlines` (0–1). */
  signals: z.number().int().min(0),
  signalShare: z.number().min(0).max(1),
  firstPublished: num,
  lastPublished: num,
  /** When the history job wrote the row. */
  computedAt: num,
})
export type ImpactHistory = z.infer<typeof impactHistorySchema>
/** `ready` with `history: null` when the symbol has no measured headlines; `unavailable` when PostgreSQL or the table is not there. */
export const impactHistoryAnswerSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready'), history: impactHistorySchema.nullable() }),
  z.object({ state: z.literal('unavailable'), message: text }),
])
export type ImpactHistoryAnswer = z.infer<typeof impactHistoryAnswerSchema>

const none = z.null()
const noArg = z.null().optional().transform(() => null)

export const invokeContract = {
  'watchlist:get': { arg: noArg, result: watchlistEntriesSchema },
  /** Replaces the whole watchlist (order matters: it is the display order); answers the saved list. */
  'watchlist:set': { arg: watchlistEntriesSchema, result: watchlistEntriesSchema },
  'settings:get': { arg: noArg, result: settingsSchema },
  /** Top-level sections in the patch replace the stored ones; answers the full saved Settings. */
  'settings:update': { arg: settingsPatchSchema, result: settingsSchema },
  'secrets:status': { arg: noArg, result: secretsStatusSchema },
  'secrets:set': { arg: z.object({ name: secretNameSchema, value: z.string().trim().min(8, 'Key looks too short').max(200) }), result: secretsStatusSchema },
  'secrets:clear': { arg: z.object({ name: secretNameSchema }), result: secretsStatusSchema },
  /** Main tests the stored key (or `value`, a candidate not yet saved) against the real service. */
  'secrets:test': { arg: z.object({ name: secretNameSchema, value: z.string().trim().min(1).max(200).optional() }), result: secretTestResultSchema },
  'kafka:secrets-status': { arg: noArg, result: kafkaSecretsStatusSchema },
  'kafka:secret-set': { arg: z.object({ name: kafkaSecretNameSchema, value: z.string().min(1).max(64 * 1024) }), result: kafkaSecretsStatusSchema },
  'kafka:secret-clear': { arg: z.object({ name: kafkaSecretNameSchema }), result: kafkaSecretsStatusSchema },
  /**
   * Main walks DNS → TCP → TLS → SASL → topic metadata with the saved Kafka settings, or with `kafka` (settings
   * not saved yet) and `password` (a candidate not stored yet); answers each step in words.
   */
  'kafka:test-connection': {
    arg: z.object({ kafka: kafkaSettingsSchema.optional(), password: z.string().min(1).max(4000).optional() }).prefault({}),
    result: kafkaCheckSchema,
  },
  'streams:pause': { arg: noArg, result: none },
  'streams:resume': { arg: noArg, result: none },
  'status:get': { arg: noArg, result: statusSnapshotSchema },
  /** Oldest first, at most `limit` bars ending with the current (possibly open) bar. */
  'history:get': { arg: historyArgSchema, result: z.array(barSchema).max(BARS_MAX) },
  /** Recent articles (newest first) and all their impact records. */
  'news:list': { arg: z.object({ limit: z.number().int().min(1).max(2_000).default(200) }).prefault({}), result: newsBundleSchema },
  /** The user corrects an article's tickers; answers the corrected article and the rules it could become (to confirm). */
  'news:correct-tags': {
    arg: z.object({ articleId: z.string().min(1).max(1000), add: z.array(symbolSchema).max(20).default([]), remove: z.array(symbolSchema).max(20).default([]) }),
    result: z.object({ article: articleSchema, proposals: z.array(userTagRuleSchema).max(40) }),
  },
  /** A confirmed rule: an alias goes on the watchlist entry, a deny phrase into the user's tag corrections. */
  'tagging:add-rule': { arg: userTagRuleSchema, result: none },
  /** The symbol's past news impact from PostgreSQL `impact_history` (cached briefly by the host). */
  'impact:history': { arg: z.object({ symbol: symbolSchema }), result: impactHistoryAnswerSchema },
  'shell:open-external': { arg: z.object({ url: externalUrlSchema }), result: none },
  'app:info': { arg: noArg, result: appInfoSchema },
  /** Main checks the configured Grafana answers (`/api/health`) — the renderer's CSP forbids fetching it. */
  'grafana:probe': { arg: noArg, result: grafanaProbeSchema },
  /** Electron only: show the Grafana WebContentsView (confined to the Grafana origin) over these bounds. */
  'grafana:show': { arg: z.object({ bounds: boundsSchema }), result: none },
  'grafana:hide': { arg: noArg, result: none },
} as const satisfies Record<string, { arg: z.ZodType; result: z.ZodType }>

export type InvokeContract = typeof invokeContract
export type InvokeChannel = keyof InvokeContract
/** What the caller passes (defaults applied by the schema may be omitted). */
export type InvokeArg<C extends InvokeChannel> = z.input<InvokeContract[C]['arg']>
/** What the host receives after parsing. */
export type InvokeParsedArg<C extends InvokeChannel> = z.output<InvokeContract[C]['arg']>
export type InvokeResult<C extends InvokeChannel> = z.output<InvokeContract[C]['result']>
export const INVOKE_CHANNELS = Object.keys(invokeContract) as InvokeChannel[]
export const isInvokeChannel = (c: unknown): c is InvokeChannel => typeof c === 'string' && Object.hasOwn(invokeContract, c)

// ── Events ──────────────────────────────────────────────────────────────────────────────────────────

export const eventContract = {
  /** ≤ 1 update per symbol per flush (one animation frame). */
  'market:batch': z.array(symbolUpdateSchema).max(10_000),
  /** New articles / revisions (same id replaces) and new / updated impacts (same articleId|symbol replaces). */
  'news:batch': newsBundleSchema,
  'status:changed': statusSnapshotSchema,
  /** The user clicked a notification: focus this article (a headline's signal) or this move alert (no headline yet). */
  'signals:focus': z.union([z.object({ articleId: z.string().min(1).max(1000) }), z.object({ moveId: z.string().min(1).max(100) })]),
  'streams:paused': z.boolean(),
} as const satisfies Record<string, z.ZodType>

export type EventContract = typeof eventContract
export type EventChannel = keyof EventContract
export type EventPayload<E extends EventChannel> = z.output<EventContract[E]>
export const EVENT_CHANNELS = Object.keys(eventContract) as EventChannel[]
export const isEventChannel = (c: unknown): c is EventChannel => typeof c === 'string' && Object.hasOwn(eventContract, c)

// ── Response envelope ───────────────────────────────────────────────────────────────────────────────

/** Known error codes; hosts may add more (the renderer shows `message` either way). */
export const ERROR_CODES = {
  /** The argument failed its schema, or the channel is unknown. */
  invalidArg: 'invalid_arg',
  /** The host's answer failed the result schema (a bug on the host side). */
  invalidResponse: 'invalid_response',
  /** IPC / WebSocket failed (disconnected, closed). */
  transport: 'transport',
  /** The thing is not available in this mode (e.g. grafana:show in the browser). */
  unsupported: 'unsupported',
  /** A service (worker, secret store, Grafana) did not answer. */
  unavailable: 'unavailable',
  internal: 'internal',
} as const

export const apiErrorSchema = z.object({ code: z.string().min(1).max(100), message: text })
export type ApiError = z.infer<typeof apiErrorSchema>
export type Response<T> = { ok: true; value: T } | { ok: false; error: ApiError }

/** Envelope check before the value is checked against its channel's schema. */
export const responseEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
])

export const ok = <T>(value: T): Response<T> => ({ ok: true, value })
export const fail = (code: string, message: string): { ok: false; error: ApiError } => ({ ok: false, error: { code, message } })

const issuesText = (e: z.ZodError): string =>
  e.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')

/** For hosts: parse an incoming argument. Unknown channel or bad arg → an `invalid_arg` failure. */
export const parseInvokeArg = <C extends InvokeChannel>(
  channel: C | string,
  arg: unknown,
): { ok: true; channel: C; value: InvokeParsedArg<C> } | { ok: false; error: ApiError } => {
  if (!isInvokeChannel(channel)) return fail(ERROR_CODES.invalidArg, `Unknown channel ${String(channel).slice(0, 60)}`)
  const r = invokeContract[channel].arg.safeParse(arg)
  if (!r.success) return fail(ERROR_CODES.invalidArg, `${channel}: ${issuesText(r.error)}`)
  return { ok: true, channel: channel as C, value: r.data as InvokeParsedArg<C> }
}

/** For clients: check an envelope and its value against the channel's result schema. */
export const parseInvokeResponse = <C extends InvokeChannel>(channel: C, raw: unknown): Response<InvokeResult<C>> => {
  const env = responseEnvelopeSchema.safeParse(raw)
  if (!env.success) return fail(ERROR_CODES.invalidResponse, `${channel}: malformed response envelope`)
  if (!env.data.ok) return env.data
  const r = invokeContract[channel].result.safeParse(env.data.value)
  if (!r.success) return fail(ERROR_CODES.invalidResponse, `${channel}: ${issuesText(r.error)}`)
  return { ok: true, value: r.data as InvokeResult<C> }
}

export const parseEventPayload = <E extends EventChannel>(
  event: E,
  payload: unknown,
): { ok: true; value: EventPayload<E> } | { ok: false; message: string } => {
  const r = eventContract[event].safeParse(payload)
  return r.success ? { ok: true, value: r.data as EventPayload<E> } : { ok: false, message: `${event}: ${issuesText(r.error)}` }
}

// ── WebSocket frames (browser mode) ─────────────────────────────────────────────────────────────────

export const WS_PATH = '/api'
/** Close code the server uses when the token or Origin is refused. */
export const WS_CLOSE_UNAUTHORIZED = 4401

export const wsRequestSchema = z.object({ id: z.number().int().positive(), channel: z.string().max(100), arg: z.unknown() })
export type WsRequest = { id: number; channel: InvokeChannel; arg: unknown }
export const wsServerFrameSchema = z.union([
  z.object({ id: z.number().int().positive(), response: z.unknown() }),
  z.object({ event: z.string().max(100), payload: z.unknown() }),
])
export type WsServerFrame = { id: number; response: Response<unknown> } | { event: EventChannel; payload: unknown }
