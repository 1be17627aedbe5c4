// `npm run kafka`: a local Kafka broker (KRaft, single node) on 127.0.0.1:9092 with data under .data/kafka.
// Flags: --port N, --data DIR, --fetch-only (warm the Maven cache and the libs folder, then exit).
import { join } from 'node:path'
import { DEFAULT_KAFKA_HOME, ensureLibs, startBroker, type BrokerHandle } from './broker'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main(): Promise<void> {
  const log = (l: string): void => console.log(`[kafka] ${l}`)
  if (process.argv.includes('--fetch-only')) {
    log(`libs ready in ${ensureLibs({ log })}`)
    return
  }
  const port = Number(arg('--port') ?? process.env.KAFKA_PORT ?? 9092)
  const dataDir = arg('--data') ?? join(DEFAULT_KAFKA_HOME, 'broker')
  const broker: BrokerHandle = await startBroker({ port, controllerPort: port + 1, dataDir, log })
  log(`ready: KAFKA_BROKERS=${broker.brokers} (Ctrl-C stops it cleanly)`)
  let stopping = false
  const shutdown = (sig: string): void => {
    if (stopping) return
    stopping = true
    log(`${sig}: controlled shutdown…`)
    broker.stop().then(
      () => {
        log('stopped')
        process.exit(0)
      },
      (e: unknown) => {
        console.error(e)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((e: unknown) => {
  console.error(`[kafka] ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
