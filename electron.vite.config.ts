import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))
/** The renderer reaches the shared types and the IPC contract through these (tsconfig.base.json `paths`). */
export const rendererAliases = {
  '@domain': resolve(root, 'src-main/domain'),
  '@contract': resolve(root, 'src-preload'),
}

// Explicit entries: the top-level folders are named by the product card, not electron-vite's defaults.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/index.ts'),
          // The ingest worker runs the socket, polling, parsing and aggregation off the main thread.
          'ingest-worker': resolve(root, 'src-main/host/ingest-worker.ts'),
          // Demo mode's Polygon + Guardian simulator, in its own thread.
          'sim-worker': resolve(root, 'src-main/host/sim-worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    resolve: { alias: rendererAliases },
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves bundles unminified; the window loads 1.2 MB of script at every launch otherwise.
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
})
