// The architecture's dependency rules (eslint.layers.js) hold: wrong-way imports planted in each layer are
// lint errors, right-way ones are not. Runs ESLint itself on the planted files, with the same rule set that
// `npm run lint` uses.
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain-JS config module without types
import { layerRules } from '../../eslint.layers.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
    ...(layerRules as object[]),
  ],
})

async function lintErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}/${file}` })
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)
}

const cases: [string, string, string, 'error' | 'ok'][] = [
  ['core → host', 'src-main/feeds/planted.ts', "import type { IngestConfig } from '../host/protocol'", 'error'],
  ['core → simulator', 'src-main/kafka/planted.ts', "import { createSimulator } from '../simulator/index'", 'error'],
  ['core → app', 'src-main/news/planted.ts', "import { buildIngestConfig } from '../app/ingest-config'", 'error'],
  ['core → another core folder', 'src-main/kafka/planted.ts', "import { createMarketEngine } from '../market/engine'", 'error'],
  ['signals → market (a lower layer)', 'src-main/signals/planted.ts', "import { createMarketEngine } from '../market/engine'", 'ok'],
  ['core → domain', 'src-main/feeds/planted.ts', "import type { Trade } from '../domain/market'", 'ok'],
  ['core → its own folder', 'src-main/feeds/planted.ts', "import type { FeedConfig } from './config'", 'ok'],
  ['domain → anything', 'src-main/domain/planted.ts', "import type { FeedConfig } from '../feeds/config'", 'error'],
  ['host → app', 'src-main/host/planted.ts', "import { buildIngestConfig } from '../app/ingest-config'", 'error'],
  ['app → shell (Electron)', 'src-main/app/planted.ts', "import { createTray } from '../shell/tray'", 'error'],
  ['serve → shell (Electron)', 'src-main/serve/planted.ts', "import { mainWindowOptions } from '../shell/window-options'", 'error'],
  ['app → host', 'src-main/app/planted.ts', "import type { IngestConfig } from '../host/protocol'", 'ok'],
  ['contract → host', 'src-preload/planted.ts', "import type { IngestConfig } from '../src-main/host/protocol'", 'error'],
  ['contract → domain', 'src-preload/planted.ts', "import type { Trade } from '../src-main/domain/market'", 'ok'],
  ['renderer → main by a relative climb', 'src-renderer/src/planted.ts', "import type { Trade } from '../../src-main/domain/market'", 'error'],
  ['renderer → host', 'src-renderer/src/planted.ts', "import type { IngestConfig } from '../../src-main/host/protocol'", 'error'],
  ['renderer → domain by its alias', 'src-renderer/src/planted.ts', "import type { Trade } from '@domain/market'", 'ok'],
  ['renderer → the contract by its alias', 'src-renderer/src/planted.ts', "import type { NewstapeApi } from '@contract/api'", 'ok'],
  ['a core test may use the simulator as a fixture', 'src-main/feeds/planted.test.ts', "import { createSimulator } from '../simulator/index'", 'ok'],
]

describe('layer rules (eslint.layers.js)', () => {
  it.each(cases)('%s', async (_name, file, source, expected) => {
    const errors = await lintErrors(file, `${source}\nexport {}\n`)
    if (expected === 'ok') expect(errors).toEqual([])
    else {
      expect(errors.length).toBeGreaterThan(0)
      for (const e of errors) expect(e).toMatch(/^(import-x\/no-restricted-paths|no-restricted-imports): /)
    }
  })
})
