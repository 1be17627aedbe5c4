// The publisher against a real broker's SASL_SSL listener (Kafka from the Maven jars, its own on free ports):
// TLS material made now with openssl/keytool, SCRAM users created by `kafka-storage format --add-scram`, ACLs
// with StandardAuthorizer and kafka-acls. Kafka's own Java consumer reads back on the same secured listener.
// Every failure (wrong password, untrusted CA, plaintext client against the TLS port, an ACL denying the topic)
// ends in its status with every record kept in the disk spool; fixing the setting drains the spool in order.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBroker, type BrokerHandle } from '../../scripts/kafka/broker'
import { makeCa, signCert } from '../../scripts/kafka/certs'
import { readFileSync } from 'node:fs'
import { javaClientProps } from '../../scripts/kafka/config'
import { kafkaAcls, produceLines } from '../../scripts/kafka/tools'
import { impactKey, type ImpactRecord } from '../../src-main/domain/news'
import { createSignalsConsumer } from '../../src-main/kafka/signals-consumer'
import type { Trade } from '../../src-main/domain/market'
import type { KafkaConfig } from '../../src-main/kafka/config'
import { createPublisher, type Publisher } from '../../src-main/kafka/publisher'
import type { KafkaSecurityConfig } from '../../src-main/kafka/security'
import { BrokerConnection, connectionSecurity, fetchMetadata } from '../../src-main/kafka/transport'
import { consumeTopic, flinkImpact, uniquePrefix } from './kafka-helpers'
import { checkKafkaConnection } from '../../src-main/kafka/connection-check'
import { freePort } from '../../scripts/kafka/broker'

const USER = 'alice'
const PASSWORD = 'alice-Secret-1'
/** KIP-368 session lifetime the listener announces: short, so re-authentication happens during the tests. */
const REAUTH_MS = 4000

let dir: string
let broker: BrokerHandle
let good: KafkaSecurityConfig
let otherCa: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafka-sasl-'))
  broker = await startBroker({
    dataDir: join(dir, 'broker'),
    heapMb: 384,
    // Client certificates are asked for (not required): mTLS clients present one, the others need none.
    secure: {
      scramUsers: [{ name: USER, password: PASSWORD }],
      reauthMs: REAUTH_MS,
      clientAuth: 'requested',
    },
  })
  good = {
    protocol: 'SASL_SSL',
    caFile: broker.secure!.tls.ca.caPem,
    mechanism: 'SCRAM-SHA-512',
    username: USER,
    password: PASSWORD,
  }
  otherCa = makeCa(join(dir, 'other-ca'), 'someone-else').caPem
}, 240_000)

afterAll(async () => {
  await broker?.stop()
  rmSync(dir, { recursive: true, force: true })
}, 60_000)

const T0 = Date.UTC(2026, 10, 27, 15, 30)
const trade = (i: number): Trade => ({
  symbol: ['AAPL', 'MSFT', 'NVDA'][i % 3] as string,
  price: 100 + i / 100,
  size: 100,
  ts: T0 + i,
  exchange: 4,
  conditions: [],
  seq: i,
  id: `t${i}`,
  tape: 3,
})

const javaProps = (): Record<string, string> =>
  javaClientProps({
    protocol: 'SASL_SSL',
    mechanism: 'SCRAM-SHA-512',
    username: USER,
    password: PASSWORD,
    caFile: broker.secure!.tls.ca.caPem,
  })

const config = (
  prefix: string,
  brokers: string,
  security: KafkaSecurityConfig | undefined,
  spool: string,
): KafkaConfig => ({
  enabled: true,
  brokers: [brokers],
  topicPrefix: prefix,
  partitions: 3,
  spoolDir: join(dir, spool),
  spoolCapBytes: 256 * 1024 * 1024,
  security,
})

const publisher = (c: KafkaConfig): Publisher =>
  createPublisher(c, {
    tuning: { retry: { baseMs: 100, capMs: 1000, kind: 'full', minMs: 100 }, lingerMs: 2 },
    log: (level, m) => level === 'error' && console.log(`[publisher] ${m}`),
  })

/** Polls until `pred` holds (the suite's timeout bounds it). */
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 50))
}

/** Trades read back by Kafka's own consumer over SASL_SSL, per symbol in order of seq. */
async function readBack(prefix: string): Promise<Map<string, number[]>> {
  const recs = await consumeTopic(broker.secure!.brokers, `${prefix}market.trades`, javaProps())
  const by = new Map<string, number[]>()
  for (const r of recs) {
    const t = JSON.parse(r.payload ?? '{}') as Trade
    expect(r.key).toBe(t.symbol)
    const l = by.get(t.symbol) ?? []
    l.push(t.seq)
    by.set(t.symbol, l)
  }
  return by
}

const expected = (n: number): Map<string, number[]> => {
  const by = new Map<string, number[]>()
  for (let i = 0; i < n; i++) {
    const t = trade(i)
    by.set(t.symbol, [...(by.get(t.symbol) ?? []), t.seq])
  }
  return by
}

describe('publisher over SASL_SSL (SCRAM-SHA-512 + TLS) on a real broker', () => {
  it('publishes, and Kafka’s own consumer on the secured listener reads every record exactly once', async () => {
    const prefix = uniquePrefix('sasl')
    const pub = publisher(config(prefix, broker.secure!.brokers, good, 'spool-ok'))
    const N = 3000
    for (let i = 0; i < N; i++) expect(pub.publish('market.trades', trade(i))).toBe(true)
    await pub.flush()
    await until(() => pub.metrics().acked >= N)
    expect(pub.status()).toMatchObject({ state: 'connected', failedStep: null, insecureTls: false })
    await pub.close()
    expect(await readBack(prefix)).toEqual(expected(N))
  }, 120_000)

  it('OAUTHBEARER with a token from a command (unsigned JWT, the broker’s default validator)', async () => {
    const prefix = uniquePrefix('oauth')
    // The command prints a fresh unsecured JWS each time it runs (sub alice, valid 1 h).
    const script =
      "const b=(o)=>Buffer.from(JSON.stringify(o)).toString('base64url');const n=Math.floor(Date.now()/1000);" +
      "process.stdout.write(b({alg:'none'})+'.'+b({sub:'alice',iat:n,exp:n+3600})+'.')"
    const oauth: KafkaSecurityConfig = {
      protocol: 'SASL_SSL',
      caFile: broker.secure!.tls.ca.caPem,
      mechanism: 'OAUTHBEARER',
      oauth: { command: `node -e "${script}"` },
    }
    const pub = publisher(config(prefix, broker.secure!.brokers, oauth, 'spool-oauth'))
    for (let i = 0; i < 200; i++) pub.publish('market.trades', trade(i))
    await pub.flush()
    await until(() => pub.metrics().acked >= 200)
    expect(pub.status().failedStep).toBeNull()
    await pub.close()
    expect(await readBack(prefix)).toEqual(expected(200))
  }, 120_000)

  it('the signals consumer (kafkajs) reads over the same SASL_SSL settings', async () => {
    const prefix = uniquePrefix('signals-sasl')
    const rec = flinkImpact('business/2026/nov/27/a', 'AAPL', { published: T0 })
    await produceLines(
      broker.secure!.brokers,
      `${prefix}signals.news-impact`,
      [`${impactKey(rec)}\t${JSON.stringify(rec)}`],
      'news-impact/v1',
      javaProps(),
    )
    const got: ImpactRecord[] = []
    const consumer = createSignalsConsumer({
      brokers: [broker.secure!.brokers],
      topicPrefix: prefix,
      groupId: `${prefix}app`,
      onRecords: (rs) => got.push(...rs),
      security: good,
    })
    try {
      await consumer.start()
      await until(() => got.length >= 1)
      expect(got).toEqual([rec])
    } finally {
      await consumer.stop()
    }
  }, 120_000)

  it('mTLS: a client certificate signed by the broker’s CA is accepted; one from another CA fails the TLS step', async () => {
    const ca = broker.secure!.tls.ca
    const mine = signCert(ca, 'client-alice', 'alice', [], true)
    const prefix = uniquePrefix('mtls')
    const withCert: KafkaSecurityConfig = {
      ...good,
      certFile: mine.cert,
      keyPem: readFileSync(mine.key, 'utf8'),
    }
    const pub = publisher(config(prefix, broker.secure!.brokers, withCert, 'spool-mtls'))
    for (let i = 0; i < 100; i++) pub.publish('market.trades', trade(i))
    await pub.flush()
    await until(() => pub.metrics().acked >= 100)
    await pub.close()
    expect(await readBack(prefix)).toEqual(expected(100))

    const other = makeCa(join(dir, 'client-other-ca'), 'rogue')
    const rogue = signCert(other, 'client-rogue', 'rogue', [], true)
    const r = await checkKafkaConnection({
      brokers: [broker.secure!.brokers],
      security: { ...good, certFile: rogue.cert, keyPem: readFileSync(rogue.key, 'utf8') },
      topics: [],
    })
    expect(r.ok).toBe(false)
    expect(r.steps.find((s) => !s.ok)).toMatchObject({ step: 'tls', detail: expect.stringMatching(/does not accept the client certificate/) })
  }, 120_000)

  it('re-authenticates (KIP-368) before the session lifetime the broker announces runs out', async () => {
    const c = await BrokerConnection.open(
      '127.0.0.1',
      broker.secure!.port,
      'reauth-test',
      5000,
      connectionSecurity(good, null),
    )
    try {
      expect(c.authentications).toBe(1)
      await until(() => c.authentications >= 3)
      // Still the same connection, and the broker still answers on it.
      const md = await fetchMetadata(c, [], good, 10_000)
      expect(md.brokers.map((b) => b.port)).toContain(broker.secure!.port)
      expect(c.alive).toBe(true)
    } finally {
      c.close()
    }
  }, 60_000)
})

interface Case {
  name: string
  step: string
  message: RegExp
  bad: () => { brokers: string; security: KafkaSecurityConfig | undefined }
  /** Before publishing with the bad setting (e.g. add a DENY ACL). */
  setup?: (prefix: string) => Promise<void>
  /** The fix: false = restart with the good setting (what the app does on a settings change). */
  fixInPlace?: (prefix: string) => Promise<void>
}

const CASES: Case[] = [
  {
    name: 'wrong password',
    step: 'sasl',
    message: /SASL_AUTHENTICATION_FAILED \(58\).*check the username and password/,
    bad: () => ({ brokers: broker.secure!.brokers, security: { ...good, password: 'not-the-password' } }),
  },
  {
    name: 'CA not trusted',
    step: 'tls',
    message: /TLS handshake .*not trusted|not signed by a trusted CA/,
    bad: () => ({ brokers: broker.secure!.brokers, security: { ...good, caFile: otherCa } }),
  },
  {
    name: 'plaintext client against the TLS port',
    step: 'protocol',
    message: /closed the connection without answering .*PLAINTEXT.*may require TLS/,
    bad: () => ({ brokers: broker.secure!.brokers, security: undefined }),
  },
  {
    name: 'broker requires SASL but none is set (TLS only)',
    step: 'protocol',
    message: /closed the connection without answering .*SSL.*may require SASL/,
    bad: () => ({
      brokers: broker.secure!.brokers,
      security: { protocol: 'SSL', caFile: broker.secure!.tls.ca.caPem },
    }),
  },
  {
    name: 'OAuth token expired',
    step: 'sasl',
    message: /OAuth token has already expired/,
    bad: () => ({
      brokers: broker.secure!.brokers,
      security: {
        protocol: 'SASL_SSL',
        caFile: broker.secure!.tls.ca.caPem,
        mechanism: 'OAUTHBEARER',
        // An unsecured JWS whose exp (1970) has passed.
        oauth: {
          command: `node -e "const b=(o)=>Buffer.from(JSON.stringify(o)).toString('base64url');process.stdout.write(b({alg:'none'})+'.'+b({sub:'alice',exp:1})+'.')"`,
        },
      },
    }),
  },
  {
    name: 'an ACL denies the topic',
    step: 'authorization',
    message: /[Aa]uthori[sz]ation/,
    bad: () => ({ brokers: broker.secure!.brokers, security: good }),
    setup: async (prefix) => {
      await kafkaAcls(broker.brokers, aclArgs('--add', prefix))
    },
    fixInPlace: async (prefix) => {
      await kafkaAcls(broker.brokers, [...aclArgs('--remove', prefix), '--force'])
    },
  },
]

function aclArgs(op: '--add' | '--remove', prefix: string): string[] {
  return [
    op,
    '--deny-principal',
    `User:${USER}`,
    '--operation',
    'All',
    '--topic',
    prefix,
    '--resource-pattern-type',
    'prefixed',
  ]
}

describe('security failures are states: nothing lost, fixing the setting drains the spool in order', () => {
  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const prefix = uniquePrefix(c.step)
        await c.setup?.(prefix)
        const spool = `spool-${c.step}`
        const bad = c.bad()
        const pub = publisher(config(prefix, bad.brokers, bad.security, spool))
        const N = 500
        for (let i = 0; i < N; i++) pub.publish('market.trades', trade(i))
        await until(() => pub.status().failedStep === c.step && pub.status().spooledRecords === N)
        const st = pub.status()
        expect(st.state).toBe('spooling')
        expect(st.message).toMatch(c.message)
        expect(pub.metrics().acked).toBe(0)
        expect(st.droppedRecords).toBe(0)

        let fixed: Publisher = pub
        if (c.fixInPlace) {
          // The same publisher resumes by itself once the broker lets it.
          await c.fixInPlace(prefix)
        } else {
          await pub.close()
          fixed = publisher(config(prefix, broker.secure!.brokers, good, spool))
        }
        for (let i = N; i < N + 100; i++) fixed.publish('market.trades', trade(i))
        await until(() => fixed.metrics().mode === 'live' && fixed.status().spooledRecords === 0)
        await fixed.flush()
        await until(() => fixed.status().state === 'connected')
        expect(fixed.status().failedStep).toBeNull()
        await fixed.close()
        // Every record once, in publish order per key (the spool first, then the live ones).
        expect(await readBack(prefix)).toEqual(expected(N + 100))
      },
      120_000,
    )
  }
})

describe('Test connection: which step failed, in words', () => {
  const run = (brokers: string, security: KafkaSecurityConfig, topics = ['it-check.market.trades']) =>
    checkKafkaConnection({ brokers: [brokers], security, topics })

  it('passes every step on the secured listener', async () => {
    const r = await run(broker.secure!.brokers, good)
    expect(r.ok).toBe(true)
    expect(r.steps.map((s) => [s.step, s.ok])).toEqual([
      ['config', true],
      ['tcp', true],
      ['tls', true],
      ['sasl', true],
      ['authorization', true],
    ])
  }, 60_000)

  it.each<[string, () => Promise<[string, KafkaSecurityConfig]>, string, RegExp]>([
    [
      'settings',
      async () => [broker.secure!.brokers, { ...good, password: null }],
      'config',
      /needs a password/,
    ],
    ['DNS', async () => ['no-such-host.invalid:9093', good], 'dns', /cannot resolve no-such-host.invalid/],
    ['TCP', async () => [`127.0.0.1:${await freePort()}`, good], 'tcp', /connection refused/],
    [
      'TLS (untrusted CA)',
      async () => [broker.secure!.brokers, { ...good, caFile: otherCa }],
      'tls',
      /not signed by a trusted CA|not trusted/,
    ],
    ['TLS against the plaintext port', async () => [broker.brokers, good], 'tls', /TLS handshake/],
    [
      'SASL (wrong password)',
      async () => [broker.secure!.brokers, { ...good, password: 'nope' }],
      'sasl',
      /SASL_AUTHENTICATION_FAILED \(58\)/,
    ],
    [
      'plaintext against the TLS port',
      async () => [broker.secure!.brokers, { protocol: 'PLAINTEXT' }],
      'protocol',
      /may require TLS/,
    ],
  ])(
    '%s',
    async (_n, make, step, detail) => {
      const [b, sec] = await make()
      const r = await run(b, sec)
      expect(r.ok).toBe(false)
      const failed = r.steps.filter((s) => !s.ok)
      expect(failed).toHaveLength(1)
      expect(failed[0]).toMatchObject({ step, detail: expect.stringMatching(detail) })
      expect(r.steps.at(-1)?.ok).toBe(false)
    },
    60_000,
  )

  it('topic authorisation: an ACL denying the topic', async () => {
    const prefix = uniquePrefix('check')
    await kafkaAcls(broker.brokers, aclArgs('--add', prefix))
    const r = await run(broker.secure!.brokers, good, [`${prefix}market.trades`])
    expect(r.steps.at(-1)).toMatchObject({
      step: 'authorization',
      ok: false,
      detail: expect.stringMatching(/TOPIC_AUTHORIZATION_FAILED \(29\)/),
    })
  }, 60_000)
})
