import { describe, expect, it } from 'vitest'
import { demoEnvOverrides } from './demo-backend'

describe('demoEnvOverrides', () => {
  it.each([
    [{}, {}],
    [{ NEWSTAPE_DEMO_INTENSITY: '1709.4' }, { intensity: 1709.4 }],
    [{ NEWSTAPE_DEMO_NEWS_PER_HOUR: '60' }, { articlesPerHour: 60 }],
    [{ NEWSTAPE_DEMO_QUOTE_RATIO: '0', NEWSTAPE_DEMO_HISTORY_MS: '0' }, { quoteRatio: 0, historyMs: 0 }],
    // Bad values are ignored: demo mode must start whatever the environment says.
    [{ NEWSTAPE_DEMO_INTENSITY: '0' }, {}],
    [{ NEWSTAPE_DEMO_INTENSITY: '-3' }, {}],
    [{ NEWSTAPE_DEMO_INTENSITY: 'lots' }, {}],
    [{ NEWSTAPE_DEMO_NEWS_PER_HOUR: '' }, {}],
    [{ NEWSTAPE_DEMO_QUOTE_RATIO: '-1', NEWSTAPE_DEMO_HISTORY_MS: 'Infinity' }, {}],
  ])('%j → %j', (env, expected) => {
    expect(demoEnvOverrides(env as NodeJS.ProcessEnv)).toEqual(expected)
  })
})
