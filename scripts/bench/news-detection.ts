// Issue 3 §5 as a benchmark: the accelerated 2-hour simulator session of tests/integration/news-detection.test.ts
// (same helper, same seed), reported as precision, recall, false-positive rate and detection delay. The delay is
// given on the simulated clock at emission (what a user would see; on a loaded machine it includes scheduling
// stalls × the acceleration factor) and in market-data time (how much post-publication data the pipeline used).
// About 100 s wall.
import { runDetectionSession, summarize } from '../../tests/support/detection-session'
import type { BenchResult, BenchScenario } from './types'

const NAME = 'news-detection'

export const scenarios: BenchScenario[] = [
  {
    name: NAME,
    async run(): Promise<BenchResult[]> {
      const r = await runDetectionSession({ seed: 7, log: (m) => process.stderr.write(`  ${m}\n`) })
      process.stderr.write(`${summarize(r)}\n`)
      const res = (metric: string, value: number, unit: string, extra: Partial<BenchResult> = {}): BenchResult => ({
        scenario: NAME,
        metric,
        value,
        unit,
        ...extra,
      })
      const pct = (x: number): number => Number((x * 100).toFixed(1))
      const within = 5 * 60 + 15
      return [
        res('shock / null articles scored', r.shockArticles, 'shock', {
          target: '≥ 30 each',
          pass: r.shockArticles >= 30 && r.nullArticles >= 30,
          note: `${r.nullArticles} null (${r.nullArticlesEvaluated} evaluated)`,
        }),
        res('recall: shocks signalled, right direction, ≤ 5 min (data time)', pct(r.recall), '%', {
          target: '≥ 90 %',
          pass: r.recall >= 0.9,
          note: `${r.detected}/${r.shockArticles}; maths alone ${pct(r.oracleRecall)} %`,
        }),
        res('recall on the simulated clock at emission', pct(r.clockRecall), '%', {
          target: '≥ 90 %',
          pass: r.clockRecall >= 0.9,
          note: 'includes scheduling stalls × factor',
        }),
        res('false-positive rate: null articles signalled', pct(r.falsePositiveRate), '%', {
          target: '≤ 10 %',
          pass: r.falsePositiveRate <= 0.1,
          note: `${r.falsePositives}/${r.nullArticles}; maths alone ${pct(r.oracleFalsePositiveRate)} %`,
        }),
        res('precision: right signals / all signals (shock + null)', pct(r.precision), '%'),
        res('detection delay p50 (simulated clock)', Number(r.delaySec.p50.toFixed(1)), 's', {
          target: `≤ ${within} s`,
          pass: r.delaySec.p50 <= within,
        }),
        res('detection delay p90 (simulated clock)', Number(r.delaySec.p90.toFixed(1)), 's', {
          target: `≤ ${within} s`,
          pass: r.delaySec.p90 <= within,
          note: `max ${r.delaySec.max.toFixed(1)} s`,
        }),
        res('detection delay p50 (market-data time)', Number(r.dataDelaySec.p50.toFixed(1)), 's'),
        res('detection delay p90 (market-data time)', Number(r.dataDelaySec.p90.toFixed(1)), 's', {
          note: `max ${r.dataDelaySec.max.toFixed(1)} s`,
        }),
        res('wall time for the session', Math.round(r.wallMs / 1000), 's', {
          note: `${Math.round(r.simulatedMs / 60_000)} simulated min, ${r.counters.trades} trades`,
        }),
      ]
    },
  },
]
