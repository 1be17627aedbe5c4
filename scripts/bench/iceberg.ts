// Iceberg archive benchmark: trades through the archive sink of the Flink job (dev.newstape.flink.history
// .ArchiveBench in the test classes' jar) on a local mini cluster with checkpoints, into a fresh temporary Hadoop-catalog
// warehouse. Reports records/s written and committed (wall time, including the mini cluster's start, so a
// floor), records per CPU-second (steadier on a shared machine), and the table's size on disk per million trades
// (Parquet + zstd data files and all metadata).
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { REPO_ROOT } from '../kafka/broker'
import { ensureFlinkBenchClasspath } from '../flink-jar'
import type { BenchResult, BenchScenario } from './types'

const QUICK = process.env.BENCH_QUICK === '1'
const JAVA_OPENS = ['--add-opens=java.base/java.util=ALL-UNNAMED', '--add-opens=java.base/java.lang=ALL-UNNAMED']

export interface ArchiveBenchResult {
  trades: number
  committed: number
  seconds: number
  recordsPerSec: number
  cpuSeconds: number
  recordsPerCpuSec: number
  diskBytes: number
  bytesPerMillionTrades: number
  dataFiles: number
  snapshots: number
}

/** The `RESULT {...}` line ArchiveBench prints. */
export function parseArchiveResult(stdout: string): ArchiveBenchResult {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (!line) throw new Error(`benchmark printed no RESULT line:\n${stdout.slice(-2000)}`)
  const r = JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>
  const keys = ['trades', 'committed', 'seconds', 'recordsPerSec', 'cpuSeconds', 'recordsPerCpuSec', 'diskBytes', 'bytesPerMillionTrades', 'dataFiles', 'snapshots'] as const
  for (const k of keys) {
    if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) throw new Error(`RESULT lacks ${k}: ${line}`)
  }
  return r as unknown as ArchiveBenchResult
}

const archive: BenchScenario = {
  name: 'iceberg-archive-trades',
  run(): Promise<BenchResult[]> {
    const classpath = ensureFlinkBenchClasspath(REPO_ROOT)
    const n = QUICK ? 300_000 : 1_000_000
    const load = loadavg()[0] ?? 0
    const r = spawnSync('java', [...JAVA_OPENS, '-Xmx1g', '-cp', classpath, 'dev.newstape.flink.history.ArchiveBench', '--TRADES', String(n), '--CHECKPOINT_MS', '2000'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 15 * 60_000,
    })
    if (r.error) throw r.error
    const res = parseArchiveResult(r.stdout ?? '')
    if (res.committed !== n) throw new Error(`archive committed ${res.committed} of ${n} trades`)
    const note = `${n.toLocaleString('en-US')} trades, 20 symbols, parallelism 1, checkpoint 2 s, ${res.dataFiles} data files in ${res.snapshots} snapshots, load avg ${load.toFixed(1)} at start`
    const scenario = 'iceberg-archive-trades'
    return Promise.resolve([
      { scenario, metric: 'trades written and committed', value: res.recordsPerSec, unit: 'records/s', note },
      { scenario, metric: 'trades per CPU-second', value: res.recordsPerCpuSec, unit: 'records/cpu-s', note: 'all threads of the JVM' },
      { scenario, metric: 'size on disk per million trades', value: Math.round((res.bytesPerMillionTrades / 1024 / 1024) * 100) / 100, unit: 'MiB', note: 'Parquet + zstd data files and metadata, before compaction' },
    ])
  },
}

export const scenarios: BenchScenario[] = [archive]
