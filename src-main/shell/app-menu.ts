// The application menu as a pure template (Electron roles supply the usual shortcuts and platform labels).
export interface AppMenuOptions {
  isMac: boolean
  dev: boolean
  paused: () => boolean
  togglePause: () => void
}

export interface MenuItem {
  label?: string
  role?: string
  type?: 'separator'
  accelerator?: string
  click?: () => void
  submenu?: MenuItem[]
}

export function buildAppMenu(o: AppMenuOptions): MenuItem[] {
  const sep: MenuItem = { type: 'separator' }
  return [
    ...(o.isMac ? [{ role: 'appMenu' }] : []),
    {
      label: 'File',
      submenu: [
        // The renderer handles Space itself; the menu item gives the same action a discoverable place.
        { label: 'Pause / Resume streams', accelerator: 'CmdOrCtrl+Shift+P', click: o.togglePause },
        sep,
        o.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(o.dev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, sep] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        sep,
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ]
}
