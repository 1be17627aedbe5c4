// The Flink job's jar, shared by `npm run stack`, `npm run history:*` and the benchmarks: built with Maven when
// it is missing or older than the job's sources or pom, so nothing ever runs (or measures) stale code.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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

/** The jar's absolute path, (re)built first when stale. */
export function ensureFlinkJar(repoRoot: string, log: (line: string) => void = (l) => console.error(l)): string {
  const jar = join(repoRoot, FLINK_JAR)
  const pom = join(repoRoot, 'flink', 'pom.xml')
  const stale = !existsSync(jar) || statSync(jar).mtimeMs < Math.max(newestMtime(join(repoRoot, 'flink', 'src', 'main')), statSync(pom).mtimeMs)
  if (stale) {
    log('building the Flink job jar (mvn package, tests skipped)…')
    const r = spawnSync('mvn', ['-q', '-B', '-f', pom, '-DskipTests', 'package'], { stdio: 'inherit' })
    if (r.error || r.status !== 0) throw new Error(`mvn package failed (exit ${String(r.status)})`)
  }
  return jar
}
