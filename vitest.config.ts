import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { rendererAliases } from './electron.vite.config'

export default defineConfig({
  test: {
    projects: [
      {
        // Node tests and benchmarks import renderer modules too (chart options, stores).
        resolve: { alias: rendererAliases },
        test: {
          name: 'node',
          environment: 'node',
          include: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          // A real Kafka broker: used if one answers at KAFKA_BROKERS, else started and stopped here.
          globalSetup: ['tests/setup/kafka.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias: rendererAliases },
        // End to end in browser mode: the real core in Node, the built renderer, Debian's Chromium.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [react()],
        resolve: { alias: rendererAliases },
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['src-renderer/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
})
