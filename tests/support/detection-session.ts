// The proof against the simulator (issue #17 §5, news impact v2 and move alerts), shared by the integration test
// and the bench scenario: simulator sessions driven through the production ingest pipeline (createIngestCore with
// the real Polygon socket and REST, the v2 impact engine and its REST history loader, the Guardian poller over
// HTTP with a developer key's budget, the tagger), scored against the simulator's ground truth. What counts as a
// recall, a delay, "first told" and a false alert or signal: the header of detection-score.ts beside this file.
//
// Two kinds of session:
// - `runDetectionSession`: an accelerated market + news session (shock stories, or macro-only for false alerts).
//   Everything is scored in DATA TIME: the records carry it (detectedAt, alertAt, windowStart). receivedAt is what
//   a 500-calls/day key's polling gives: the poller's state file is seeded with the calls such a key, polling
//   evenly since the UTC day's first active minute, has spent by the session's start, so its interval is the
//   steady one (~2 min), not a fresh key's burst.
// - `runDemoStart`: a demo start at wall speed after two hours of news: how many headlines on screen have numbers
//   10 s after the start (REST history through the loader, nothing accelerated; the simulator in a worker thread).
//
// The data clock. The pipeline's clock (IngestDeps.now, the engine's), the Guardian's (publication, quotas) and the
// poller's clock and timers all read sim.now() capped at the newest trade ingested (kept from v1). On a starved
// machine the simulator's tape falls behind its clock (it catches up a bounded span per tick); on the uncapped
// clock horizons would pass before their trades arrived and headlines would be published minutes "ahead" of the
// market. On the data clock the news and the market keep step whatever the load. What remains: wall time spent in
// the pipeline (an HTTP call, a history page) passes as factor × that in data time, so the poll latency carries
// it (the bench runs the shock session at 30× for that reason). The core's own intervals of 500 ms or more
// (horizon advance, status) run scaled, the 16-ms flush stays wall time.
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import { join } from 'node:path'
import type { ImpactRecordV2, MoveAlert } from '../../src-main/domain/impact'
import { DEFAULT_IMPACT_SETTINGS } from '../../src-main/domain/impact'
import type { WatchlistEntry } from '../../src-main/domain/watchlist'
import { createPolygonFeed } from '../../src-main/feeds/polygon-feed'
import {
  createIngestCore,
  type IngestCore,
  type NewsSource,
  type NewsSourceOptions,
} from '../../src-main/host/ingest-core'
import { defaultIngestDeps } from '../../src-main/host/ingest-deps'
import type { IngestConfig, WorkerEvent } from '../../src-main/host/protocol'
import { activeMsBetween, US_EXTENDED_HOURS } from '../../src-main/news/active-hours'
import { DEVELOPER_BUDGET, reserveCalls, utcDay } from '../../src-main/news/budget'
import { createNewsPoller } from '../../src-main/news/poller'
import {
  createGuardian,
  type GroundTruthEntry,
  type GuardianSim,
  type ShockMode,
} from '../../src-main/simulator/guardian/index'
import { createSimulator, type Simulator } from '../../src-main/simulator/index'
import { sessionOf } from '../../src-main/simulator/intraday'
import type { ShockTruth } from '../../src-main/simulator/types'
import {
  dist,
  MINUTE_MS,
  scoreDetection,
  FIRST_PAGE,
  newestHeadlines,
  scoreScreen,
  type DetectionScore,
  type Dist,
  type ObservedMove,
  type ReceivedArticle,
  type ScreenScore,
  type SessionName,
} from './detection-score'

export { percentile } from './detection-score'

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

/** Tue 2026-11-24 at an ET wall-clock time (EST, UTC−5). */
export const nov24 = (hour: number, minute = 0): number => Date.UTC(2026, 10, 24, hour + 5, minute)

export interface DetectionSessionOptions {
  seed?: number
  /** Simulated ms per wall ms. Default 120. */
  factor?: number
  /** Simulated start, epoch ms. Default Tue 10:00 ET. */
  start?: number
  /**
   * Market only before the news. Default 35 min: the first headlines' 30-minute windows are then covered live, as
   * in an app that has been running (a start with history to fetch is the demo start's scenario).
   */
  warmupMs?: number
  /** The scored news session. */
  sessionMs?: number
  /** Runs on after the session so the last headlines' +5 min horizons pass (plus poll latency). */
  tailMs?: number
  articlesPerHour?: number
  mix?: { shock: number; null: number; recycled: number; other: number; macro: number }
  /** What news moves: all (shocks and macro moves), macro-only (false-alert sessions), none. */
  shocks?: ShockMode
  intensity?: number
  watchlist?: WatchlistEntry[]
  log?: (message: string) => void
}

export interface SpreadStats {
  /** Median and 90th percentile of quoted spreads, basis points of the mid, over the scored symbols. */
  p50Bp: number
  p90Bp: number
  quotes: number
}

export interface DetectionReport {
  options: { start: number; from: number; to: number; factor: number; shocks: ShockMode; intensity: number }
  score: DetectionScore
  /** Every move alert the pipeline emitted (latest version), in detection order. */
  moves: MoveAlert[]
  spreads: Partial<Record<SessionName, SpreadStats>>
  /** The poll interval the poller chose on its first plan, simulated seconds. */
  pollIntervalSec: number | null
  counters: {
    trades: number
    articles: number
    impacts: number
    moves: number
    batches: number
    guardianCalls: number
    rateLimited: number
  }
  wallMs: number
  simulatedMs: number
  logs: string[]
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The calls a developer key polling evenly over the active hours since the UTC day began has spent by `t`. */
export function steadyCallsSpent(t: number): number {
  const day0 = utcDay(t) * 86_400_000
  const usable = DEVELOPER_BUDGET.perDay - reserveCalls(DEVELOPER_BUDGET)
  const total = activeMsBetween(day0, day0 + 86_400_000, US_EXTENDED_HOURS)
  return total > 0 ? Math.floor((usable * activeMsBetween(day0, t, US_EXTENDED_HOURS)) / total) : 0
}

/**
 * The poller's state file without fsync: on a machine shared with disk-heavy jobs an fsync can take seconds of wall
 * time, minutes of simulated time, stalling the poller in a way no real desktop does.
 */
const stateFs = {
  readFile: (path: string, encoding: 'utf8'): Promise<string> => readFile(path, encoding),
  writeFile: (path: string, data: string, encoding: 'utf8'): Promise<void> => writeFile(path, data, encoding),
  rename: (from: string, to: string): Promise<void> => rename(from, to),
  mkdir: (path: string, opts: { recursive: true }): Promise<unknown> => mkdir(path, opts),
}

/** What the session collects from the worker events. */
interface Collector {
  emit: (ev: WorkerEvent) => void
  impacts: Map<string, ImpactRecordV2>
  moves: Map<string, ObservedMove>
  received: Map<string, ReceivedArticle & { published: number }>
  logs: string[]
  stopped: Promise<void>
  setCore(core: IngestCore): void
}

function collector(dataTime: () => number): Collector {
  const impacts = new Map<string, ImpactRecordV2>()
  const moves = new Map<string, ObservedMove>()
  const received = new Map<string, ReceivedArticle & { published: number }>()
  const logs: string[] = []
  let core: IngestCore | null = null
  let stoppedResolve: () => void = () => undefined
  const stopped = new Promise<void>((r) => (stoppedResolve = r))
  const emit = (ev: WorkerEvent): void => {
    if (ev.type === 'batch') {
      for (const a of ev.articles)
        if (!received.has(a.id))
          received.set(a.id, { receivedAt: a.receivedAt, tickers: a.tickers, published: a.published })
      for (const r of ev.impacts) impacts.set(`${r.articleId}|${r.symbol}`, r)
      for (const m of ev.moves)
        moves.set(m.id, { alert: m, emittedDataAt: moves.get(m.id)?.emittedDataAt ?? dataTime() })
      // The host's side of flow control: acknowledge at once, like a renderer keeping up.
      queueMicrotask(() => core?.handle({ type: 'ack', seq: ev.seq }))
    } else if (ev.type === 'log') {
      logs.push(`${ev.level}: ${ev.message}`)
    } else if (ev.type === 'stopped') {
      stoppedResolve()
    }
  }
  return { emit, impacts, moves, received, logs, stopped, setCore: (c) => (core = c) }
}

function baseConfig(
  sim: Pick<Simulator, 'wsBase' | 'httpBase'>,
  watchlist: WatchlistEntry[],
  dataDir: string,
  demo: boolean,
): IngestConfig {
  return {
    feed: {
      mode: demo ? 'demo' : 'custom',
      url: `${sim.wsBase}/stocks`,
      restBase: sim.httpBase,
      key: 'demo',
      channels: ['T'],
    },
    news: { enabled: true, key: 'demo', base: `${sim.httpBase}/guardian`, sections: [], tier: 'developer' },
    kafka: {
      enabled: false,
      brokers: [],
      topicPrefix: '',
      partitions: 1,
      spoolDir: join(dataDir, 'spool'),
      spoolCapBytes: 1e6,
    },
    watchlist,
    thresholds: DEFAULT_IMPACT_SETTINGS,
    dataDir,
    historyDepth: 500,
    flushMs: 16,
  }
}

export async function runDetectionSession(opts: DetectionSessionOptions = {}): Promise<DetectionReport> {
  const factor = opts.factor ?? 120
  const start = opts.start ?? nov24(10)
  const warmupMs = opts.warmupMs ?? 35 * MINUTE_MS
  const sessionMs = opts.sessionMs ?? 120 * MINUTE_MS
  const tailMs = opts.tailMs ?? 8 * MINUTE_MS
  const watchlist = opts.watchlist ?? DETECTION_WATCHLIST
  const shockMode = opts.shocks ?? 'all'
  const intensity = opts.intensity ?? 0.5
  const seed = opts.seed ?? 7
  const say = opts.log ?? (() => undefined)
  const wall0 = Date.now()

  const dataDir = await mkdtemp(join(tmpdir(), 'newstape-detection-'))
  const sim = await createSimulator({
    seed,
    clock: { kind: 'accelerated', factor, start },
    intensity,
    // Socket flushes every ~0.6 s of simulated time (15 ms wall would be 1.8 s at 120×).
    tickMs: Math.max(2, Math.floor(600 / factor)),
  })
  let guardian: GuardianSim | null = null
  const newsStart = start + warmupMs
  const sessionEnd = newsStart + sessionMs

  // The news starts after the warm-up, as if the user switched news on then.
  let openGate: () => void = () => undefined
  const gate = new Promise<void>((r) => (openGate = r))
  let dataTime = -Infinity
  const col = collector(() => dataTime)
  /** The market's present as the pipeline knows it (see the header). */
  const marketNow = (): number => (dataTime === -Infinity ? sim.now() : Math.min(sim.now(), dataTime))
  const timers = dataTimers(marketNow)
  let pollIntervalSec: number | null = null
  let lastNewsLine = ''
  const createNews = (o: NewsSourceOptions): NewsSource => {
    const poller = createNewsPoller({
      config: o.config,
      watchlist: o.watchlist,
      fetch: (url, init) => fetch(url, init),
      clock: { now: marketNow },
      timers,
      stateFile: o.stateFile,
      fs: stateFs,
      tag: o.tag,
      onArticle: (a) => o.onArticle(a),
      onStatus: (s) => {
        if (pollIntervalSec === null && s.nextPollAt !== null && s.lastPollAt !== null)
          pollIntervalSec = (s.nextPollAt - s.lastPollAt) / 1000
        const line = `news ${s.state}: ${s.message}`
        if (line !== lastNewsLine)
          col.logs.push(`${new Date(marketNow()).toISOString()} ${(lastNewsLine = line)}`)
        o.onStatus(s)
      },
      // A real (non-demo) key polls in US extended hours: the production default.
      // The request timeout is 20 s of wall time, not of simulated time (166 ms at 120×, which a loaded machine
      // misses: every call would time out and back off). A call's wall duration still counts × factor in
      // receivedAt: the bench reports the poll latency with that in it.
      requestTimeoutMs: 20_000 * factor,
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

  const deps = defaultIngestDeps()
  const core = createIngestCore({
    emit: col.emit,
    now: marketNow,
    createTagger: deps.createTagger,
    createNews,
    setInterval: (fn, ms) => setInterval(fn, ms >= 500 ? Math.max(5, ms / factor) : ms),
    clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
    createFeed: (o) =>
      createPolygonFeed({
        ...o,
        onTrade: (t) => {
          if (t.ts > dataTime) dataTime = t.ts
          o.onTrade?.(t)
        },
      }),
  })
  col.setCore(core)
  const config = baseConfig(sim, watchlist, dataDir, false)
  // The developer key's calls so far today (see the header), in the poller's own state file.
  await writeFile(
    join(dataDir, 'news-state.json'),
    JSON.stringify({
      version: 1,
      queries: {},
      seen: [],
      calls: { day: utcDay(newsStart), count: steadyCallsSpent(newsStart) },
    }),
  )

  let report: DetectionReport
  try {
    core.handle({ type: 'start', config })
    say(`warm-up: market only until ${new Date(newsStart).toISOString()}`)
    // Mounted shortly before newsStart with a negative backfill, the stream starts at newsStart (however late the
    // mount came in wall time), so a seed gives the same articles and shocks on every run.
    await waitUntil(marketNow, newsStart - 2 * MINUTE_MS, factor)
    // Live coverage must start in the warm-up: a feed that has delivered nothing yet would let the session run
    // on the simulator's clock alone (then nothing is measured).
    if (dataTime === -Infinity)
      throw new Error(
        `no trade from the feed after ${(Date.now() - wall0) / 1000} s wall: is the warm-up long enough for this machine?`,
      )
    // The Guardian publishes on the data clock too (mountGuardian with another clock).
    guardian = createGuardian(
      {
        now: marketNow,
        scheduleShock: (x) => sim.scheduleShock(x),
        scheduleMacro: (m) => sim.scheduleMacro(m),
        apiBase: `${sim.httpBase}/guardian`,
      },
      {
        seed,
        watchlist,
        articlesPerHour: opts.articlesPerHour ?? 60,
        mix: opts.mix ?? { shock: 0.4, null: 0.35, recycled: 0.1, other: 0.1, macro: 0.05 },
        shocks: shockMode,
        liveBlogs: false,
        backfillMs: marketNow() - newsStart + 999,
      },
    )
    sim.mount('/guardian', guardian.handler)
    openGate()
    say(`news on: ${new Date(marketNow()).toISOString()}`)
    await waitUntil(marketNow, sessionEnd + tailMs, factor, (t) =>
      say(`market time ${new Date(t).toISOString()}`),
    )
    core.handle({ type: 'stop' })
    await col.stopped

    const symbols = watchlist.map((w) => w.symbol).filter((s) => s !== config.thresholds.proxy)
    const shocks: ShockTruth[] = sim.groundTruthShocks()
    const articles: GroundTruthEntry[] = guardian.groundTruth()
    const score = scoreDetection({
      from: newsStart,
      to: sessionEnd,
      symbols,
      shocks,
      articles,
      received: col.received,
      impacts: [...col.impacts.values()],
      moves: [...col.moves.values()],
    })
    const c = core.counters() as ReturnType<IngestCore['counters']> & { moves?: number }
    const g = guardian.stats()
    report = {
      options: { start, from: newsStart, to: sessionEnd, factor, shocks: shockMode, intensity },
      score,
      moves: [...col.moves.values()].map((m) => m.alert).sort((a, b) => a.detectedAt - b.detectedAt),
      spreads: spreadStats(sim, symbols, newsStart, sessionEnd),
      pollIntervalSec,
      counters: {
        trades: c.trades,
        articles: c.articles,
        impacts: c.impacts,
        moves: c.moves ?? col.moves.size,
        batches: c.batches,
        guardianCalls: g.accepted,
        rateLimited: g.rateLimited,
      },
      wallMs: Date.now() - wall0,
      simulatedMs: sim.now() - start,
      logs: col.logs,
    }
  } finally {
    core.handle({ type: 'stop' })
    guardian?.close()
    await sim.close()
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined)
  }
  return report
}

/** Quoted spreads of the scored symbols over [from, to), per session: the bid-ask bounce the prints carry. */
function spreadStats(
  sim: Simulator,
  symbols: readonly string[],
  from: number,
  to: number,
): Partial<Record<SessionName, SpreadStats>> {
  const per: Partial<Record<SessionName, number[]>> = {}
  for (const s of symbols) {
    for (const q of sim.groundTruthQuotes(s)) {
      if (q.ts < from || q.ts >= to || !(q.bid > 0) || !(q.ask > q.bid)) continue
      const list = (per[sessionOf(q.ts)] ??= [])
      list.push(((q.ask - q.bid) / ((q.ask + q.bid) / 2)) * 1e4)
    }
  }
  const out: Partial<Record<SessionName, SpreadStats>> = {}
  for (const [k, list] of Object.entries(per) as [SessionName, number[]][]) {
    const d = dist(list)
    out[k] = { p50Bp: d.p50, p90Bp: d.p90, quotes: d.n }
  }
  return out
}

/** How long a demo start waits for the history loader to finish (a loaded CI machine took over 3 min for one hour). */
const HISTORY_WAIT_MS = 300_000

export interface DemoStartOptions {
  seed?: number
  /** Simulated start (the clock runs at wall speed from here). Default Tue 11:00 ET. */
  start?: number
  /** How long after the start the screen is read. Default 10 s. */
  afterMs?: number
  /** The demo's defaults: 2 h of tape and of news before the start. */
  historyMs?: number
  articlesPerHour?: number
  intensity?: number
  watchlist?: WatchlistEntry[]
  log?: (message: string) => void
}

export interface DemoStartReport {
  /** The first page of the timeline (the newest FIRST_PAGE headlines received) at start + 10 s. */
  firstPage: ScreenScore
  /** Every headline received by then (the whole backlog, not only what is on screen). */
  screen: ScreenScore
  /** The same pairs once the history loader had nothing left to do (or 60 s after the start). */
  settled: ScreenScore
  settledAfterMs: number
  /** Headlines the poller had delivered by then / the Guardian's headlines published before the start. */
  receivedHeadlines: number
  publishedHeadlines: number
  /** When the last of the scored pairs got its numbers, ms after the start (wall = data time here). */
  lastNumbersAfterMs: number | null
  historyStatus: string | null
  wallMs: number
}

/**
 * A demo start: the simulator in a worker thread as in the app (tests/support/demo-sim-worker.ts), with the demo's
 * two hours of tape and news and its tapes already generated, then the production core in demo mode (no REST
 * limit) at wall speed; the screen is read `afterMs` later, and again once the history loader is done.
 */
export async function runDemoStart(opts: DemoStartOptions = {}): Promise<DemoStartReport> {
  const start = opts.start ?? nov24(11)
  const afterMs = opts.afterMs ?? 10_000
  const historyMs = opts.historyMs ?? 2 * 3_600_000
  const watchlist = opts.watchlist ?? DETECTION_WATCHLIST
  const seed = opts.seed ?? 11
  const say = opts.log ?? (() => undefined)
  const wall0 = Date.now()
  const dataDir = await mkdtemp(join(tmpdir(), 'newstape-demo-start-'))
  const proxy = DEFAULT_IMPACT_SETTINGS.proxy
  const worker = new Worker(new URL('../../src-main/host/worker-boot.mjs', import.meta.url), {
    workerData: {
      __entry: new URL('./demo-sim-worker.ts', import.meta.url).href,
      seed,
      start,
      historyMs,
      intensity: opts.intensity ?? 1,
      articlesPerHour: opts.articlesPerHour ?? 60,
      watchlist: watchlist.map((w) => ({ symbol: w.symbol, aliases: w.aliases })),
      symbols: [...watchlist.map((w) => w.symbol), proxy],
    },
  })
  const next = (type: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown): void => {
        const t = (m as { type?: unknown }).type
        if (t === 'error')
          reject(new Error(`demo simulator: ${String((m as { message?: unknown }).message)}`))
        else if (t !== type) return
        worker.off('message', onMessage)
        resolve(m)
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
    })
  const ready = z
    .object({ wsBase: z.string(), httpBase: z.string(), simNow: z.number(), wallNow: z.number() })
    .parse(await next('ready'))
  // The worker's clock runs at wall speed from its start: the same clock here.
  const simNow = (): number => Date.now() - ready.wallNow + ready.simNow
  const config = baseConfig(ready, watchlist, dataDir, true)
  const deps = defaultIngestDeps()
  let dataTime = -Infinity
  const col = collector(() => dataTime)
  let historyStatus: string | null = null
  let historyIdle = false
  const firstNumbers = new Map<string, number>()
  const emit = (ev: WorkerEvent): void => {
    if (ev.type === 'status' && ev.status.history) {
      historyStatus = JSON.stringify(ev.status.history)
      historyIdle = ev.status.history.pending === 0 && ev.status.history.done > 0
    }
    if (ev.type === 'batch')
      for (const r of ev.impacts)
        if (r.ret1 !== null && !firstNumbers.has(`${r.articleId}|${r.symbol}`))
          firstNumbers.set(`${r.articleId}|${r.symbol}`, Date.now())
    col.emit(ev)
  }
  const core = createIngestCore({
    emit,
    now: simNow,
    createTagger: deps.createTagger,
    // The production poller in demo mode (around the clock), on the simulator's clock.
    createNews: (o) =>
      createNewsPoller({
        config: o.config,
        watchlist: o.watchlist,
        fetch: (url, init) => fetch(url, init),
        clock: { now: simNow },
        timers: {
          setTimeout: (fn, ms) => setTimeout(fn, ms),
          clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
        },
        stateFile: o.stateFile,
        fs: stateFs,
        tag: o.tag,
        onArticle: (a) => o.onArticle(a),
        onStatus: o.onStatus,
        activeHours: null,
      }),
    createFeed: (o) =>
      createPolygonFeed({
        ...o,
        onTrade: (t) => {
          if (t.ts > dataTime) dataTime = t.ts
          o.onTrade?.(t)
        },
      }),
  })
  col.setCore(core)
  try {
    const t0 = Date.now()
    const simT0 = simNow()
    core.handle({ type: 'start', config })
    say(`demo start at ${new Date(simT0).toISOString()}`)
    await sleep(Math.max(0, t0 + afterMs - Date.now()))
    // The screen at start + afterMs: what had left the core by then.
    const at = simNow()
    const received = new Map(col.received)
    const impacts = new Map(col.impacts)
    // Then until the history loader is done: whether the pairs get numbers at all, whatever the machine's speed.
    while (!historyIdle && Date.now() - t0 < HISTORY_WAIT_MS) await sleep(200)
    await sleep(500) // the last window's records leave in the next flushes
    const settledAfterMs = Date.now() - t0
    const settledImpacts = new Map(col.impacts)
    const scoredKeys = [...received].flatMap(([id, a]) => a.tickers.map((s) => `${id}|${s}`))
    const times = scoredKeys.map((k) => firstNumbers.get(k)).filter((x): x is number => x !== undefined)
    core.handle({ type: 'stop' })
    await col.stopped

    const symbols = [...new Set([...received.values()].flatMap((a) => a.tickers))]
    const truthP = next('truth')
    worker.postMessage({ type: 'truth', symbols, before: simT0 })
    const truth = z
      .object({ eligible: z.record(z.string(), z.array(z.number())), headlines: z.number() })
      .parse(await truthP)
    const tradedIn = (s: string, lo: number, hi: number): boolean =>
      (truth.eligible[s] ?? []).some((ts) => ts > lo && ts <= hi)
    return {
      firstPage: scoreScreen({ at, received: newestHeadlines(received), impacts, tradedIn }),
      screen: scoreScreen({ at, received, impacts, tradedIn }),
      settled: scoreScreen({ at, received, impacts: settledImpacts, tradedIn }),
      settledAfterMs,
      receivedHeadlines: received.size,
      publishedHeadlines: truth.headlines,
      lastNumbersAfterMs: times.length ? Math.max(...times) - t0 : null,
      historyStatus,
      wallMs: Date.now() - wall0,
    }
  } finally {
    core.handle({ type: 'stop' })
    const stopped = next('stopped')
    worker.postMessage({ type: 'stop' })
    await Promise.race([stopped, sleep(5000)]).catch(() => undefined)
    await worker.terminate()
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined)
  }
}

/** Timers on a clock that may run unevenly (the data clock): a callback fires once `now()` has passed its due time. */
export function dataTimers(now: () => number): {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(h: unknown): void
} {
  return {
    setTimeout: (fn, ms) => {
      const due = now() + Math.max(0, ms)
      const h = setInterval(() => {
        if (now() < due) return
        clearInterval(h)
        fn()
      }, 5)
      return h
    },
    clearTimeout: (h) => clearInterval(h as NodeJS.Timeout),
  }
}

/** Waits (wall time) until `now()` reaches `t`; gives up (loudly) after 4× the nominal wall time. */
async function waitUntil(
  now: () => number,
  t: number,
  factor: number,
  progress?: (t: number) => void,
): Promise<void> {
  let lastReport = now()
  const deadline = Date.now() + Math.max(30_000, (4 * (t - now())) / factor)
  for (;;) {
    const n = now()
    if (n >= t) return
    if (Date.now() > deadline)
      throw new Error(
        `market data stopped short of ${new Date(t).toISOString()} (at ${new Date(n).toISOString()}): is the feed connected?`,
      )
    if (progress && n - lastReport >= 15 * MINUTE_MS) {
      lastReport = n
      progress(n)
    }
    await sleep(Math.min(1000, Math.max(5, (t - n) / factor)))
  }
}

const hms = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString().slice(11, 19))
const sec = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`)
/** A shock never told counts as an infinite delay in the percentiles: shown as "never". */
const secs = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} s` : 'never')
const d = (x: Dist): string => `p50 ${secs(x.p50)}, p90 ${secs(x.p90)}, max ${secs(x.max)} (n ${x.n})`
const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)} %`)

/** One line per shock, for failure messages and the bench's stderr. */
export function describeShock(x: DetectionScore['shocks'][number]): string {
  return [
    x.recalled ? 'HIT ' : 'MISS',
    x.symbol.padEnd(5),
    `${x.session} ${hms(x.start)}`,
    `${x.direction} ${(x.size * 100).toFixed(2)}%${x.halted ? ' halted' : ''}${x.from < x.start ? ` leak ${sec(x.start - x.from)}` : ''}`,
    `recv +${x.receivedAt === null ? '-' : sec(x.receivedAt - x.start)}${x.tagged ? '' : ' UNTAGGED'}`,
    `move ${x.moveId ? `+${sec(x.moveDelayMs)}` : '-'}`,
    `signal ${x.signal ?? '-'} det ${x.signalDetectedAt === null ? '-' : `+${sec(x.signalDetectedAt - x.start)}`} alert ${x.alertAt === null ? '-' : `+${sec(x.alertAt - x.start)}`}`,
    `told ${x.toldBy ?? '-'} ${x.toldDelayMs === null ? '' : `+${sec(x.toldDelayMs)}`}`,
  ].join(' | ')
}

/** A few lines for logs, test output and the bench. */
export function summarize(r: DetectionReport): string {
  const s = r.score
  const spreads = Object.entries(r.spreads)
    .map(([k, v]) => `${k} p50 ${v.p50Bp.toFixed(1)} bp / p90 ${v.p90Bp.toFixed(1)} bp`)
    .join(', ')
  return [
    `session ${hms(r.options.from)}–${hms(r.options.to)} UTC, shocks ${r.options.shocks}, ${s.shocks.length} shocks, ${s.macroMoves} macro moves, ${s.nullHeadlines.length} null headlines`,
    `recall ${pct(s.recall.rate)} (${s.recall.hit}/${s.recall.n}); by move alert ${pct(s.moveRecall.rate)}, by signal ${pct(s.signalRecall.rate)}; pre-market ${pct(s.recallBySession.pre.rate)} (${s.recallBySession.pre.hit}/${s.recallBySession.pre.n})`,
    `move alert delay after start: ${d(s.moveDelaySec)}; first told: ${d(s.toldDelaySec)}; poll latency ${d(s.pollLatencySec)} (interval ${r.pollIntervalSec?.toFixed(0) ?? '-'} s)`,
    `false move alerts ${s.falseMoves.length} in ${s.symbolHours.toFixed(1)} symbol-hours = ${s.falseMovesPer20SymbolHours.toFixed(2)} per 20 (of ${s.movesInSpan} alerts; ${s.falseMoves.filter((f) => f.duringMacro).length} near macro moves); spreads ${spreads}`,
    `false signals: null ${pct(s.nullFalseRate.rate)} (${s.nullFalseRate.hit}/${s.nullFalseRate.n}, ${s.nullFalseRate.undecided} undecided); single-stock during macro ${pct(s.macroFalseRate.rate)} (${s.macroFalseRate.hit}/${s.macroFalseRate.n}, ${s.macroFalseRate.undecided} undecided)`,
    `pipeline: ${r.counters.trades} trades, ${r.counters.articles} articles, ${r.counters.impacts} impact records, ${r.counters.moves} move alerts, ${r.counters.guardianCalls} Guardian calls (${r.counters.rateLimited} rate-limited); ${(r.simulatedMs / 60_000).toFixed(0)} simulated min in ${(r.wallMs / 1000).toFixed(0)} s wall`,
  ].join('\n')
}

export function summarizeDemo(r: DemoStartReport): string {
  return [
    `demo start: first page (newest ${FIRST_PAGE} headlines) ${r.firstPage.withNumbers}/${r.firstPage.n} pairs with trades in their first minute show numbers after 10 s (${pct(r.firstPage.rate)})`,
    `every headline received: ${r.screen.withNumbers}/${r.screen.n} headline pairs with trades in their first minute show numbers after 10 s (${pct(r.screen.rate)}); ${r.screen.excluded} pairs excluded`,
    `the same pairs once history was loaded (${(r.settledAfterMs / 1000).toFixed(1)} s): ${r.settled.withNumbers}/${r.settled.n} (${pct(r.settled.rate)})`,
    `headlines received ${r.receivedHeadlines} of ${r.publishedHeadlines} published before the start; last pair's numbers at ${r.lastNumbersAfterMs === null ? '-' : `${(r.lastNumbersAfterMs / 1000).toFixed(1)} s`}; history ${r.historyStatus ?? '-'}; ${(r.wallMs / 1000).toFixed(0)} s wall`,
  ].join('\n')
}
