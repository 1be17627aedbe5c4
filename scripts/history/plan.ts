// `npm run history:job` / `npm run history:maintain`: which Java main runs with which arguments. Pure, so it is
// table-tested; cli.ts builds the jar when needed and runs it.
import { delimiter, join } from 'node:path'
import { FLINK_JAR } from '../flink-jar'

export const MAIN_CLASSES = {
  job: 'dev.newstape.flink.history.HistoryJob',
  maintain: 'dev.newstape.flink.history.HistoryMaintain',
} as const

export type HistoryCommand = keyof typeof MAIN_CLASSES

/** The AWS SDK for Iceberg's S3FileIO: the jar of flink/pom.xml's `s3` profile, added for an s3:// warehouse. */
export const S3_BUNDLE = { group: 'org.apache.iceberg', artifact: 'iceberg-aws-bundle', version: '1.10.1' } as const

/** Where Maven keeps S3_BUNDLE under a local repository. */
export const s3BundlePath = (m2Repo: string): string =>
  join(m2Repo, ...S3_BUNDLE.group.split('.'), S3_BUNDLE.artifact, S3_BUNDLE.version, `${S3_BUNDLE.artifact}-${S3_BUNDLE.version}.jar`)

export interface HistoryPlan {
  command: HistoryCommand
  javaArgs: string[]
  /** The S3 bundle jar the class path needs (an s3:// warehouse), or null. */
  s3Bundle: string | null
}

function isCommand(c: string | undefined): c is HistoryCommand {
  return c !== undefined && Object.hasOwn(MAIN_CLASSES, c)
}

/**
 * `argv` is `<job|maintain> [--NAME value]...`; the pairs go to the Java main unchanged (they override the
 * environment there: ICEBERG_WAREHOUSE, PG_SCHEMA, MAINTAIN_RETAIN_LAST, …; see flink/HISTORY.md).
 */
export function planHistory(
  argv: string[],
  env: { FLINK_HEAP_MB?: string; ICEBERG_WAREHOUSE?: string },
  repoRoot: string,
  m2Repo = join('~', '.m2', 'repository'),
): HistoryPlan {
  const [command, ...rest] = argv
  if (!isCommand(command)) throw new Error(`usage: history <${Object.keys(MAIN_CLASSES).join('|')}> [--NAME value]..., got ${String(command)}`)
  if (rest.length % 2 !== 0) throw new Error(`arguments come in --NAME value pairs, got ${rest.join(' ')}`)
  for (let i = 0; i < rest.length; i += 2) {
    if (!/^--[A-Z][A-Z0-9_]*$/.test(rest[i] as string)) throw new Error(`expected --NAME (upper case), got ${String(rest[i])}`)
  }
  // The warehouse the Java main will use: the last --ICEBERG_WAREHOUSE argument, else the environment.
  let warehouse = env.ICEBERG_WAREHOUSE ?? ''
  for (let i = 0; i < rest.length; i += 2) if (rest[i] === '--ICEBERG_WAREHOUSE') warehouse = rest[i + 1] as string
  const s3Bundle = /^s3a?:\/\//.test(warehouse) ? s3BundlePath(m2Repo) : null
  const heap = Number(env.FLINK_HEAP_MB ?? 1024)
  if (!Number.isInteger(heap) || heap < 256) throw new Error(`FLINK_HEAP_MB must be an integer ≥ 256, got ${String(env.FLINK_HEAP_MB)}`)
  return {
    command,
    javaArgs: [
      `-Xmx${heap}m`,
      // Flink 2 on Java 17 needs these for its serializers (as for the streaming job).
      '--add-opens=java.base/java.util=ALL-UNNAMED',
      '--add-opens=java.base/java.lang=ALL-UNNAMED',
      '-cp',
      [join(repoRoot, FLINK_JAR), ...(s3Bundle ? [s3Bundle] : [])].join(delimiter),
      MAIN_CLASSES[command],
      ...rest,
    ],
    s3Bundle,
  }
}
