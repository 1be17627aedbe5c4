// Vitest global setup: make sure a real Kafka broker answers at KAFKA_BROKERS (default 127.0.0.1:9092).
// If one already answers (e.g. `npm run kafka` in another terminal, or CI's), it is used as is. Otherwise a
// broker is started from the Maven Central jars (scripts/kafka) on a free port with a fresh data folder under
// .data/kafka/test-broker-<pid>, and stopped (and its folder removed) at teardown. No java / no mvn → a loud error naming what is missing.
// Tests read the address with `inject('kafkaBrokers')` (or process.env.KAFKA_BROKERS).
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import kafkajs from 'kafkajs'
import type { TestProject } from 'vitest/node'
import { DEFAULT_KAFKA_HOME, portOpen, startBroker, type BrokerHandle } from '../../scripts/kafka/broker'

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string
  }
}

const { Kafka, logLevel } = kafkajs

/** True when a Kafka broker (not just any TCP server) answers a metadata request. */
export async function kafkaAnswers(brokers: string[]): Promise<boolean> {
  const first = brokers[0] ?? ''
  const [host, port] = [
    first.slice(0, first.lastIndexOf(':')),
    Number(first.slice(first.lastIndexOf(':') + 1)),
  ]
  if (!(await portOpen(host, port, 1000))) return false
  const admin = new Kafka({
    brokers,
    clientId: 'newstape-test-probe',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 1 },
  }).admin()
  try {
    await admin.connect()
    await admin.describeCluster()
    return true
  } catch {
    return false
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

let started: BrokerHandle | null = null
let startedDir: string | null = null

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
  const list = brokers.split(',').map((s) => s.trim())
  if (!(await kafkaAnswers(list))) {
    console.log(`[kafka setup] no Kafka broker answers at ${brokers}; starting a private one for this run`)
    // A free port and a private data folder: several test runs on one machine must not share (or stop)
    // each other's broker. CI and developers who want one long-lived broker run `npm run kafka`.
    const dataDir = join(DEFAULT_KAFKA_HOME, `test-broker-${process.pid}`)
    rmSync(dataDir, { recursive: true, force: true })
    try {
      started = await startBroker({ dataDir, heapMb: 384, log: (l) => console.log(`[kafka setup] ${l}`) })
      startedDir = dataDir
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      throw new Error(
        `Kafka tests need a broker at ${brokers}; none answers and starting one failed:\n${msg}`,
      )
    }
    brokers = started.brokers
  }
  process.env.KAFKA_BROKERS = brokers
  project.provide('kafkaBrokers', brokers)
  return async () => {
    if (started) {
      await started.stop()
      started = null
      if (startedDir) rmSync(startedDir, { recursive: true, force: true })
    }
  }
}
