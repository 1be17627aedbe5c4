// The local stack without Docker, as data: which Kafka, which PostgreSQL, how the Flink job is launched, and the
// "what runs where" summary. Pure, so it is table-tested; cli.ts does the I/O.
import { join } from 'node:path'
import { FLINK_JAR } from '../flink-jar'

export interface StackEnv {
  KAFKA_BROKERS?: string
  KAFKA_PORT?: string
  TOPIC_PREFIX?: string
  PG_URL?: string
  PG_USER?: string
  PG_PASSWORD?: string
  PG_SCHEMA?: string
  FLINK_HEAP_MB?: string
  /** `1`: our own broker also listens with SASL_SSL, and the job connects there (SCRAM-SHA-512, test CA). */
  STACK_SASL_SSL?: string
}

/** The SCRAM user of the stack's own SASL_SSL listener (a local dev credential, printed by the stack). */
export const STACK_SASL_USER = { name: 'newstape', password: 'newstape-local-dev' }

/**
 * Job environment for a SASL_SSL listener (JobConfig.kafkaClientProps reads these; the app's Settings → Kafka
 * take the same values). Pure.
 */
export function saslSslJobEnv(brokers: string, caFile: string, user = STACK_SASL_USER): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: user.name,
    KAFKA_SASL_PASSWORD: user.password,
    KAFKA_SSL_CA_FILE: caFile,
  }
}

export interface StackPlan {
  /** Start our own broker on this port, or use `brokers` as given. */
  kafka: { own: true; port: number; saslSsl: boolean } | { own: false; brokers: string }
  pg: { url: string; users: string[]; schema: string }
  topicPrefix: string
  javaArgs: string[]
}

export function planStack(env: StackEnv, repoRoot: string): StackPlan {
  const brokers = env.KAFKA_BROKERS?.trim()
  const schema = env.PG_SCHEMA ?? 'public'
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`PG_SCHEMA must be a plain lower-case identifier, got ${schema}`)
  const heap = Number(env.FLINK_HEAP_MB ?? 1024)
  if (!Number.isInteger(heap) || heap < 256) throw new Error(`FLINK_HEAP_MB must be an integer ≥ 256, got ${env.FLINK_HEAP_MB}`)
  return {
    kafka: brokers
      ? { own: false, brokers }
      : { own: true, port: Number(env.KAFKA_PORT ?? 9092), saslSsl: env.STACK_SASL_SSL === '1' },
    pg: { url: env.PG_URL ?? 'jdbc:postgresql://127.0.0.1:5432/test', users: env.PG_USER ? [env.PG_USER] : ['postgres', 'root'], schema },
    topicPrefix: env.TOPIC_PREFIX ?? '',
    javaArgs: [
      `-Xmx${heap}m`,
      // Flink 2 on Java 17 needs these for its serializers.
      '--add-opens=java.base/java.util=ALL-UNNAMED',
      '--add-opens=java.base/java.lang=ALL-UNNAMED',
      '-jar',
      join(repoRoot, FLINK_JAR),
    ],
  }
}

/** Environment of the job process (JobConfig reads these). */
export function jobEnv(plan: StackPlan, brokers: string, pgUser: string, checkpointDir: string, pgPassword = ''): Record<string, string> {
  return {
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: plan.topicPrefix,
    PG_URL: plan.pg.url,
    PG_USER: pgUser,
    PG_PASSWORD: pgPassword,
    PG_SCHEMA: plan.pg.schema,
    CHECKPOINT_DIR: `file://${checkpointDir}`,
  }
}

export interface Running {
  brokers: string
  brokerOwn: boolean
  brokerDataDir?: string
  jobPid?: number
  pgUrl: string
  pgUser: string
  pgSchema: string
  checkpointDir: string
  topicPrefix: string
}

/** The "what runs where" table. */
export function describeStack(r: Running): string {
  const rows: [string, string][] = [
    ['Kafka broker', `${r.brokers}${r.brokerOwn ? ` (started here, data ${r.brokerDataDir ?? '?'})` : ' (external, KAFKA_BROKERS)'}`],
    ['Topics', `${r.topicPrefix}market.trades, ${r.topicPrefix}market.bars.1m, ${r.topicPrefix}news.articles → ${r.topicPrefix}signals.news-impact`],
    ['Flink job', `local mini cluster, java pid ${r.jobPid ?? '?'}, checkpoints ${r.checkpointDir}`],
    ['PostgreSQL', `${r.pgUrl} user ${r.pgUser} schema ${r.pgSchema}: tables bars_1m, news, news_impact, ingest_rejects`],
    ['Grafana', 'Docker only (docker/docker-compose.yml, http://127.0.0.1:3000); point its datasource at the PostgreSQL above'],
  ]
  const w = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')
}
