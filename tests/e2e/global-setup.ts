// Global setup of the e2e project: Chromium is found (and the output says which), and the renderer is built
// once when out/renderer is missing or older than any source it bundles.
import { describeChromium, resolveChromium } from '../../scripts/chromium'
import { ensureRendererBuilt } from '../../scripts/renderer-build'
import { REPO_ROOT } from './support/harness'

export default async function setup(): Promise<void> {
  console.log(`[e2e] ${describeChromium(await resolveChromium(REPO_ROOT))}`)
  ensureRendererBuilt(REPO_ROOT, (line) => console.log(`[e2e] ${line}`))
}
