// Which Chromium drives the end-to-end tests, the UI benchmarks and `npm start -- --smoke`: the system's
// when there is one, else the headless build that the npm package @sparticuz/chromium carries inside its
// tarball (made for servers; no download at install or at run time). CHROMIUM_PATH overrides both.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ChromiumChoice {
  executablePath: string
  /** Where it came from, said in the test output. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm @sparticuz/chromium'
  /** Extra environment the binary needs (the npm build's own fonts). */
  env: Record<string, string>
}

/** Flags for headless runs on a closed network (no background networking: its connections are refused here). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** playwright-core launch options for a choice. */
export const launchOptions = (
  c: ChromiumChoice,
  extraArgs: string[] = [],
): { executablePath: string; args: string[]; env: Record<string, string | undefined> } => ({
  executablePath: c.executablePath,
  args: [...CHROMIUM_ARGS, ...extraArgs],
  env: { ...process.env, ...c.env },
})

/** System Chromium/Chrome binaries, in the order they are tried. */
export const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]

export interface ChromiumProbe {
  env: Record<string, string | undefined>
  exists: (path: string) => boolean
}

/** The pure part of the choice: an explicit path, else the first system binary, else null (use npm). */
export function pickChromium(probe: ChromiumProbe): Omit<ChromiumChoice, 'env'> | null {
  const explicit = probe.env.CHROMIUM_PATH
  if (explicit) {
    if (!probe.exists(explicit)) throw new Error(`CHROMIUM_PATH=${explicit}: no such file`)
    return { executablePath: explicit, source: 'CHROMIUM_PATH' }
  }
  // NEWSTAPE_CHROMIUM=npm skips the system one: how CI proves the fallback on a machine that has both.
  if (probe.env.NEWSTAPE_CHROMIUM !== 'npm') {
    for (const c of SYSTEM_CANDIDATES) if (probe.exists(c)) return { executablePath: c, source: 'system' }
  }
  return null
}

/** The version of the npm package's Chromium, from its package.json (its major is Chromium's). */
function npmChromiumVersion(repoRoot: string): string {
  const file = join(repoRoot, 'node_modules', '@sparticuz', 'chromium', 'package.json')
  if (!existsSync(file)) throw new Error(`No system Chromium and no ${file}: run \`npm install\``)
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A fontconfig file: the system's configuration when it has one, plus the bundled fonts. */
export const fontsConf = (bundledFonts: string, cacheDir: string): string => `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${xml(bundledFonts)}</dir>
  <cachedir>${xml(cacheDir)}</cachedir>
</fontconfig>
`

/** True when the environment's locale is unset, C or POSIX (what LC_ALL, then LANG, say). */
export const localeIsPosix = (env: Record<string, string | undefined>): boolean => {
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return l === '' || /^(C|POSIX)(\.|$)/.test(l)
}

let cached: Promise<ChromiumChoice> | null = null

/**
 * The Chromium to launch. The npm build is unpacked once into .data/chromium-<version>/ (it unpacks into the
 * temp folder it is given, and reuses whatever `chromium` it finds there, so each version gets its own).
 */
export function resolveChromium(repoRoot: string): Promise<ChromiumChoice> {
  cached ??= (async (): Promise<ChromiumChoice> => {
    const picked = pickChromium({ env: process.env, exists: existsSync })
    if (picked) return { ...picked, env: {} }
    const version = npmChromiumVersion(repoRoot)
    const dir = join(repoRoot, '.data', `chromium-${version}`)
    mkdirSync(dir, { recursive: true })
    const { default: Chromium } = await import('@sparticuz/chromium')
    const before = process.env.TMPDIR
    process.env.TMPDIR = dir
    let executablePath: string
    try {
      executablePath = await Chromium.executablePath()
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
    }
    if (!executablePath.startsWith(dir))
      throw new Error(`@sparticuz/chromium unpacked outside ${dir}: ${executablePath}`)
    // Its fonts come with it (a machine with no fonts would draw every label as boxes), but the fonts.conf
    // it ships names fixed /tmp paths: point fontconfig at the unpacked fonts and the system's own instead.
    const confDir = join(dir, 'fontconfig')
    mkdirSync(confDir, { recursive: true })
    writeFileSync(
      join(confDir, 'fonts.conf'),
      fontsConf(join(dir, 'fonts', 'fonts'), join(dir, 'fonts-cache')),
    )
    // Under the C/POSIX locale this build reports its language as "en-US@posix", which Intl rejects (every
    // number format in the page throws): give it a real one unless the user has.
    const env: Record<string, string> = {
      FONTCONFIG_PATH: confDir,
      ...(localeIsPosix(process.env) ? { LANG: 'en_US.UTF-8' } : {}),
    }
    const v = spawnSync(executablePath, ['--version'], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, ...env },
    })
    if (v.status !== 0)
      throw new Error(
        `the npm Chromium (${executablePath}) does not run here: ${(v.stderr || v.stdout || String(v.error)).slice(0, 500)}`,
      )
    return { executablePath, source: 'npm @sparticuz/chromium', env }
  })()
  return cached
}

/** One line for the test output: which Chromium ran. */
export const describeChromium = (c: ChromiumChoice): string => `Chromium: ${c.executablePath} (${c.source})`
