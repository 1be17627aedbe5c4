// The one place window security is decided. Pure, so tests assert it without Electron.

export interface Bounds {
  x?: number
  y?: number
  width: number
  height: number
}

export const DEFAULT_BOUNDS: Bounds = { width: 1440, height: 900 }

export function mainWindowOptions(preloadPath: string, bounds: Bounds, dark: boolean) {
  return {
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Newstape',
    backgroundColor: dark ? '#0f1115' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  } as const
}

/** Grafana's embedded view: no preload, no node, its own persistent partition. */
export function grafanaViewOptions() {
  return {
    webPreferences: {
      partition: 'persist:grafana',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  } as const
}

export interface DisplayArea {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Restores remembered bounds only if the window would still be visible on a current display
 * (a monitor may have been unplugged since), else falls back to a centred default.
 */
export function restoreBounds(saved: unknown, displays: DisplayArea[]): Bounds {
  if (!saved || typeof saved !== 'object') return DEFAULT_BOUNDS
  const b = saved as Record<string, unknown>
  const nums = ['x', 'y', 'width', 'height'].map((k) => b[k])
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return DEFAULT_BOUNDS
  const [x, y, width, height] = nums as number[]
  if (width! < 400 || height! < 300) return DEFAULT_BOUNDS
  const visible = displays.some(
    (d) => x! + 100 <= d.x + d.width && x! + width! - 100 >= d.x && y! >= d.y - 10 && y! + 50 <= d.y + d.height,
  )
  return visible ? { x: x!, y: y!, width: width!, height: height! } : DEFAULT_BOUNDS
}
