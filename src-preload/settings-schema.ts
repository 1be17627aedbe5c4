// The persisted Settings: one zod schema with defaults, shared by main (electron-store), the browser-mode
// server and the renderer (inline validation). Pure: zod only. Secrets (API keys) are NOT settings: they
// live in main's secret store and only their presence crosses IPC (see `secrets:*` in contract.ts).
import { z } from 'zod'
import { SYMBOL_PATTERN } from '../src-main/domain/watchlist'

/** A ticker as the watchlist accepts it: upper case, starts with a letter, ≤ 10 chars (BRK.B, BF-B). */
export { SYMBOL_PATTERN }
export const symbolSchema = z.string().max(10).regex(SYMBOL_PATTERN, 'Symbol: 1–10 chars, A–Z first, then A–Z, 0–9, "." or "-"')

export const channelSchema = z.enum(['T', 'Q', 'A', 'AM'])
export const feedModeSchema = z.enum(['demo', 'delayed', 'realtime', 'custom'])
export const themeSchema = z.enum(['dark', 'light'])

const alias = z.string().trim().min(1, 'Alias cannot be empty').max(60, 'Alias: at most 60 chars')

export const watchlistEntrySchema = z.object({
  symbol: symbolSchema,
  aliases: z.array(alias).max(20, 'At most 20 aliases').default([]),
})

/** Unique symbols, at most 50 (the socket subscription and Guardian query stay reasonable). */
export const watchlistEntriesSchema = z
  .array(watchlistEntrySchema)
  .max(50, 'At most 50 symbols')
  .superRefine((entries, ctx) => {
    const seen = new Set<string>()
    entries.forEach((e, i) => {
      if (seen.has(e.symbol)) ctx.addIssue({ code: 'custom', message: `${e.symbol} is already in the watchlist`, path: [i, 'symbol'] })
      seen.add(e.symbol)
    })
  })

const DEFAULT_WATCHLIST = [
  { symbol: 'AAPL', aliases: ['Apple'] },
  { symbol: 'MSFT', aliases: ['Microsoft'] },
  { symbol: 'NVDA', aliases: ['Nvidia'] },
  { symbol: 'TSLA', aliases: ['Tesla'] },
]

const isUrl = (protocols: string[]) => (s: string) => {
  try {
    return protocols.includes(new URL(s).protocol)
  } catch {
    return false
  }
}

export const watchlistSettingsSchema = z.object({
  symbols: watchlistEntriesSchema.default(DEFAULT_WATCHLIST),
  channels: z.array(channelSchema).min(1, 'Pick at least one channel').max(4, 'At most the 4 channels').default(['T', 'Q', 'AM']),
})

export const feedSettingsSchema = z
  .object({
    mode: feedModeSchema.default('demo'),
    /** Socket URL, only for `custom`. */
    url: z.string().trim().max(2048, 'URL: at most 2048 chars').default(''),
    /** REST base, only for `custom` (empty: derived by main from the socket host). */
    restBase: z.string().trim().max(2048, 'URL: at most 2048 chars').default(''),
    /**
     * REST calls per minute the Polygon plan allows, for news-impact history (5 on the free tier; paid plans are
     * unlimited: 0). Not used in demo mode.
     */
    restCallsPerMinute: z.number().int('Whole calls per minute').min(0).max(100_000).default(5),
  })
  .superRefine((f, ctx) => {
    if (f.mode === 'custom' && !isUrl(['ws:', 'wss:'])(f.url))
      ctx.addIssue({ code: 'custom', message: 'Custom feed needs a ws:// or wss:// URL', path: ['url'] })
    if (f.restBase !== '' && !isUrl(['http:', 'https:'])(f.restBase))
      ctx.addIssue({ code: 'custom', message: 'REST base must be an http(s) URL', path: ['restBase'] })
  })

export const newsSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  sections: z
    .array(z.string().regex(/^[a-z0-9-]{1,40}$/, 'Section ids are lower-case words, e.g. "business"'))
    .max(20)
    .default(['business', 'technology', 'money']),
  /** Guardian key tier: developer = 1 call/s, 500 calls/day. */
  tier: z.enum(['developer', 'commercial']).default('developer'),
  /** Commercial tier only. */
  perSecond: z.number().positive().max(100).default(1),
  perDay: z.number().int().positive().max(10_000_000).default(500),
})

export const kafkaSecurityProtocolSchema = z.enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'])
export const kafkaSaslMechanismSchema = z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'])

/**
 * TLS and SASL for every Kafka client. Secrets (SASL password, client private key, OAuth client secret) are
 * NOT here: they live in main's secret store (`kafka:secret-*` in contract.ts); only their presence crosses IPC.
 */
export const kafkaSecuritySettingsSchema = z.object({
  protocol: kafkaSecurityProtocolSchema.default('PLAINTEXT'),
  mechanism: kafkaSaslMechanismSchema.default('SCRAM-SHA-512'),
  username: z.string().trim().max(256, 'Username: at most 256 chars').default(''),
  /** PEM file with the CA(s) to trust; empty = the system store. */
  caFile: z.string().trim().max(4096).default(''),
  /** Client certificate (PEM file) for mTLS; its key is a secret. */
  certFile: z.string().trim().max(4096).default(''),
  /** TLS server name, when it differs from the broker host. */
  servername: z.string().trim().max(255).default(''),
  /** "Insecure (testing only)": no server verification; the status bar shows it in red. */
  insecureTls: z.boolean().default(false),
  /** OAUTHBEARER: a command that prints a token, or a token endpoint (client credentials). */
  oauthTokenCommand: z.string().trim().max(4000).default(''),
  oauthTokenUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((v) => v === '' || isUrl(['http:', 'https:'])(v), 'Token URL must be http(s)')
    .default(''),
  oauthClientId: z.string().trim().max(500).default(''),
  oauthScope: z.string().trim().max(1000).default(''),
})

export const kafkaSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  brokers: z
    .array(z.string().max(260).regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'Broker as host:port, e.g. 127.0.0.1:9092'))
    .min(1, 'At least one broker')
    .max(20, 'At most 20 brokers')
    .default(['127.0.0.1:9092']),
  topicPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]{0,40}$/, 'Prefix: letters, digits, ".", "_", "-"')
    .default(''),
  /** Disk spool cap while the broker is away. */
  spoolCapMb: z.number().int().min(1).max(100_000).default(2048),
  security: kafkaSecuritySettingsSchema.prefault({}),
})

export const grafanaSettingsSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2048, 'URL: at most 2048 chars')
    .refine(isUrl(['http:', 'https:']), 'Grafana URL must be http(s)')
    .default('http://127.0.0.1:3000'),
  dashboardUid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'Dashboard uid: letters, digits, "_" or "-"')
    .default('newstape-market-news'),
})

/** Default: the local stack's PostgreSQL (scripts/stack: the machine's own, trust auth, db `test`). */
export const DEFAULT_HISTORY_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test'

/** Where the app reads the per-symbol news-impact history (`impact_history`, written by `npm run history:job`). */
export const historySettingsSchema = z.object({
  /** postgres://user[:password]@host:port/db — e.g. the docker stack's postgres://newstape:…@127.0.0.1:5433/newstape. */
  postgresUrl: z
    .string()
    .trim()
    .max(500)
    .refine(isUrl(['postgres:', 'postgresql:']), 'PostgreSQL URL: postgres://user@host:port/database')
    .default(DEFAULT_HISTORY_POSTGRES_URL),
  /** The job's PG_SCHEMA. */
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Schema: a plain lower-case identifier, e.g. public')
    .default('public'),
})

export const thresholdsSchema = z
  .object({
    z: z.number().positive('Must be > 0').max(50).default(3),
    rvol: z.number().positive('Must be > 0').max(1000).default(3),
    zWithVolume: z.number().positive('Must be > 0').max(50).default(2),
    /** Move alerts: |abnormal 60-s move| ≥ zMove·sigma (docs/impact-v2.md). */
    zMove: z.number().positive('Must be > 0').max(50).default(4),
    /** Market proxy M: always subscribed to trades, hidden unless on the watchlist. */
    proxy: symbolSchema.default('SPY'),
  })
  .refine((t) => t.zWithVolume <= t.z, { message: 'z with volume must not exceed z', path: ['zWithVolume'] })

export const notificationSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Only up/down signals notify (not every headline). */
  signalsOnly: z.boolean().default(true),
  sound: z.boolean().default(false),
})

export const settingsSchema = z.object({
  watchlist: watchlistSettingsSchema.prefault({}),
  feed: feedSettingsSchema.prefault({}),
  news: newsSettingsSchema.prefault({}),
  kafka: kafkaSettingsSchema.prefault({}),
  grafana: grafanaSettingsSchema.prefault({}),
  history: historySettingsSchema.prefault({}),
  thresholds: thresholdsSchema.prefault({}),
  notifications: notificationSettingsSchema.prefault({}),
  theme: themeSchema.default('dark'),
})

export type Settings = z.infer<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>
export type WatchlistEntrySetting = z.infer<typeof watchlistEntrySchema>

/** A patch replaces whole top-level sections; omitted sections stay as they are. */
export const settingsPatchSchema = z
  .object({
    watchlist: watchlistSettingsSchema.optional(),
    feed: feedSettingsSchema.optional(),
    news: newsSettingsSchema.optional(),
    kafka: kafkaSettingsSchema.optional(),
    grafana: grafanaSettingsSchema.optional(),
    history: historySettingsSchema.optional(),
    thresholds: thresholdsSchema.optional(),
    notifications: notificationSettingsSchema.optional(),
    theme: themeSchema.optional(),
  })
  .strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const defaultSettings = (): Settings => settingsSchema.parse({})

/** Applies a patch (already parsed) to current settings and re-validates the whole. */
export const applySettingsPatch = (current: Settings, patch: SettingsPatch): Settings =>
  settingsSchema.parse({ ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) })

/**
 * Reads whatever a store holds (old versions, hand edits, garbage) into valid Settings without throwing:
 * each section that fails validation falls back to its defaults, and the failures are reported.
 */
export const loadSettings = (raw: unknown): { settings: Settings; problems: string[] } => {
  const full = settingsSchema.safeParse(raw ?? {})
  if (full.success) return { settings: full.data, problems: [] }
  const obj = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
  const shape = settingsSchema.shape
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const r = shape[key].safeParse(obj[key])
    if (r.success) out[key] = r.data
    else problems.push(`${key}: ${r.error.issues[0]?.message ?? 'invalid'} — reset to defaults`)
  }
  return { settings: settingsSchema.parse(out), problems }
}
