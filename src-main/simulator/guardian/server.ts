// The Guardian simulator on its own node:http server on 127.0.0.1 (tests, and a stand-in until the market
// simulator hosts it under `/guardian`).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MacroMove, Shock } from '../types'
import { createGuardian, type GuardianSim, type GuardianSimOptions } from './index'

export interface StandaloneGuardian {
  readonly guardian: GuardianSim
  /** Content API base, e.g. `http://127.0.0.1:PORT/guardian`. */
  readonly base: string
  readonly port: number
  close(): Promise<void>
}

export async function startGuardianServer(
  opts: GuardianSimOptions & {
    port?: number
    now?: () => number
    scheduleShock?: (s: Shock) => void
    scheduleMacro?: (m: MacroMove) => void
  } = {},
): Promise<StandaloneGuardian> {
  const prefix = opts.prefix ?? '/guardian'
  let apiBase = ''
  let guardian: GuardianSim | null = null
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    if (!guardian || !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"message":"Not found"}')
      return
    }
    void guardian.handler(req, res, url)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  apiBase = `http://127.0.0.1:${port}${prefix}`
  guardian = createGuardian(
    {
      now: opts.now ?? Date.now,
      scheduleShock: opts.scheduleShock ?? (() => undefined),
      ...(opts.scheduleMacro ? { scheduleMacro: opts.scheduleMacro } : {}),
      apiBase,
    },
    opts,
  )
  const g = guardian
  return {
    guardian: g,
    base: apiBase,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        g.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
