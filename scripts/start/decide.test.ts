import { describe, expect, it } from 'vitest'
import {
  downloadFailureReason,
  nextStartStep,
  parseStartFlags,
  servedUrl,
  systemBrowserCommand,
  type ElectronProbe,
  type StartFlags,
} from './decide'

const BIN = '/repo/node_modules/electron/dist/electron'
const ready: ElectronProbe = { packageVersion: '39.8.10', binaryPath: BIN, display: true }
const noBinary: ElectronProbe = { ...ready, binaryPath: null }
const plain: StartFlags = { browser: false, smoke: false, noDownload: false }

describe('npm start: which app to open', () => {
  const cases: [
    string,
    ElectronProbe,
    Partial<StartFlags>,
    string | undefined,
    ReturnType<typeof nextStartStep>,
  ][] = [
    [
      'Electron installed with a display → the window',
      ready,
      {},
      undefined,
      { kind: 'electron', binaryPath: BIN },
    ],
    ['binary missing → download it first', noBinary, {}, undefined, { kind: 'download' }],
    [
      'binary missing, download failed → browser mode with the failure',
      noBinary,
      {},
      'getaddrinfo ENOTFOUND github.com',
      {
        kind: 'browser',
        reason: "Electron 39.8.10's binary could not be downloaded (getaddrinfo ENOTFOUND github.com)",
      },
    ],
    [
      'binary missing, downloads switched off → browser mode',
      noBinary,
      { noDownload: true },
      undefined,
      {
        kind: 'browser',
        reason: "Electron 39.8.10's binary is not installed and its download is switched off",
      },
    ],
    [
      'package missing → browser mode',
      { packageVersion: null, binaryPath: null, display: true },
      {},
      undefined,
      { kind: 'browser', reason: 'Electron is not installed (node_modules/electron is missing)' },
    ],
    [
      'no display → browser mode, no 100 MB download for nothing',
      { ...noBinary, display: false },
      {},
      undefined,
      {
        kind: 'browser',
        reason:
          "no desktop display here (DISPLAY and WAYLAND_DISPLAY are unset), and Electron's binary is not installed",
      },
    ],
    [
      'no display with the binary present → browser mode',
      { ...ready, display: false },
      {},
      undefined,
      { kind: 'browser', reason: 'no desktop display here (DISPLAY and WAYLAND_DISPLAY are unset)' },
    ],
    [
      '--browser wins over a working Electron',
      ready,
      { browser: true },
      undefined,
      { kind: 'browser', reason: 'browser mode asked for (--browser)' },
    ],
    [
      '--smoke never downloads and still says why Electron is not used',
      noBinary,
      { smoke: true },
      undefined,
      {
        kind: 'browser',
        reason:
          "smoke run (--smoke); Electron 39.8.10's binary is not installed and its download is switched off",
      },
    ],
    [
      '--smoke with Electron ready → browser mode, nothing else to say',
      ready,
      { smoke: true },
      undefined,
      { kind: 'browser', reason: 'smoke run (--smoke)' },
    ],
  ]
  it.each(cases)('%s', (_name, probe, flags, downloadError, expected) => {
    expect(nextStartStep(probe, { ...plain, ...flags }, downloadError)).toEqual(expected)
  })

  it('never asks for a second download after one failed', () => {
    expect(nextStartStep(noBinary, plain, 'the download finished but the binary is not there').kind).toBe(
      'browser',
    )
  })
})

describe('flags and one-line reasons', () => {
  it('reads flags from argv and the environment', () => {
    expect(parseStartFlags([], {})).toEqual(plain)
    expect(parseStartFlags(['--smoke', '--browser'], {})).toEqual({
      browser: true,
      smoke: true,
      noDownload: false,
    })
    expect(parseStartFlags([], { NEWSTAPE_SMOKE: '1', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toEqual({
      browser: false,
      smoke: true,
      noDownload: true,
    })
    expect(parseStartFlags(['--no-download'], {}).noDownload).toBe(true)
  })

  it("reduces @electron/get's stack to its error line", () => {
    const stderr = [
      'RequestError: getaddrinfo ENOTFOUND github.com',
      '    at ClientRequest.<anonymous> (/x/node_modules/got/dist/source/core/index.js:970:111)',
      '    at Object.onceWrapper (node:events:639:26)',
    ].join('\n')
    expect(downloadFailureReason(stderr, 1)).toBe('RequestError: getaddrinfo ENOTFOUND github.com')
    expect(downloadFailureReason('', 7)).toBe('exit code 7')
  })

  it('finds the page URL in the server output, and nothing else', () => {
    expect(servedUrl('Newstape (browser mode) — open http://127.0.0.1:4780/?token=abc_-9')).toBe(
      'http://127.0.0.1:4780/?token=abc_-9',
    )
    expect(
      servedUrl('2026-12-07T03:22:56Z info starting ingest: feed=demo ws://127.0.0.1:35385/stocks'),
    ).toBeNull()
    expect(servedUrl('open http://evil.example:4780/?token=x')).toBeNull()
  })

  it('opens the system browser only where there is one', () => {
    const has = (): boolean => true
    const none = (): boolean => false
    expect(systemBrowserCommand('linux', {}, has)).toBeNull()
    expect(systemBrowserCommand('linux', { DISPLAY: ':0' }, none)).toBeNull()
    expect(systemBrowserCommand('linux', { WAYLAND_DISPLAY: 'wayland-0' }, has)?.cmd).toBe('xdg-open')
    expect(systemBrowserCommand('darwin', {}, none)?.args('http://127.0.0.1:1/')).toEqual([
      'http://127.0.0.1:1/',
    ])
    expect(systemBrowserCommand('win32', {}, none)?.args('u')).toEqual(['/c', 'start', '""', 'u'])
  })
})
