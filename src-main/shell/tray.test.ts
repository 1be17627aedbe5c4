import { describe, expect, it } from 'vitest'
import { createTrayController, type MenuTemplateItem } from './tray'
import { initialStatus } from '../app/initial-status'
import type { StatusSnapshot } from '../domain/status'

function setup() {
  let status: StatusSnapshot = { ...initialStatus(), feed: { ...initialStatus().feed, state: 'live' } }
  const listeners = new Set<(s: StatusSnapshot) => void>()
  const set = (s: StatusSnapshot) => {
    status = s
    listeners.forEach((l) => l(s))
  }
  // A core whose pause/resume change status exactly as the app core does.
  const core = {
    pause: () => set({ ...status, paused: true }),
    resume: () => set({ ...status, paused: false }),
    status: () => status,
    onStatus: (l: (s: StatusSnapshot) => void) => (listeners.add(l), () => listeners.delete(l)),
  }
  const tooltips: string[] = []
  let menu: MenuTemplateItem[] = []
  const actions = { shown: 0, quit: 0 }
  const ctl = createTrayController(
    {
      createTray: () => ({ setToolTip: (t) => void tooltips.push(t), setContextMenu: (m) => (menu = m as MenuTemplateItem[]), on: () => undefined, destroy: () => undefined }),
      buildMenu: (t) => t,
    },
    core,
    { show: () => void actions.shown++, quit: () => void actions.quit++ },
  )
  const click = (label: string) => menu.find((i) => i.label === label)!.click!()
  return { core, tooltips, menu: () => menu, actions, click, set, ctl }
}

describe('tray controller', () => {
  it('Pause streams pauses the core and the menu flips to Resume', () => {
    const t = setup()
    expect(t.menu().map((i) => i.label)).toContain('Pause streams')
    t.click('Pause streams')
    expect(t.core.status().paused).toBe(true)
    expect(t.menu().map((i) => i.label)).toContain('Resume streams')
    expect(t.tooltips.at(-1)).toContain('Paused')
    t.click('Resume streams')
    expect(t.core.status().paused).toBe(false)
    expect(t.menu().map((i) => i.label)).toContain('Pause streams')
  })

  it('a pause from the window shows in the tray too', () => {
    const t = setup()
    t.core.pause()
    expect(t.menu().map((i) => i.label)).toContain('Resume streams')
  })

  it('Show window and Quit reach the shell', () => {
    const t = setup()
    t.click('Show window')
    t.click('Quit Newstape')
    expect(t.actions).toEqual({ shown: 1, quit: 1 })
  })

  it('tooltip follows the live status', () => {
    const t = setup()
    t.set({ ...t.core.status(), kafka: { ...t.core.status().kafka, state: 'spooling', spooledRecords: 42 } })
    expect(t.tooltips.at(-1)).toContain('Kafka spooling (42)')
  })
})
