// Run the simulator alone: `npm run sim -- --port 8765 --seed 7 --key demo [--clock accelerated:60] [--intensity 2]`.
// Faults, so a problem can be reproduced from a shell (flags at start, or typed on stdin while it runs):
//   --drop-after-frames N [--drop-every S]   close every socket abruptly after N more frames (again every S s)
//   --stall MS [--stall-at S] [--stall-every S]   send nothing (no data, no pongs) for MS ms, S s after start
//   --malformed-every N                      one malformed element in every Nth frame
//   --slow-consumer-bytes B                  server-side buffer limit: past it the server delays, then disconnects
//   --max-connections-at S [--max-connections-every S]   evict the live socket with max_connections
//   --free-tier                              REST answers 429 after 5 requests a minute
// stdin: `drop [N]`, `stall MS`, `malformed N|off`, `slow B|off`, `maxconn`, `help`.
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createSimulator } from './index'
import { mountGuardian } from './guardian/index'
import type { ClockMode, FaultPlan } from './types'

/** `realtime` | `fast` | `accelerated:<factor>`. Pure. */
export function parseClock(text: string): ClockMode | null {
  if (text === 'realtime') return { kind: 'realtime' }
  if (text === 'fast') return { kind: 'fast' }
  const m = /^accelerated(?::(\d+(?:\.\d+)?))?$/.exec(text)
  if (m) return { kind: 'accelerated', factor: Number(m[1] ?? '10') }
  return null
}

/** One fault to apply: a FaultPlan for injectFaults, or evicting the live socket with max_connections. */
export type FaultAction = { kind: 'plan'; plan: FaultPlan } | { kind: 'max_connections' }

/** A fault at `atMs` after start, repeated every `everyMs` (null: once). */
export interface ScheduledFault {
  atMs: number
  everyMs: number | null
  action: FaultAction
}

export const FAULT_OPTIONS = {
  'drop-after-frames': { type: 'string' },
  'drop-every': { type: 'string' },
  stall: { type: 'string' },
  'stall-at': { type: 'string' },
  'stall-every': { type: 'string' },
  'malformed-every': { type: 'string' },
  'slow-consumer-bytes': { type: 'string' },
  'max-connections-at': { type: 'string' },
  'max-connections-every': { type: 'string' },
} as const

type FaultValues = Partial<Record<keyof typeof FAULT_OPTIONS, string>>

const posInt = (name: string, v: string): number => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1 (got ${JSON.stringify(v)})`)
  return n
}
const seconds = (name: string, v: string | undefined, dflt: number | null): number | null => {
  if (v === undefined) return dflt
  const n = Number(v)
  if (!(n >= 0) || !Number.isFinite(n)) throw new Error(`--${name} must be seconds ≥ 0 (got ${JSON.stringify(v)})`)
  return n * 1000
}

/** Fault flags → what to inject when. Pure; throws with the flag's name on bad input. */
export function parseFaultArgs(v: FaultValues): ScheduledFault[] {
  const out: ScheduledFault[] = []
  if (v['drop-every'] !== undefined && v['drop-after-frames'] === undefined) throw new Error('--drop-every needs --drop-after-frames')
  if ((v['stall-at'] !== undefined || v['stall-every'] !== undefined) && v.stall === undefined) throw new Error('--stall-at/--stall-every need --stall')
  if (v['max-connections-every'] !== undefined && v['max-connections-at'] === undefined)
    throw new Error('--max-connections-every needs --max-connections-at')
  if (v['malformed-every'] !== undefined)
    out.push({ atMs: 0, everyMs: null, action: { kind: 'plan', plan: { malformedEvery: posInt('malformed-every', v['malformed-every']) } } })
  if (v['slow-consumer-bytes'] !== undefined)
    out.push({
      atMs: 0,
      everyMs: null,
      action: { kind: 'plan', plan: { slowConsumerBufferBytes: posInt('slow-consumer-bytes', v['slow-consumer-bytes']) } },
    })
  if (v['drop-after-frames'] !== undefined) {
    const every = seconds('drop-every', v['drop-every'], null)
    if (every === 0) throw new Error('--drop-every must be > 0')
    out.push({ atMs: 0, everyMs: every, action: { kind: 'plan', plan: { dropAfterFrames: posInt('drop-after-frames', v['drop-after-frames']) } } })
  }
  if (v.stall !== undefined) {
    const every = seconds('stall-every', v['stall-every'], null)
    if (every === 0) throw new Error('--stall-every must be > 0')
    out.push({ atMs: seconds('stall-at', v['stall-at'], 0) ?? 0, everyMs: every, action: { kind: 'plan', plan: { stallMs: posInt('stall', v.stall) } } })
  }
  if (v['max-connections-at'] !== undefined) {
    const every = seconds('max-connections-every', v['max-connections-every'], null)
    if (every === 0) throw new Error('--max-connections-every must be > 0')
    out.push({ atMs: seconds('max-connections-at', v['max-connections-at'], 0) ?? 0, everyMs: every, action: { kind: 'max_connections' } })
  }
  return out
}

export const STDIN_HELP = 'commands: drop [N] | stall MS | malformed N|off | slow BYTES|off | maxconn | help'

/** A line typed on stdin → a fault, `help`, or an error message. Pure. */
export function parseFaultCommand(line: string): FaultAction | { kind: 'help' } | { kind: 'error'; message: string } | null {
  const [cmd, arg, extra] = line.trim().split(/\s+/)
  if (!cmd) return null
  if (extra !== undefined) return { kind: 'error', message: `too many arguments; ${STDIN_HELP}` }
  const n = arg === undefined ? NaN : Number(arg)
  const whole = Number.isInteger(n) && n >= 1
  switch (cmd) {
    case 'drop':
      if (arg === undefined) return { kind: 'plan', plan: { dropAfterFrames: 1 } }
      return whole ? { kind: 'plan', plan: { dropAfterFrames: n } } : { kind: 'error', message: 'drop [N]: N frames ≥ 1' }
    case 'stall':
      return whole ? { kind: 'plan', plan: { stallMs: n } } : { kind: 'error', message: 'stall MS: milliseconds ≥ 1' }
    case 'malformed':
      if (arg === 'off') return { kind: 'plan', plan: { malformedEvery: 0 } }
      return whole ? { kind: 'plan', plan: { malformedEvery: n } } : { kind: 'error', message: 'malformed N|off' }
    case 'slow':
      if (arg === 'off') return { kind: 'plan', plan: { slowConsumerBufferBytes: undefined } }
      return whole ? { kind: 'plan', plan: { slowConsumerBufferBytes: n } } : { kind: 'error', message: 'slow BYTES|off' }
    case 'maxconn':
      return arg === undefined ? { kind: 'max_connections' } : { kind: 'error', message: 'maxconn takes no argument' }
    case 'help':
      return { kind: 'help' }
    default:
      return { kind: 'error', message: `unknown command ${JSON.stringify(cmd)}; ${STDIN_HELP}` }
  }
}

/** What a fault does, for the console. Pure. */
export function describeFault(a: FaultAction): string {
  if (a.kind === 'max_connections') return 'max_connections: evicting the live socket'
  const p = a.plan
  const parts: string[] = []
  if (p.dropAfterFrames !== undefined) parts.push(`drop every socket after ${p.dropAfterFrames} more frame(s)`)
  if (p.stallMs !== undefined) parts.push(`stall ${p.stallMs} ms (no data, no pongs)`)
  if ('malformedEvery' in p) parts.push(p.malformedEvery ? `malformed element every ${p.malformedEvery} frames` : 'malformed elements off')
  if ('slowConsumerBufferBytes' in p)
    parts.push(p.slowConsumerBufferBytes !== undefined ? `slow consumer: buffer limit ${p.slowConsumerBufferBytes} bytes` : 'slow consumer limit off')
  return parts.join(', ')
}

const USAGE =
  'usage: npm run sim -- [--port P] [--seed S] [--key K] [--clock realtime|fast|accelerated:N] [--intensity X] [--free-tier]\n' +
  '         [--shocks all|none|macro-only]\n' +
  '         [--drop-after-frames N [--drop-every S]] [--stall MS [--stall-at S] [--stall-every S]] [--malformed-every N]\n' +
  '         [--slow-consumer-bytes B] [--max-connections-at S [--max-connections-every S]]\n' +
  `       stdin ${STDIN_HELP}`

async function main(): Promise<void> {
  let values
  let faults: ScheduledFault[]
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8765' },
        seed: { type: 'string', default: '1' },
        key: { type: 'string', default: 'demo' },
        clock: { type: 'string', default: 'realtime' },
        intensity: { type: 'string', default: '1' },
        'free-tier': { type: 'boolean', default: false },
        shocks: { type: 'string', default: 'all' },
        ...FAULT_OPTIONS,
      },
      strict: true,
    }))
    faults = parseFaultArgs(values)
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`)
    process.exit(2)
  }
  const port = Number(values.port)
  const seed = Number(values.seed)
  const intensity = Number(values.intensity)
  const clock = parseClock(values.clock)
  const shocks = values.shocks === 'none' || values.shocks === 'macro-only' || values.shocks === 'all' ? values.shocks : null
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isFinite(seed) || !(intensity > 0) || !clock || !shocks) {
    console.error(USAGE)
    process.exit(2)
  }
  const sim = await createSimulator({ port, seed, key: values.key, clock, intensity, freeTier: values['free-tier'] })
  // The Guardian's Content API on the same port, same key, same simulated clock.
  // `--shocks none`: headlines without price moves (false-alert sessions); `macro-only`: only market-wide moves.
  const guardian = mountGuardian(sim, { key: values.key, seed, shocks })
  // The key itself is never printed.
  console.log(
    `Polygon simulator (seed ${seed}, clock ${values.clock}, intensity ${intensity}, shocks ${shocks}${values['free-tier'] ? ', free tier: 429 past 5 req/min' : ''})`,
  )
  console.log(`  socket: ${sim.wsBase}/stocks`)
  console.log(`  REST:   ${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/minute/{from}/{to}`)
  console.log(`  Guardian: ${sim.httpBase}/guardian/search?api-key=…`)
  console.log(`  faults: ${STDIN_HELP}`)

  const apply = (a: FaultAction): void => {
    if (a.kind === 'max_connections') sim.forceMaxConnections()
    else sim.injectFaults(a.plan)
    console.log(`${new Date().toISOString().slice(11, 19)} fault: ${describeFault(a)}`)
  }
  const timers: NodeJS.Timeout[] = []
  for (const f of faults) {
    timers.push(
      setTimeout(() => {
        apply(f.action)
        if (f.everyMs !== null) timers.push(setInterval(() => apply(f.action), f.everyMs))
      }, f.atMs),
    )
  }
  const rl = createInterface({ input: process.stdin, terminal: false })
  rl.on('line', (line) => {
    const c = parseFaultCommand(line)
    if (c === null) return
    if (c.kind === 'help') console.log(STDIN_HELP)
    else if (c.kind === 'error') console.log(c.message)
    else apply(c)
  })

  const stop = (): void => {
    for (const t of timers) clearTimeout(t)
    rl.close()
    guardian.close()
    void sim.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  })
}
