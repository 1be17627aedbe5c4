// Market engine benchmarks.
// 1. "parse + aggregate, frames of 100 trades, one core" and "… 100 events, trades and quotes mixed": frames in
//    the shape the servers send in 2026 (fixtures/polygon: `pt` on every trade and quote, `ds` on trades, a few
//    fractional-share trades, `trfi`/`trft` on off-exchange prints, quotes in shares with `i` arrays, the
//    servers' key order), 100 events per frame, ~50 symbols. Times (a) a bare JSON.parse loop, (b)
//    parsePolygonFrame feeding the market engine (with a drain every ~16 ms worth of trades, as the worker's
//    coalescer would), (c) the parser alone, (d) the engine alone on pre-parsed trades. Median of several runs
//    after warm-up; a fresh engine per run (the duplicate filter would otherwise reject the replayed frames).
// 2. "20 million trades over 500 symbols": runs in a child `node --expose-gc` (via tsx) so gc can be forced
//    and RSS is not polluted by other scenarios; reports heap/RSS growth after warm-up.
// BENCH_QUICK=1 shrinks both; BENCH_MARKET_TRADES overrides the trade count of scenario 2.
import type { Trade } from '../../src-main/domain/market'
import { parsePolygonFrame } from '../../src-main/feeds/parse'
import type { PolygonSink } from '../../src-main/feeds/parse'
import { createMarketEngine } from '../../src-main/market'
import { F as RING_F } from '../../src-main/market/bar-ring'
import type { MarketEngine } from '../../src-main/market'
import { mulberry32 } from '../../src-main/simulator/prng'
import { printResult, runBenchChild } from './child'
import type { BenchResult, BenchScenario } from './types'

const QUICK = process.env.BENCH_QUICK === '1'
const DEPTH = 1000
// 2024-03-11 13:30 UTC = 09:30 ET (Monday).
const T0 = Date.UTC(2024, 2, 11, 13, 30)

function symbolNames(n: number): string[] {
  const out: string[] = []
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  for (let i = 0; i < n; i++) {
    let s = ''
    let x = i + 26 * 26
    while (x > 0) {
      s = A[x % 26] + s
      x = Math.floor(x / 26)
    }
    out.push(s)
  }
  return out
}

interface GenState {
  rand: () => number
  symbols: string[]
  price: Float64Array
  seq: Float64Array
  ts: number
  clock: number
  id: number
}

function genState(nSymbols: number, seed: number): GenState {
  const rand = mulberry32(seed)
  const price = new Float64Array(nSymbols)
  for (let i = 0; i < nSymbols; i++) price[i] = 5 + rand() * 500
  return {
    rand,
    symbols: symbolNames(nSymbols),
    price,
    seq: new Float64Array(nSymbols),
    ts: T0,
    clock: T0,
    id: 1e13,
  }
}

/** Next trade's fields, a realistic mix: round and odd lots, common condition codes, off-exchange reports. */
function nextTrade(
  g: GenState,
  tsStep: number,
): { k: number; p: number; s: number; c: number[] | null; x: number; off: boolean } {
  const r = g.rand
  // A few symbols trade far more than the rest (skewed, like a real watchlist).
  const u = r()
  const k = Math.floor(u * u * g.symbols.length)
  const p0 = g.price[k] as number
  const p = Math.max(0.01, Math.round(p0 * (1 + (r() - 0.5) * 0.002) * 100) / 100)
  g.price[k] = p
  g.seq[k] = (g.seq[k] as number) + 1 + Math.floor(r() * 3)
  // Exponential-ish spacing with mean tsStep ms (fractional means accumulate, timestamps stay integers).
  g.clock += r() * 2 * tsStep
  g.ts = Math.floor(g.clock)
  g.id++
  const v = r()
  let s: number
  let c: number[] | null = null
  if (v < 0.3) {
    s = 1 + Math.floor(r() * 99)
    c = [37]
  } else if (v < 0.35) {
    s = 100 * (1 + Math.floor(r() * 5))
    c = [14, 41]
  } else if (v < 0.37) {
    s = 100
    c = [12]
  } else if (v < 0.371) {
    s = 0
    c = [15]
  } else {
    s = 100 * (1 + Math.floor(r() * 10))
  }
  const off = r() < 0.35
  return { k, p, s, c, x: off ? 4 : 1 + Math.floor(r() * 20), off }
}

export type FrameShape = 'trades' | 'mixed'

/**
 * N Polygon frames (JSON text) of `per` events each, in the 2026 wire shape (see fixtures/polygon): trades only,
 * or trades and quotes mixed (about half each, as a watchlist with T and Q subscriptions receives them).
 */
export function makeFrames(nFrames: number, per = 100, nSymbols = 50, seed = 42, shape: FrameShape = 'trades'): string[] {
  const g = genState(nSymbols, seed)
  const frames: string[] = []
  let qseq = 1e8
  for (let f = 0; f < nFrames; f++) {
    const parts: string[] = []
    for (let i = 0; i < per; i++) {
      if (shape === 'mixed' && g.rand() < 0.5) {
        // A quote: i array first, exchanges, prices, sizes in shares, t and pt, sequence, tape.
        const k = Math.floor(g.rand() * g.symbols.length)
        const mid = g.price[k] as number
        const bid = Math.round(mid * 100 - 1) / 100
        const ask = Math.round(mid * 100 + 1) / 100
        const bs = 100 * (1 + Math.floor(g.rand() * 9))
        const as = 100 * (1 + Math.floor(g.rand() * 9))
        qseq += 1 + Math.floor(g.rand() * 5)
        parts.push(
          `{"ev":"Q","sym":"${g.symbols[k]}","i":[604],"bx":${1 + (k % 20)},"ax":${1 + ((k + 3) % 20)},"bp":${bid},"ap":${ask},"bs":${bs},"as":${as},"t":${g.ts},"pt":${g.ts},"q":${qseq},"z":${1 + (k % 3)}}`,
        )
        continue
      }
      const t = nextTrade(g, 0.5)
      // About 2 % fractional-share trades: `s` = 1, the size in `ds`.
      const frac = t.s > 0 && t.s < 100 && g.rand() < 0.07
      const ds = frac ? `0.${String(1 + Math.floor(g.rand() * 999_998)).padStart(6, '0')}` : `${t.s}.0`
      let e = `{"ev":"T","sym":"${g.symbols[t.k]}","i":"${g.id}","x":${t.x},"p":${t.p},"s":${frac ? 1 : t.s}`
      if (t.c !== null) e += `,"c":[${t.c.join(',')}]`
      e += `,"t":${g.ts},"pt":${g.ts - (t.off ? 7 : 1)},"q":${g.seq[t.k]},"z":${1 + (t.k % 3)}`
      if (t.off) e += `,"trfi":202,"trft":${g.ts}`
      parts.push(`${e},"ds":"${ds}"}`)
    }
    // Through a Buffer, as the socket delivers text: one flat string (concatenation leaves a rope, which
    // JSON.parse flattens once but char-by-char readers pay for on every access).
    frames.push(Buffer.from('[' + parts.join(',') + ']').toString('utf8'))
  }
  return frames
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/**
 * Seconds per run after warm-up. CPU time of this process (user + system) is the primary figure rather than
 * wall time: the build machines are shared, and CPU time is what "one core" means; it also counts GC helper
 * threads, which errs on the safe side.
 */
function timeRuns(warmup: number, runs: number, fn: () => void): Runs {
  for (let i = 0; i < warmup; i++) fn()
  const out: Runs = { cpu: [], wall: [] }
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage()
    const t0 = process.hrtime.bigint()
    fn()
    out.wall.push(Number(process.hrtime.bigint() - t0) / 1e9)
    const c = process.cpuUsage(c0)
    out.cpu.push((c.user + c.system) / 1e6)
  }
  return out
}

interface Runs {
  cpu: number[]
  wall: number[]
}

type Variant = 'bare' | 'full' | 'parserOnly' | 'engineOnly'
const VARIANTS: Variant[] = ['bare', 'full', 'parserOnly', 'engineOnly']
// ~16 ms of trades at 1 M/s: the coalescer drains this often.
const DRAIN_EVERY = 160

function engineSink(engine: MarketEngine, counter: { malformed: number }): PolygonSink {
  return {
    trade: (t) => {
      engine.ingestTrade(t)
    },
    quote: () => {},
    aggregate: (b) => {
      engine.ingestAggregate(b)
    },
    status: () => {},
    malformed: () => {
      counter.malformed++
    },
  }
}

/**
 * One variant, measured in a fresh process (child mode): each variant gets its own JIT feedback, as in the
 * worker where the parser always feeds the same sink. Sharing one process would make the sink call sites
 * polymorphic and slow the parser down for reasons that do not exist in production.
 */
function throughputRun(variant: Variant, nFrames: number, warmup: number, runs: number, shape: FrameShape): Runs {
  const frames = makeFrames(nFrames, 100, 50, 42, shape)
  const noop: PolygonSink = {
    trade: () => {},
    quote: () => {},
    aggregate: () => {},
    status: () => {},
    malformed: () => {},
  }
  let sink = 0
  let updates = 0
  let fn: () => void
  if (variant === 'bare') {
    fn = () => {
      for (let i = 0; i < frames.length; i++) sink += (JSON.parse(frames[i] as string) as unknown[]).length
    }
  } else if (variant === 'full') {
    const counter = { malformed: 0 }
    fn = () => {
      const engine = createMarketEngine({ historyDepth: DEPTH })
      const s = engineSink(engine, counter)
      for (let i = 0; i < frames.length; i++) {
        parsePolygonFrame(frames[i] as string, s)
        if (i % DRAIN_EVERY === DRAIN_EVERY - 1) updates += engine.drainUpdates().length
      }
      updates += engine.drainUpdates().length
      sink += engine.stats().trades
      if (counter.malformed > 0) throw new Error(`generator produced ${counter.malformed} malformed trades`)
    }
  } else if (variant === 'parserOnly') {
    fn = () => {
      for (let i = 0; i < frames.length; i++) sink += parsePolygonFrame(frames[i] as string, noop).events
    }
  } else {
    // Trades parsed once up front (cache-cold objects: pessimistic for the engine).
    const parsed: Trade[] = []
    for (const f of frames) parsePolygonFrame(f, { ...noop, trade: (t) => parsed.push(t) })
    fn = () => {
      const engine = createMarketEngine({ historyDepth: DEPTH })
      for (let i = 0; i < parsed.length; i++) {
        engine.ingestTrade(parsed[i] as Trade)
        if (i % 16_000 === 15_999) updates += engine.drainUpdates().length
      }
      sink += engine.stats().trades
    }
  }
  const r = timeRuns(warmup, runs, fn)
  if (sink === 0) throw new Error(`${variant}: nothing processed`)
  if ((variant === 'full' || variant === 'engineOnly') && updates === 0)
    throw new Error(`${variant}: no updates drained`)
  return r
}

async function parseAggregate(shape: FrameShape): Promise<BenchResult[]> {
  const scenario =
    shape === 'trades'
      ? 'parse + aggregate, frames of 100 trades, one core'
      : 'parse + aggregate, frames of 100 events, trades and quotes mixed, one core'
  const nFrames = QUICK ? 2_000 : 10_000
  const events = nFrames * 100
  const rounds = QUICK ? 2 : 3
  const runsPerChild = 3
  const all: Record<Variant, Runs> = {
    bare: { cpu: [], wall: [] },
    full: { cpu: [], wall: [] },
    parserOnly: { cpu: [], wall: [] },
    engineOnly: { cpu: [], wall: [] },
  }
  // Rounds of one child per variant, so a change in machine load hits every variant alike.
  for (let round = 0; round < rounds; round++) {
    for (const v of VARIANTS) {
      const r = (await runChild({
        kind: 'throughput',
        variant: v,
        nFrames,
        warmup: 2,
        runs: runsPerChild,
        shape,
      })) as Runs
      all[v].cpu.push(...r.cpu)
      all[v].wall.push(...r.wall)
    }
  }
  const { bare, full, parserOnly, engineOnly } = all
  const runs = rounds * runsPerChild
  const unit = shape === 'trades' ? 'trades/s' : 'events/s'

  const bareRate = events / median(bare.cpu)
  const fullRate = events / median(full.cpu)
  const engineRate = events / median(engineOnly.cpu)
  const parserRate = events / median(parserOnly.cpu)
  const fullRatio = fullRate / bareRate
  const parserRatio = parserRate / bareRate
  const wall = (x: { wall: number[] }): string =>
    `${Math.round(events / median(x.wall)).toLocaleString('en-US')}/s wall`
  const what = shape === 'trades' ? 'trades' : 'events (~half quotes)'
  const note = `${events.toLocaleString('en-US')} ${what}, 2026 wire shape, 50 symbols, median of ${runs} (CPU time; ${wall(bare)})`
  const out: BenchResult[] = [
    { scenario, metric: 'bare JSON.parse', value: bareRate, unit, note },
    {
      scenario,
      metric: 'parsePolygonFrame alone (no-op sink)',
      value: parserRate,
      unit,
      note: `CPU time; ${wall(parserOnly)}`,
    },
    {
      scenario,
      metric: 'parser alone ÷ bare JSON.parse',
      value: parserRatio,
      unit: '×',
      target: '≥ 1.2',
      pass: parserRatio >= 1.2,
    },
    {
      scenario,
      metric: 'parsePolygonFrame + engine',
      value: fullRate,
      unit,
      ...(shape === 'trades' ? { target: '≥ 1,000,000', pass: fullRate >= 1_000_000 } : {}),
      note: `incl. drainUpdates every ${DRAIN_EVERY} frames (CPU time; ${wall(full)})`,
    },
    {
      scenario,
      metric: 'parse + aggregate ÷ bare JSON.parse',
      value: fullRatio,
      unit: '×',
      target: '≥ 0.9',
      pass: fullRatio >= 0.9,
    },
  ]
  if (shape === 'trades') {
    out.push({
      scenario,
      metric: 'engine alone (pre-parsed)',
      value: engineRate,
      unit,
      note: `informative (CPU time; ${wall(engineOnly)})`,
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Scenario 2: memory over a long run. The measuring part runs in a child with --expose-gc.

interface MemoryReport {
  trades: number
  symbols: number
  depth: number
  seconds: number
  warmHeapMB: number
  endHeapMB: number
  warmRssMB: number
  endRssMB: number
  maxHeapGrowthMB: number
  maxRssGrowthMB: number
  /** Growth of ring capacity (bytes reserved for bars, bounded by depth) between warm-up and end. */
  ringGrowthMB: number
  /** Upper bound of ring memory for these symbols at this depth. */
  ringBoundMB: number
  gc: boolean
  days: number
}

function mb(n: number): number {
  return Math.round((n / 2 ** 20) * 10) / 10
}

/** Child body: generate and ingest `total` trades over 500 symbols, measuring after forced gc. */
function memoryRun(total: number): MemoryReport {
  const gc = (globalThis as { gc?: () => void }).gc
  const collect = (): void => {
    if (gc !== undefined) {
      gc()
      gc()
    }
  }
  const nSymbols = 500
  const engine = createMarketEngine({ historyDepth: DEPTH })
  const g = genState(nSymbols, 7)
  // 4 ms between trades on average: 20 M trades span ~22 h, crossing a trading-day boundary.
  const tsStep = 4
  const warmupAt = Math.floor(total * 0.25)
  const checkpoints = 10
  let warmHeap = 0
  let warmRss = 0
  let warmRing = 0
  // Bytes reserved by bar rings (RING_F float64 per slot), from the engine's structural sizes.
  const ringBytes = (): number => {
    let n = 0
    for (const sym of engine.symbols()) {
      const sz = engine.sizes(sym)
      for (const r of Object.values(sz?.rings ?? {})) n += r.cap * RING_F * 8
    }
    return n
  }
  let maxHeapGrowth = 0
  let maxRssGrowth = 0
  const t0 = process.hrtime.bigint()
  for (let n = 1; n <= total; n++) {
    const t = nextTrade(g, tsStep)
    // A fresh object per trade, as the parser produces: the engine must not keep it.
    const trade: Trade = {
      symbol: g.symbols[t.k] as string,
      price: t.p,
      size: t.s,
      ts: g.ts,
      exchange: t.x,
      conditions: t.c ?? [],
      seq: g.seq[t.k] as number,
      id: String(g.id),
      tape: 1,
    }
    engine.ingestTrade(trade)
    if ((n & 16383) === 0) engine.drainUpdates()
    if (n === warmupAt) {
      collect()
      const m = process.memoryUsage()
      warmHeap = m.heapUsed + m.arrayBuffers
      warmRss = m.rss
      warmRing = ringBytes()
    } else if (n > warmupAt && n % Math.floor(total / checkpoints) === 0) {
      collect()
      const m = process.memoryUsage()
      maxHeapGrowth = Math.max(maxHeapGrowth, m.heapUsed + m.arrayBuffers - warmHeap)
      maxRssGrowth = Math.max(maxRssGrowth, m.rss - warmRss)
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  collect()
  const m = process.memoryUsage()
  // Keep the engine reachable until after the last measurement (else gc may free it first).
  const symbolsSeen = engine.symbols().length
  const endRing = ringBytes()
  maxHeapGrowth = Math.max(maxHeapGrowth, m.heapUsed + m.arrayBuffers - warmHeap)
  maxRssGrowth = Math.max(maxRssGrowth, m.rss - warmRss)
  return {
    trades: total,
    symbols: symbolsSeen,
    depth: DEPTH,
    seconds,
    warmHeapMB: mb(warmHeap),
    endHeapMB: mb(m.heapUsed + m.arrayBuffers),
    warmRssMB: mb(warmRss),
    endRssMB: mb(m.rss),
    maxHeapGrowthMB: mb(maxHeapGrowth),
    maxRssGrowthMB: mb(maxRssGrowth),
    ringGrowthMB: mb(endRing - warmRing),
    ringBoundMB: mb(symbolsSeen * 4 * DEPTH * RING_F * 8),
    gc: gc !== undefined,
    days: Math.ceil((g.ts - T0) / 86_400_000),
  }
}

type ChildJob =
  | { kind: 'memory'; total: number }
  | { kind: 'throughput'; variant: Variant; nFrames: number; warmup: number; runs: number; shape: FrameShape }

/** Runs a job in `node --expose-gc --import tsx <this file>`. */
const runChild = (job: ChildJob): Promise<unknown> =>
  runBenchChild(import.meta.url, { MARKET_BENCH_CHILD: JSON.stringify(job) }, ['--expose-gc'])

async function memoryScenario(): Promise<BenchResult[]> {
  const scenario = '20 million trades over 500 symbols'
  const total = Number(process.env.BENCH_MARKET_TRADES ?? (QUICK ? 2_000_000 : 20_000_000))
  let r: MemoryReport
  try {
    r = (await runChild({ kind: 'memory', total })) as MemoryReport
  } catch (err) {
    // No child possible (tsx missing?): measure in-process, without forced gc.
    r = memoryRun(total)
    r = { ...r }
    process.stderr.write(`market memory bench: child failed (${String(err)}), measured in-process\n`)
  }
  const note = `${r.trades.toLocaleString('en-US')} trades, ${r.symbols} symbols, depth ${r.depth}, ~${r.days} day(s) of data, warm-up 25 %, gc ${r.gc ? 'forced' : 'NOT available'}`
  return [
    {
      scenario,
      metric: 'RSS growth after warm-up',
      value: r.maxRssGrowthMB,
      unit: 'MB',
      target: '≤ 50',
      pass: r.maxRssGrowthMB <= 50,
      note,
    },
    {
      scenario,
      metric: 'heap+buffers growth after warm-up',
      value: r.maxHeapGrowthMB,
      unit: 'MB',
      note: `heap ${r.warmHeapMB} → ${r.endHeapMB} MB`,
    },
    {
      scenario,
      metric: 'of which bar rings filling toward depth',
      value: r.ringGrowthMB,
      unit: 'MB',
      note: `bounded: rings can never exceed ${r.ringBoundMB} MB for ${r.symbols} symbols at depth ${r.depth}`,
    },
    {
      scenario,
      metric: 'heap growth not explained by ring fill',
      value: Math.round((r.maxHeapGrowthMB - r.ringGrowthMB) * 10) / 10,
      unit: 'MB',
      note: 'leak indicator (should stay near 0)',
    },
    { scenario, metric: 'RSS at end', value: r.endRssMB, unit: 'MB' },
    {
      scenario,
      metric: 'ingest rate (generation included)',
      value: r.trades / r.seconds,
      unit: 'trades/s',
      note: 'informative',
    },
  ]
}

export const scenarios: BenchScenario[] = [
  { name: 'parse + aggregate, frames of 100 trades, one core', run: () => parseAggregate('trades') },
  {
    name: 'parse + aggregate, frames of 100 events, trades and quotes mixed, one core',
    run: () => parseAggregate('mixed'),
  },
  { name: '20 million trades over 500 symbols', run: memoryScenario },
]

// Child mode: only when spawned by memoryScenario (the bench runner imports this file without the variable).
const childJob = process.env.MARKET_BENCH_CHILD
if (childJob !== undefined && childJob !== '') {
  const job = JSON.parse(childJob) as ChildJob
  const result =
    job.kind === 'memory'
      ? memoryRun(job.total)
      : throughputRun(job.variant, job.nFrames, job.warmup, job.runs, job.shape)
  printResult(result)
}
