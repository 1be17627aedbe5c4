// Test helpers: a real `ws` client that records every frame, and an independent bar
// recomputation straight from the fixture (not from bars.ts) to check the simulator against.
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'

export type Ev = Record<string, unknown> & { ev?: unknown }

export interface RecordingClient {
  ws: WebSocket
  frames: Ev[][]
  /** Resolves with the close code once the socket closes. */
  closed: Promise<number>
  /** Wait until `pred` holds for the recorded frames (checked on every frame). */
  until<T>(pred: () => T | undefined | false | null, what: string, timeoutMs?: number): Promise<T>
  send(obj: unknown): void
  events(): Ev[]
  statuses(): Ev[]
}

export async function connect(url: string): Promise<RecordingClient> {
  const ws = new WebSocket(url)
  const frames: Ev[][] = []
  const waiters = new Set<() => void>()
  const notify = (): void => {
    for (const w of [...waiters]) w()
  }
  const closed = new Promise<number>((resolve) => {
    ws.on('close', (code) => {
      resolve(code)
      notify()
    })
  })
  ws.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString('utf8')) as Ev[])
    notify()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const client: RecordingClient = {
    ws,
    frames,
    closed,
    until<T>(pred: () => T | undefined | false | null, what: string, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const v = pred()
          if (v !== undefined && v !== false && v !== null) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(v)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for ${what}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    send(obj: unknown): void {
      ws.send(JSON.stringify(obj))
    },
    events: () => frames.flat(),
    statuses: () => frames.flat().filter((e) => e.ev === 'status'),
  }
  return client
}

/** Connect, authenticate and subscribe; resolves after the last subscription status. */
export async function subscribed(wsBase: string, key: string, params: string): Promise<RecordingClient> {
  const c = await connect(`${wsBase}/stocks`)
  c.send({ action: 'auth', params: key })
  await c.until(() => c.statuses().some((s) => s.status === 'auth_success'), 'auth_success')
  c.send({ action: 'subscribe', params })
  const n = params.split(',').length
  await c.until(() => c.statuses().filter((s) => s.status === 'success').length >= n, 'subscription statuses')
  return c
}

interface Rule {
  updatesLast: boolean
  updatesVolume: boolean
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/trade-conditions.json', import.meta.url), 'utf8')) as {
  conditions: Record<string, Rule>
}

export function qualifies(conditions: readonly number[]): { last: boolean; volume: boolean } {
  let last = true
  let volume = true
  for (const c of conditions) {
    const r = fixture.conditions[String(c)]
    if (r && !r.updatesLast) last = false
    if (r && !r.updatesVolume) volume = false
  }
  return { last, volume }
}

export interface SimpleTrade {
  price: number
  size: number
  /** SIP time. */
  ts: number
  conditions: readonly number[]
  seq?: number
  /** TRF time of an off-exchange print (absent or 0: none). */
  trft?: number | undefined
}

/**
 * Where Polygon's aggregates put a print (restated here, independently of the simulator): its SIP time, or for a
 * TRF print reported late the time of its trft when at most 15 minutes late; null (no intraday bar) when later.
 */
export function placed(t: SimpleTrade): number | null {
  const trft = t.trft ?? 0
  if (trft === 0 || trft >= t.ts) return t.ts
  return t.ts - trft <= 15 * 60_000 ? trft : null
}

export interface ExpectedBar {
  o: number
  h: number
  l: number
  c: number
  v: number
  vw: number
  n: number
  s: number
}

/** Recompute bars from trades per the fixture's rules, independently of the simulator's code. */
export function expectedBars(all: readonly SimpleTrade[], windowMs: number): ExpectedBar[] {
  // Each print at its place, in (place, seq) order; prints in no intraday bar left out.
  const trades = all
    .map((t) => ({ ...t, at: placed(t) }))
    .filter((t): t is SimpleTrade & { at: number } => t.at !== null)
    .sort((a, b) => a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0))
  const groups = new Map<number, SimpleTrade[]>()
  for (const t of trades) {
    const s = Math.floor(t.at / windowMs) * windowMs
    const g = groups.get(s) ?? []
    g.push(t)
    groups.set(s, g)
  }
  const out: ExpectedBar[] = []
  for (const [s, g] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const lastT = g.filter((t) => qualifies(t.conditions).last)
    if (lastT.length === 0) continue
    const volT = g.filter((t) => qualifies(t.conditions).volume)
    // Volume summed exactly, in millionths of a share (fractional-share trades included).
    let micro = 0
    let pv = 0
    for (const t of volT) {
      micro += Math.round(t.size * 1_000_000)
      pv += t.price * t.size
    }
    const v = micro / 1_000_000
    out.push({
      o: lastT[0]!.price,
      h: Math.max(...lastT.map((t) => t.price)),
      l: Math.min(...lastT.map((t) => t.price)),
      c: lastT[lastT.length - 1]!.price,
      v,
      vw: Math.round((pv / v) * 10_000) / 10_000,
      n: volT.length,
      s,
    })
  }
  return out
}

/** A socket T event → SimpleTrade. */
export function fromT(e: Ev): SimpleTrade {
  // The true size is `ds` (fractional-share trades carry `s` = 1).
  const size = typeof e.ds === 'string' ? Number(e.ds) : (e.s as number)
  return {
    price: e.p as number,
    size,
    ts: e.t as number,
    conditions: (e.c as number[] | undefined) ?? [],
    seq: e.q as number,
    trft: typeof e.trfi === 'number' ? (e.trft as number) : undefined,
  }
}
