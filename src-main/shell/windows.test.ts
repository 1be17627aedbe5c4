import { describe, expect, it } from 'vitest'
import { createGrafanaView, createMainWindow, lockNavigation, type BrowserWindowLike, type ViewLike, type WebContentsLike, type WindowDeps } from './windows'

type Guard = (e: { preventDefault(): void }, url: string) => void

function fakeWebContents(url = 'file:///app/out/renderer/index.html') {
  const guards: Record<string, Guard[]> = {}
  let openHandler: ((d: { url: string }) => { action: 'deny' | 'allow' }) | null = null
  let current = url
  const wc: WebContentsLike = {
    id: 1,
    on: ((event: string, l: Guard) => {
      ;(guards[event] ??= []).push(l)
    }) as WebContentsLike['on'],
    setWindowOpenHandler: (h) => void (openHandler = h),
    getURL: () => current,
    loadURL: async (u) => void (current = u),
    isDestroyed: () => false,
    send: () => undefined,
  }
  const navigate = (event: string, target: string): boolean => {
    let prevented = false
    for (const g of guards[event] ?? []) g({ preventDefault: () => (prevented = true) }, target)
    return prevented
  }
  return { wc, navigate, open: (u: string) => openHandler!({ url: u }) }
}

function deps(opened: string[]): WindowDeps {
  return {
    BrowserWindow: class {
      webContents = fakeWebContents().wc
      constructor(readonly opts: unknown) {}
      loadFile = async () => undefined
      loadURL = async () => undefined
      once = () => undefined
      on = () => undefined
      show = () => undefined
      focus = () => undefined
      restore = () => undefined
      isMinimized = () => false
      getBounds = () => ({ width: 1, height: 1 })
      isDestroyed = () => false
      contentView = { addChildView: () => undefined, removeChildView: () => undefined }
    } as unknown as WindowDeps['BrowserWindow'],
    WebContentsView: class {
      webContents = fakeWebContents('').wc
      constructor(readonly opts: unknown) {}
      setBounds = () => undefined
    } as unknown as WindowDeps['WebContentsView'],
    openExternal: async (u) => void opened.push(u),
    log: () => undefined,
  }
}

describe('navigation lock', () => {
  it('cancels navigation away from the app and sends http(s) to the system browser', () => {
    const opened: string[] = []
    const f = fakeWebContents()
    lockNavigation(f.wc, (u) => u === f.wc.getURL(), deps(opened))
    expect(f.navigate('will-navigate', 'file:///app/out/renderer/index.html')).toBe(false)
    expect(f.navigate('will-navigate', 'https://www.theguardian.com/x')).toBe(true)
    expect(f.navigate('will-redirect', 'file:///etc/passwd')).toBe(true)
    expect(f.navigate('will-attach-webview', 'x')).toBe(true)
    expect(opened).toEqual(['https://www.theguardian.com/x'])
  })

  it('denies every new window; only http(s) goes out', () => {
    const opened: string[] = []
    const f = fakeWebContents()
    lockNavigation(f.wc, () => false, deps(opened))
    expect(f.open('https://example.com/a')).toEqual({ action: 'deny' })
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' })
    expect(f.open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://example.com/a'])
  })
})

describe('main window', () => {
  it('is created with the locked-down options and loads the built page', () => {
    const d = deps([])
    const win = createMainWindow(d, {
      preloadPath: '/app/out/preload/index.cjs',
      devUrl: null,
      indexHtml: '/app/out/renderer/index.html',
      bounds: { width: 1200, height: 800 },
      dark: true,
      onBoundsChange: () => undefined,
    }) as BrowserWindowLike & { opts: { webPreferences: Record<string, unknown> } }
    expect(win.opts.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
  })
})

describe('grafana view', () => {
  it('stays on the Grafana origin', () => {
    const opened: string[] = []
    const d = deps(opened)
    const added: ViewLike[] = []
    const win = { contentView: { addChildView: (v: ViewLike) => void added.push(v), removeChildView: () => undefined } } as unknown as BrowserWindowLike
    const g = createGrafanaView(d, win)
    g.show({ x: 0, y: 0, width: 100, height: 100 }, 'http://127.0.0.1:3000/d/newstape-market-news?kiosk')
    expect(added).toHaveLength(1)
    const view = added[0]! as ViewLike & { opts: { webPreferences: Record<string, unknown> } }
    expect(view.opts.webPreferences.preload).toBeUndefined()
    expect(view.opts.webPreferences.partition).toBe('persist:grafana')
  })
})
