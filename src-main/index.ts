// Electron composition root: a thin shell around the app core. Window, tray, menu, settings
// (a JSON file, the one electron-store kept), keys (safeStorage), IPC wiring, notifications. All stream work runs in worker threads.
import { app, BrowserWindow, dialog, Menu, Notification, Tray, WebContentsView, nativeImage, safeStorage, screen, session, shell } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAppCore, type AppCore } from './app/app-core'
import { createJsonFileStore } from './app/json-file-store'
import { openUserStores } from './app/startup-notices'
import { createKeyHostApprovals } from './app/key-hosts'
import { createKeyHostConfirm } from './shell/key-host-dialog'
import { probeGrafana, testKey } from './app/key-check'
import type { DemoEndpoints } from './domain/endpoints'
import { redact } from './app/secrets'
import { createGrafanaView, createMainWindow, type BrowserWindowLike, type WindowDeps } from './shell/windows'
import { restoreBounds } from './shell/window-options'
import { createTrayController } from './shell/tray'
import { buildAppMenu } from './shell/app-menu'
import { createIpcEmitter, registerIpc } from './ipc/ipc-main-adapter'
import { electronIpc } from './ipc/electron-ipc'
import { startIngestWorker } from './host/worker-host'
import { createDemoBackend } from './host/demo-backend'
import { isSafeExternalUrl } from './shell/external-url'
import { createPgImpactHistorySource } from './impact-history/pg-source'
import { moveAlertText, signalText } from './app/alert-text'

const here = fileURLToPath(new URL('.', import.meta.url))
const resources = app.isPackaged ? process.resourcesPath : join(here, '../../resources')

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void main()
}

async function main(): Promise<void> {
  await app.whenReady()
  // Permissions (camera, geolocation, …) are never needed: deny all.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))

  // The same file electron-store kept (userData/newstape.json), read and written like browser mode's settings:
  // an unreadable file is moved aside and reported, never replaced by defaults behind the user's back.
  const store = createJsonFileStore(join(app.getPath('userData'), 'newstape.json'), { dotPaths: true })
  const { settings, secrets, kafkaSecrets, notices } = openUserStores(store, safeStorage)
  const log = (level: 'info' | 'warn' | 'error', message: string): void => {
    const line = redact(message, [secrets.get('polygon'), secrets.get('guardian'), kafkaSecrets.get('password'), kafkaSecrets.get('oauthClientSecret')])
    ;(level === 'error' ? console.error : console.log)(`${level}: ${line}`)
  }

  const openExternal = async (url: string): Promise<void> => {
    if (isSafeExternalUrl(url)) await shell.openExternal(url)
  }
  const windowDeps: WindowDeps = {
    BrowserWindow: BrowserWindow as unknown as WindowDeps['BrowserWindow'],
    WebContentsView: WebContentsView as unknown as WindowDeps['WebContentsView'],
    openExternal,
    log: (m) => log('warn', m),
  }

  let win: BrowserWindowLike | null = null
  let grafana: ReturnType<typeof createGrafanaView> | null = null
  let demoEndpoints: DemoEndpoints | null = null
  const demo = createDemoBackend({ watchlist: () => settings.get().watchlist.symbols })
  const emit = createIpcEmitter(() => (win && !win.isDestroyed() ? win.webContents : null))

  const core: AppCore = createAppCore({
    mode: 'electron',
    notices,
    keyApprovals: createKeyHostApprovals(store),
    confirmKeyHost: createKeyHostConfirm(dialog),
    keyStoreHint: "the operating system's keychain does not hold the key they were encrypted with any more",
    version: app.getVersion(),
    platform: process.platform,
    dataDir: app.getPath('userData'),
    settings,
    secrets,
    kafkaSecrets,
    startHost: (config) => startIngestWorker(config),
    demo: { endpoints: async () => (demoEndpoints = await demo.endpoints()), stop: () => demo.stop() },
    emit,
    openExternal,
    testKey: (name, key, s) => testKey(name, key, s, { fetch: globalThis.fetch as never, demo: demoEndpoints }),
    probeGrafana: (s) => probeGrafana(s, { fetch: globalThis.fetch as never }),
    openImpactHistory: (h) => createPgImpactHistorySource(h, { log: (m) => log('warn', m) }),
    grafanaView: {
      show: (bounds, url) => grafana?.show(bounds, url),
      hide: () => grafana?.hide(),
    },
    onSignal: (impact, article) => {
      const n = settings.get().notifications
      if (!n.enabled || !Notification.isSupported()) return
      const note = new Notification({ ...signalText(impact, article), silent: !n.sound })
      note.on('click', () => {
        showWindow()
        emit('signals:focus', { articleId: impact.articleId })
      })
      note.show()
    },
    onMove: (move) => {
      const n = settings.get().notifications
      if (!n.enabled || !Notification.isSupported()) return
      const note = new Notification({ ...moveAlertText(move, null), silent: !n.sound })
      note.on('click', () => {
        showWindow()
        emit('signals:focus', { moveId: move.id })
      })
      note.show()
    },
    log,
  })

  const showWindow = (): void => {
    if (!win || win.isDestroyed()) {
      openWindow()
      return
    }
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  const rendererUrl = (): string =>
    process.env.ELECTRON_RENDERER_URL && !app.isPackaged
      ? process.env.ELECTRON_RENDERER_URL
      : `file://${join(here, '../renderer/index.html')}`

  const openWindow = (): void => {
    const s = settings.get()
    win = createMainWindow(windowDeps, {
      preloadPath: join(here, '../preload/index.cjs'),
      devUrl: !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null,
      indexHtml: join(here, '../renderer/index.html'),
      bounds: restoreBounds(store.get('window'), screen.getAllDisplays().map((d) => d.workArea)),
      dark: s.theme === 'dark',
      onBoundsChange: (b) => {
        if (settings.readOnly) return
        try {
          store.set('window', b)
        } catch (e) {
          // The settings file could not be moved aside: nothing is saved (the start-up notice says why).
          log('warn', `window bounds not saved: ${e instanceof Error ? e.message : String(e)}`)
        }
      },
    })
    grafana = createGrafanaView(windowDeps, win)
  }

  registerIpc(electronIpc(), (c, a) => core.handle(c, a as never) as never, {
    webContentsId: () => (win && !win.isDestroyed() ? win.webContents.id : null),
    rendererUrl,
  }, (m) => log('warn', m))

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildAppMenu({
        isMac: process.platform === 'darwin',
        dev: !app.isPackaged,
        paused: () => core.isPaused(),
        togglePause: () => (core.isPaused() ? core.resume() : core.pause()),
      }) as Parameters<typeof Menu.buildFromTemplate>[0],
    ),
  )

  const trayIcon = nativeImage.createFromPath(join(resources, 'tray.png'))
  const tray = createTrayController(
    {
      createTray: () => new Tray(trayIcon),
      buildMenu: (t) => Menu.buildFromTemplate(t),
    },
    core,
    { show: showWindow, quit: () => app.quit() },
  )

  app.on('second-instance', showWindow)
  app.on('activate', showWindow)
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault())
  })

  // Quitting stops the streams first: the worker flushes Kafka or spools, never drops.
  let quitting = false
  app.on('before-quit', (e) => {
    if (quitting) return
    e.preventDefault()
    quitting = true
    tray.destroy()
    core
      .stop()
      .catch((err: unknown) => log('error', `stop: ${String(err)}`))
      .finally(() => app.exit(0))
  })
  // The tray keeps the app alive with the window closed.
  app.on('window-all-closed', () => undefined)

  openWindow()
  await core.start()
}
