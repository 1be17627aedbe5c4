// Pure builders for the local Kafka broker: the Maven pom that fetches the broker's jars, the KRaft
// server.properties and the log4j2 config. No I/O here so they are table-tested.
import { randomBytes } from 'node:crypto'

/**
 * Broker version. kafkajs 2.2.4 was checked against it (ApiVersions negotiation picks versions Kafka 4
 * still serves: Produce v7, Fetch v11, InitProducerId v1, classic consumer groups); see README/report.
 */
export const KAFKA_VERSION = '4.4.0'
export const SCALA_BINARY = '2.13'
/** log4j2 binding for the broker's slf4j logging; slf4j-api 2.x pinned so the slf4j2 binding is the one used. */
export const LOG4J_VERSION = '2.25.3'
export const SLF4J_VERSION = '2.0.17'

export interface MavenArtifact {
  groupId: string
  artifactId: string
  version: string
}

export const brokerArtifacts = (version = KAFKA_VERSION): MavenArtifact[] => [
  // Declared first: Maven's nearest-first rule would otherwise pick Kafka's slf4j-api 1.7 and leave the
  // slf4j2 binding below unbound (no broker logs at all).
  { groupId: 'org.slf4j', artifactId: 'slf4j-api', version: SLF4J_VERSION },
  { groupId: 'org.apache.kafka', artifactId: `kafka_${SCALA_BINARY}`, version },
  // Kafka's own tools (kafka-producer-perf-test, console consumer): the benchmarks' always-present reference.
  { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: LOG4J_VERSION },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j2-impl', version: LOG4J_VERSION },
]

/** Names the fetched set, so a changed artifact list refetches instead of trusting an older folder. */
export const libsMarkerName = (artifacts: MavenArtifact[]): string => {
  const key = artifacts.map((a) => `${a.groupId}:${a.artifactId}:${a.version}`).join(',')
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0
  return `.complete-${h.toString(16).padStart(8, '0')}`
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A throwaway pom whose only job is `mvn dependency:copy-dependencies`. */
export function brokerPom(artifacts: MavenArtifact[] = brokerArtifacts()): string {
  const deps = artifacts
    .map(
      (a) =>
        `    <dependency><groupId>${xmlEscape(a.groupId)}</groupId><artifactId>${xmlEscape(a.artifactId)}</artifactId>` +
        `<version>${xmlEscape(a.version)}</version></dependency>`,
    )
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.newstape</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`
}

export interface ServerConfigInput {
  host: string
  port: number
  controllerPort: number
  logDir: string
  nodeId?: number
  /** Default partitions for auto-created topics. */
  partitions?: number
}

/** Single-node KRaft (combined broker+controller) with a static voter set: works with `format` on every 3.x/4.x. */
export function serverProperties(c: ServerConfigInput): string {
  const id = c.nodeId ?? 1
  const lines: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', id],
    ['controller.quorum.voters', `${id}@${c.host}:${c.controllerPort}`],
    ['listeners', `PLAINTEXT://${c.host}:${c.port},CONTROLLER://${c.host}:${c.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${c.host}:${c.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    // Forward slashes: Java properties treat backslashes as escapes.
    ['log.dirs', c.logDir.replace(/\\/g, '/')],
    ['num.partitions', c.partitions ?? 3],
    ['offsets.topic.replication.factor', 1],
    ['offsets.topic.num.partitions', 3],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'true'],
    // Local dev box: keep a week, small segments so retention can act.
    ['log.retention.hours', 168],
    ['log.segment.bytes', 64 * 1024 * 1024],
    ['message.max.bytes', 8 * 1024 * 1024],
  ]
  return lines.map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
}

/** WARN to the console, plus the one INFO line startBroker waits for ("Kafka Server started"). */
export function log4j2Properties(): string {
  return [
    'status = warn',
    'appender.console.type = Console',
    'appender.console.name = STDOUT',
    'appender.console.layout.type = PatternLayout',
    'appender.console.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = WARN',
    'rootLogger.appenderRef.stdout.ref = STDOUT',
    'logger.server.name = kafka.server.KafkaRaftServer',
    'logger.server.level = INFO',
    '',
  ].join('\n')
}

export const STARTED_MARKER = 'Kafka Server started'

/** Kafka's cluster id: a random 16-byte UUID, base64url without padding (what `kafka-storage random-uuid` prints). */
export function newClusterId(bytes: Buffer = randomBytes(16)): string {
  if (bytes.length !== 16) throw new Error('cluster id needs 16 bytes')
  return bytes.toString('base64url')
}

export function javaArgs(opts: {
  libsDir: string
  log4jConfig: string
  heapMb?: number
  mainClass: string
  args: string[]
}): string[] {
  const heap = opts.heapMb ?? 512
  return [
    `-Xmx${heap}m`,
    `-Xms${Math.min(128, heap)}m`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${opts.log4jConfig}`,
    '-cp',
    `${opts.libsDir}/*`,
    opts.mainClass,
    ...opts.args,
  ]
}
