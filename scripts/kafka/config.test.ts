import { describe, expect, it } from 'vitest'
import {
  brokerArtifacts,
  brokerPom,
  javaArgs,
  KAFKA_VERSION,
  libsMarkerName,
  log4j2Properties,
  newClusterId,
  serverProperties,
  STARTED_MARKER,
} from './config'

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
