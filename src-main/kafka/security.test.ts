import { describe, expect, it } from 'vitest'
import {
  classifyKafkaError,
  closedBeforeAnswer,
  describeSocketError,
  describeTlsError,
  kafkaSecurityConfigSchema,
  kafkajsSecurity,
  KafkaConnectError,
  securityProblems,
  type KafkaSecurityConfig,
} from './security'

const err = (code: string, message = code): NodeJS.ErrnoException =>
  Object.assign(new Error(message), { code })

describe('security settings', () => {
  it.each<[string, KafkaSecurityConfig, string[]]>([
    ['plaintext', { protocol: 'PLAINTEXT' }, []],
    ['SASL without mechanism', { protocol: 'SASL_SSL' }, ['SASL needs a mechanism']],
    [
      'SCRAM without password',
      { protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-512', username: 'u' },
      ['SCRAM-SHA-512 needs a password (none is stored)'],
    ],
    [
      'OAUTHBEARER without a source',
      { protocol: 'SASL_SSL', mechanism: 'OAUTHBEARER' },
      ['OAUTHBEARER needs a token command or a token URL'],
    ],
    [
      'client cert without key',
      { protocol: 'SSL', certFile: '/c.pem' },
      ['a client certificate needs its key, and a key its certificate'],
    ],
    ['SSL with CA', { protocol: 'SSL', caFile: '/ca.pem' }, []],
  ])('%s', (_n, s, want) => expect(securityProblems(s)).toEqual(want))

  it('the zod schema refuses SASL without a mechanism and unknown protocols', () => {
    expect(kafkaSecurityConfigSchema.safeParse({ protocol: 'SASL_SSL' }).success).toBe(false)
    expect(kafkaSecurityConfigSchema.safeParse({ protocol: 'TLS' }).success).toBe(false)
    expect(kafkaSecurityConfigSchema.safeParse({ protocol: 'SASL_SSL', mechanism: 'PLAIN' }).success).toBe(
      true,
    )
  })

  it('maps to kafkajs: verification stays on unless insecure is explicit', () => {
    const k = kafkajsSecurity(
      { protocol: 'SASL_SSL', mechanism: 'SCRAM-SHA-256', username: 'u', password: 'p' },
      null,
    )
    expect(k.ssl).toMatchObject({ rejectUnauthorized: true })
    expect(k.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'u', password: 'p' })
    expect(kafkajsSecurity({ protocol: 'SSL', insecure: true }, null).ssl).toMatchObject({
      rejectUnauthorized: false,
    })
    expect(kafkajsSecurity({ protocol: 'PLAINTEXT' }, null)).toEqual({})
  })
})

describe('failures in words', () => {
  it.each<[string, KafkaConnectError, string, RegExp]>([
    [
      'DNS',
      describeSocketError(err('ENOTFOUND'), 'kafka.example', 9093),
      'dns',
      /DNS: cannot resolve kafka.example/,
    ],
    ['TCP', describeSocketError(err('ECONNREFUSED'), 'h', 1), 'tcp', /connection refused/],
    [
      'untrusted CA',
      describeTlsError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'h:1'),
      'tls',
      /not signed by a trusted CA/,
    ],
    ['host name', describeTlsError(err('ERR_TLS_CERT_ALTNAME_INVALID'), 'h:1'), 'tls', /another host name/],
    [
      'TLS to a plaintext port',
      describeTlsError(err('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'h:1'),
      'tls',
      /does not speak TLS/,
    ],
    ['plaintext to TLS', closedBeforeAnswer({ protocol: 'PLAINTEXT' }, 'h:1'), 'protocol', /may require TLS/],
    ['SSL to SASL_SSL', closedBeforeAnswer({ protocol: 'SSL' }, 'h:1'), 'protocol', /may require SASL/],
  ])('%s', (_n, e, step, re) => {
    expect(e.step).toBe(step)
    expect(e.message).toMatch(re)
  })

  it.each<[string, unknown, string]>([
    ['ours', new KafkaConnectError('sasl', 'x', 58), 'sasl'],
    [
      'kafkajs topic ACL',
      Object.assign(new Error('Topic authorization failed'), { type: 'TOPIC_AUTHORIZATION_FAILED' }),
      'authorization',
    ],
    [
      'produce error 29',
      Object.assign(new Error('TOPIC_AUTHORIZATION_FAILED (29)'), { code: 29 }),
      'authorization',
    ],
    ['kafkajs SASL', new Error('SASL SCRAM SHA512 authentication failed'), 'sasl'],
    ['other', new Error('NOT_LEADER_OR_FOLLOWER'), 'broker'],
  ])('classifies %s', (_n, e, step) => expect(classifyKafkaError(e).step).toBe(step))
})
