// The Flink job's jar, shared by `npm run stack`, `npm run history:*` and the benchmarks: built with Maven when
// it is missing or older than the job's sources or pom, so nothing ever runs (or measures) stale code.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Relative to the repository root. */
export const FLINK_JAR = join('flink', 'target', 'newstape-flink-0.1.0.jar')

function newestMtime(dir: string): number {
  let m = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    m = Math.max(m, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return m
}

/** The test classes' jar (benchmark mains and test helpers), built beside the job jar. */
export const FLINK_TESTS_JAR = join('flink', 'target', 'newstape-flink-0.1.0-tests.jar')

const staleAgainst = (repoRoot: string, jar: string, sources: string): boolean =>
  !existsSync(jar) ||
  statSync(jar).mtimeMs < Math.max(newestMtime(join(repoRoot, 'flink', 'src', sources)), statSync(join(repoRoot, 'flink', 'pom.xml')).mtimeMs)

/** The jar's absolute path, (re)built first when stale. */
export function ensureFlinkJar(repoRoot: string, log: (line: string) => void = (l) => console.error(l)): string {
  const jar = join(repoRoot, FLINK_JAR)
  const pom = join(repoRoot, 'flink', 'pom.xml')
  const stale = staleAgainst(repoRoot, jar, 'main') || staleAgainst(repoRoot, join(repoRoot, FLINK_TESTS_JAR), 'test')
  if (stale) {
    log('building the Flink job jar (mvn package, tests skipped)…')
    const r = spawnSync('mvn', ['-q', '-B', '-f', pom, '-DskipTests', 'package'], { stdio: 'inherit' })
    if (r.error || r.status !== 0) throw new Error(`mvn package failed (exit ${String(r.status)})`)
  }
  return jar
}

/** Classpath for the benchmark mains: the job jar and the test classes' jar. */
export function ensureFlinkBenchClasspath(repoRoot: string, log?: (line: string) => void): string {
  const jar = ensureFlinkJar(repoRoot, log)
  return [jar, join(repoRoot, FLINK_TESTS_JAR)].join(delimiter)
}
