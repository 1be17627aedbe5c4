import { describe, expect, it } from 'vitest'
import { fontsConf, localeIsPosix, pickChromium, SYSTEM_CANDIDATES } from './chromium'

describe('which Chromium runs the browser tests', () => {
  const only =
    (paths: string[]) =>
    (p: string): boolean =>
      paths.includes(p)
  it('CHROMIUM_PATH wins, and a wrong one fails loudly', () => {
    expect(
      pickChromium({ env: { CHROMIUM_PATH: '/opt/c' }, exists: only(['/opt/c', '/usr/bin/chromium']) }),
    ).toEqual({
      executablePath: '/opt/c',
      source: 'CHROMIUM_PATH',
    })
    expect(() => pickChromium({ env: { CHROMIUM_PATH: '/nope' }, exists: only([]) })).toThrow(
      'CHROMIUM_PATH=/nope: no such file',
    )
  })
  it("the system's when there is one, in the candidates' order", () => {
    expect(pickChromium({ env: {}, exists: only(['/usr/bin/google-chrome', '/usr/bin/chromium']) })).toEqual({
      executablePath: '/usr/bin/chromium',
      source: 'system',
    })
    expect(SYSTEM_CANDIDATES[0]).toBe('/usr/bin/chromium')
  })
  it("else null: the npm package's build is used (also when NEWSTAPE_CHROMIUM=npm asks for it)", () => {
    expect(pickChromium({ env: {}, exists: only([]) })).toBeNull()
    expect(
      pickChromium({ env: { NEWSTAPE_CHROMIUM: 'npm' }, exists: only(['/usr/bin/chromium']) }),
    ).toBeNull()
  })
  it('gives the npm build a real locale only under C/POSIX', () => {
    expect(localeIsPosix({})).toBe(true)
    expect(localeIsPosix({ LANG: 'C.UTF-8' })).toBe(true)
    expect(localeIsPosix({ LANG: 'POSIX' })).toBe(true)
    expect(localeIsPosix({ LANG: 'de_DE.UTF-8' })).toBe(false)
    expect(localeIsPosix({ LANG: 'C.UTF-8', LC_ALL: 'fr_FR.UTF-8' })).toBe(false)
  })
  it("fontconfig: the system's configuration plus the bundled fonts, escaped", () => {
    const conf = fontsConf('/d/fonts & more', '/d/cache')
    expect(conf).toContain('<include ignore_missing="yes">/etc/fonts/fonts.conf</include>')
    expect(conf).toContain('<dir>/d/fonts &amp; more</dir>')
    expect(conf).toContain('<cachedir>/d/cache</cachedir>')
  })
})
