// `npm start`'s decision, kept pure so it is table-tested with the probe injected (decide.test.ts): open the
// desktop window when Electron can run here, else say why in one line and run the same app in browser mode.

export interface ElectronProbe {
  /** node_modules/electron's version, or null when the package is not installed at all. */
  packageVersion: string | null
  /** The Electron executable when it is on disk, else null (its download was skipped or failed). */
  binaryPath: string | null
  /** A desktop to open a window on (always true off Linux; on Linux DISPLAY or WAYLAND_DISPLAY). */
  display: boolean
}

export interface StartFlags {
  /** `--browser`: browser mode even when Electron could run. */
  browser: boolean
  /** `--smoke`: start, check the first candle and headline in Chromium, stop (CI). Browser mode, no download. */
  smoke: boolean
  /** `--no-download` or ELECTRON_SKIP_BINARY_DOWNLOAD: never fetch Electron's binary at start. */
  noDownload: boolean
}

export type StartStep =
  { kind: 'electron'; binaryPath: string } | { kind: 'download' } | { kind: 'browser'; reason: string }

/**
 * The next step. `downloadError` is set after a download was tried and failed (the step is then never
 * `download` again, so the launcher cannot loop).
 */
export function nextStartStep(probe: ElectronProbe, flags: StartFlags, downloadError?: string): StartStep {
  const forced = flags.smoke
    ? 'smoke run (--smoke)'
    : flags.browser
      ? 'browser mode asked for (--browser)'
      : null
  const why = electronUnavailable(probe, flags.noDownload || forced !== null, downloadError)
  if (forced !== null)
    return { kind: 'browser', reason: why === null || why === 'download' ? forced : `${forced}; ${why}` }
  if (why === null) return { kind: 'electron', binaryPath: probe.binaryPath! }
  if (why === 'download') return { kind: 'download' }
  return { kind: 'browser', reason: why }
}

/** Why Electron cannot open a window here (null: it can; 'download': its binary may still be fetched). */
function electronUnavailable(
  probe: ElectronProbe,
  noDownload: boolean,
  downloadError?: string,
): string | null {
  if (probe.packageVersion === null) return 'Electron is not installed (node_modules/electron is missing)'
  if (!probe.display)
    return `no desktop display here (DISPLAY and WAYLAND_DISPLAY are unset)${probe.binaryPath === null ? ", and Electron's binary is not installed" : ''}`
  if (probe.binaryPath !== null) return null
  if (downloadError !== undefined)
    return `Electron ${probe.packageVersion}'s binary could not be downloaded (${downloadError})`
  if (noDownload)
    return `Electron ${probe.packageVersion}'s binary is not installed and its download is switched off`
  return 'download'
}

/** `npm start` flags from argv and the environment. */
export function parseStartFlags(argv: string[], env: Record<string, string | undefined>): StartFlags {
  return {
    browser: argv.includes('--browser'),
    smoke: argv.includes('--smoke') || env.NEWSTAPE_SMOKE === '1',
    noDownload: argv.includes('--no-download') || Boolean(env.ELECTRON_SKIP_BINARY_DOWNLOAD),
  }
}

/** The one line a download failure is reduced to: the error's first line, without a stack. */
export function downloadFailureReason(stderr: string, exitCode: number | null): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error/i.test(l) && !l.startsWith('at '))
  return (line ?? `exit code ${String(exitCode)}`).slice(0, 200)
}

/** The page URL the browser-mode server prints ("… open http://127.0.0.1:4780/?token=…"). */
export function servedUrl(line: string): string | null {
  const m = /open (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(line)
  return m ? m[1]! : null
}

/** How to open a URL in the system browser, or null when there is none to open it with. */
export function systemBrowserCommand(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  onPath: (cmd: string) => boolean,
): { cmd: string; args: (url: string) => string[] } | null {
  if (platform === 'darwin') return { cmd: 'open', args: (u) => [u] }
  if (platform === 'win32') return { cmd: 'cmd', args: (u) => ['/c', 'start', '""', u] }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null
  return onPath('xdg-open') ? { cmd: 'xdg-open', args: (u) => [u] } : null
}
