// Kafka publisher benchmarks against a real local broker (KAFKA_BROKERS if one answers, else one started
// from scripts/kafka on a free port and stopped afterwards):
//  1. throughput: N `market.trades` records through the publisher vs references producing the same records
//     to a fresh topic with matching settings (acks=all, idempotent, gzip at the same level, 5 ms linger,
//     512 KiB batches, ≤ 5 requests in flight): kafka-producer-perf-test from the broker's own jars (always
//     there; values only, no keys or headers) and `kcat -P` from a file when kcat is installed. The runs
//     alternate (ROUNDS each) and the medians are compared, so a burst of load on the shared machine does
//     not decide the ratio. Target: publisher ≥ 0.5× kcat (and reported against the perf test).
//  2. latency: trades paced at 20,000/s for a few seconds; p50/p99 from publish() to the broker's ack.
//     Target p99 ≤ 50 ms.
//  3. spool: append and replay rate of the disk spool (what an outage costs and how fast it drains).
//  4. the same throughput comparison and p99 at 20,000 trades/s over SASL_SSL (TLS + SCRAM-SHA-512) on a
//     private broker with a SASL_SSL listener (certificates made now; scripts/kafka/certs.ts): the publisher vs
//     kafka-producer-perf-test (and kcat when installed) over the same listener with the same credentials.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import kafkajs from 'kafkajs'
import { startBroker, withBroker } from '../kafka/broker'
import { javaClientProps } from '../kafka/config'
import type { KafkaSecurityConfig } from '../../src-main/kafka/security'
import { producerPerfTest } from '../kafka/tools'
import type { Trade } from '../../src-main/domain/market'
import { createPublisher, type Publisher, type PublisherTuning } from '../../src-main/kafka/publisher'
import { encodeRecord } from '../../src-main/kafka/records'
import { openSpool } from '../../src-main/kafka/spool'
import type { KafkaConfig } from '../../src-main/kafka/config'
import type { BenchResult, BenchScenario } from './types'

const QUICK = process.env.BENCH_QUICK === '1'
const N = QUICK ? 100_000 : 300_000
const LATENCY_RATE = 20_000
const LATENCY_SECONDS = QUICK ? 5 : 10
const ROUNDS = QUICK ? 2 : 3
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AVGO', 'NFLX', 'AMD']
const T0 = Date.UTC(2026, 10, 27, 15, 0)

const GZIP_LEVEL = 1
const tuning: Partial<PublisherTuning> = {
  compression: 'gzip',
  gzipLevel: GZIP_LEVEL,
  lingerMs: 5,
  batchBytes: 512 * 1024,
  maxInFlight: 5,
}

function trade(i: number): Trade {
  return {
    symbol: SYMBOLS[i % SYMBOLS.length] as string,
    price: 100 + (i % 997) / 100,
    size: 1 + (i % 300),
    ts: T0 + Math.floor(i / 10),
    exchange: 1 + (i % 19),
    conditions: i % 5 === 0 ? [12, 37] : [],
    seq: 1_000_000 + i,
    id: String(50_000 + i),
    tape: 1 + (i % 3),
  }
}

/** A listener to measure against: its address, and what each client needs to use it. */
interface Target {
  brokers: string
  /** PLAINTEXT address of the same broker, for creating the reference topics. */
  admin: string
  security?: KafkaSecurityConfig
  javaProps: Record<string, string>
  kcatArgs: string[]
}

const plainTarget = (brokers: string): Target => ({ brokers, admin: brokers, javaProps: {}, kcatArgs: [] })

function config(t: Target, prefix: string, spoolDir: string): KafkaConfig {
  return {
    enabled: true,
    brokers: [t.brokers],
    topicPrefix: prefix,
    partitions: 3,
    spoolDir,
    spoolCapBytes: 2 * 1024 ** 3,
    ...(t.security ? { security: t.security } : {}),
  }
}

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r))
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** After the warm-up: connected and live (a transient error right after topic creation may spool briefly). */
async function settled(pub: Publisher): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await pub.flush()
    if (pub.metrics().mode === 'live' && pub.status().state === 'connected') return
    await sleep(100)
  }
  throw new Error(`publisher did not settle after the warm-up: ${JSON.stringify(pub.status())}`)
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

async function createTopic(brokers: string, topic: string): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING }).admin()
  await admin.connect()
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] })
  await admin.disconnect()
}

async function publisherThroughput(
  target: Target,
  work: string,
): Promise<{ rate: number; cpuUsPerRecord: number }> {
  const prefix = `bench-${Date.now().toString(36)}.`
  const pub = createPublisher(config(target, prefix, join(work, `spool-tp-${prefix}`)), { tuning })
  // Warm-up: connect, create topics, JIT.
  for (let i = 0; i < 2000; i++) pub.publish('market.trades', trade(i))
  await settled(pub)
  const spooledBefore = pub.metrics().spooled
  const start = performance.now()
  const cpu = process.cpuUsage()
  for (let i = 0; i < N; i++) {
    pub.publish('market.trades', trade(i))
    // Give the pump a turn now and then, as the worker's event loop would.
    if (i % 2000 === 1999) await yieldNow()
  }
  await pub.flush()
  const secs = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const m = pub.metrics()
  await pub.close()
  if (m.spooled > spooledBefore)
    throw new Error(
      `publisher spooled ${m.spooled - spooledBefore} records during the throughput run: the broker was too slow`,
    )
  return { rate: N / secs, cpuUsPerRecord: (used.user + used.system) / N }
}

/** The benchmark's records as lines of a file: `key<TAB>value` (kcat -K) or the values alone (perf test). */
function recordsFile(work: string, withKeys: boolean): string {
  const file = join(work, withKeys ? 'trades-keyed.txt' : 'trades-values.txt')
  if (!existsSync(file)) {
    const lines: string[] = []
    for (let i = 0; i < N; i++) {
      const e = encodeRecord('', 'market.trades', trade(i))
      lines.push(withKeys ? `${e.key}\t${e.value}` : e.value)
    }
    writeFileSync(file, lines.join('\n') + '\n')
  }
  return file
}

const freshTopic = (name: string): string =>
  `bench-${name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`

/** kafka-producer-perf-test with the publisher's settings; its own rate (measured inside, JVM start excluded). */
async function perfTestThroughput(target: Target, work: string): Promise<{ rate: number }> {
  const topic = freshTopic('perftest')
  await createTopic(target.admin, topic)
  const r = await producerPerfTest({
    brokers: target.brokers,
    topic,
    records: N,
    payloadFile: recordsFile(work, false),
    props: {
      acks: 'all',
      'enable.idempotence': 'true',
      'compression.type': 'gzip',
      'compression.gzip.level': String(GZIP_LEVEL),
      'linger.ms': '5',
      'batch.size': '524288',
      'max.in.flight.requests.per.connection': '5',
      ...target.javaProps,
    },
  })
  if (r.records !== N) throw new Error(`kafka-producer-perf-test sent ${r.records} of ${N}`)
  return { rate: r.recordsPerSec }
}

const kcatInstalled = (): boolean => spawnSync('kcat', ['-V']).status === 0

async function kcatThroughput(
  target: Target,
  work: string,
): Promise<{ rate: number; cpuUsPerRecord: number }> {
  const topic = freshTopic('kcat')
  await createTopic(target.admin, topic)
  const file = recordsFile(work, true)
  const args = [
    '-b',
    target.brokers,
    ...target.kcatArgs,
    '-P',
    '-t',
    topic,
    '-K',
    '\t',
    '-H',
    'schema=trade/v1',
    '-z',
    'gzip',
    '-X',
    `compression.level=${GZIP_LEVEL}`,
    '-X',
    'max.in.flight.requests.per.connection=5',
    '-X',
    'acks=all',
    '-X',
    'enable.idempotence=true',
    '-X',
    'linger.ms=5',
    '-X',
    'batch.size=524288',
    '-X',
    'queue.buffering.max.messages=1000000',
    '-l',
    file,
  ]
  // bash's `times` reports the CPU kcat used (children user/sys), for a CPU-normalised comparison.
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  const start = performance.now()
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('bash', ['-c', `kcat ${quoted} || exit $?; times`], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    let stdout = ''
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
    p.stderr.on('data', (b: Buffer) => (err += b.toString()))
    p.once('error', reject)
    p.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`kcat exited ${String(code)}: ${err.slice(-500)}`)),
    )
  })
  const rate = N / ((performance.now() - start) / 1000)
  const secs = (t: string): number => {
    const m = /(\d+)m([\d.]+)s/.exec(t)
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN
  }
  const children = out.trim().split('\n').pop()?.split(/\s+/) ?? []
  const cpuSecs = secs(children[0] ?? '') + secs(children[1] ?? '')
  return { rate, cpuUsPerRecord: (cpuSecs * 1e6) / N }
}

async function latencyAtRate(
  target: Target,
  work: string,
  rate: number,
): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const prefix = `bench-lat-${Date.now().toString(36)}.`
  const lat: number[] = []
  const now = (): number => performance.now()
  const pub = createPublisher(config(target, prefix, join(work, `spool-lat-${rate}-${prefix}`)), {
    tuning,
    now,
    onAcked: (enq, at) => {
      for (const t of enq) lat.push(at - t)
    },
  })
  for (let i = 0; i < 1000; i++) pub.publish('market.trades', trade(i))
  await settled(pub)
  lat.length = 0
  const total = rate * LATENCY_SECONDS
  const start = now()
  let sent = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate))
    while (sent < due) pub.publish('market.trades', trade(sent++))
    await new Promise((r) => setTimeout(r, 1))
  }
  await pub.flush()
  await pub.close()
  lat.sort((a, b) => a - b)
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN
  return { p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] ?? NaN, n: lat.length }
}

function spoolRates(work: string): { append: number; replay: number } {
  const n = QUICK ? 100_000 : 300_000
  const recs = Array.from({ length: n }, (_, i) => encodeRecord('', 'market.trades', trade(i)))
  const spool = openSpool({ dir: join(work, 'spool-bench') })
  let t = performance.now()
  for (let i = 0; i < n; i += 100) spool.append(recs.slice(i, i + 100))
  spool.flush()
  const append = n / ((performance.now() - t) / 1000)
  t = performance.now()
  let got = 0
  for (let b = spool.peek(10_000, 512 * 1024); b; b = spool.peek(10_000, 512 * 1024)) {
    got += b.records.length
    spool.ack(b)
  }
  const replay = got / ((performance.now() - t) / 1000)
  spool.close()
  if (got !== n) throw new Error(`spool replay returned ${got} of ${n}`)
  return { append, replay }
}

export const scenarios: BenchScenario[] = [
  {
    name: 'kafka',
    async run(): Promise<BenchResult[]> {
      const withKcat = kcatInstalled()
      const work = mkdtempSync(join(tmpdir(), 'bench-kafka-'))
      try {
        const plainRows = await withBroker('bench-broker', async (brokers) => {
          const pubRuns: { rate: number; cpuUsPerRecord: number }[] = []
          const kcatRuns: { rate: number; cpuUsPerRecord: number }[] = []
          const perfRuns: { rate: number }[] = []
          const plain = plainTarget(brokers)
          for (let r = 0; r < ROUNDS; r++) {
            pubRuns.push(await publisherThroughput(plain, work))
            perfRuns.push(await perfTestThroughput(plain, work))
            if (withKcat) kcatRuns.push(await kcatThroughput(plain, work))
          }
          const perfRate = median(perfRuns.map((x) => x.rate))
          const pub = {
            rate: median(pubRuns.map((x) => x.rate)),
            cpuUsPerRecord: median(pubRuns.map((x) => x.cpuUsPerRecord)),
          }
          const kcat = withKcat
            ? {
                rate: median(kcatRuns.map((x) => x.rate)),
                cpuUsPerRecord: median(kcatRuns.map((x) => x.cpuUsPerRecord)),
              }
            : null
          const runs = (xs: { rate: number }[]): string =>
            xs.map((x) => Math.round(x.rate).toLocaleString('en-US')).join(', ')
          const lat = await latencyAtRate(plain, work, LATENCY_RATE)
          const latLow = await latencyAtRate(plain, work, LATENCY_RATE / 4)
          const sp = spoolRates(work)
          const load = `load avg ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`
          const s = 'kafka'
          return [
            {
              scenario: s,
              metric: `publisher throughput (${N.toLocaleString('en-US')} trades, gzip ${GZIP_LEVEL}, acks=all), median`,
              value: pub.rate,
              unit: 'records/s',
              note: `${pub.cpuUsPerRecord.toFixed(1)} µs CPU/record; runs ${runs(pubRuns)}; ${load}`,
            },
            {
              scenario: s,
              metric: 'kafka-producer-perf-test throughput (same values/settings), median',
              value: perfRate,
              unit: 'records/s',
              note: `Kafka's Java producer, rate as the tool measures it (JVM start excluded); runs ${runs(perfRuns)}`,
            },
            {
              scenario: s,
              metric: 'publisher / kafka-producer-perf-test',
              value: pub.rate / perfRate,
              unit: '×',
              target: '≥ 0.5',
              pass: pub.rate / perfRate >= 0.5,
            },
            ...(kcat
              ? [
                  {
                    scenario: s,
                    metric: 'kcat -P throughput (same records/settings), median',
                    value: kcat.rate,
                    unit: 'records/s',
                    note: `${kcat.cpuUsPerRecord.toFixed(1)} µs CPU/record; runs ${runs(kcatRuns)}`,
                  },
                  {
                    scenario: s,
                    metric: 'publisher / kcat',
                    value: pub.rate / kcat.rate,
                    unit: '×',
                    target: '≥ 0.5',
                    pass: pub.rate / kcat.rate >= 0.5,
                  },
                ]
              : [
                  {
                    scenario: s,
                    metric: 'publisher / kcat',
                    value: NaN,
                    unit: '',
                    note: 'kcat is not installed here: the extra reference is left out (kafka-producer-perf-test above always runs)',
                  },
                ]),
            {
              scenario: s,
              metric: `p99 publish→ack at ${LATENCY_RATE.toLocaleString('en-US')} trades/s`,
              value: lat.p99,
              unit: 'ms',
              target: '≤ 50',
              pass: lat.p99 <= 50,
              note: `p50 ${lat.p50.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms, n=${lat.n}; ${load}`,
            },
            {
              scenario: s,
              metric: `p99 publish→ack at ${(LATENCY_RATE / 4).toLocaleString('en-US')} trades/s`,
              value: latLow.p99,
              unit: 'ms',
              note: `p50 ${latLow.p50.toFixed(1)} ms, max ${latLow.max.toFixed(1)} ms`,
            },
            { scenario: s, metric: 'spool append', value: sp.append, unit: 'records/s' },
            { scenario: s, metric: 'spool replay read', value: sp.replay, unit: 'records/s' },
          ]
        })
        // A failure over SASL_SSL is a row of its own: the plaintext rows above still count.
        const sasl = await saslSslRows(work, withKcat).catch((e: unknown): BenchResult[] => [
          {
            scenario: 'kafka',
            metric: 'SASL_SSL: error',
            value: NaN,
            unit: '',
            pass: false,
            note: String(e).slice(0, 500),
          },
        ])
        return [...plainRows, ...sasl]
      } finally {
        rmSync(work, { recursive: true, force: true })
      }
    },
  },
]

/** Publisher vs kafka-producer-perf-test (and kcat) over SASL_SSL + SCRAM-SHA-512, and p99 at 20k/s, on a private broker. */
async function saslSslRows(work: string, withKcat: boolean): Promise<BenchResult[]> {
  const user = 'bench'
  const password = 'bench-Secret-1'
  const broker = await startBroker({
    dataDir: join(work, 'sasl-broker'),
    secure: { scramUsers: [{ name: user, password }] },
  })
  try {
    const sec = broker.secure as NonNullable<typeof broker.secure>
    const security: KafkaSecurityConfig = {
      protocol: 'SASL_SSL',
      caFile: sec.tls.ca.caPem,
      mechanism: 'SCRAM-SHA-512',
      username: user,
      password,
    }
    const target: Target = {
      brokers: sec.brokers,
      admin: broker.brokers,
      security,
      javaProps: javaClientProps({
        protocol: 'SASL_SSL',
        mechanism: 'SCRAM-SHA-512',
        username: user,
        password,
        caFile: sec.tls.ca.caPem,
      }),
      kcatArgs: [
        '-X',
        'security.protocol=SASL_SSL',
        '-X',
        'sasl.mechanisms=SCRAM-SHA-512',
        '-X',
        `sasl.username=${user}`,
        '-X',
        `sasl.password=${password}`,
        '-X',
        `ssl.ca.location=${sec.tls.ca.caPem}`,
      ],
    }
    const pubRuns: { rate: number; cpuUsPerRecord: number }[] = []
    const perfRuns: { rate: number }[] = []
    const kcatRuns: { rate: number; cpuUsPerRecord: number }[] = []
    for (let r = 0; r < ROUNDS; r++) {
      pubRuns.push(await publisherThroughput(target, work))
      perfRuns.push(await perfTestThroughput(target, work))
      if (withKcat) kcatRuns.push(await kcatThroughput(target, work))
    }
    const pub = median(pubRuns.map((x) => x.rate))
    const perf = median(perfRuns.map((x) => x.rate))
    const runs = (xs: { rate: number }[]): string =>
      xs.map((x) => Math.round(x.rate).toLocaleString('en-US')).join(', ')
    const lat = await latencyAtRate(target, work, LATENCY_RATE)
    const s = 'kafka'
    const rows: BenchResult[] = [
      {
        scenario: s,
        metric: 'SASL_SSL (TLS + SCRAM-SHA-512): publisher throughput, median',
        value: pub,
        unit: 'records/s',
        note: `${median(pubRuns.map((x) => x.cpuUsPerRecord)).toFixed(1)} µs CPU/record; runs ${runs(pubRuns)}`,
      },
      {
        scenario: s,
        metric:
          'SASL_SSL: kafka-producer-perf-test throughput (same listener, credentials, values/settings), median',
        value: perf,
        unit: 'records/s',
        note: `runs ${runs(perfRuns)}`,
      },
      {
        scenario: s,
        metric: 'SASL_SSL: publisher / kafka-producer-perf-test',
        value: pub / perf,
        unit: '×',
        target: '≥ 0.5',
        pass: pub / perf >= 0.5,
      },
    ]
    if (withKcat) {
      const kcat = median(kcatRuns.map((x) => x.rate))
      rows.push(
        {
          scenario: s,
          metric: 'SASL_SSL: kcat -P throughput (same listener), median',
          value: kcat,
          unit: 'records/s',
          note: `runs ${runs(kcatRuns)}`,
        },
        {
          scenario: s,
          metric: 'SASL_SSL: publisher / kcat',
          value: pub / kcat,
          unit: '×',
          target: '≥ 0.5',
          pass: pub / kcat >= 0.5,
        },
      )
    } else {
      rows.push({
        scenario: s,
        metric: 'SASL_SSL: publisher / kcat',
        value: NaN,
        unit: '',
        note: 'kcat is not installed here (kafka-producer-perf-test above always runs)',
      })
    }
    rows.push({
      scenario: s,
      metric: `SASL_SSL: p99 publish→ack at ${LATENCY_RATE.toLocaleString('en-US')} trades/s`,
      value: lat.p99,
      unit: 'ms',
      target: '≤ 50',
      pass: lat.p99 <= 50,
      note: `p50 ${lat.p50.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms, n=${lat.n}; load avg ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
    })
    return rows
  } finally {
    await broker.stop()
  }
}
