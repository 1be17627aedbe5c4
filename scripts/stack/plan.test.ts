import { describe, expect, it } from 'vitest'
import { STACK_SASL_USER, describeStack, jobEnv, planStack, saslSslJobEnv } from './plan'

describe('planStack', () => {
  it('starts its own broker on 9092 and uses the machine PostgreSQL by default', () => {
    const p = planStack({}, '/repo')
    expect(p.kafka).toEqual({ own: true, port: 9092, saslSsl: false })
    expect(p.pg).toEqual({ url: 'jdbc:postgresql://127.0.0.1:5432/test', users: ['postgres', 'root'], schema: 'public' })
    expect(p.javaArgs.slice(-2)).toEqual(['-jar', '/repo/flink/target/newstape-flink-0.1.0.jar'])
    expect(p.javaArgs[0]).toBe('-Xmx1024m')
  })

  it('uses an external broker and settings from the environment', () => {
    const p = planStack({ KAFKA_BROKERS: '10.0.0.1:9092', PG_USER: 'me', PG_SCHEMA: 'nt', TOPIC_PREFIX: 'dev.', FLINK_HEAP_MB: '512' }, '/r')
    expect(p.kafka).toEqual({ own: false, brokers: '10.0.0.1:9092' })
    expect(p.pg.users).toEqual(['me'])
    expect(jobEnv(p, '10.0.0.1:9092', 'me', '/tmp/chk')).toMatchObject({ TOPIC_PREFIX: 'dev.', PG_SCHEMA: 'nt', CHECKPOINT_DIR: 'file:///tmp/chk' })
  })

  it('STACK_SASL_SSL=1: own broker with a SASL_SSL listener; the job gets the SCRAM + CA settings', () => {
    expect(planStack({ STACK_SASL_SSL: '1' }, '/r').kafka).toEqual({ own: true, port: 9092, saslSsl: true })
    expect(saslSslJobEnv('127.0.0.1:9094', '/d/ca.pem')).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9094',
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: STACK_SASL_USER.name,
      KAFKA_SASL_PASSWORD: STACK_SASL_USER.password,
      KAFKA_SSL_CA_FILE: '/d/ca.pem',
    })
  })

  it.each([
    [{ PG_SCHEMA: 'Robert"; drop' }, /PG_SCHEMA/],
    [{ FLINK_HEAP_MB: 'lots' }, /FLINK_HEAP_MB/],
    [{ FLINK_HEAP_MB: '64' }, /FLINK_HEAP_MB/],
  ])('refuses bad settings %o', (env, msg) => {
    expect(() => planStack(env, '/r')).toThrow(msg)
  })

  it('describes what runs where', () => {
    const text = describeStack({ brokers: '127.0.0.1:9092', brokerOwn: true, brokerDataDir: '/d', jobPid: 42, pgUrl: 'jdbc:x', pgUser: 'root', pgSchema: 'public', checkpointDir: '/c', topicPrefix: '' })
    expect(text).toContain('127.0.0.1:9092 (started here, data /d)')
    expect(text).toContain('java pid 42')
    expect(text).toContain('user root schema public')
    expect(text).toContain('http://127.0.0.1:3000')
  })
})
