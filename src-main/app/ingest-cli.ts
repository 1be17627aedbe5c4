// `npm run ingest -- --demo`: the pipeline with no window (servers, checks). Feeds, news, the engine and the
// Kafka publisher run in the ingest worker exactly as in the app; a status line is printed every few seconds.
// Real keys come from POLYGON_API_KEY / GUARDIAN_API_KEY (never from the command line, never printed).
// `--news-sim demo|http://127.0.0.1:8765` points news at a simulator's Guardian (the built-in one, or one started with
// `npm run sim`, key SIM_KEY or `demo`) whatever the feed is: e.g. a custom feed with faults, and news that needs no key.
import { parseArgs } from 'node:util'
import { mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defaultSettings, settingsSchema, type Settings } from '../../src-preload/settings-schema'
import { buildIngestConfig, describeConfig } from './ingest-config'
import { DEMO_KEY } from '../domain/endpoints'
import { createDemoBackend } from '../host/demo-backend'
import { startIngestWorker } from '../host/worker-host'
import type { StatusSnapshot } from '../domain/status'
import type { IngestConfig } from '../host/protocol'
import { redact } from './secrets'
import type { KafkaSecretName } from './kafka-secrets'

export interface IngestArgs {
  settings: Settings
  dataDir: string
  intervalMs: number
  seed: number | undefined
  /** News from a simulator's Guardian: `demo` (the built-in one) or its http base; null: as the feed mode says. */
  newsSim: string | null
}

/** The config with news pointed at a simulator's Guardian (`<httpBase>/guardian`, the simulator's key). Pure. */
export function pointNewsAt(config: IngestConfig, httpBase: string, key: string): IngestConfig {
  return { ...config, news: { ...config.news, base: `${httpBase.replace(/\/+$/, '')}/guardian`, key } }
}

/** Command line → settings. Pure; throws with a usage message on bad input. */
export function parseIngestArgs(argv: string[]): IngestArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: 'boolean', default: false },
      feed: { type: 'string' },
      url: { type: 'string' },
      symbols: { type: 'string' },
      channels: { type: 'string' },
      kafka: { type: 'boolean', default: false },
      brokers: { type: 'string' },
      prefix: { type: 'string' },
      'no-news': { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.data/ingest' },
      interval: { type: 'string', default: '5' },
      seed: { type: 'string' },
      'news-sim': { type: 'string' },
      // Kafka security (secrets only from the environment: KAFKA_SASL_PASSWORD, KAFKA_CLIENT_KEY_FILE,
      // KAFKA_OAUTH_CLIENT_SECRET — never on the command line, never printed).
      'security-protocol': { type: 'string' },
      'sasl-mechanism': { type: 'string' },
      'sasl-username': { type: 'string' },
      'ca-file': { type: 'string' },
      'cert-file': { type: 'string' },
      'tls-servername': { type: 'string' },
      'insecure-tls': { type: 'boolean', default: false },
      'oauth-token-command': { type: 'string' },
      'oauth-token-url': { type: 'string' },
      'oauth-client-id': { type: 'string' },
    },
    strict: true,
  })
  const newsSim = values['news-sim'] ?? null
  if (newsSim !== null && newsSim !== 'demo') {
    let ok = false
    try {
      ok = ['http:', 'https:'].includes(new URL(newsSim).protocol)
    } catch {
      ok = false
    }
    if (!ok) throw new Error('--news-sim: `demo` or the simulator\'s http base, e.g. http://127.0.0.1:8765')
  }
  const base = defaultSettings()
  const mode = values.demo ? 'demo' : (values.feed ?? 'demo')
  const raw = {
    ...base,
    feed: { mode, url: values.url ?? '', restBase: '' },
    watchlist: {
      symbols: values.symbols
        ? values.symbols.split(',').map((s) => ({ symbol: s.trim().toUpperCase(), aliases: [] }))
        : base.watchlist.symbols,
      channels: values.channels ? values.channels.split(',').map((c) => c.trim()) : base.watchlist.channels,
    },
    news: { ...base.news, enabled: !values['no-news'] },
    kafka: {
      ...base.kafka,
      enabled: values.kafka,
      ...(values.brokers ? { brokers: values.brokers.split(',') } : {}),
      ...(values.prefix !== undefined ? { topicPrefix: values.prefix } : {}),
      security: {
        ...base.kafka.security,
        ...(values['security-protocol'] !== undefined ? { protocol: values['security-protocol'] } : {}),
        ...(values['sasl-mechanism'] !== undefined ? { mechanism: values['sasl-mechanism'] } : {}),
        ...(values['sasl-username'] !== undefined ? { username: values['sasl-username'] } : {}),
        ...(values['ca-file'] !== undefined ? { caFile: values['ca-file'] } : {}),
        ...(values['cert-file'] !== undefined ? { certFile: values['cert-file'] } : {}),
        ...(values['tls-servername'] !== undefined ? { servername: values['tls-servername'] } : {}),
        insecureTls: values['insecure-tls'],
        ...(values['oauth-token-command'] !== undefined ? { oauthTokenCommand: values['oauth-token-command'] } : {}),
        ...(values['oauth-token-url'] !== undefined ? { oauthTokenUrl: values['oauth-token-url'] } : {}),
        ...(values['oauth-client-id'] !== undefined ? { oauthClientId: values['oauth-client-id'] } : {}),
      },
    },
  }
  const parsed = settingsSchema.safeParse(raw)
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
  const interval = Number(values.interval)
  if (!(interval > 0)) throw new Error('--interval must be a positive number of seconds')
  return {
    settings: parsed.data,
    dataDir: resolve(values['data-dir']),
    intervalMs: interval * 1000,
    seed: values.seed ? Number(values.seed) : undefined,
    newsSim,
  }
}

export function statusLine(s: StatusSnapshot, counts: { updates: number; articles: number; impacts: number }): string {
  const k = s.kafka
  return [
    new Date().toISOString().slice(11, 19),
    s.paused ? 'PAUSED' : `feed ${s.feed.state}`,
    `${Math.round(s.feed.msgsPerSec)} msg/s`,
    `malformed ${s.feed.malformed}`,
    `news ${s.news.state} ${s.news.callsToday}/${s.news.dailyBudget}`,
    `kafka ${k.state}${k.state === 'disabled' ? '' : ` ${Math.round(k.recordsPerSec)} rec/s spool ${k.spooledRecords} dropped ${k.droppedRecords}`}`,
    `updates ${counts.updates} articles ${counts.articles} impacts ${counts.impacts}`,
  ].join(' | ')
}

export async function runIngestCli(argv: string[]): Promise<void> {
  let args: IngestArgs
  try {
    args = parseIngestArgs(argv)
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\nusage: npm run ingest -- --demo [--symbols AAPL,MSFT] [--kafka --brokers 127.0.0.1:9092 --prefix p.] [--security-protocol SASL_SSL --sasl-mechanism SCRAM-SHA-512 --sasl-username u --ca-file ca.pem (password from KAFKA_SASL_PASSWORD)] [--no-news]\n       npm run ingest -- --feed delayed|realtime|custom [--url ws://…] [--news-sim demo|http://127.0.0.1:8765] (keys from POLYGON_API_KEY / GUARDIAN_API_KEY)`)
    process.exit(2)
  }
  mkdirSync(args.dataDir, { recursive: true })
  const kafkaKey = process.env.KAFKA_CLIENT_KEY_FILE ? readFileSync(process.env.KAFKA_CLIENT_KEY_FILE, 'utf8') : undefined
  const kafkaSecret = (n: KafkaSecretName): string | undefined =>
    n === 'password' ? process.env.KAFKA_SASL_PASSWORD : n === 'clientKey' ? kafkaKey : process.env.KAFKA_OAUTH_CLIENT_SECRET
  const keys = { polygon: process.env.POLYGON_API_KEY, guardian: process.env.GUARDIAN_API_KEY, kafka: kafkaSecret }
  const demo = createDemoBackend({ ...(args.seed !== undefined ? { seed: args.seed } : {}), watchlist: () => args.settings.watchlist.symbols })
  const endpoints = args.settings.feed.mode === 'demo' || args.newsSim === 'demo' ? await demo.endpoints() : null
  let config = buildIngestConfig(args.settings, keys, endpoints, args.dataDir)
  if (args.newsSim !== null) {
    const base = args.newsSim === 'demo' ? (endpoints?.httpBase ?? '') : args.newsSim
    config = pointNewsAt(config, base, args.newsSim === 'demo' ? DEMO_KEY : (process.env.SIM_KEY ?? DEMO_KEY))
  }
  const say = (line: string): void =>
    console.log(redact(line, [keys.polygon, keys.guardian, process.env.KAFKA_SASL_PASSWORD, process.env.KAFKA_OAUTH_CLIENT_SECRET]))
  say(`ingest: ${describeConfig(config)}`)
  const host = startIngestWorker(config)
  const counts = { updates: 0, articles: 0, impacts: 0 }
  let last: StatusSnapshot | null = null
  host.on((ev) => {
    if (ev.type === 'batch') {
      counts.updates += ev.updates.length
      counts.articles += ev.articles.length
      counts.impacts += ev.impacts.length
    } else if (ev.type === 'status') last = ev.status
    else if (ev.type === 'log' && ev.level !== 'debug') say(`${ev.level}: ${ev.message}`)
  })
  const timer = setInterval(() => {
    if (last) say(statusLine(last, counts))
  }, args.intervalMs)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    clearInterval(timer)
    say('stopping: flushing Kafka (or spooling)…')
    void host
      .stop()
      .then(() => demo.stop())
      .then(() => {
        if (last) say(statusLine(last, counts))
        process.exit(0)
      })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
