// Window factory and navigation lock. Electron's classes come in as parameters so the security wiring is
// tested without Electron: no navigation away from the app, no new windows, http(s) links to the system
// browser, Grafana's view confined to its origin.
import { grafanaViewOptions, mainWindowOptions, type Bounds } from './window-options'
import { isSafeExternalUrl, isSameOrigin } from './external-url'

export interface WebContentsLike {
  id: number
  on(event: 'will-navigate' | 'will-redirect', l: (e: { preventDefault(): void }, url: string) => void): unknown
  on(event: 'will-attach-webview', l: (e: { preventDefault(): void }) => void): unknown
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' | 'allow' }): void
  getURL(): string
  loadURL(url: string): Promise<void>
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

export interface BrowserWindowLike {
  webContents: WebContentsLike
  loadFile(path: string): Promise<void>
  loadURL(url: string): Promise<void>
  once(event: 'ready-to-show', l: () => void): unknown
  on(event: 'close' | 'resize' | 'move' | 'closed', l: () => void): unknown
  show(): void
  focus(): void
  restore(): void
  isMinimized(): boolean
  getBounds(): Bounds
  isDestroyed(): boolean
  contentView: { addChildView(v: unknown): void; removeChildView(v: unknown): void }
}

export interface ViewLike {
  webContents: WebContentsLike
  setBounds(b: { x: number; y: number; width: number; height: number }): void
}

export interface WindowDeps {
  BrowserWindow: new (opts: ReturnType<typeof mainWindowOptions>) => BrowserWindowLike
  WebContentsView: new (opts: ReturnType<typeof grafanaViewOptions>) => ViewLike
  openExternal(url: string): Promise<void>
  log(message: string): void
}

/** Every web contents: no navigation except `allowed`, no popups, external http(s) to the browser. */
export function lockNavigation(wc: WebContentsLike, allowed: (url: string) => boolean, deps: Pick<WindowDeps, 'openExternal' | 'log'>): void {
  const guard = (e: { preventDefault(): void }, url: string): void => {
    if (allowed(url)) return
    e.preventDefault()
    if (isSafeExternalUrl(url)) deps.openExternal(url).catch(() => undefined)
    else deps.log(`blocked navigation to a non-http(s) URL`)
  }
  wc.on('will-navigate', guard)
  wc.on('will-redirect', guard)
  wc.on('will-attach-webview', (e) => e.preventDefault())
  wc.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) deps.openExternal(url).catch(() => undefined)
    return { action: 'deny' }
  })
}

export interface MainWindowOptions {
  preloadPath: string
  /** Dev server URL, or null to load the built file. */
  devUrl: string | null
  indexHtml: string
  bounds: Bounds
  dark: boolean
  onBoundsChange(b: Bounds): void
}

export function createMainWindow(deps: WindowDeps, o: MainWindowOptions): BrowserWindowLike {
  const win = new deps.BrowserWindow(mainWindowOptions(o.preloadPath, o.bounds, o.dark))
  const appUrl = (): string => win.webContents.getURL()
  // Only reloads of the app page itself are navigation; everything else is cancelled.
  lockNavigation(win.webContents, (url) => url === appUrl(), deps)
  win.once('ready-to-show', () => win.show())
  const save = (): void => {
    if (!win.isDestroyed()) o.onBoundsChange(win.getBounds())
  }
  win.on('resize', save)
  win.on('move', save)
  win.on('close', save)
  const load = o.devUrl ? win.loadURL(o.devUrl) : win.loadFile(o.indexHtml)
  load.catch((e: unknown) => deps.log(`failed to load the window: ${String(e)}`))
  return win
}

/** Grafana in its own WebContentsView: no preload, own partition, navigation confined to its origin. */
export function createGrafanaView(deps: WindowDeps, win: BrowserWindowLike) {
  let view: ViewLike | null = null
  let attached = false
  let origin = ''
  return {
    show(bounds: { x: number; y: number; width: number; height: number }, url: string): void {
      const nextOrigin = new URL(url).origin
      if (!view || nextOrigin !== origin) {
        if (view && attached) win.contentView.removeChildView(view)
        origin = nextOrigin
        const v = new deps.WebContentsView(grafanaViewOptions())
        lockNavigation(v.webContents, (u) => isSameOrigin(u, origin), deps)
        view = v
        attached = false
      }
      if (!attached) {
        win.contentView.addChildView(view)
        attached = true
      }
      view.setBounds(bounds)
      if (view.webContents.getURL() !== url) view.webContents.loadURL(url).catch(() => undefined)
    },
    hide(): void {
      if (view && attached) {
        win.contentView.removeChildView(view)
        attached = false
      }
    },
  }
}
