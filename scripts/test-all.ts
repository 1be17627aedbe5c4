// `npm test`: every test. Makes sure a real Kafka broker answers (starts one from the Maven Central jars if
// none does, and stops it afterwards), then runs vitest (unit, integration, end to end) and the Flink job's
// Maven tests against the same broker and the local PostgreSQL. Exit code: non-zero if any suite failed.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_KAFKA_HOME, portOpen, startBroker, type BrokerHandle } from './kafka/broker'
import { kafkaAnswers } from '../tests/setup/kafka'

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'
const first = brokers.split(',')[0]!.trim()
const host = first.slice(0, first.lastIndexOf(':'))
const port = Number(first.slice(first.lastIndexOf(':') + 1))
const extra = process.argv.slice(2)

let broker: BrokerHandle | null = null
if (!(await kafkaAnswers([first]))) {
  if (await portOpen(host, port, 1000)) {
    console.error(`KAFKA_BROKERS=${brokers}: the port is taken by something that is not a Kafka broker.`)
    process.exit(2)
  }
  const dataDir = join(DEFAULT_KAFKA_HOME, `test-broker-${port}`)
  rmSync(dataDir, { recursive: true, force: true })
  console.log(`[test] starting a Kafka broker on ${first} (${dataDir})`)
  broker = await startBroker({ port, dataDir, log: (l) => console.log(`[kafka] ${l}`) })
}
const env = { ...process.env, KAFKA_BROKERS: brokers }

const run = (cmd: string, args: string[]): number => {
  console.log(`\n[test] ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  return r.status ?? 1
}

interface Counts {
  passed: number
  failed: number
  skipped: number
}

/** vitest's JSON report. */
function vitestCounts(file: string): Counts | null {
  if (!existsSync(file)) return null
  const j = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
  return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests }
}

/** Failed tests in a vitest JSON report, as "file > name: first line of the message". */
function vitestFailures(file: string): string[] {
  if (!existsSync(file)) return []
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[]
  }
  const out: string[] = []
  for (const f of j.testResults ?? []) {
    const failed = (f.assertionResults ?? []).filter((a) => a.status === 'failed')
    for (const a of failed) out.push(`${f.name} > ${a.fullName}: ${(a.failureMessages?.[0] ?? '').split('\n')[0]!.slice(0, 300)}`)
    if (failed.length === 0 && f.message) out.push(`${f.name}: ${f.message.split('\n')[0]!.slice(0, 300)}`)
  }
  return out
}

/** Failed test cases in Surefire's XML reports, as "class > method: message". */
function surefireFailures(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const f of readdirSync(dir).filter((n) => n.startsWith('TEST-') && n.endsWith('.xml'))) {
    const xml = readFileSync(join(dir, f), 'utf8')
    for (const m of xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"[^>]*>\s*<(failure|error)(?: message="([^"]*)")?/g))
      out.push(`${m[2]} > ${m[1]}: ${(m[4] ?? m[3]!).slice(0, 300)}`)
  }
  return out
}

/** Maven Surefire's XML reports. */
function surefireCounts(dir: string): Counts | null {
  if (!existsSync(dir)) return null
  const c: Counts = { passed: 0, failed: 0, skipped: 0 }
  for (const f of readdirSync(dir).filter((n) => n.startsWith('TEST-') && n.endsWith('.xml'))) {
    const head = /<testsuite[^>]*>/.exec(readFileSync(join(dir, f), 'utf8'))?.[0] ?? ''
    const attr = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1] ?? 0)
    const failed = attr('failures') + attr('errors')
    c.failed += failed
    c.skipped += attr('skipped')
    c.passed += attr('tests') - failed - attr('skipped')
  }
  return c
}

const resultsDir = join('.data', 'test-results')
mkdirSync(resultsDir, { recursive: true })
const vitestJson = join(resultsDir, 'vitest.json')
const e2eJson = join(resultsDir, 'vitest-e2e.json')
rmSync(vitestJson, { force: true })
rmSync(e2eJson, { force: true })
rmSync(join('flink', 'target', 'surefire-reports'), { recursive: true, force: true })

let failedSuites = 0
try {
  if (extra.length > 0) {
    if (run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...extra]) !== 0) failedSuites++
  } else {
    // End to end runs on its own afterwards: the broker-outage and pipeline tests would otherwise share the
    // two cores with Chromium and the demo simulator.
    if (run('npx', ['vitest', 'run', '--project', 'node', '--project', 'jsdom', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]) !== 0) failedSuites++
    if (run('npx', ['vitest', 'run', '--project', 'e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${e2eJson}`]) !== 0) failedSuites++
  }
  if (extra.length === 0 && run('mvn', ['-B', '-f', 'flink/pom.xml', 'test']) !== 0) failedSuites++
} finally {
  if (broker) await broker.stop()
}
const v1 = vitestCounts(vitestJson)
const v2 = extra.length > 0 ? { passed: 0, failed: 0, skipped: 0 } : vitestCounts(e2eJson)
const v = v1 && v2 ? { passed: v1.passed + v2.passed, failed: v1.failed + v2.failed, skipped: v1.skipped + v2.skipped } : null
const m = extra.length === 0 ? surefireCounts(join('flink', 'target', 'surefire-reports')) : { passed: 0, failed: 0, skipped: 0 }
if (!v) failedSuites++
if (!m) failedSuites++
const total: Counts = { passed: (v?.passed ?? 0) + (m?.passed ?? 0), failed: (v?.failed ?? 0) + (m?.failed ?? 0), skipped: (v?.skipped ?? 0) + (m?.skipped ?? 0) }
// The tail of the log is what a CI summary shows: name every failure there.
for (const f of [...vitestFailures(vitestJson), ...vitestFailures(e2eJson)]) console.log(`[test] FAILED ${f}`)
for (const f of surefireFailures(join('flink', 'target', 'surefire-reports'))) console.log(`[test] FAILED ${f}`)
console.log(`\n[test] vitest: ${v ? `${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped` : 'no report'}`)
console.log(`[test] flink (surefire): ${m ? `${m.passed} passed, ${m.failed} failed, ${m.skipped} skipped` : 'no report'}`)
if (failedSuites > 0 && total.failed === 0) total.failed = failedSuites
console.log(`Tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`)
process.exit(failedSuites === 0 && total.failed === 0 ? 0 : 1)
