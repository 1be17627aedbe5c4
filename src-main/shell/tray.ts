// Tray controller: renders the pure tray model with Electron's Tray/Menu (injected) and routes clicks to
// the core. Re-renders on every status change, so tray and window show the same paused state.
import type { StatusSnapshot } from '../domain/status'
import { trayMenuModel, trayTooltip, type TrayItem } from './tray-menu'

export interface MenuTemplateItem {
  label?: string
  type?: 'separator' | 'normal'
  enabled?: boolean
  click?: () => void
}

export interface TrayLike {
  setToolTip(text: string): void
  setContextMenu(menu: unknown): void
  on(event: 'click', l: () => void): unknown
  destroy(): void
}

export interface TrayDeps {
  createTray(): TrayLike
  buildMenu(template: MenuTemplateItem[]): unknown
}

export interface TrayCore {
  pause(): void
  resume(): void
  status(): StatusSnapshot
  onStatus(l: (s: StatusSnapshot) => void): () => void
}

export function createTrayController(deps: TrayDeps, core: TrayCore, actions: { show(): void; quit(): void }) {
  const tray = deps.createTray()
  let lastKey = ''
  const onClick: Record<TrayItem['id'], (() => void) | undefined> = {
    status: undefined,
    separator: undefined,
    pause: () => core.pause(),
    resume: () => core.resume(),
    show: () => actions.show(),
    quit: () => actions.quit(),
  }
  const render = (s: StatusSnapshot): void => {
    const model = trayMenuModel(s)
    const tooltip = trayTooltip(s)
    const key = tooltip + JSON.stringify(model)
    if (key === lastKey) return
    lastKey = key
    tray.setToolTip(tooltip)
    tray.setContextMenu(
      deps.buildMenu(
        model.map((i) =>
          i.id === 'separator'
            ? { type: 'separator' as const }
            : { label: i.label, enabled: i.enabled, ...(onClick[i.id] ? { click: onClick[i.id] } : {}) },
        ),
      ),
    )
  }
  render(core.status())
  const off = core.onStatus(render)
  tray.on('click', () => actions.show())
  return {
    destroy() {
      off()
      tray.destroy()
    },
  }
}
