// Composition of the app core for plain Node (browser mode, headless checks): file-backed settings and
// secrets, the ingest worker thread, the demo simulator thread. Electron's composition lives in index.ts.
import { join } from 'node:path'
import { createAppCore, type AppCore, type AppCoreDeps } from './app-core'
import { createJsonFileStore } from './json-file-store'
import { createFileSafeStorage } from './file-safe-storage'
import { openUserStores } from './startup-notices'
import { createKeyHostApprovals } from './key-hosts'
import { redact } from './secrets'
import { startIngestWorker } from '../host/worker-host'
import { createDemoBackend } from '../host/demo-backend'
import { probeGrafana, testKey } from './key-check'
import { createPgImpactHistorySource } from '../impact-history/pg-source'

export interface NodeAppOptions {
  dataDir: string
  version: string
  emit: AppCoreDeps['emit']
  openExternal?: (url: string) => Promise<void>
  log?: (line: string) => void
  /** Demo simulator seed (deterministic demo sessions for tests). */
  seed?: number
}

export function createNodeApp(opts: NodeAppOptions): AppCore {
  const kv = createJsonFileStore(join(opts.dataDir, 'settings.json'))
  const keyFile = join(opts.dataDir, 'secret.key')
  const safe = createFileSafeStorage(keyFile)
  const { settings, secrets, kafkaSecrets, notices } = openUserStores(kv, safe, safe.problem)
  // Keys from the environment (servers, CI) are stored like keys typed in the UI (unless the settings file could
  // neither be read nor moved aside: then nothing is written, and the start-up notice says so).
  const envKeys: [Parameters<typeof secrets.set>[0], string | undefined][] = [
    ['polygon', process.env.POLYGON_API_KEY],
    ['guardian', process.env.GUARDIAN_API_KEY],
  ]
  const envKeyErrors: string[] = []
  for (const [name, value] of envKeys) {
    if (!value) continue
    try {
      secrets.set(name, value)
    } catch (e) {
      envKeyErrors.push(`${name} key from the environment not stored: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  const demo = createDemoBackend({
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    watchlist: () => settings.get().watchlist.symbols,
  })
  let demoEndpoints: { wsBase: string; httpBase: string } | null = null
  const write = opts.log ?? ((line: string) => console.log(line))
  const log: AppCoreDeps['log'] = (level, message) =>
    write(`${new Date().toISOString()} ${level.padEnd(5)} ${redact(message, [secrets.get('polygon'), secrets.get('guardian'), kafkaSecrets.get('password'), kafkaSecrets.get('oauthClientSecret')])}`)
  for (const m of envKeyErrors) log('error', m)
  return createAppCore({
    notices,
    // No dialog in browser mode: a stored key goes to an unofficial host only after the key is typed again.
    keyApprovals: createKeyHostApprovals(kv),
    keyStoreHint: `the key file ${keyFile} is missing or is not the one they were saved with`,
    mode: 'browser',
    version: opts.version,
    platform: process.platform,
    dataDir: opts.dataDir,
    settings,
    secrets,
    kafkaSecrets,
    startHost: (config) => startIngestWorker(config),
    demo: {
      endpoints: async () => (demoEndpoints = await demo.endpoints()),
      stop: () => demo.stop(),
    },
    emit: opts.emit,
    openExternal: opts.openExternal ?? (async () => undefined),
    testKey: (name, key, s) => testKey(name, key, s, { fetch: globalThis.fetch as never, demo: demoEndpoints }),
    probeGrafana: (s) => probeGrafana(s, { fetch: globalThis.fetch as never }),
    openImpactHistory: (h) => createPgImpactHistorySource(h, { log: (m) => log('warn', m) }),
    log,
  })
}
