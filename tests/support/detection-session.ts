// The "proof against the simulator" (issue 3 §5), shared by the integration test and the bench scenario:
// an accelerated market + Guardian session driven through the production ingest pipeline (real Polygon
// socket, market engine, Guardian poller over HTTP, tagger, impact tracker), scored against the simulator's
// ground truth (which article shocked which symbol, when, which way).
//
// Time is simulated time everywhere: the core's clock, the poller's clock and timers (scaled by the factor),
// the tracker's clock, and the emission time of each record (sim.now() when its batch leaves the core).
//
// Two emission times are kept for every record. `clock`: sim.now() when its batch left the core — the
// user-visible delay, but on a loaded machine it also counts every scheduling stall times the acceleration
// factor (a 200 ms stall at 120× is 24 simulated seconds). `data`: the newest trade timestamp the pipeline had
// ingested when the batch left — how much post-publication market data the pipeline needed, which is what the
// maths and the wiring decide and what a stall cannot change. Recall is scored on `data`; both are reported.
//
// The pipeline's clock (IngestDeps.now, hence the tracker's market-data clock) is sim.now() capped at the newest
// trade ingested. On a starved machine the simulator's tape falls behind its clock (it catches up a bounded
// span per tick rather than spiralling); an uncapped clock would then pass +5 min horizons before their trades
// arrived and fix the 5-minute return on a tape that stops short — a result of the acceleration, not of the
// pipeline (in real time the feed is never minutes behind the wall clock).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImpactRecord, Signal } from '../../src-main/domain/news'
import { DEFAULT_THRESHOLDS, impactKey } from '../../src-main/domain/news'
import { createIngestCore, type IngestCore, type NewsSource, type NewsSourceOptions } from '../../src-main/host/ingest-core'
import { createPolygonFeed } from '../../src-main/feeds/polygon-feed'
import { defaultIngestDeps } from '../../src-main/host/ingest-deps'
import type { IngestConfig, WorkerEvent } from '../../src-main/host/protocol'
import type { WatchlistEntry } from '../../src-main/domain/watchlist'
import { createNewsPoller } from '../../src-main/news/poller'
import {
  impactFromSource,
  MINUTE_MS,
  sourceFromTrades,
  type PriceVolumeSource,
} from '../../src-main/signals/impact'
import { mountGuardian, type GroundTruthEntry, type GuardianSim } from '../../src-main/simulator/guardian/index'
import { createSimulator } from '../../src-main/simulator/index'
import { DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'

export const DETECTION_WATCHLIST: WatchlistEntry[] = [
  { symbol: 'AAPL', aliases: ['Apple'] },
  { symbol: 'MSFT', aliases: ['Microsoft'] },
  { symbol: 'NVDA', aliases: ['Nvidia'] },
  { symbol: 'TSLA', aliases: ['Tesla'] },
  { symbol: 'AMZN', aliases: ['Amazon'] },
  { symbol: 'GOOGL', aliases: ['Alphabet', 'Google'] },
  { symbol: 'META', aliases: ['Meta Platforms', 'Facebook'] },
  { symbol: 'JPM', aliases: ['JPMorgan Chase', 'JPMorgan'] },
  { symbol: 'NFLX', aliases: ['Netflix'] },
  { symbol: 'AMD', aliases: ['AMD', 'Advanced Micro Devices'] },
  { symbol: 'WMT', aliases: ['Walmart'] },
  { symbol: 'XOM', aliases: ['ExxonMobil', 'Exxon Mobil'] },
]

export interface DetectionSessionOptions {
  seed?: number
  /** Simulated ms per wall ms. Default 120: 3 h 7 min simulated (warm-up, session, tail) in about 95 s. */
  factor?: number
  /** Simulated start, epoch ms: a weekday during US regular hours so trade rates are intraday. */
  start?: number
  /** Market only, before any news: the tracker needs 30 min of prices for sigma and 60 min of volume for rvol. */
  warmupMs?: number
  /** The news session whose shock and null articles are scored. */
  sessionMs?: number
  /** Runs on after the session so the last articles' +5 min horizon passes (plus poll latency). */
  tailMs?: number
  articlesPerHour?: number
  mix?: { shock: number; null: number; recycled: number; other: number }
  intensity?: number
  watchlist?: WatchlistEntry[]
  /** A signal counts as "within 5 minutes" when emitted at ≤ published + 5 min + this (simulated ms). */
  toleranceMs?: number
  log?: (message: string) => void
}

export type MissReason =
  | 'never received'
  | 'not tagged with the shocked symbol'
  | 'received after the 5-minute horizon'
  | 'maths says no (oracle on the full tape)'
  | 'pipeline disagrees with the oracle'
  | 'wrong direction'
  | 'signalled late'

export interface ScoredArticle {
  articleId: string
  kind: 'shock' | 'null'
  symbol: string
  published: number
  title: string
  /** Shock: scheduled jump (fraction, signed) and its delay after publication. */
  jumpPct: number | null
  shockDelayMs: number | null
  /** When the poller first received it (simulated), null if never. */
  receivedAt: number | null
  tickers: string[] | null
  /** First up/down the pipeline emitted for (article, symbol), and when (simulated ms after publication). */
  firstSignal: Signal | null
  /** sim.now() at emission − published. */
  firstSignalDelayMs: number | null
  /** Newest ingested trade ts at emission − published. */
  firstSignalDataDelayMs: number | null
  /** The last record the pipeline emitted for the key. */
  last: ImpactRecord | null
  /** The impact maths on the simulator's complete trade tape, as of t0 + 5 min: what the maths alone says. */
  oracle: Pick<ImpactRecord, 'signal' | 'z5' | 'sigma' | 'rvol5' | 'ret5'>
  detected: boolean
  miss: MissReason | null
  /** Misses only: last price on the full tape at t0 − 2 … t0 + 5 min, per minute (what the maths saw). */
  path: number[] | null
}

export interface DetectionReport {
  shockArticles: number
  nullArticles: number
  /** Shocks signalled in the right direction within 5 min (+ tolerance). */
  detected: number
  recall: number
  /** Null articles with any up/down signal. */
  falsePositives: number
  falsePositiveRate: number
  /** Null articles the pipeline evaluated (a record with a decided signal): the FP rate means nothing without them. */
  nullArticlesEvaluated: number
  /** True signals / all up/down signals on the scored (article, symbol) pairs. */
  precision: number
  /** Publication → first batch carrying the right signal, simulated seconds (sim clock at emission). */
  delaySec: { p50: number; p90: number; max: number; n: number }
  /** The same in market-data time (newest trade the pipeline had ingested at emission). */
  dataDelaySec: { p50: number; p90: number; max: number; n: number }
  /** Recall scored on the simulated clock at emission instead (load-sensitive: stalls × factor). */
  clockRecall: number
  /** The same figures for the maths alone (oracle), to tell scenario effects from pipeline effects. */
  oracleRecall: number
  oracleFalsePositiveRate: number
  articles: ScoredArticle[]
  counters: { trades: number; articles: number; impacts: number; batches: number; guardianCalls: number; rateLimited: number }
  wallMs: number
  simulatedMs: number
  logs: string[]
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

export async function runDetectionSession(opts: DetectionSessionOptions = {}): Promise<DetectionReport> {
  const factor = opts.factor ?? 120
  const start = opts.start ?? Date.UTC(2026, 10, 24, 15, 0) // Tue 10:00 New York
  const warmupMs = opts.warmupMs ?? 60 * MINUTE_MS
  const sessionMs = opts.sessionMs ?? 120 * MINUTE_MS
  const tailMs = opts.tailMs ?? 7 * MINUTE_MS
  const toleranceMs = opts.toleranceMs ?? 15_000
  const watchlist = opts.watchlist ?? DETECTION_WATCHLIST
  const say = opts.log ?? (() => undefined)
  const logs: string[] = []
  const wall0 = Date.now()

  const dataDir = await mkdtemp(join(tmpdir(), 'newstape-detection-'))
  const sim = await createSimulator({
    seed: opts.seed ?? 7,
    clock: { kind: 'accelerated', factor, start },
    intensity: opts.intensity ?? 0.5,
    // Socket flushes every ~0.6 s of simulated time (15 ms wall would be 1.8 s at 120×): a frame lists each
    // symbol's events in a block, and the tracker allows 1 s for trades to arrive out of order.
    tickMs: Math.max(2, Math.floor(600 / factor)),
  })
  let guardian: GuardianSim | null = null
  const newsStart = start + warmupMs
  const sessionEnd = newsStart + sessionMs

  // The news starts after the warm-up, as if the user switched news on after an hour of market data.
  let openGate: () => void = () => undefined
  const gate = new Promise<void>((r) => (openGate = r))

  // Simulated ms → wall ms for the poller's timers (its clock reads simulated time).
  const timers = {
    setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, Math.max(0, ms) / factor),
    clearTimeout: (h: unknown): void => clearTimeout(h as NodeJS.Timeout),
  }
  const createNews = (o: NewsSourceOptions): NewsSource => {
    const poller = createNewsPoller({
      config: o.config,
      watchlist: o.watchlist,
      fetch: (url, init) => fetch(url, init),
      clock: { now: () => sim.now() },
      timers,
      stateFile: o.stateFile,
      tag: o.tag,
      onArticle: (a) => o.onArticle(a),
      onStatus: o.onStatus,
      activeHours: null,
    })
    let started: Promise<void> | null = null
    let stopped = false
    return {
      start: () => {
        started = gate.then(() => (stopped ? undefined : poller.start()))
        return undefined
      },
      pause: () => poller.pause(),
      resume: () => poller.resume(),
      setWatchlist: (w) => poller.setWatchlist(w),
      stop: async () => {
        stopped = true
        openGate()
        await started
        await poller.stop()
      },
      status: () => poller.status(),
    }
  }

  // What left the core: per impact key, the first up/down (and when), and the last record.
  const firstSignal = new Map<string, { signal: Signal; at: number; dataAt: number }>()
  let dataTime = -Infinity
  const lastRecord = new Map<string, ImpactRecord>()
  const received = new Map<string, { receivedAt: number; tickers: string[] }>()
  let stoppedResolve: () => void = () => undefined
  const stoppedP = new Promise<void>((r) => (stoppedResolve = r))

  // The host side of the worker protocol; `ack` needs the core, which needs `emit`.
  const host: { core: IngestCore | null } = { core: null }
  const emit = (ev: WorkerEvent): void => {
    if (ev.type === 'batch') {
      const at = sim.now()
      for (const a of ev.articles) if (!received.has(a.id)) received.set(a.id, { receivedAt: a.receivedAt, tickers: a.tickers })
      for (const r of ev.impacts) {
        const k = impactKey(r)
        lastRecord.set(k, r)
        if ((r.signal === 'up' || r.signal === 'down') && !firstSignal.has(k))
          firstSignal.set(k, { signal: r.signal, at, dataAt: dataTime })
      }
      // The host's side of flow control: acknowledge at once, like a renderer keeping up.
      queueMicrotask(() => host.core?.handle({ type: 'ack', seq: ev.seq }))
    } else if (ev.type === 'log') {
      logs.push(`${ev.level}: ${ev.message}`)
    } else if (ev.type === 'stopped') {
      stoppedResolve()
    }
  }

  const deps = defaultIngestDeps()
  /** The market's present as the pipeline knows it (see the header). */
  const marketNow = (): number => (dataTime === -Infinity ? sim.now() : Math.min(sim.now(), dataTime))
  const core = createIngestCore({
    emit,
    now: marketNow,
    createTagger: deps.createTagger,
    createNews,
    // The production feed; the session only notes the newest trade time it hands on (market-data time).
    createFeed: (o) =>
      createPolygonFeed({
        ...o,
        onTrade: (t) => {
          if (t.ts > dataTime) dataTime = t.ts
          o.onTrade?.(t)
        },
      }),
  })
  host.core = core
  const config: IngestConfig = {
    feed: { mode: 'custom', url: `${sim.wsBase}/stocks`, restBase: sim.httpBase, key: 'demo', channels: ['T'] },
    news: { enabled: true, key: 'demo', base: `${sim.httpBase}/guardian`, sections: [], tier: 'developer' },
    kafka: { enabled: false, brokers: [], topicPrefix: '', partitions: 1, spoolDir: join(dataDir, 'spool'), spoolCapBytes: 1e6 },
    watchlist,
    thresholds: DEFAULT_IMPACT_SETTINGS,
    dataDir,
    historyDepth: 500,
    flushMs: 16,
  }

  let report: DetectionReport
  try {
    core.handle({ type: 'start', config })
    say(`warm-up: market only until ${new Date(newsStart).toISOString()}`)
    // Mounted shortly before newsStart with a negative backfill, the stream starts at newsStart (however late the
    // mount came in wall time), so a seed gives the same articles and shocks on every run. The generator rounds
    // its start (mount − backfill) up to a whole second: starting it up to 999 ms early absorbs the clock moving on
    // between the two readings of it.
    await waitUntil(sim.now, newsStart - 2 * MINUTE_MS, factor)
    guardian = mountGuardian(sim, {
      seed: opts.seed ?? 7,
      watchlist,
      articlesPerHour: opts.articlesPerHour ?? 60,
      mix: opts.mix ?? { shock: 0.4, null: 0.4, recycled: 0.1, other: 0.1 },
      backfillMs: sim.now() - newsStart + 999,
    })
    openGate()
    say(`news on: ${new Date(sim.now()).toISOString()}`)
    await waitUntil(marketNow, sessionEnd + tailMs, factor, (t) => say(`market time ${new Date(t).toISOString()}`))
    core.handle({ type: 'stop' })
    await stoppedP

    const truth = guardian
      .groundTruth()
      .filter(
        (e): e is GroundTruthEntry & { kind: 'shock' | 'null'; symbol: string } =>
          (e.kind === 'shock' || e.kind === 'null') && e.symbol !== null && e.published >= newsStart && e.published < sessionEnd,
      )
    // One price/volume source per symbol over the simulator's complete tape (the oracle's view).
    const sources = new Map<string, PriceVolumeSource>()
    const source = (sym: string): PriceVolumeSource => {
      let x = sources.get(sym)
      if (!x) sources.set(sym, (x = sourceFromTrades(sim.groundTruthTrades(sym), sym)))
      return x
    }
    const articles = truth.map((e): ScoredArticle => {
      const k = impactKey({ articleId: e.articleId, symbol: e.symbol })
      const first = firstSignal.get(k) ?? null
      const got = received.get(e.articleId) ?? null
      const o = impactFromSource(
        source(e.symbol),
        { id: e.articleId, published: e.published, receivedAt: e.published, title: e.title },
        e.symbol,
        e.published + 5 * MINUTE_MS,
        DEFAULT_THRESHOLDS,
        false,
      )
      const want: Signal | null = e.shock ? (e.shock.jumpPct > 0 ? 'up' : 'down') : null
      const delay = first ? first.at - e.published : null
      const dataDelay = first ? first.dataAt - e.published : null
      const inTime = dataDelay !== null && dataDelay <= 5 * MINUTE_MS + toleranceMs
      const detected = e.kind === 'shock' && first !== null && first.signal === want && inTime
      let miss: MissReason | null = null
      if (e.kind === 'shock' && !detected) {
        if (!got) miss = 'never received'
        else if (!got.tickers.includes(e.symbol)) miss = 'not tagged with the shocked symbol'
        else if (got.receivedAt > e.published + 5 * MINUTE_MS) miss = 'received after the 5-minute horizon'
        else if (first && first.signal !== want) miss = 'wrong direction'
        else if (first) miss = 'signalled late'
        else if (o.signal !== want) miss = 'maths says no (oracle on the full tape)'
        else miss = 'pipeline disagrees with the oracle'
      }
      return {
        articleId: e.articleId,
        kind: e.kind,
        symbol: e.symbol,
        published: e.published,
        title: e.title,
        jumpPct: e.shock?.jumpPct ?? null,
        shockDelayMs: e.shock ? e.shock.at - e.published : null,
        receivedAt: got?.receivedAt ?? null,
        tickers: got?.tickers ?? null,
        firstSignal: first?.signal ?? null,
        firstSignalDelayMs: delay,
        firstSignalDataDelayMs: dataDelay,
        last: lastRecord.get(k) ?? null,
        oracle: { signal: o.signal, z5: o.z5, sigma: o.sigma, rvol5: o.rvol5, ret5: o.ret5 },
        detected,
        miss,
        path: miss ? pricePath(source(e.symbol), e.published) : null,
      }
    })
    const shocks = articles.filter((a) => a.kind === 'shock')
    const nulls = articles.filter((a) => a.kind === 'null')
    const detected = shocks.filter((a) => a.detected).length
    const fps = nulls.filter((a) => a.firstSignal !== null).length
    const signalled = articles.filter((a) => a.firstSignal !== null).length
    const rightDirection = shocks.filter((a) => a.firstSignal !== null && a.firstSignal === (a.jumpPct! > 0 ? 'up' : 'down')).length
    const right = shocks.filter((a) => a.firstSignal !== null && a.firstSignal === (a.jumpPct! > 0 ? 'up' : 'down'))
    const delays = right.map((a) => a.firstSignalDelayMs! / 1000).sort((x, y) => x - y)
    const dataDelays = right.map((a) => a.firstSignalDataDelayMs! / 1000).sort((x, y) => x - y)
    const clockHits = right.filter((a) => a.firstSignalDelayMs! <= 5 * MINUTE_MS + toleranceMs).length
    const oracleHits = shocks.filter((a) => a.oracle.signal === (a.jumpPct! > 0 ? 'up' : 'down')).length
    const oracleFps = nulls.filter((a) => a.oracle.signal === 'up' || a.oracle.signal === 'down').length
    const c = core.counters()
    const g = guardian.stats()
    report = {
      shockArticles: shocks.length,
      nullArticles: nulls.length,
      detected,
      recall: shocks.length ? detected / shocks.length : 0,
      falsePositives: fps,
      falsePositiveRate: nulls.length ? fps / nulls.length : 0,
      nullArticlesEvaluated: nulls.filter((a) => a.last?.signal != null).length,
      precision: signalled ? rightDirection / signalled : 0,
      delaySec: { p50: percentile(delays, 50), p90: percentile(delays, 90), max: delays.at(-1) ?? NaN, n: delays.length },
      dataDelaySec: {
        p50: percentile(dataDelays, 50),
        p90: percentile(dataDelays, 90),
        max: dataDelays.at(-1) ?? NaN,
        n: dataDelays.length,
      },
      clockRecall: shocks.length ? clockHits / shocks.length : 0,
      oracleRecall: shocks.length ? oracleHits / shocks.length : 0,
      oracleFalsePositiveRate: nulls.length ? oracleFps / nulls.length : 0,
      articles,
      counters: {
        trades: c.trades,
        articles: c.articles,
        impacts: c.impacts,
        batches: c.batches,
        guardianCalls: g.accepted,
        rateLimited: g.rateLimited,
      },
      wallMs: Date.now() - wall0,
      simulatedMs: sim.now() - start,
      logs,
    }
  } finally {
    core.handle({ type: 'stop' })
    guardian?.close()
    await sim.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  return report
}

/** Waits (wall time) until `now()` reaches `t`; gives up (loudly) after 4× the nominal wall time. */
async function waitUntil(now: () => number, t: number, factor: number, progress?: (t: number) => void): Promise<void> {
  let lastReport = now()
  const deadline = Date.now() + Math.max(30_000, (4 * (t - now())) / factor)
  for (;;) {
    const n = now()
    if (n >= t) return
    if (Date.now() > deadline)
      throw new Error(`market data stopped short of ${new Date(t).toISOString()} (at ${new Date(n).toISOString()}): is the feed connected?`)
    if (progress && n - lastReport >= 15 * MINUTE_MS) {
      lastReport = n
      progress(n)
    }
    await sleep(Math.min(1000, Math.max(5, (t - n) / factor)))
  }
}

function pricePath(src: PriceVolumeSource, t0: number): number[] {
  const out: number[] = []
  for (let k = -2; k <= 5; k++) out.push(src.priceAt(t0 + k * MINUTE_MS) ?? NaN)
  return out
}

/** One line per scored article, for failure messages and the bench note. */
export function describeArticle(a: ScoredArticle): string {
  const f = (x: number | null | undefined, d = 2): string => (x === null || x === undefined ? '-' : x.toFixed(d))
  return [
    a.kind.padEnd(5),
    a.symbol.padEnd(5),
    new Date(a.published).toISOString().slice(11, 19),
    `jump ${a.jumpPct === null ? '-' : `${(a.jumpPct * 100).toFixed(2)}%`} +${a.shockDelayMs === null ? '-' : a.shockDelayMs / 1000}s`,
    `recv +${a.receivedAt === null ? '-' : (a.receivedAt - a.published) / 1000}s [${a.tickers?.join(',') ?? ''}]`,
    `signal ${a.firstSignal ?? '-'} @+${a.firstSignalDelayMs === null ? '-' : a.firstSignalDelayMs / 1000}s data +${a.firstSignalDataDelayMs === null ? '-' : a.firstSignalDataDelayMs / 1000}s`,
    `z5 ${f(a.last?.z5)} rvol ${f(a.last?.rvol5)} sigma ${f((a.last?.sigma ?? NaN) * 1e4)}bp`,
    `oracle ${a.oracle.signal ?? '-'} z5 ${f(a.oracle.z5)} rvol ${f(a.oracle.rvol5)}`,
    a.miss ?? '',
    a.path ? `path ${a.path.join(' ')}` : '',
    `"${a.title}"`,
  ].join(' | ')
}

/** A few lines for logs, test output and the bench note. */
export function summarize(r: DetectionReport): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`
  const d = (x: { p50: number; p90: number; max: number }): string => `p50 ${x.p50.toFixed(1)} s, p90 ${x.p90.toFixed(1)} s, max ${x.max.toFixed(1)} s`
  return [
    `articles scored: ${r.shockArticles} shock, ${r.nullArticles} null (${r.nullArticlesEvaluated} null evaluated by the pipeline)`,
    `recall ${pct(r.recall)} (${r.detected}/${r.shockArticles}), false-positive rate ${pct(r.falsePositiveRate)} (${r.falsePositives}/${r.nullArticles}), precision ${pct(r.precision)}`,
    `detection delay, simulated clock at emission: ${d(r.delaySec)}; market-data time: ${d(r.dataDelaySec)}; recall on the clock: ${pct(r.clockRecall)}`,
    `maths alone on the full tape: recall ${pct(r.oracleRecall)}, false-positive rate ${pct(r.oracleFalsePositiveRate)}`,
    `pipeline: ${r.counters.trades} trades, ${r.counters.articles} articles, ${r.counters.impacts} impact records, ${r.counters.batches} batches, ${r.counters.guardianCalls} Guardian calls (${r.counters.rateLimited} rate-limited); ${(r.simulatedMs / 60_000).toFixed(0)} simulated min in ${(r.wallMs / 1000).toFixed(0)} s wall`,
  ].join('\n')
}
