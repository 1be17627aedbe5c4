import { describe, expect, it } from 'vitest'
import { createServer } from 'node:http'
import { describeKeyAnswer, probeGrafana, testKey } from './key-check'
import { defaultSettings } from '../../src-preload/settings-schema'
import { createSimulator } from '../simulator/index'
import { mountGuardian } from '../simulator/guardian/index'

describe('describeKeyAnswer', () => {
  it.each([
    ['polygon', 200, true, 'accepted'],
    ['polygon', 401, false, 'rejected'],
    ['polygon', 403, false, 'plan'],
    ['guardian', 429, true, 'rate limiting'],
    ['guardian', 503, false, 'HTTP 503'],
  ] as const)('%s %i', (name, status, ok, text) => {
    const r = describeKeyAnswer(name, status)
    expect(r.ok).toBe(ok)
    expect(r.message).toContain(text)
  })
})

describe('testKey against the simulator', () => {
  it('accepts the right key and rejects a wrong one, for both services', async () => {
    const sim = await createSimulator({ port: 0, seed: 3, key: 'good-key-123', clock: { kind: 'accelerated', factor: 10 } })
    const g = mountGuardian(sim, { key: 'good-key-123', seed: 3, quota: null })
    try {
      const demo = { wsBase: sim.wsBase, httpBase: sim.httpBase }
      const s = defaultSettings()
      const deps = { fetch: globalThis.fetch as never, demo }
      expect((await testKey('polygon', 'good-key-123', s, deps)).ok).toBe(true)
      expect(await testKey('polygon', 'bad-key-0000', s, deps)).toMatchObject({ ok: false, message: 'Polygon rejected the key.' })
      expect((await testKey('guardian', 'good-key-123', s, deps)).ok).toBe(true)
      const bad = await testKey('guardian', 'bad-key-0000', s, deps)
      expect(bad.ok).toBe(false)
      expect(bad.message).not.toContain('bad-key-0000')
    } finally {
      g.close()
      await sim.close()
    }
  })
})

describe('probeGrafana', () => {
  it('reports a live Grafana and a dead one with the command to start it', async () => {
    const srv = createServer((req, res) => {
      res.writeHead(req.url === '/api/health' ? 200 : 404).end('{}')
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
    const port = (srv.address() as { port: number }).port
    const s = defaultSettings()
    const up = await probeGrafana({ ...s, grafana: { ...s.grafana, url: `http://127.0.0.1:${port}` } }, { fetch: globalThis.fetch as never })
    expect(up).toMatchObject({ reachable: true, url: `http://127.0.0.1:${port}/d/newstape-market-news?kiosk&theme=dark` })
    await new Promise<void>((r) => srv.close(() => r()))
    const down = await probeGrafana({ ...s, grafana: { ...s.grafana, url: `http://127.0.0.1:${port}` } }, { fetch: globalThis.fetch as never })
    expect(down.reachable).toBe(false)
    expect(down.message).toContain('npm run stack')
  })
})
