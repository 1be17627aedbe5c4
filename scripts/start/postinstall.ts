// Root postinstall: fetch Electron's binary when the network allows it, and never fail the install when it
// does not (corporate proxies, offline build boxes): `npm start` then runs the app in browser mode and says why.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { downloadElectron, probeElectron } from './electron-binary'

const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const log = (line: string): void => console.log(`[newstape] ${line}`)

const probe = probeElectron(repoRoot)
if (probe.packageVersion === null || probe.binaryPath !== null) process.exit(0)
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  log(
    'Electron’s binary: download skipped (ELECTRON_SKIP_BINARY_DOWNLOAD); `npm start` will try again or use browser mode',
  )
  process.exit(0)
}
const error = await downloadElectron(repoRoot, log)
log(
  error === null
    ? `Electron ${probe.packageVersion} is ready`
    : `Electron’s binary could not be downloaded (${error}); the install is complete, and \`npm start\` will try again, else run the app in browser mode`,
)
