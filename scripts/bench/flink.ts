// Flink job benchmarks:
//  1. throughput: the job's trade path — market.trades from a real broker through the job's own Kafka source,
//     deserializer and watermarks → record splitting → 1-minute bars — on a local mini cluster with checkpointing
//     (Java class dev.newstape.flink.bench.BarsThroughput, in the test classes' jar). The trades are produced to a fresh topic
//     before the job starts, so the broker is not the bottleneck. Target ≥ 100,000 events/s, counted from the first
//     trade parsed to the last bar out; end to end (job submit → finish, start-up and final checkpoint included)
//     and events per CPU-second (the steadier figure on a shared machine) are reported beside it.
//  2. latency: the real job against a real broker (KAFKA_BROKERS if one answers, else one from scripts/kafka) and
//     the machine's PostgreSQL; trades produced at 10,000/s, time from the produce call to the first poll that
//     sees the trade counted in its bars_1m row. Target p99 ≤ 5 s.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import kafkajs from 'kafkajs'
import pg from 'pg'
import { REPO_ROOT, withBroker } from '../kafka/broker'
import { ensureFlinkBenchClasspath, ensureFlinkJar } from '../flink-jar'
import { planStack } from '../stack/plan'
import type { BenchResult, BenchScenario } from './types'
import { percentile } from './stats'

const QUICK = process.env.BENCH_QUICK === '1'
const JAVA_OPENS = ['--add-opens=java.base/java.util=ALL-UNNAMED', '--add-opens=java.base/java.lang=ALL-UNNAMED']

export interface ThroughputResult {
  events: number
  /** First trade parsed → last bar out of the bars operator. */
  seconds: number
  eventsPerSec: number
  /** Job submitted → job finished. */
  endToEndSeconds: number
  endToEndPerSec: number
  cpuSeconds: number
  eventsPerCpuSec: number
  /** Set when the run's own checks failed (trades lost or bars that do not count every trade). */
  error: string | null
}

/** The `RESULT {...}` line the Java benchmark prints. */
export function parseResult(stdout: string): ThroughputResult {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`benchmark printed no RESULT line:\n${stdout.slice(-2000)}`)
  const r = JSON.parse(line.slice('RESULT '.length)) as Partial<ThroughputResult>
  for (const k of ['events', 'seconds', 'eventsPerSec', 'endToEndSeconds', 'endToEndPerSec', 'cpuSeconds', 'eventsPerCpuSec'] as const) {
    if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) throw new Error(`RESULT lacks ${k}: ${line}`)
  }
  if (r.error !== null && typeof r.error !== 'string') throw new Error(`RESULT lacks error: ${line}`)
  return r as ThroughputResult
}

const TARGET_EVENTS_PER_SEC = 100_000

const throughput: BenchScenario = {
  name: 'flink-bars-throughput',
  async run() {
    const classpath = ensureFlinkBenchClasspath(REPO_ROOT)
    const n = QUICK ? 1_000_000 : 3_000_000
    const parallelism = 2
    return withBroker('bench-flink-broker', async (brokers) => {
      const load = loadavg()[0] ?? 0
      const r = spawnSync('java', [...JAVA_OPENS, '-Xmx1g', '-cp', classpath, 'dev.newstape.flink.bench.BarsThroughput', brokers, String(n), '50', String(parallelism), String(parallelism)], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 15 * 60_000,
      })
      const res = parseResult(r.stdout ?? '')
      if (res.error) throw new Error(`Flink throughput run failed its own checks: ${res.error}`)
      const ratio = res.eventsPerSec / TARGET_EVENTS_PER_SEC
      const note = `${n.toLocaleString('en-US')} trades pre-produced to Kafka (${parallelism} partitions), 50 symbols, parallelism ${parallelism}, ${(ratio).toFixed(2)}× target, load avg ${load.toFixed(1)} at start`
      return [
        { scenario: 'flink-bars-throughput', metric: 'Kafka trades → 1m bars, first trade → last bar', value: Math.round(res.eventsPerSec), unit: 'events/s', target: '≥ 100,000', pass: res.eventsPerSec >= TARGET_EVENTS_PER_SEC, note },
        { scenario: 'flink-bars-throughput', metric: 'per CPU-second (job JVM, broker not counted)', value: Math.round(res.eventsPerCpuSec), unit: 'events/CPU-s', note: `${res.cpuSeconds.toFixed(1)} CPU-s over ${res.seconds.toFixed(1)} s wall` },
        { scenario: 'flink-bars-throughput', metric: 'end to end (job submit → finish)', value: Math.round(res.endToEndPerSec), unit: 'events/s', note: `${res.endToEndSeconds.toFixed(1)} s incl. mini-cluster start-up and the final checkpoint` },
      ]
    })
  },
}

async function pgClient(users: string[]): Promise<{ client: pg.Client; user: string }> {
  const errors: string[] = []
  for (const user of users) {
    const client = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user, password: process.env.PG_PASSWORD })
    try {
      await client.connect()
      return { client, user }
    } catch (e) {
      errors.push(`${user}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  throw new Error(`PostgreSQL not reachable at 127.0.0.1:5432/test (${errors.join('; ')})`)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const latency: BenchScenario = {
  name: 'flink-bar-latency',
  async run() {
    const jar = ensureFlinkJar(REPO_ROOT)
    const rate = 10_000
    const seconds = QUICK ? 10 : 20
    const run = Math.random().toString(36).slice(2, 10)
    const prefix = `bench-flink-${run}.`
    const schema = `bench_flink_${run}`
    const plan = planStack({}, REPO_ROOT)
    const { client, user } = await pgClient(plan.pg.users)
    const checkpoints = mkdtempSync(join(tmpdir(), 'newstape-flink-bench-'))
    let job: ChildProcess | undefined
    try {
      return await withBroker('bench-flink-broker', async (brokers) => {
        const kafka = new kafkajs.Kafka({ clientId: 'bench-flink', brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING })
        const admin = kafka.admin()
        await admin.connect()
        await admin.createTopics({ topics: ['market.trades', 'market.bars.1m', 'news.articles', 'signals.news-impact'].map((t) => ({ topic: prefix + t, numPartitions: 1 })) })
        await admin.disconnect()
        job = spawn('java', [...JAVA_OPENS, '-Xmx1g', '-jar', jar], {
          env: { ...process.env, KAFKA_BROKERS: brokers, TOPIC_PREFIX: prefix, PG_USER: user, PG_SCHEMA: schema, CHECKPOINT_DIR: `file://${checkpoints}`, RESTORE: 'false', KAFKA_GROUP_ID: `bench-${run}` },
          stdio: ['ignore', 'ignore', 'ignore'],
        })
        const producer = kafka.producer({ allowAutoTopicCreation: false })
        await producer.connect()
        const symbols = Array.from({ length: 20 }, (_, i) => `B${i}`)
        let seq = 0
        const counts = new Map<string, number>()
        const mk = (symbol: string, ts: number): { key: string; value: string; headers: Record<string, string>; sample: { key: string; count: number } } => {
          seq++
          const minute = Math.floor(ts / 60_000) * 60_000
          const key = `${symbol}@${minute}`
          const count = (counts.get(key) ?? 0) + 1
          counts.set(key, count)
          const value = JSON.stringify({ symbol, price: 100 + (seq % 100) / 100, size: 100, ts, exchange: 4, conditions: [], seq, id: String(seq), tape: 3 })
          return { key: symbol, value, headers: { schema: 'trade/v1' }, sample: { key, count } }
        }
        const rows = async (): Promise<Map<string, number>> => {
          const r = await client.query<{ k: string; trades: string }>(
            `SELECT symbol || '@' || (extract(epoch FROM start_time) * 1000)::bigint AS k, trades FROM ${schema}.bars_1m WHERE source = 'flink'`,
          )
          return new Map(r.rows.map((x) => [x.k, Number(x.trades)]))
        }
        // Warm-up: wait until the job is consuming and writing (mini-cluster start-up is not latency).
        const warmDeadline = Date.now() + 240_000
        let ready = false
        while (!ready && Date.now() < warmDeadline) {
          const w = mk('B0', Date.now())
          await producer.send({ topic: `${prefix}market.trades`, messages: [{ key: w.key, value: w.value, headers: w.headers }] })
          await sleep(1000)
          if (job.exitCode !== null) throw new Error(`Flink job exited with ${String(job.exitCode)} during warm-up`)
          ready = await rows().then((m) => (m.get(w.sample.key) ?? 0) >= w.sample.count, () => false)
        }
        if (!ready) throw new Error('Flink job wrote no bar within 240 s of start')

        const pending: { key: string; count: number; at: number }[] = []
        const latencies: number[] = []
        let polling = true
        let stopAt = Number.POSITIVE_INFINITY
        const poller = (async () => {
          while (polling || pending.length > 0) {
            const now = Date.now()
            const m = await rows()
            for (let i = pending.length - 1; i >= 0; i--) {
              const p = pending[i]
              if (p && (m.get(p.key) ?? 0) >= p.count) {
                latencies.push(now - p.at)
                pending.splice(i, 1)
              }
            }
            if (!polling && Date.now() - stopAt > 30_000) break
            await sleep(50)
          }
        })()
        const start = Date.now()
        let produced = 0
        const inFlight = new Set<Promise<unknown>>()
        // Paced: each tick sends what is due by now and waits for the ack, so a slow broker shows up as a lower
        // achieved rate (reported) instead of an unbounded queue inside the client.
        while (Date.now() - start < seconds * 1000) {
          const due = Math.min(5_000, Math.floor(((Date.now() - start) / 1000) * rate) - produced)
          if (due > 0) {
            const batch = Array.from({ length: due }, (_, i) => mk(symbols[(produced + i) % symbols.length] as string, Date.now()))
            const at = Date.now()
            batch.forEach((b, i) => {
              if ((produced + i) % 50 === 0) pending.push({ ...b.sample, at })
            })
            produced += due
            const p = producer.send({ topic: `${prefix}market.trades`, acks: 1, messages: batch.map((b) => ({ key: b.key, value: b.value, headers: b.headers })) })
            inFlight.add(p)
            void p.finally(() => inFlight.delete(p))
            if (inFlight.size >= 4) await Promise.race(inFlight)
          } else {
            await sleep(2)
          }
        }
        await Promise.all(inFlight)
        stopAt = Date.now()
        polling = false
        await poller
        await producer.disconnect()
        const lost = pending.length
        latencies.sort((a, b) => a - b)
        const p99 = percentile(latencies, 99)
        const note = `${produced.toLocaleString('en-US')} trades in ${seconds} s, ${latencies.length} sampled, poll 50 ms, bar flush 0.5 s, load avg ${(loadavg()[0] ?? 0).toFixed(1)}`
        return [
          { scenario: 'flink-bar-latency', metric: 'trade produced → bar row p50', value: percentile(latencies, 50), unit: 'ms', note },
          { scenario: 'flink-bar-latency', metric: 'trade produced → bar row p99', value: p99, unit: 'ms', target: '≤ 5,000', pass: lost === 0 && p99 <= 5000, note: lost ? `${lost} samples never reached PostgreSQL` : note },
          { scenario: 'flink-bar-latency', metric: 'achieved produce rate', value: Math.round(produced / ((stopAt - start) / 1000)), unit: 'trades/s', target: '≥ 9,500 (10,000 asked)', pass: produced / ((stopAt - start) / 1000) >= 9_500, note: 'kafkajs producer in the bench process' },
        ] satisfies BenchResult[]
      })
    } finally {
      if (job && job.exitCode === null) {
        const exited = new Promise((r) => job?.once('exit', r))
        job.kill('SIGTERM')
        await Promise.race([exited, sleep(10_000)])
        if (job.exitCode === null) job.kill('SIGKILL')
      }
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined)
      await client.end()
      rmSync(checkpoints, { recursive: true, force: true })
    }
  },
}

/** The `RESULT {...}` line of dev.newstape.flink.bench.ImpactV2Throughput. */
export interface ImpactV2Result {
  mode: string
  trades: number
  seconds: number
  tradesPerSec: number
  tradesPerCpuSec: number
  impacts: number
  moves: number
}

export function parseImpactV2Result(stdout: string): ImpactV2Result {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`benchmark printed no RESULT line:\n${stdout.slice(-2000)}`)
  const r = JSON.parse(line.slice('RESULT '.length)) as Partial<ImpactV2Result>
  for (const k of ['trades', 'seconds', 'tradesPerSec', 'tradesPerCpuSec', 'impacts', 'moves'] as const) {
    if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) throw new Error(`RESULT lacks ${k}: ${line}`)
  }
  return r as ImpactV2Result
}

/**
 * 3. news impact v2 and move alerts through the job's operator (Pipelines.impactV2) on a mini cluster, 50 symbols
 *    + SPY, one article per 20,000 trades; the same events through the engine alone (no Flink) as the reference.
 */
const impactV2: BenchScenario = {
  name: 'flink-impact-v2-throughput',
  run() {
    const classpath = ensureFlinkBenchClasspath(REPO_ROOT)
    // The events go into the job graph (a bounded collection source): 1 M is what a 3 GB heap serialises.
    const n = QUICK ? 300_000 : 1_000_000
    const once = (mode: 'flink' | 'engine'): ImpactV2Result => {
      const r = spawnSync('java', [...JAVA_OPENS, '-Xmx3g', '-cp', classpath, 'dev.newstape.flink.bench.ImpactV2Throughput', mode, String(n), '50'], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 15 * 60_000,
      })
      if (r.status !== 0) throw new Error(`ImpactV2Throughput ${mode} exited ${String(r.status)}: ${(r.stderr ?? '').slice(-2000)}`)
      return parseImpactV2Result(r.stdout ?? '')
    }
    const load = loadavg()[0] ?? 0
    const flink = once('flink')
    const engine = once('engine')
    const note = `${n.toLocaleString('en-US')} trades, 50 symbols + SPY, ${flink.impacts} records and ${flink.moves} moves out, load avg ${load.toFixed(1)} at start`
    return Promise.resolve([
      { scenario: 'flink-impact-v2-throughput', metric: 'trades → impact v2 + move alerts (mini cluster), first event → last record', value: Math.round(flink.tradesPerSec), unit: 'trades/s', target: '≥ 100,000', pass: flink.tradesPerSec >= 100_000, note },
      { scenario: 'flink-impact-v2-throughput', metric: 'per CPU-second (job JVM)', value: Math.round(flink.tradesPerCpuSec), unit: 'trades/CPU-s' },
      { scenario: 'flink-impact-v2-throughput', metric: 'reference: the engine alone, same events', value: Math.round(engine.tradesPerSec), unit: 'trades/s', note: `Flink ÷ engine ${(flink.tradesPerSec / engine.tradesPerSec).toFixed(2)} ×` },
    ] satisfies BenchResult[])
  },
}

export const scenarios: BenchScenario[] = [throughput, latency, impactV2]

if (process.argv[1]?.endsWith('flink.ts')) {
  const pick = process.argv[2]
  for (const s of scenarios.filter((x) => !pick || x.name === pick)) {
    for (const r of await s.run()) console.log(JSON.stringify(r))
  }
}
