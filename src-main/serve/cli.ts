// `npm run serve`: the app in a browser. The core runs in this Node process, the built renderer is served
// on 127.0.0.1 and `window.api` is implemented over a WebSocket (token in the URL, Origin checked).
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createServeServer } from './server'
import { createNodeApp } from '../app/compose-node'
import type { AppCore } from '../app/app-core'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4780' },
      'data-dir': { type: 'string', default: '.data/serve' },
      renderer: { type: 'string', default: 'out/renderer' },
      token: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  })
  const rendererDir = resolve(values.renderer)
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(`No built renderer in ${rendererDir}: run \`npm run build\` first (npm run serve does).`)
    process.exit(2)
  }
  const token = values.token ?? randomBytes(18).toString('base64url')
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version
  let core: AppCore | null = null
  const server = await createServeServer({
    rendererDir,
    token,
    port: Number(values.port),
    handle: (channel, arg) => core!.handle(channel, arg as never) as never,
    // Browser mode shows Grafana in an iframe: allow exactly its origin.
    frameOrigins: () => {
      try {
        return core ? [new URL(core.settings().grafana.url).origin] : []
      } catch {
        return []
      }
    },
  })
  core = createNodeApp({
    dataDir: resolve(values['data-dir']),
    version,
    emit: (event, payload) => server.broadcast(event, payload),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  })
  await core.start()
  console.log(`Newstape (browser mode) — open ${server.url}`)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void core!
      .stop()
      .then(() => server.close())
      .then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err))
  process.exit(1)
})
