// Run the simulator alone: `npm run sim -- --port 8765 --seed 7 --key demo [--clock accelerated:60] [--intensity 2]`.
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { createSimulator } from './index'
import { mountGuardian } from './guardian/index'
import type { ClockMode } from './types'

/** `realtime` | `fast` | `accelerated:<factor>`. Pure. */
export function parseClock(text: string): ClockMode | null {
  if (text === 'realtime') return { kind: 'realtime' }
  if (text === 'fast') return { kind: 'fast' }
  const m = /^accelerated(?::(\d+(?:\.\d+)?))?$/.exec(text)
  if (m) return { kind: 'accelerated', factor: Number(m[1] ?? '10') }
  return null
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8765' },
      seed: { type: 'string', default: '1' },
      key: { type: 'string', default: 'demo' },
      clock: { type: 'string', default: 'realtime' },
      intensity: { type: 'string', default: '1' },
      'free-tier': { type: 'boolean', default: false },
    },
    strict: true,
  })
  const port = Number(values.port)
  const seed = Number(values.seed)
  const intensity = Number(values.intensity)
  const clock = parseClock(values.clock)
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isFinite(seed) || !(intensity > 0) || !clock) {
    console.error('usage: npm run sim -- [--port P] [--seed S] [--key K] [--clock realtime|fast|accelerated:N] [--intensity X] [--free-tier]')
    process.exit(2)
  }
  const sim = await createSimulator({ port, seed, key: values.key, clock, intensity, freeTier: values['free-tier'] })
  // The Guardian's Content API on the same port, same key, same simulated clock.
  const guardian = mountGuardian(sim, { key: values.key, seed })
  // The key itself is never printed.
  console.log(`Polygon simulator (seed ${seed}, clock ${values.clock}, intensity ${intensity})`)
  console.log(`  socket: ${sim.wsBase}/stocks`)
  console.log(`  REST:   ${sim.httpBase}/v2/aggs/ticker/AAPL/range/1/minute/{from}/{to}`)
  console.log(`  Guardian: ${sim.httpBase}/guardian/search?api-key=…`)
  const stop = (): void => {
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
