// `npm run history:job` (impact_history from the Iceberg archive) and `npm run history:maintain` (compaction and
// snapshot expiry). Builds the Flink job jar when it is missing or older than its sources, then runs the Java
// main with the arguments given after the command, e.g. `npm run history:maintain -- --MAINTAIN_RETAIN_LAST 3`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../kafka/broker'
import { ensureFlinkJar } from '../flink-jar'
import { S3_BUNDLE, planHistory } from './plan'

/** An s3:// warehouse needs the AWS SDK bundle next to the job jar: fetched once from Maven Central. */
function ensureS3Bundle(path: string): void {
  if (existsSync(path)) return
  console.error(`[history] fetching ${S3_BUNDLE.artifact} ${S3_BUNDLE.version} for the s3:// warehouse (mvn dependency:get)…`)
  const artifact = `${S3_BUNDLE.group}:${S3_BUNDLE.artifact}:${S3_BUNDLE.version}`
  const r = spawnSync('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false'], { stdio: 'inherit' })
  if (r.error || r.status !== 0 || !existsSync(path)) throw new Error(`could not fetch ${artifact} (exit ${String(r.status)})`)
}

function main(): void {
  const plan = planHistory(process.argv.slice(2), process.env, REPO_ROOT, join(homedir(), '.m2', 'repository'))
  ensureFlinkJar(REPO_ROOT, (l) => console.error(`[history] ${l}`))
  if (plan.s3Bundle) ensureS3Bundle(plan.s3Bundle)
  const child = spawn('java', plan.javaArgs, { stdio: 'inherit', env: process.env })
  child.on('error', (e) => {
    console.error(`[history] cannot start java: ${e.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

try {
  main()
} catch (e) {
  console.error(`[history] ${e instanceof Error ? e.message : String(e)}`)
  process.exit(2)
}
