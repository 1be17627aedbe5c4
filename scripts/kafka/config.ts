// Pure builders for the local Kafka broker: the Maven pom that fetches the broker's jars, the KRaft
// server.properties and the log4j2 config. No I/O here so they are table-tested.
import { randomBytes } from 'node:crypto'
import { delimiter } from 'node:path'

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
  /** A second listener, SASL_SSL, beside PLAINTEXT (which stays the admin/inter-broker one). */
  secure?: SecureListenerConfig
}

export interface SecureListenerConfig {
  port: number
  keystore: string
  keystorePassword: string
  /** PLAIN users (name → password): PLAIN checks against the JAAS config. SCRAM users come from `format`. */
  plainUsers?: Record<string, string>
  /** `connections.max.reauth.ms` (KIP-368): the session lifetime the broker announces; 0 = none. */
  reauthMs?: number
  /** mTLS: `required` makes the broker ask for a client certificate (trusted by `truststore`, PEM). */
  clientAuth?: 'none' | 'requested' | 'required'
  truststorePem?: string
  /** Principals with every right (the PLAINTEXT listener's ANONYMOUS is always one). */
  superUsers?: string[]
}

const jaasQuote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

/** The listener, SASL, TLS and StandardAuthorizer lines of a SASL_SSL listener. Pure. */
export function secureListenerLines(host: string, c: SecureListenerConfig): [string, string | number][] {
  const l = 'listener.name.sasl_ssl'
  const fwd = (f: string): string => f.replace(/\\/g, '/')
  const plain = Object.entries(c.plainUsers ?? {})
    .map(([u, pw]) => ` user_${u}=${jaasQuote(pw)}`)
    .join('')
  const lines: [string, string | number][] = [
    ['sasl.enabled.mechanisms', 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER'],
    [
      `${l}.plain.sasl.jaas.config`,
      `org.apache.kafka.common.security.plain.PlainLoginModule required${plain};`,
    ],
    [
      `${l}.scram-sha-256.sasl.jaas.config`,
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    [
      `${l}.scram-sha-512.sasl.jaas.config`,
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    // Unsecured JWS tokens (alg none) validated by Kafka's default validator: enough to test the flow.
    [
      `${l}.oauthbearer.sasl.jaas.config`,
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="broker";',
    ],
    [`${l}.ssl.keystore.type`, 'PKCS12'],
    [`${l}.ssl.keystore.location`, fwd(c.keystore)],
    [`${l}.ssl.keystore.password`, c.keystorePassword],
    [`${l}.ssl.client.auth`, c.clientAuth ?? 'none'],
    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    ['super.users', ['User:ANONYMOUS', ...(c.superUsers ?? [])].join(';')],
    // Users are allowed what no ACL denies: the tests add DENY ACLs with kafka-acls.
    ['allow.everyone.if.no.acl.found', 'true'],
  ]
  if (c.truststorePem) {
    lines.push([`${l}.ssl.truststore.type`, 'PEM'], [`${l}.ssl.truststore.location`, fwd(c.truststorePem)])
  }
  if (c.reauthMs) lines.push([`${l}.connections.max.reauth.ms`, c.reauthMs])
  return lines
}

/** Single-node KRaft (combined broker+controller) with a static voter set: works with `format` on every 3.x/4.x. */
export function serverProperties(c: ServerConfigInput): string {
  const id = c.nodeId ?? 1
  const sasl = c.secure ? `,SASL_SSL://${c.host}:${c.secure.port}` : ''
  const lines: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', id],
    ['controller.quorum.voters', `${id}@${c.host}:${c.controllerPort}`],
    ['listeners', `PLAINTEXT://${c.host}:${c.port}${sasl},CONTROLLER://${c.host}:${c.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${c.host}:${c.port}${sasl}`],
    ['controller.listener.names', 'CONTROLLER'],
    [
      'listener.security.protocol.map',
      `PLAINTEXT:PLAINTEXT,${c.secure ? 'SASL_SSL:SASL_SSL,' : ''}CONTROLLER:PLAINTEXT`,
    ],
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
    ...(c.secure ? secureListenerLines(c.host, c.secure) : []),
  ]
  return lines.map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
}

export interface JavaClientSecurity {
  protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'
  mechanism?: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'OAUTHBEARER' | null
  username?: string | null
  password?: string | null
  /** CA to trust (PEM); absent = the JVM's default trust store. */
  caFile?: string | null
  /** mTLS: a PEM file with the client's private key and certificate chain. */
  keystorePemFile?: string | null
  insecure?: boolean
}

/**
 * Kafka Java client properties (kafka-clients, console tools, kafka-producer-perf-test, the Flink job) for a
 * security setting. OAUTHBEARER uses the unsecured login (a test broker's default validator accepts it);
 * real clusters configure their login callback handler on top. Pure.
 */
export function javaClientProps(s: JavaClientSecurity): Record<string, string> {
  const out: Record<string, string> = { 'security.protocol': s.protocol }
  const tls = s.protocol === 'SSL' || s.protocol === 'SASL_SSL'
  const sasl = s.protocol === 'SASL_PLAINTEXT' || s.protocol === 'SASL_SSL'
  if (tls) {
    if (s.caFile) {
      out['ssl.truststore.type'] = 'PEM'
      out['ssl.truststore.location'] = s.caFile.replace(/\\/g, '/')
    }
    // mTLS: one PEM file holding the client key (unencrypted PKCS#8) and its certificate chain.
    if (s.keystorePemFile) {
      out['ssl.keystore.type'] = 'PEM'
      out['ssl.keystore.location'] = s.keystorePemFile.replace(/\\/g, '/')
    }
    if (s.insecure) out['ssl.endpoint.identification.algorithm'] = ''
  }
  if (sasl && s.mechanism) {
    out['sasl.mechanism'] = s.mechanism
    const u = jaasQuote(s.username ?? '')
    const p = jaasQuote(s.password ?? '')
    out['sasl.jaas.config'] =
      s.mechanism === 'PLAIN'
        ? `org.apache.kafka.common.security.plain.PlainLoginModule required username=${u} password=${p};`
        : s.mechanism === 'OAUTHBEARER'
          ? `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=${u};`
          : `org.apache.kafka.common.security.scram.ScramLoginModule required username=${u} password=${p};`
  }
  return out
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

/**
 * `kafka-storage format` arguments. The cluster id goes as `--cluster-id=<id>`: a base64url id starts with "-"
 * one time in 64, and as a separate argument the tool then reads it as an option and refuses to format.
 */
export function storageFormatArgs(clusterId: string, propsFile: string, scram: readonly string[] = []): string[] {
  return ['format', `--cluster-id=${clusterId}`, '-c', propsFile, '--ignore-formatted', ...scram]
}

export function javaArgs(opts: {
  libsDir: string
  log4jConfig: string
  heapMb?: number
  mainClass: string
  args: string[]
  /** Put before the jars, e.g. a folder of compiled classes. */
  extraClasspath?: string
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
    (opts.extraClasspath ? `${opts.extraClasspath}${delimiter}` : '') + `${opts.libsDir}/*`,
    opts.mainClass,
    ...opts.args,
  ]
}
