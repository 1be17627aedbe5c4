import { describe, expect, it } from 'vitest'
import { APP_CSP } from '../domain/csp'
import { DEFAULT_BOUNDS, grafanaViewOptions, mainWindowOptions, restoreBounds } from './window-options'

describe('main window options', () => {
  it('are locked down', () => {
    const o = mainWindowOptions('/app/out/preload/index.cjs', DEFAULT_BOUNDS, true)
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    })
    expect(o.webPreferences.preload).toBe('/app/out/preload/index.cjs')
  })

  it('grafana view has no preload and its own partition', () => {
    const g = grafanaViewOptions().webPreferences as Record<string, unknown>
    expect(g.preload).toBeUndefined()
    expect(g.partition).toBe('persist:grafana')
    expect(g.nodeIntegration).toBe(false)
    expect(g.sandbox).toBe(true)
  })

  it('CSP forbids inline and remote scripts', () => {
    const script = APP_CSP.split('; ').find((d) => d.startsWith('script-src'))
    expect(script).toBe("script-src 'self'")
    expect(APP_CSP).toContain("object-src 'none'")
    expect(APP_CSP).not.toContain('unsafe-eval')
  })
})

describe('restoreBounds', () => {
  const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }]
  it.each([
    [{ x: 100, y: 100, width: 1200, height: 800 }, { x: 100, y: 100, width: 1200, height: 800 }],
    [{ x: 5000, y: 100, width: 1200, height: 800 }, DEFAULT_BOUNDS],
    [{ x: 100, y: 100, width: 10, height: 800 }, DEFAULT_BOUNDS],
    [{ x: 'a', y: 100, width: 1200, height: 800 }, DEFAULT_BOUNDS],
    [null, DEFAULT_BOUNDS],
    ['junk', DEFAULT_BOUNDS],
  ])('%j', (saved, expected) => {
    expect(restoreBounds(saved, displays)).toEqual(expected)
  })
})
