// `npm run stack`: the analytics stack without Docker. Starts (or reuses) the Kafka broker of scripts/kafka,
// builds the Flink job jar when it is missing or older than its sources, runs the job on a local mini cluster
// against that broker and the machine's PostgreSQL, and prints what runs where. Ctrl-C stops what it started.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { DEFAULT_KAFKA_HOME, REPO_ROOT, portOpen, startBroker, type BrokerHandle } from '../kafka/broker'
import { ensureFlinkJar } from '../flink-jar'
import { STACK_SASL_USER, describeStack, jobEnv, planStack, saslSslJobEnv } from './plan'

const log = (l: string): void => console.log(`[stack] ${l}`)

async function pgUser(users: string[], url: string): Promise<string> {
  const m = /^jdbc:postgresql:\/\/([^:/]+)(?::(\d+))?\/([^?]+)/.exec(url)
  if (!m?.[1] || !m[3]) throw new Error(`cannot read host/database from PG_URL ${url}`)
  const errors: string[] = []
  for (const user of users) {
    const c = new pg.Client({ host: m[1], port: Number(m[2] ?? 5432), database: m[3], user, password: process.env.PG_PASSWORD })
    try {
      await c.connect()
      await c.end()
      return user
    } catch (e) {
      errors.push(`${user}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  throw new Error(`PostgreSQL not reachable at ${url} (${errors.join('; ')}): start it or set PG_URL/PG_USER`)
}

async function main(): Promise<void> {
  const plan = planStack(process.env, REPO_ROOT)
  const user = await pgUser(plan.pg.users, plan.pg.url)
  let broker: BrokerHandle | undefined
  let brokers: string
  if (plan.kafka.own) {
    if (await portOpen('127.0.0.1', plan.kafka.port)) {
      brokers = `127.0.0.1:${plan.kafka.port}`
      log(`a broker already answers on ${brokers}; using it`)
    } else {
      broker = await startBroker({
        port: plan.kafka.port,
        controllerPort: plan.kafka.port + 1,
        dataDir: join(DEFAULT_KAFKA_HOME, plan.kafka.saslSsl ? 'broker-sasl' : 'broker'),
        log,
        ...(plan.kafka.saslSsl ? { secure: { port: plan.kafka.port + 2, scramUsers: [STACK_SASL_USER] } } : {}),
      })
      brokers = broker.brokers
    }
  } else {
    brokers = plan.kafka.brokers
  }
  const jar = ensureFlinkJar(REPO_ROOT, log)
  const checkpoints = join(REPO_ROOT, '.data', 'flink', 'checkpoints')
  mkdirSync(checkpoints, { recursive: true })
  const job: ChildProcess = spawn('java', plan.javaArgs, {
    env: {
      ...process.env,
      ...jobEnv(plan, brokers, user, checkpoints, process.env.PG_PASSWORD),
      ...(broker?.secure ? saslSslJobEnv(broker.secure.brokers, broker.secure.tls.ca.caPem) : {}),
    },
    stdio: 'inherit',
  })
  log(`Flink job starting (${jar})`)
  if (broker?.secure)
    log(
      `SASL_SSL listener ${broker.secure.brokers}: SCRAM-SHA-512 user ${STACK_SASL_USER.name} (password ${STACK_SASL_USER.password}), CA ${broker.secure.tls.ca.caPem} — the app's Settings → Kafka take the same`,
    )
  console.log(
    describeStack({ brokers, brokerOwn: !!broker, brokerDataDir: broker?.dataDir, jobPid: job.pid, pgUrl: plan.pg.url, pgUser: user, pgSchema: plan.pg.schema, checkpointDir: checkpoints, topicPrefix: plan.topicPrefix }),
  )
  let stopping = false
  const stop = async (code: number): Promise<void> => {
    if (stopping) return
    stopping = true
    if (job.exitCode === null) job.kill('SIGTERM')
    if (broker) await broker.stop()
    process.exit(code)
  }
  job.once('exit', (code) => {
    if (!stopping) log(`Flink job exited (${String(code)})`)
    void stop(code ?? 1)
  })
  process.on('SIGINT', () => void stop(0))
  process.on('SIGTERM', () => void stop(0))
}

main().catch((e: unknown) => {
  console.error(`[stack] ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
