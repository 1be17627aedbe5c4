// "History first" for news impact v2 (docs/impact-v2.md): fetches from Polygon REST what the engine's headlines
// need before live trades exist — `/v3/trades` where the plan allows it, else 1-second bars — and previous
// sessions' minute bars (beta, sigma floor, rvol slots), at the plan's rate, with its progress as HistoryStatus.
// What to ask: feeds/history-plan.ts; pacing and retries: feeds/history-queue.ts; here the wiring and the plan
// detection (a refused `/v3/trades` means no tick history: 1-second bars from then on).
// Each window reaches the engine once, whole (addHistory claims coverage of [from, to]), after its last page.
import type { HistoryStatus } from '../domain/status'
import { DEFAULT_PLAN_OPTIONS, mergeSpans, planHistory, type HistoryRequest, type PlanOptions, type Span } from '../feeds/history-plan'
import { createHistoryQueue, type HistoryJob } from '../feeds/history-queue'
import { PolygonRestError, type HistoryPage } from '../feeds/polygon-rest'
import type { Clock, LogFn, Timers, TimerHandle } from '../feeds/runtime'
import type { BackoffPolicy, Random } from '../domain/backoff'
import { easternMinuteOfDay } from '../domain/eastern-time'
import type { EngineOutput, EnginePrint, ImpactEngine, MinuteBarIn, SecondBarIn } from '../signals/v2/types'

/** The engine methods the loader calls. */
export type ImpactHistoryEngine = Pick<ImpactEngine, 'historyNeeds' | 'addHistory' | 'addMinuteBars' | 'settings'>

/** The REST calls the loader makes (PolygonRest's page methods): one HTTP call each, no waiting. */
export interface ImpactHistoryRest {
  tradesPage(symbol: string, fromMs: number, toMs: number, next: string | null): Promise<HistoryPage<EnginePrint>>
  secondBarsPage(symbol: string, fromMs: number, toMs: number, next: string | null): Promise<HistoryPage<SecondBarIn>>
  minuteBarsPage(symbol: string, fromMs: number, toMs: number, next: string | null): Promise<HistoryPage<MinuteBarIn>>
}

export interface HistoryPlanSettings {
  /** REST calls a minute the plan allows (free tier 5); 0 = unlimited. */
  callsPerMinute: number
  /** Tick history: `auto` tries `/v3/trades` and falls back to 1-second bars when the plan refuses it. */
  ticks: 'auto' | 'trades' | 'seconds'
}

export interface ImpactHistoryLoaderOptions {
  rest: ImpactHistoryRest
  engine: ImpactHistoryEngine
  clock: Clock & Timers
  plan: HistoryPlanSettings
  onOutput: (out: EngineOutput) => void
  onStatus?: (s: HistoryStatus) => void
  log?: LogFn
  /** Symbols whose minute bars today are wanted even without a need (the watchlist). */
  watched?: () => readonly string[]
  /**
   * Also fetch the market proxy's ticks for each need, up to when this loader started (default true). a(u, t) needs
   * M's prices too, the engine lists needs of articles' symbols only, and M is subscribed from the start, so its
   * history is missing exactly before then (the engine drops whatever overlaps its live stream).
   */
  proxyHistory?: boolean
  planOptions?: Partial<Omit<PlanOptions, 'minuteAlways' | 'minuteToday'>>
  retry?: BackoffPolicy
  random?: Random
}

export interface ImpactHistoryLoader {
  /** Plan again: a headline arrived, a symbol was added, coverage changed. */
  sync(): void
  status(): HistoryStatus
  stop(): void
}

const hms = (t: number): string => {
  const m = easternMinuteOfDay(t)
  const s = Math.floor((((t % 60_000) + 60_000) % 60_000) / 1000)
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:${String(s).padStart(2, '0')}`
}

const nonEmpty = (o: EngineOutput): boolean => o.impacts.length > 0 || o.moves.length > 0

export function createImpactHistoryLoader(o: ImpactHistoryLoaderOptions): ImpactHistoryLoader {
  const log: LogFn = o.log ?? (() => {})
  let source: 'trades' | 'seconds' | null = o.plan.ticks === 'auto' ? null : o.plan.ticks
  let stopped = false
  let recheck: TimerHandle | null = null
  const startedAt = o.clock.now()
  const held = new Map<string, Span[]>()
  const minuteDays = new Set<string>()

  const queue = createHistoryQueue({
    clock: o.clock,
    timers: o.clock,
    callsPerMinute: o.plan.callsPerMinute,
    retry: o.retry,
    random: o.random,
    source: () => source,
    note: () =>
      source === 'seconds' ? (o.plan.ticks === 'auto' ? 'from 1-second bars (the plan has no /v3/trades)' : 'from 1-second bars') : '',
    onStatus: o.onStatus,
    onFailed: (job, reason) => log('warn', `impact history: ${job.label} failed: ${reason}`),
  })

  const deliver = (out: EngineOutput): void => {
    if (nonEmpty(out)) o.onOutput(out)
  }

  function ticksJob(symbol: string, from: number, to: number): HistoryJob {
    let mode: 'trades' | 'seconds' | null = null
    let next: string | null = null
    let rejected = 0
    const prints: EnginePrint[] = []
    const bars: SecondBarIn[] = []
    return {
      get label() {
        return `${symbol} ${hms(from)}–${hms(to)}${mode === 'seconds' ? ' (1-second bars)' : ''}`
      },
      async step() {
        mode ??= source === 'seconds' ? 'seconds' : 'trades'
        if (mode === 'trades') {
          let page: HistoryPage<EnginePrint>
          try {
            page = await o.rest.tradesPage(symbol, from, to, next)
          } catch (e) {
            if (o.plan.ticks === 'auto' && e instanceof PolygonRestError && e.kind === 'forbidden') {
              // The plan has no tick history: 1-second bars for this window and every later one.
              if (source !== 'seconds') log('info', `impact history: /v3/trades refused (${e.message}); using 1-second bars`)
              source = 'seconds'
              mode = 'seconds'
              next = null
              prints.length = 0
              queue.refresh()
              return false
            }
            throw e
          }
          if (source === null) {
            source = 'trades'
            queue.refresh()
          }
          for (const p of page.items) prints.push(p)
          rejected += page.rejected
          next = page.next
        } else {
          const page = await o.rest.secondBarsPage(symbol, from, to, next)
          for (const b of page.items) bars.push(b)
          rejected += page.rejected
          next = page.next
        }
        if (next !== null) return false
        if (stopped) return true
        if (rejected > 0) log('warn', `impact history: ${symbol} ${hms(from)}–${hms(to)}: ${rejected} unreadable records skipped`)
        deliver(o.engine.addHistory(symbol, from, to, mode === 'trades' ? { prints } : { secondBars: bars }))
        return true
      },
    }
  }

  function minutesJob(symbol: string, day: string, from: number, to: number): HistoryJob {
    let next: string | null = null
    const bars: MinuteBarIn[] = []
    return {
      label: `${symbol} minute bars before ${day}`,
      async step() {
        const page = await o.rest.minuteBarsPage(symbol, from, to, next)
        for (const b of page.items) bars.push(b)
        next = page.next
        if (next !== null) return false
        if (stopped) return true
        deliver(o.engine.addMinuteBars(symbol, bars))
        return true
      },
    }
  }

  function enqueue(r: HistoryRequest, priority: number): void {
    if (r.kind === 'ticks') {
      held.set(r.symbol, mergeSpans([...(held.get(r.symbol) ?? []), { from: r.from, to: r.to }]))
      queue.push(Object.assign(ticksJob(r.symbol, r.from, r.to), { priority }))
    } else {
      minuteDays.add(`${r.symbol}|${r.day}`)
      queue.push(Object.assign(minutesJob(r.symbol, r.day, r.from, r.to), { priority }))
    }
  }

  function sync(): void {
    if (stopped) return
    if (recheck !== null) o.clock.clearTimeout(recheck)
    recheck = null
    let plan
    try {
      const needs = [...o.engine.historyNeeds()]
      const proxy = o.engine.settings().proxy.toUpperCase()
      if (o.proxyHistory ?? true) {
        for (const n of needs.slice()) {
          const to = Math.min(n.to, startedAt)
          if (typeof n.symbol === 'string' && n.symbol.toUpperCase() !== proxy && to >= n.from) needs.push({ symbol: proxy, from: n.from, to })
        }
      }
      plan = planHistory(needs, { held, minuteDays }, o.clock.now(), {
        ...DEFAULT_PLAN_OPTIONS,
        ...o.planOptions,
        minuteAlways: [proxy],
        minuteToday: o.watched?.() ?? [],
      })
    } catch (e) {
      log('error', `impact history: planning failed: ${e instanceof Error ? e.message : String(e)}`)
      return
    }
    // Headlines arrive one by one (a first page of 50 is 50 plans): the queue keeps the newest windows first.
    plan.requests.forEach((r, i) => enqueue(r, plan.priorities[i] ?? -Infinity))
    if (plan.recheckAt !== null) {
      recheck = o.clock.setTimeout(() => {
        recheck = null
        sync()
      }, Math.max(0, plan.recheckAt - o.clock.now()))
    }
  }

  return {
    sync,
    status: () => queue.status(),
    stop() {
      stopped = true
      if (recheck !== null) o.clock.clearTimeout(recheck)
      recheck = null
      queue.stop()
    },
  }
}
