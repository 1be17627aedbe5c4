// Settings + secrets + (in demo mode) the simulator's address → the worker's IngestConfig. Pure.
import type { Settings } from '../../src-preload/settings-schema'
import type { IngestConfig } from '../host/protocol'
import type { KafkaSecurityConfig } from '../kafka/security'
import { withKafkaSecrets, type KafkaSecretName } from './kafka-secrets'
import { DEMO_KEY, GUARDIAN_BASE, POLYGON_REST, POLYGON_SOCKETS, restBaseForSocket, type DemoEndpoints } from '../domain/endpoints'

export interface Keys {
  polygon?: string | undefined
  guardian?: string | undefined
  /** Kafka credentials from the secret store (SASL password, client key, OAuth client secret). */
  kafka?: ((name: KafkaSecretName) => string | undefined) | undefined
}

/** The Kafka security settings as the clients take them, with the stored secrets filled in. Pure. */
export function kafkaSecurityFromSettings(
  s: Settings['kafka']['security'],
  secret: (name: KafkaSecretName) => string | undefined,
): KafkaSecurityConfig {
  const sasl = s.protocol === 'SASL_PLAINTEXT' || s.protocol === 'SASL_SSL'
  const tls = s.protocol === 'SSL' || s.protocol === 'SASL_SSL'
  return withKafkaSecrets(
    {
      protocol: s.protocol,
      ...(tls
        ? {
            caFile: s.caFile || null,
            certFile: s.certFile || null,
            servername: s.servername || null,
            insecure: s.insecureTls,
          }
        : {}),
      ...(sasl
        ? {
            mechanism: s.mechanism,
            username: s.username || null,
            ...(s.mechanism === 'OAUTHBEARER'
              ? {
                  oauth: {
                    command: s.oauthTokenCommand || null,
                    url: s.oauthTokenUrl || null,
                    clientId: s.oauthClientId || null,
                    scope: s.oauthScope || null,
                  },
                }
              : {}),
          }
        : {}),
    },
    (n) => (n === 'password' && !sasl ? undefined : n === 'clientKey' && !tls ? undefined : secret(n)),
  )
}

export function isDemo(settings: Settings): boolean {
  return settings.feed.mode === 'demo'
}

export function buildIngestConfig(
  settings: Settings,
  keys: Keys,
  demo: DemoEndpoints | null,
  dataDir: string,
): IngestConfig {
  const demoMode = isDemo(settings)
  if (demoMode && !demo) throw new Error('demo mode needs the simulator endpoints')
  const mode = settings.feed.mode
  const channels = settings.watchlist.channels
  const key = keys.polygon ? { key: keys.polygon } : {}
  let feed: IngestConfig['feed']
  if (mode === 'demo') {
    feed = { mode, url: `${demo!.wsBase}/stocks`, restBase: demo!.httpBase, key: DEMO_KEY, channels }
  } else if (mode === 'custom') {
    const restBase = settings.feed.restBase !== '' ? settings.feed.restBase : restBaseForSocket(settings.feed.url)
    feed = { mode, url: settings.feed.url, restBase, ...key, channels }
  } else {
    feed = { mode, url: POLYGON_SOCKETS[mode], restBase: POLYGON_REST, ...key, channels }
  }
  const news: IngestConfig['news'] = {
    enabled: settings.news.enabled,
    sections: settings.news.sections,
    tier: settings.news.tier,
    ...(settings.news.tier === 'commercial' ? { perSecond: settings.news.perSecond, perDay: settings.news.perDay } : {}),
    ...(demoMode
      ? { base: `${demo!.httpBase}/guardian`, key: DEMO_KEY }
      : { base: GUARDIAN_BASE, ...(keys.guardian ? { key: keys.guardian } : {}) }),
  }
  return {
    feed,
    news,
    kafka: {
      enabled: settings.kafka.enabled,
      brokers: settings.kafka.brokers,
      topicPrefix: settings.kafka.topicPrefix,
      partitions: 3,
      spoolDir: `${dataDir}/spool`,
      spoolCapBytes: settings.kafka.spoolCapMb * 1024 * 1024,
      security: kafkaSecurityFromSettings(settings.kafka.security, keys.kafka ?? (() => undefined)),
    },
    watchlist: settings.watchlist.symbols.map((e) => ({ symbol: e.symbol, aliases: e.aliases })),
    thresholds: settings.thresholds,
    // The simulator has no REST limit; a real key gets what the user says the plan allows (0: unlimited).
    ...(demoMode && demo?.clockOffsetMs ? { clockOffsetMs: demo.clockOffsetMs } : {}),
    ...(!demoMode && settings.feed.restCallsPerMinute > 0 ? { restCallsPerMinute: settings.feed.restCallsPerMinute } : {}),
    dataDir,
    historyDepth: 2_000,
    // Main sends at most one update per symbol per 17 ms, fewer than one per 60 Hz frame (16 ms would be 62.5 a
    // second). Every 8 ms took trade → drawn p50 32 → 24 ms in the UI bench, but sends two per frame: not done.
    flushMs: 17,
  }
}

/** What may be logged about a config: everything but the keys. */
export function describeConfig(c: IngestConfig): string {
  return `feed=${c.feed.mode} ${c.feed.url ?? ''} key=${c.feed.key ? 'set' : 'unset'} news=${c.news.enabled ? 'on' : 'off'} guardianKey=${c.news.key ? 'set' : 'unset'} kafka=${c.kafka.enabled ? `${c.kafka.brokers.join(',')} ${c.kafka.security?.protocol ?? 'PLAINTEXT'}${c.kafka.security?.insecure ? ' INSECURE-TLS' : ''}` : 'off'} symbols=${c.watchlist.map((w) => w.symbol).join(',')}`
}
