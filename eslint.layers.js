// The dependency rules of the architecture (the layers and who may import whom), as lint errors. They are
// checked on resolved file paths (eslint-plugin-import-x's no-restricted-paths), so a relative path, an alias
// or an index file cannot slip past them; eslint.layers.test.ts plants wrong-way imports to prove it.
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

const M = './src-main'
/** The core: plain TypeScript that runs in Node without Electron, React or the simulator. */
export const CORE = ['feeds', 'market', 'news', 'signals', 'kafka', 'impact-history']
/** Core folders a core folder may import besides domain/ and itself. */
const CORE_ALLOWED = { signals: ['market'] }
/** Outer layers no core file may import. */
const OUTER = ['host', 'app', 'shell', 'ipc', 'serve', 'simulator']

const zones = [
  {
    target: `${M}/domain`,
    from: ['./src-main', './src-preload', './src-renderer'],
    except: ['./domain'],
    message: 'domain/ holds the shared types and pure helpers: it imports nothing else.',
  },
  ...CORE.map((folder) => ({
    target: `${M}/${folder}`,
    from: [...OUTER, ...CORE.filter((c) => c !== folder && !(CORE_ALLOWED[folder] ?? []).includes(c))].map(
      (f) => `${M}/${f}`,
    ),
    message: `The core (${folder}/) imports only domain/, its own folder and the lower core layers it is allowed.`,
  })),
  {
    target: `${M}/host`,
    from: [`${M}/app`, `${M}/shell`, `${M}/ipc`, `${M}/serve`],
    message:
      'host/ wires the core into worker threads: it does not reach up into app/, shell/, ipc/ or serve/.',
  },
  {
    target: [`${M}/app`, `${M}/serve`, `${M}/simulator`, `${M}/domain`],
    from: [`${M}/shell`, `${M}/ipc`, `${M}/index.ts`],
    message: 'shell/ and ipc/ are the only Electron code: nothing outside them imports them.',
  },
  {
    target: './src-preload',
    from: [...OUTER, ...CORE].map((f) => `${M}/${f}`),
    message: 'The contract (src-preload) is shared with the renderer: it imports only domain/ types.',
  },
  {
    target: './src-renderer',
    from: ['./src-main', './src-preload'],
    except: ['./domain', './contract.ts', './api.ts', './settings-schema.ts'],
    message: 'The renderer imports only the contract (src-preload) and domain/ types.',
  },
]

export const layerRules = [
  {
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    // Tests may use the simulator and test helpers of other layers as fixtures.
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/test-support.ts', '**/test-helpers.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.node.json', 'tsconfig.web.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: { 'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }] },
  },
  {
    // Path aliases, never a climb out of the renderer's folder into the main process or the contract.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src-main|src-preload)/',
              message: 'Reach domain/ and the contract through their path aliases (@domain/…, @contract/…).',
            },
          ],
        },
      ],
    },
  },
]
