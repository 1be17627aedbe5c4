// Kafka's own tooling from the broker jars (scripts/kafka/broker.ts fetches them from Maven Central): the
// independent reader/writer the tests check our producer against, and kafka-producer-perf-test for the
// benchmarks. Only Java is needed, which the broker needs anyway; kcat is an optional extra elsewhere.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_KAFKA_HOME, REPO_ROOT, ensureLibs } from './broker'
import { javaArgs } from './config'

const CLI_SOURCE = join(REPO_ROOT, 'scripts', 'kafka', 'java', 'KafkaCli.java')
/** Clients log errors only: their INFO chatter would bury a failing test's message. */
const QUIET_LOG4J = join(REPO_ROOT, 'scripts', 'kafka', 'java', 'log4j2-quiet.properties')

export interface TopicRecord {
  topic: string
  partition: number
  offset: number
  key: string | null
  payload: string | null
  /** Header pairs flattened: [name, value, name, value, …]; null when the record has none. */
  headers: string[] | null
}

interface JavaRun {
  stdout: string
  stderr: string
}

/**
 * KafkaCli compiled once per source version into .data/kafka/cli-<hash>/ (javac takes seconds a call on a
 * loaded machine; a JVM start alone well under one). Compiled in a private folder, then renamed into place.
 */
function compiledCli(libsDir: string): string {
  const hash = createHash('sha256').update(readFileSync(CLI_SOURCE)).digest('hex').slice(0, 12)
  const dir = join(DEFAULT_KAFKA_HOME, `cli-${hash}`)
  if (existsSync(join(dir, 'KafkaCli.class'))) return dir
  const work = `${dir}.build-${process.pid}`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const r = spawnSync('javac', ['-nowarn', '-d', work, '-cp', `${libsDir}/*`, CLI_SOURCE], {
    encoding: 'utf8',
  })
  if (r.error || r.status !== 0) {
    rmSync(work, { recursive: true, force: true })
    throw new Error(
      `javac could not compile ${CLI_SOURCE}: ${r.error?.message ?? ''}${r.stderr.slice(-1500)}`,
    )
  }
  try {
    renameSync(work, dir)
  } catch (e) {
    // Another process compiled the same source first: use its folder.
    rmSync(work, { recursive: true, force: true })
    if (!existsSync(join(dir, 'KafkaCli.class'))) throw e
  }
  return dir
}

function runJava(mainClass: string, args: string[], stdin?: string, timeoutMs = 180_000): Promise<JavaRun> {
  const libsDir = ensureLibs({ log: (l) => console.log(`[kafka] ${l}`) })
  const cli = mainClass === CLI_SOURCE
  const javaOpts = cli
    ? {
        libsDir,
        log4jConfig: QUIET_LOG4J,
        heapMb: 256,
        mainClass: 'KafkaCli',
        args,
        extraClasspath: compiledCli(libsDir),
      }
    : { libsDir, log4jConfig: QUIET_LOG4J, heapMb: 256, mainClass, args }
  return new Promise((resolve, reject) => {
    const p = spawn('java', javaArgs(javaOpts), {
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    let err = ''
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs)
    p.stdout?.on('data', (b: Buffer) => out.push(b))
    p.stderr?.on('data', (b: Buffer) => (err += b.toString()))
    p.once('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`java could not start (${e.message}): Kafka's tools need a Java 17+ runtime`))
    })
    p.once('exit', (code, signal) => {
      clearTimeout(timer)
      const stdout = Buffer.concat(out).toString('utf8')
      if (code === 0) resolve({ stdout, stderr: err })
      else
        reject(
          new Error(`${mainClass} ${args[0] ?? ''} exited ${String(code ?? signal)}: ${err.slice(-1500)}`),
        )
    })
    if (stdin !== undefined && p.stdin) p.stdin.end(stdin)
  })
}

/** A Java properties file (escaped) for client settings; removed by the returned cleanup. */
function withPropsFile<T>(
  props: Record<string, string> | undefined,
  fn: (args: string[]) => Promise<T>,
): Promise<T> {
  if (!props || Object.keys(props).length === 0) return fn([])
  const dir = mkdtempSync(join(tmpdir(), 'kafka-cli-'))
  const file = join(dir, 'client.properties')
  const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^ /, '\\ ')
  writeFileSync(
    file,
    Object.entries(props)
      .map(([k, v]) => `${k}=${esc(v)}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  )
  return fn(['--config', file]).finally(() => rmSync(dir, { recursive: true, force: true }))
}

/**
 * Every record of `topic` from the beginning to its end offsets, in offset order per partition. `props`: extra
 * client properties (security: see javaClientProps in config.ts).
 */
export async function consumeTopic(
  brokers: string,
  topic: string,
  props?: Record<string, string>,
): Promise<TopicRecord[]> {
  const { stdout } = await withPropsFile(props, (extra) =>
    runJava(CLI_SOURCE, ['consume', brokers, topic, ...extra]),
  )
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TopicRecord)
}

/** Produce `lines` ("key<TAB>value" each) to `topic` with header schema=<schema>; resolves once all are acked. */
export async function produceLines(
  brokers: string,
  topic: string,
  lines: string[],
  schema: string,
  props?: Record<string, string>,
): Promise<void> {
  await withPropsFile(props, (extra) =>
    runJava(CLI_SOURCE, ['produce', brokers, topic, schema, ...extra], lines.join('\n') + '\n'),
  )
}

/** kafka-acls (org.apache.kafka.tools.AclCommand) with its own arguments, e.g. --add --deny-principal …. */
export async function kafkaAcls(bootstrap: string, args: string[]): Promise<string> {
  const { stdout } = await runJava('org.apache.kafka.tools.AclCommand', [
    '--bootstrap-server',
    bootstrap,
    ...args,
  ])
  return stdout
}

/** kafka-configs (org.apache.kafka.tools.ConfigCommand), e.g. to add or change a SCRAM user at run time. */
export async function kafkaConfigs(bootstrap: string, args: string[]): Promise<string> {
  const { stdout } = await runJava('org.apache.kafka.tools.ConfigCommand', [
    '--bootstrap-server',
    bootstrap,
    ...args,
  ])
  return stdout
}

export interface PerfTestResult {
  records: number
  recordsPerSec: number
  mbPerSec: number
  avgLatencyMs: number
  maxLatencyMs: number
  p99Ms: number
}

/** Parses kafka-producer-perf-test's summary line ("N records sent, R records/sec (M MB/sec), A ms avg latency, …"). */
export function parsePerfSummary(text: string): PerfTestResult | null {
  const m =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, \d+ ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(
      text,
    )
  if (!m) return null
  return {
    records: Number(m[1]),
    recordsPerSec: Number(m[2]),
    mbPerSec: Number(m[3]),
    avgLatencyMs: Number(m[4]),
    maxLatencyMs: Number(m[5]),
    p99Ms: Number(m[6]),
  }
}

/**
 * kafka-producer-perf-test (org.apache.kafka.tools.ProducerPerformance) sending the lines of `payloadFile`
 * (one record each, cycled) with the producer properties given.
 */
export async function producerPerfTest(opts: {
  brokers: string
  topic: string
  records: number
  payloadFile: string
  props: Record<string, string>
}): Promise<PerfTestResult> {
  // Values with '=' in them (sasl.jaas.config) cannot go through --command-property: all go in a file.
  const { stdout } = await withPropsFile(opts.props, (config) =>
    runJava('org.apache.kafka.tools.ProducerPerformance', perfArgs(opts, config), undefined, 600_000),
  )
  const r = parsePerfSummary(stdout)
  if (!r) throw new Error(`kafka-producer-perf-test printed no summary: ${stdout.slice(-800)}`)
  return r
}

function perfArgs(
  opts: { brokers: string; topic: string; records: number; payloadFile: string },
  config: string[],
): string[] {
  return [
    '--bootstrap-server',
    opts.brokers,
    '--topic',
    opts.topic,
    '--num-records',
    String(opts.records),
    '--throughput',
    '-1',
    '--payload-file',
    opts.payloadFile,
    // KafkaCli's --config becomes the perf test's --producer.config.
    ...(config.length === 2 ? ['--producer.config', config[1] as string] : []),
  ]
}
