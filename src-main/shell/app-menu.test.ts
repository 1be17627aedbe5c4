import { describe, expect, it, vi } from 'vitest'
import { buildAppMenu, type MenuItem } from './app-menu'

const flat = (items: MenuItem[]): MenuItem[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])])

describe('app menu', () => {
  it('has the usual roles, devtools only in development', () => {
    const prod = flat(buildAppMenu({ isMac: false, dev: false, paused: () => false, togglePause: () => undefined }))
    const roles = prod.map((i) => i.role).filter(Boolean)
    expect(roles).toEqual(expect.arrayContaining(['quit', 'editMenu', 'zoomIn', 'windowMenu']))
    expect(roles).not.toContain('toggleDevTools')
    const dev = flat(buildAppMenu({ isMac: true, dev: true, paused: () => false, togglePause: () => undefined }))
    expect(dev.map((i) => i.role)).toEqual(expect.arrayContaining(['appMenu', 'toggleDevTools', 'close']))
  })

  it('pause item toggles the streams', () => {
    const toggle = vi.fn()
    const item = flat(buildAppMenu({ isMac: false, dev: false, paused: () => false, togglePause: toggle })).find((i) => i.label?.startsWith('Pause'))
    item!.click!()
    expect(toggle).toHaveBeenCalledOnce()
  })
})
