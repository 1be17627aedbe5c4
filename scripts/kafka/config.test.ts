import { describe, expect, it } from 'vitest'
import {
  brokerArtifacts,
  brokerPom,
  javaArgs,
  KAFKA_VERSION,
  libsMarkerName,
  log4j2Properties,
  newClusterId,
  storageFormatArgs,
  serverProperties,
  STARTED_MARKER,
  javaClientProps,
} from './config'
import { addScramArgs } from './broker'

const props = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  )

describe('broker config builders', () => {
  it('the pom asks for kafka_2.13 at the pinned version, with slf4j-api 2 declared first so the log4j binding wins', () => {
    const pom = brokerPom()
    expect(pom).toContain(`<artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version>`)
    expect(pom.indexOf('slf4j-api')).toBeLessThan(pom.indexOf('kafka_2.13'))
    expect(pom).toContain('log4j-slf4j2-impl')
    expect(brokerPom(brokerArtifacts('3.9.1'))).toContain('<version>3.9.1</version>')
  })

  it("fetches Kafka's own tools with the broker, and a changed artifact list gets a new completion marker", () => {
    expect(brokerPom()).toContain(`<artifactId>kafka-tools</artifactId><version>${KAFKA_VERSION}</version>`)
    const a = libsMarkerName(brokerArtifacts())
    expect(a).toMatch(/^\.complete-[0-9a-f]{8}$/)
    expect(libsMarkerName(brokerArtifacts())).toBe(a)
    expect(libsMarkerName(brokerArtifacts('3.9.1'))).not.toBe(a)
    expect(libsMarkerName(brokerArtifacts().slice(1))).not.toBe(a)
  })

  it('a cluster id that starts with "-" still reaches kafka-storage as the id, not as an option', () => {
    const id = newClusterId(Buffer.from('f8' + '00'.repeat(15), 'hex'))
    expect(id.startsWith('-')).toBe(true)
    const args = storageFormatArgs(id, '/d/server.properties', ['--add-scram', 'x'])
    expect(args).toEqual(['format', `--cluster-id=${id}`, '-c', '/d/server.properties', '--ignore-formatted', '--add-scram', 'x'])
  })

  it('escapes XML in coordinates', () => {
    expect(brokerPom([{ groupId: 'a&b', artifactId: '<x>', version: '1' }])).toContain(
      '<groupId>a&amp;b</groupId><artifactId>&lt;x&gt;</artifactId>',
    )
  })

  it('server.properties: single-node KRaft on the given host/ports, replication factors of 1', () => {
    const p = props(
      serverProperties({ host: '127.0.0.1', port: 9092, controllerPort: 9093, logDir: 'C:\\data\\kafka' }),
    )
    expect(p).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      listeners: 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9092',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': 'C:/data/kafka',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'num.partitions': '3',
    })
  })

  it('log4j config keeps the line startBroker waits for', () => {
    expect(log4j2Properties()).toMatch(/logger\.server\.name = kafka\.server\.KafkaRaftServer/)
    expect(STARTED_MARKER).toBe('Kafka Server started')
  })

  it('cluster ids are 22-char base64url of 16 bytes', () => {
    expect(newClusterId(Buffer.alloc(16, 0xff))).toBe('_____________________w')
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(() => newClusterId(Buffer.alloc(8))).toThrow()
  })

  it('java args: heap, log4j config, classpath wildcard, main class last before its args', () => {
    const a = javaArgs({
      libsDir: '/l',
      log4jConfig: '/c.properties',
      heapMb: 256,
      mainClass: 'kafka.Kafka',
      args: ['/s.properties'],
    })
    expect(a).toContain('-Xmx256m')
    expect(a).toContain('-Dlog4j2.configurationFile=/c.properties')
    expect(a.slice(-4)).toEqual(['-cp', '/l/*', 'kafka.Kafka', '/s.properties'])
  })
})

describe('SASL_SSL listener and client properties', () => {
  it('adds a SASL_SSL listener beside PLAINTEXT, with every mechanism, the keystore and StandardAuthorizer', () => {
    const p = props(
      serverProperties({
        host: '127.0.0.1',
        port: 9092,
        controllerPort: 9093,
        logDir: '/d',
        secure: {
          port: 9094,
          keystore: '/t/broker.p12',
          keystorePassword: 'pw',
          plainUsers: { bob: 'b"x' },
          reauthMs: 4000,
        },
      }),
    )
    expect(p.listeners).toBe(
      'PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093',
    )
    expect(p['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9094')
    expect(p['listener.security.protocol.map']).toBe(
      'PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    )
    expect(p['sasl.enabled.mechanisms']).toBe('PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER')
    expect(p['listener.name.sasl_ssl.plain.sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required user_bob="b\\"x";',
    )
    expect(p['listener.name.sasl_ssl.ssl.keystore.location']).toBe('/t/broker.p12')
    expect(p['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer')
    expect(p['super.users']).toBe('User:ANONYMOUS')
    expect(p['listener.name.sasl_ssl.connections.max.reauth.ms']).toBe('4000')
    expect(
      props(serverProperties({ host: 'h', port: 1, controllerPort: 2, logDir: '/d' }))[
        'sasl.enabled.mechanisms'
      ],
    ).toBeUndefined()
  })

  it.each<[string, Parameters<typeof javaClientProps>[0], Record<string, string>]>([
    ['plaintext', { protocol: 'PLAINTEXT' }, { 'security.protocol': 'PLAINTEXT' }],
    [
      'SASL_SSL + SCRAM with a CA',
      { protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-512', username: 'a', password: 'p"w', caFile: '/ca.pem' },
      {
        'security.protocol': 'SASL_SSL',
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': '/ca.pem',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required username="a" password="p\\"w";',
      },
    ],
    [
      'SSL insecure',
      { protocol: 'SSL', insecure: true },
      { 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': '' },
    ],
  ])('java client properties: %s', (_n, s, want) => expect(javaClientProps(s)).toEqual(want))

  it('kafka-storage --add-scram arguments, both SCRAM mechanisms per user', () => {
    expect(addScramArgs([{ name: 'alice', password: 'x"y' }])).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name="alice",password="x\\"y"]',
      '--add-scram',
      'SCRAM-SHA-512=[name="alice",password="x\\"y"]',
    ])
  })
})
