// UI benchmarks (issue 5 §7) in Chromium against browser mode: the real core, the demo simulator and the
// built renderer (rebuilt first when stale: scripts/renderer-build.ts), driven by playwright-core (harness in
// tests/e2e/support).
//
//  ui-12-charts-50k — 12 one-minute charts open while the simulator sends 50,000 trades/s over their symbols.
//    · frame time p95: requestAnimationFrame deltas (the callbacks' frame timestamps) over RUN_MS. Chromium
//      runs frames at 60 Hz, so an on-time frame is 16.7 ms and a dropped frame shows as ≥ 33 ms. Timestamps
//      are coarsened to 100 µs: a blank page measures 16.6–16.8 ms, so the pass mark is 17.0 ms (no frame missed).
//    · trade → drawn p99, over trades: the page listens to the same WebSocket `market:batch` frames the app gets
//      and maps each symbol's 1-minute bar state (start, volume) to the timestamp of the newest trade in it
//      (`summary.lastTs`, simulator clock = wall clock) and the bar's trade count. Each chart records the newest
//      candle it has drawn, from inside lightweight-charts' paint (a primitive's renderer); after every frame's
//      paint (rAF → MessageChannel) the probe reads those, and a change is "drawn" at that moment. A change
//      draws the trades since the previous drawn state: the newest one's latency is known, the oldest is
//      bounded by the previous state's newest trade, and their number is the trade count's step; they are
//      spread evenly between the two (trade-latency.ts). The note also gives the stricter per-change figure
//      (the oldest trade of each change at that bound). It includes the demo simulator's 2 ms send tick.
//    · reference, same run: the machine's own ceiling for this drawing. With the app page closed and the same
//      core load still running (simulator and ingest at 50,000 trades/s), a page of 12 bare lightweight-charts
//      charts of the app's chart size (candles + volume pane, the app's options) updates every chart every
//      frame from a local random walk: its repaints per second (12 × frames), frame time and CPU shares. The
//      app's repaints per second are reported against it.
//    · reference for trade → drawn, same run: 12 bare lightweight-charts charts (same size and options) in a
//      page of their own at the app's origin, connected to the same WebSocket, each market:batch frame parsed
//      and handed to the charts at once (no React, no validation, no hub or pacing), measured by the same
//      probe. What any client of this stream gets on this machine at this moment; the app's p99 is reported
//      against it.
//  ui-launch — page navigation → first candle on screen (the server already running and built): the time,
//    relative to navigation start (performance.timeOrigin), of the first frame whose chart holds a candle,
//    plus that frame's paint. Worst of LAUNCHES fresh browser contexts.
import { existsSync } from 'node:fs'
import { ensureRendererBuilt } from '../renderer-build'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { WS_PATH } from '../../src-preload/contract'
import { CHART_THEMES, VOLUME_OPTIONS, candleOptions, chartOptions, volumeColor, volumePaneHeight } from '../../src-renderer/src/features/charts/chart-options'
import { intradayFactor } from '../../src-main/simulator/intraday'
import { DEFAULT_UNIVERSE, symbolProfile } from '../../src-main/simulator/symbols'
import { REPO_ROOT, launchChromium, removeDir, startServe, tempDataDir, waitFor, type ServeHandle } from '../../tests/e2e/support/harness'
import { printResult, runBenchChild } from './child'
import { cpuShares, cpuTicks, formatShares, type CpuRole } from './proc-cpu'
import { percentile, percentileOf } from './stats'
import { perTradeLatencies, spansOf } from './trade-latency'
import type { BenchResult, BenchScenario } from './types'

const QUICK = process.env.BENCH_QUICK === '1'
const RUN_MS = QUICK ? 5_000 : 10_000
const WARM_MS = QUICK ? 2_000 : 4_000
const LAUNCHES = QUICK ? 3 : 5
const SEED = 4242
/** The load; BENCH_UI_TRADES_PER_SEC overrides it for diagnosis (the result then says so). */
const TARGET_TRADES_PER_SEC = Number(process.env.BENCH_UI_TRADES_PER_SEC) > 0 ? Number(process.env.BENCH_UI_TRADES_PER_SEC) : 50_000
const FRAME_BUDGET_MS = 16.7
/** 16.7 ms plus the 100 µs timestamp coarsening jitter seen on a blank page. */
const FRAME_PASS_MS = 17.0
const CHARTS = 12
/** Fresh-process runs of the 12-chart scenario, samples pooled. */
const UI_RUNS = QUICK ? 1 : 3

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Simulator intensity that makes `symbols` trade `target` times a second in total right now (their base rates × the time-of-day factor). */
export function intensityFor(symbols: readonly string[], target: number, seed: number, now = Date.now()): number {
  const base = symbols.reduce((sum, s) => sum + symbolProfile(seed, s).baseRate, 0)
  return target / (base * intradayFactor(now))
}

async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

interface ProbeResult {
  newest: number[]
  /** Per change with a previous drawn state, flat triples: latency of the newest trade drawn; of the previous
   * drawn state's newest trade (an upper bound for the oldest trade drawn now); how many trades were drawn. */
  spans: number[]
  unmatched: number
  /** Trade → message in the page, newest trade of each update. */
  received: number[]
}

// Page scripts are strings: tsx (esbuild keepNames) would wrap named functions in a `__name` helper the page lacks.

/** Page script: collects rAF frame deltas (frame timestamps) until stopped. */
const FRAME_RECORDER = `(() => {
  window.__frames = []
  window.__framesOn = true
  let prev = -1
  const loop = (t) => {
    if (prev >= 0) window.__frames.push(t - prev)
    prev = t
    if (window.__framesOn) requestAnimationFrame(loop)
  }
  requestAnimationFrame(loop)
})()`

const startFrameRecorder = (page: Page): Promise<void> => page.evaluate(FRAME_RECORDER)

const stopFrameRecorder = (page: Page): Promise<number[]> => page.evaluate('(() => { window.__framesOn = false; return window.__frames })()')

/** Init script (runs before the app): taps the app's WebSocket to learn, per symbol and 1-minute bar state, the newest trade's timestamp. */
const WS_TAP = `(() => {
  const Native = window.WebSocket
  const states = (window.__tradeStates = new Map())
  // Trade → the page has the message (newest trade of each update), while the probe runs: the part of the
  // latency before the renderer.
  const received = (window.__received = { on: false, ms: [] })
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string' || !ev.data.startsWith('{"event":"market:batch"')) return
        let msg
        try { msg = JSON.parse(ev.data) } catch { return }
        const now = performance.timeOrigin + performance.now()
        for (const u of msg.payload || []) {
          const bar = u.bars && u.bars['1m']
          const ts = u.summary && u.summary.lastTs
          if (!bar || typeof ts !== 'number') continue
          if (received.on) received.ms.push(now - ts)
          let m = states.get(u.symbol)
          if (!m) states.set(u.symbol, (m = new Map()))
          m.set(bar.start + '|' + bar.volume, [ts, bar.trades])
          if (m.size > 4000) m.delete(m.keys().next().value)
        }
      })
    }
  }
})()`

/**
 * Page script: after every frame's paint (rAF → MessageChannel), reads each chart's newest DRAWN candle (the
 * chart records it from inside its own paint); a change was drawn in the frame just painted.
 */
const drawProbe = (symbols: string[]) => `(() => {
  const syms = ${JSON.stringify(symbols)}
  const probe = (window.__probe = { newest: [], spans: [], unmatched: 0, on: true })
  window.__received.on = true
  const lastKey = new Map()
  const lastState = new Map()
  const check = () => {
    const at = performance.timeOrigin + performance.now()
    for (const s of syms) {
      const c = window.__newstape && window.__newstape.paintedCandle(s, '1m')
      if (!c) continue
      const key = c.time * 1000 + '|' + c.volume
      if (lastKey.get(s) === key) continue
      lastKey.set(s, key)
      const m = window.__tradeStates.get(s)
      const state = m && m.get(key)
      if (state === undefined) { probe.unmatched++; continue }
      const [ts, trades] = state
      const prev = lastState.get(s)
      lastState.set(s, { ts, trades, start: c.time })
      probe.newest.push(at - ts)
      // The trades this change drew: the bar's trade count since the previous drawn state (a new bar: its own).
      if (prev !== undefined && prev.ts < ts) {
        probe.spans.push(at - ts, at - prev.ts, prev.start === c.time ? trades - prev.trades : trades)
      }
    }
  }
  const ch = new MessageChannel()
  ch.port1.onmessage = () => {
    check()
    if (probe.on) requestAnimationFrame(() => ch.port2.postMessage(0))
  }
  requestAnimationFrame(() => ch.port2.postMessage(0))
})()`

const startDrawProbe = (page: Page, symbols: string[]): Promise<void> => page.evaluate(drawProbe(symbols))

const stopDrawProbe = (page: Page): Promise<ProbeResult> =>
  page.evaluate(
    '(() => { const p = window.__probe; p.on = false; window.__received.on = false; return { newest: p.newest, spans: p.spans, unmatched: p.unmatched, received: window.__received.ms } })()',
  )

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d
/** Benchmarks on a shared box: say how busy it was. */
const machine = () => `load avg ${round(loadavg()[0]!)} on ${cpus().length} CPUs`

const LWC_STANDALONE = join(REPO_ROOT, 'node_modules', 'lightweight-charts', 'dist', 'lightweight-charts.standalone.production.js')

/** Page script prelude for the references: `makeChart()` adds one bare chart of the app's size and options (candles + volume pane) to #grid. */
const chartMaker = (width: number, height: number): string => {
  const theme = CHART_THEMES.dark
  return `
  const L = window.LightweightCharts
  const grid = document.getElementById('grid')
  const upColor = ${JSON.stringify(volumeColor(theme, true))}
  const downColor = ${JSON.stringify(volumeColor(theme, false))}
  const makeChart = () => {
    const el = document.createElement('div')
    el.style.cssText = 'position:relative;width:${width}px;height:${height}px'
    grid.appendChild(el)
    const chart = L.createChart(el, ${JSON.stringify(chartOptions(theme, false))})
    const candles = chart.addSeries(L.CandlestickSeries, ${JSON.stringify(candleOptions(theme))})
    const volume = chart.addSeries(L.HistogramSeries, ${JSON.stringify(VOLUME_OPTIONS)}, 1)
    chart.panes()[1].setHeight(${volumePaneHeight(height)})
    return { candles, volume }
  }`
}

/** The references' page: a grid laid out like the app's chart area. */
const REFERENCE_PAGE =
  '<!doctype html><html><body style="margin:0;background:#0b0e13"><div id="grid" style="display:grid;grid-template-columns:repeat(4,max-content);gap:4px;padding:40px 0 0 304px"></div></body></html>'

/** Page script: 12 bare lightweight-charts charts (the app's options, candles + volume pane), every one updated every frame. */
const referenceCharts = (width: number, height: number) => `(() => {${chartMaker(width, height)}
  const charts = []
  const t0 = Math.floor(Date.now() / 60000) * 60 - 60
  for (let i = 0; i < 12; i++) {
    const { candles, volume } = makeChart()
    const first = { time: t0, open: 100 + i, high: 100.2 + i, low: 99.9 + i, close: 100.1 + i }
    const last = { time: t0 + 60, open: first.close, high: first.close, low: first.close, close: first.close, volume: 1000 }
    candles.setData([first, { ...last }])
    volume.setData([{ time: t0, value: 5000, color: upColor }, { time: last.time, value: last.volume, color: upColor }])
    charts.push({ candles, volume, last })
  }
  const frame = () => {
    for (const c of charts) {
      const l = c.last
      l.close = Math.round((l.close + (Math.random() - 0.5) * 0.02) * 100) / 100
      l.high = Math.max(l.high, l.close)
      l.low = Math.min(l.low, l.close)
      l.volume += 100
      c.candles.update({ time: l.time, open: l.open, high: l.high, low: l.low, close: l.close })
      c.volume.update({ time: l.time, value: l.volume, color: l.close >= l.open ? upColor : downColor })
    }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
})()`

/**
 * Page script: 12 bare lightweight-charts charts (the app's options, candles + volume pane) fed straight from
 * the app's WebSocket: each `market:batch` frame is parsed and every 1-minute bar handed to its chart at once.
 * No React, no validation, no hub, no pacing. A witness primitive records the newest candle drawn, as the app's
 * adapter does, behind the same `window.__newstape.paintedCandle` the probe reads.
 */
const socketFedCharts = (symbols: string[], width: number, height: number, wsUrl: string) => `(() => {${chartMaker(width, height)}
  const charts = new Map()
  for (const symbol of ${JSON.stringify(symbols)}) {
    const { candles, volume } = makeChart()
    const c = { candles, volume, last: null, painted: null }
    const witness = { draw: () => { c.painted = c.last } }
    candles.attachPrimitive({ paneViews: () => [{ renderer: () => witness }] })
    charts.set(symbol, c)
  }
  window.__newstape = { paintedCandle: (s) => { const c = charts.get(s); return c && c.painted } }
  const apply = (c, b) => {
    const time = b.start / 1000
    if (c.last && time < c.last.time) return
    c.candles.update({ time, open: b.open, high: b.high, low: b.low, close: b.close })
    c.volume.update({ time, value: b.volume, color: b.close >= b.open ? upColor : downColor })
    c.last = { time, volume: b.volume }
  }
  const ws = new WebSocket(${JSON.stringify(wsUrl)})
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(ev.data)
    if (msg.event !== 'market:batch') return
    for (const u of msg.payload) {
      const c = charts.get(u.symbol)
      if (!c) continue
      for (const b of (u.closed && u.closed['1m']) || []) apply(c, b)
      if (u.bars['1m']) apply(c, u.bars['1m'])
    }
  })
})()`

/** What the draw probe measured on one page over RUN_MS. */
interface ProbeRun {
  probe: ProbeResult
  /** Chart repaints with new data per second (all charts). */
  repaintsPerSec: number
  /** Share of wall time the page's main thread ran tasks (CDP TaskDuration), and of that, script. */
  mainBusy: number
  scriptBusy: number
  /** CPU per process role meanwhile (share of one core). */
  cpu: Partial<Record<CpuRole, number>>
}

/** Runs the draw probe on `page` for RUN_MS, with how busy its main thread and the machine's processes were. */
async function probeRun(page: Page, symbols: string[]): Promise<ProbeRun> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const metrics = async () => new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value] as const))
  const before = await metrics()
  const ticks = cpuTicks()
  const t0 = Date.now()
  await startDrawProbe(page, symbols)
  await sleep(RUN_MS)
  const probe = await stopDrawProbe(page)
  const cpu = cpuShares(ticks, cpuTicks(), (Date.now() - t0) / 1000)
  const after = await metrics()
  const delta = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0)
  const secs = delta('Timestamp')
  return { probe, repaintsPerSec: probe.newest.length / secs, mainBusy: delta('TaskDuration') / secs, scriptBusy: delta('ScriptDuration') / secs, cpu }
}

/** The socket-fed reference on a fresh page of `browser` at the app's origin (its WebSocket checks the Origin). */
async function socketFedRun(browser: Browser, app: ServeHandle, symbols: string[], size: { width: number; height: number }): Promise<ProbeRun> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  try {
    await page.addInitScript(WS_TAP)
    // A plain 404 page of the app's origin (no app, no CSP) to build the reference in.
    await page.goto(`${app.origin}/bench-reference`)
    await page.setContent(REFERENCE_PAGE)
    await page.addScriptTag({ path: LWC_STANDALONE })
    await page.evaluate(socketFedCharts(symbols, Math.round(size.width), Math.round(size.height), `ws://127.0.0.1:${app.port}${WS_PATH}?token=${encodeURIComponent(app.token)}`))
    const p = page
    await waitFor('socket-fed reference charts with candles', () => p.evaluate<boolean>(`${JSON.stringify(symbols)}.every((s) => window.__newstape.paintedCandle(s))`), 30_000)
    await sleep(WARM_MS / 2)
    return await probeRun(page, symbols)
  } finally {
    await page.close()
  }
}

interface ReferenceRun {
  /** Frame intervals while every chart updated every frame. */
  frames: number[]
  repaintsPerSec: number
  cpu: Partial<Record<CpuRole, number>>
}

/** The reference on a fresh page of `browser`, charts of `size`, while the core's load runs on. */
async function referenceRun(browser: Browser, size: { width: number; height: number }): Promise<ReferenceRun> {
  if (!existsSync(LWC_STANDALONE)) throw new Error(`lightweight-charts' standalone build is missing at ${LWC_STANDALONE}: run npm ci`)
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  try {
    await page.setContent(REFERENCE_PAGE)
    await page.addScriptTag({ path: LWC_STANDALONE })
    await page.evaluate(referenceCharts(Math.round(size.width), Math.round(size.height)))
    await sleep(WARM_MS / 2)
    const a = cpuTicks()
    const t0 = Date.now()
    await startFrameRecorder(page)
    await sleep(RUN_MS)
    const frames = await stopFrameRecorder(page)
    const secs = (Date.now() - t0) / 1000
    const cpu = cpuShares(a, cpuTicks(), secs)
    // lightweight-charts paints each chart once per frame when it has an update: 12 per frame.
    return { frames, repaintsPerSec: (12 * frames.length) / secs, cpu }
  } finally {
    await page.close()
  }
}

interface TwelveRun extends ProbeRun {
  frames: number[]
  msgsPerSec: number
  load: number
  reference: ReferenceRun
  /** Bare lightweight-charts fed by the same socket, trade → drawn through the same probe. */
  fed: ProbeRun
}

/** One measurement of the 12-chart scenario: a fresh server, simulator and browser. */
async function twelveChartsRun(): Promise<TwelveRun> {
  const symbols = DEFAULT_UNIVERSE.slice(0, CHARTS)
  const intensity = intensityFor(symbols, TARGET_TRADES_PER_SEC, SEED)
  const dataDir = tempDataDir('newstape-bench-ui-')
  let app: ServeHandle | null = null
  let browser: Browser | null = null
  try {
    // No quotes and no pre-start history at this intensity (as in the ingest benchmark): 50,000 trades/s are the load.
    app = await withEnv({ NEWSTAPE_DEMO_INTENSITY: String(intensity), NEWSTAPE_DEMO_QUOTE_RATIO: '0', NEWSTAPE_DEMO_HISTORY_MS: '0' }, () =>
      startServe({ dataDir, seed: SEED }),
    )
    const set = await app.core.handle('watchlist:set', symbols.map((symbol) => ({ symbol, aliases: [] })))
    if (!set.ok) throw new Error(`watchlist:set failed: ${set.error.message}`)
    browser = await launchChromium()
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.addInitScript(WS_TAP)
    await page.goto(app.url)
    for (const s of symbols) {
      await page.getByTestId(`watchlist-row-${s}`).waitFor()
      if ((await page.getByTestId(`chart-${s}`).count()) === 0) await page.getByTestId(`watchlist-open-${s}`).click()
    }
    const p = page
    await waitFor(`${CHARTS} charts with candles`, () => p.evaluate<boolean>(`${JSON.stringify(symbols)}.every((s) => window.__newstape && window.__newstape.lastCandle(s, '1m'))`), 60_000)
    await sleep(WARM_MS)

    // Frame time first, with nothing but the app running in the page.
    const msgs0 = app.core.status().feed.msgsPerSec
    await startFrameRecorder(page)
    await sleep(RUN_MS)
    const frames = await stopFrameRecorder(page)
    const msgs1 = app.core.status().feed.msgsPerSec

    // Then trade → drawn, with the probe; and how busy the renderer's main thread is meanwhile.
    const measured = await probeRun(page, symbols)
    // The reference, on this machine under the same core load, with the app's page gone.
    const box = await page.getByTestId(`chart-${symbols[0]!}`).locator('.chart-canvas').boundingBox()
    if (!box) throw new Error('no chart to measure for the reference')
    await page.close()
    const reference = await referenceRun(browser, box)
    const fed = await socketFedRun(browser, app, symbols, box)
    return {
      ...measured,
      frames,
      msgsPerSec: (msgs0 + msgs1) / 2,
      load: loadavg()[0]!,
      reference,
      fed,
    }
  } finally {
    await browser?.close()
    await app?.stop()
    removeDir(dataDir)
  }
}

/** Trade → drawn over the pooled runs of one page kind (app or socket-fed reference). */
function latencyOf(probes: ProbeResult[]) {
  const spans = probes.map((p) => spansOf(p.spans))
  const pooled = spans.flat()
  const all = perTradeLatencies(pooled)
  // The stricter reading: per change, its oldest trade (bounded by the previous state's newest).
  const oldest = pooled.map((x) => x.previous)
  const newest = probes.flatMap((p) => p.newest)
  const received = probes.flatMap((p) => p.received)
  const p50p99 = (xs: number[]) => `p50 ${round(percentileOf(xs, 50))} / p99 ${round(percentileOf(xs, 99))} ms`
  return {
    p99: percentile(all, 99),
    describe: `${all.length.toLocaleString('en-US')} trades drawn in ${oldest.length} chart changes, p50 ${round(percentile(all, 50))} ms, per run p99 ${spans.map((x) => round(percentile(perTradeLatencies(x), 99))).join(' / ')} ms; the oldest trade of each change ${p50p99(oldest)}; newest trade of each ${p50p99(newest)}; trade → page received ${p50p99(received)}`,
  }
}

/** Runs twelveChartsRun in a fresh process: the bench runner's own heap and JIT state (after the other
 * scenarios) would otherwise sit on the same event loop as the app core being measured. */
const twelveChartsChild = async (): Promise<TwelveRun> => (await runBenchChild(import.meta.url, { UI_BENCH_CHILD: '12-charts' })) as TwelveRun

async function twelveCharts(): Promise<BenchResult[]> {
  const scenario = TARGET_TRADES_PER_SEC === 50_000 ? 'ui-12-charts-50k' : `ui-12-charts-${TARGET_TRADES_PER_SEC}`
  const intensity = intensityFor(DEFAULT_UNIVERSE.slice(0, CHARTS), TARGET_TRADES_PER_SEC, SEED)
  // Several runs, samples pooled: on a shared 2-core machine one run's tail moves a lot.
  const runs: TwelveRun[] = []
  for (let i = 0; i < UI_RUNS; i++) runs.push(await twelveChartsChild())
  const frames = runs.flatMap((r) => r.frames)
  const app = latencyOf(runs.map((r) => r.probe))
  const fed = latencyOf(runs.map((r) => r.fed.probe))
  const perRun = (f: (r: TwelveRun) => number) => runs.map((r) => round(f(r))).join(' / ')
  const p95 = percentileOf(frames, 95)
  const dropped = frames.filter((d) => d > 1.5 * FRAME_BUDGET_MS).length
  const loads = `load avg ${runs.map((r) => round(r.load)).join(' / ')} on ${cpus().length} CPUs`
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length)
  const appRepaints = mean(runs.map((r) => r.repaintsPerSec))
  const refRepaints = mean(runs.map((r) => r.reference.repaintsPerSec))
  const refFrames = runs.flatMap((r) => r.reference.frames)
  const load = `${CHARTS} charts 1m, simulator intensity ${round(intensity, 0)} = ${TARGET_TRADES_PER_SEC.toLocaleString('en-US')} trades/s offered, ingest received ${Math.round(runs.reduce((a, r) => a + r.msgsPerSec, 0) / runs.length).toLocaleString('en-US')} msg/s; ${runs.length} runs pooled`
  return [
    {
      scenario,
      metric: 'frame time p95',
      value: round(p95),
      unit: 'ms',
      target: '≤ 16.7 ms',
      pass: p95 <= FRAME_PASS_MS,
      note: `${load}; ${frames.length} frames, p50 ${round(percentileOf(frames, 50))} ms, p99 ${round(percentileOf(frames, 99))} ms, max ${round(Math.max(...frames))} ms, ${dropped} late (> 25 ms); per run p95 ${perRun((r) => percentileOf(r.frames, 95))} ms; ${loads}`,
    },
    {
      scenario,
      metric: 'trade → drawn p99',
      value: round(app.p99),
      unit: 'ms',
      target: '≤ 50 ms',
      pass: app.p99 <= 50,
      note: `per trade: ${app.describe}; ${runs.reduce((a, r) => a + r.probe.unmatched, 0)} unmatched; renderer main thread busy ${perRun((r) => 100 * r.mainBusy)} % (script ${perRun((r) => 100 * r.scriptBusy)} %), chart repaints ${perRun((r) => r.repaintsPerSec)}/s of ${CHARTS * 60} (every chart every frame); CPU per run (1 core = 100 %): ${runs.map((r) => formatShares(r.cpu)).join(' | ')}; ${loads}`,
    },
    {
      scenario,
      metric: 'reference: bare lightweight-charts, every chart every frame',
      value: Math.round(refRepaints),
      unit: 'repaints/s',
      note: `12 charts of the app's size and options, nothing else on the page, the same core load running; per run ${perRun((r) => r.reference.repaintsPerSec)}/s of ${CHARTS * 60}; frame time p50 ${round(percentileOf(refFrames, 50))} / p95 ${round(percentileOf(refFrames, 95))} ms; CPU per run: ${runs.map((r) => formatShares(r.reference.cpu)).join(' | ')}`,
    },
    {
      scenario,
      metric: 'reference: bare lightweight-charts fed by the same socket, trade → drawn p99',
      value: round(fed.p99),
      unit: 'ms',
      note: `12 charts of the app's size and options in a page of their own at the app's origin, each market:batch frame parsed and handed to the charts at once (no React, validation, hub or pacing), the same probe, after the app's page closed; per trade: ${fed.describe}; chart repaints ${perRun((r) => r.fed.repaintsPerSec)}/s; main thread busy ${perRun((r) => 100 * r.fed.mainBusy)} % (script ${perRun((r) => 100 * r.fed.scriptBusy)} %); CPU per run: ${runs.map((r) => formatShares(r.fed.cpu)).join(' | ')}`,
    },
    {
      scenario,
      metric: 'trade → drawn p99, app / socket-fed reference',
      value: Math.round((100 * app.p99) / fed.p99) / 100,
      unit: '×',
      note: `app ${round(app.p99)} ms vs bare lightweight-charts on the same socket ${round(fed.p99)} ms, same runs`,
    },
    {
      scenario,
      metric: 'chart repaints, app / reference',
      value: Math.round((100 * appRepaints) / refRepaints) / 100,
      unit: '×',
      note: `app ${Math.round(appRepaints)}/s (each with new data) vs reference ${Math.round(refRepaints)}/s, same runs`,
    },
  ]
}

/** The UI rows measure the current sources: the renderer is (re)built first when missing or stale. */
const withBuiltRenderer =
  (run: () => Promise<BenchResult[]>) =>
  (): Promise<BenchResult[]> => {
    ensureRendererBuilt(REPO_ROOT, (line) => process.stderr.write(`[bench] ${line}\n`))
    return run()
  }

async function launch(): Promise<BenchResult[]> {
  const scenario = 'ui-launch'
  const dataDir = tempDataDir('newstape-bench-ui-')
  let app: ServeHandle | null = null
  let browser: Browser | null = null
  try {
    app = await startServe({ dataDir, seed: SEED })
    // The server is up and the feed live (bars exist) before the first navigation.
    const a = app
    await waitFor('feed live', () => a.core.status().feed.state === 'live', 30_000)
    await sleep(1_500)
    browser = await launchChromium()
    const times: number[] = []
    for (let i = 0; i < LAUNCHES; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
      const page = await context.newPage()
      // Before any app script: watch for the first frame whose chart holds a candle.
      await page.addInitScript(`(() => {
        const loop = () => {
          const h = window.__newstape
          const open = document.querySelector('[data-testid^="chart-"]')
          const sym = open && open.getAttribute('data-testid').slice(6)
          if (h && sym && h.lastCandle(sym, '1m')) {
            requestAnimationFrame(() => {
              const ch = new MessageChannel()
              ch.port1.onmessage = () => { window.__firstCandleAt = performance.now() }
              ch.port2.postMessage(0)
            })
            return
          }
          requestAnimationFrame(loop)
        }
        requestAnimationFrame(loop)
      })()`)
      await page.goto(app.url)
      const at = await waitFor('first candle', () => page.evaluate<number | undefined>('window.__firstCandleAt'), 30_000)
      times.push(at)
      await context.close()
    }
    const worst = Math.max(...times)
    return [
      {
        scenario,
        metric: 'navigation → first candle (worst)',
        value: Math.round(worst),
        unit: 'ms',
        target: '≤ 2000 ms',
        pass: worst <= 2_000,
        note: `${LAUNCHES} fresh browser contexts; median ${Math.round(percentileOf(times, 50))} ms; all ${times.map((t) => Math.round(t)).join(', ')} ms; ${machine()}`,
      },
    ]
  } finally {
    await browser?.close()
    await app?.stop()
    removeDir(dataDir)
  }
}

export const scenarios: BenchScenario[] = [
  { name: 'ui-12-charts-50k', run: withBuiltRenderer(twelveCharts) },
  { name: 'ui-launch', run: withBuiltRenderer(launch) },
]

// Child mode: one 12-chart run, spawned by twelveCharts (the bench runner imports this file without the variable).
if (process.env.UI_BENCH_CHILD === '12-charts') {
  twelveChartsRun().then(
    (r) => {
      printResult(r)
      process.exit(0)
    },
    (e: unknown) => {
      process.stderr.write(`ui bench child: ${String(e)}\n`)
      process.exit(1)
    },
  )
}
