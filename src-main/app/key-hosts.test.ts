import { describe, expect, it } from 'vitest'
import { memoryKv } from './test-support'
import { createKeyGuard, createKeyHostApprovals, keyFingerprint, keyHeldBackMessage } from './key-hosts'

describe('key guard', () => {
  it('official hosts pass without asking; another host is asked once per key and remembered', async () => {
    const kv = memoryKv()
    const asked: string[] = []
    const guard = createKeyGuard({
      approvals: createKeyHostApprovals(kv),
      demo: () => null,
      confirm: async (_n, origin) => (asked.push(origin), true),
    })
    expect(await guard.check('polygon', 'KEY-A-123456', ['wss://socket.massive.com/stocks', 'https://api.massive.com'])).toEqual([])
    expect(asked).toEqual([])
    expect(await guard.check('polygon', 'KEY-A-123456', ['wss://feed.test/stocks', 'https://feed.test'])).toEqual([])
    expect(asked).toEqual(['wss://feed.test', 'https://feed.test'])
    expect(await guard.check('polygon', 'KEY-A-123456', ['wss://feed.test/stocks'])).toEqual([])
    expect(asked).toHaveLength(2)
    // Another key (the user changed it) is asked again.
    expect(await guard.check('polygon', 'KEY-B-123456', ['wss://feed.test/stocks'])).toEqual([])
    expect(asked).toHaveLength(3)
    // The store holds fingerprints, never the keys.
    expect(JSON.stringify(kv.m.get('keyHostApprovals'))).not.toContain('KEY-A')
    expect(Object.keys(kv.m.get('keyHostApprovals') as object)).toContain(keyFingerprint('polygon', 'KEY-A-123456'))
  })

  it('without a dialog (browser mode) another host is blocked until the key is typed for it', async () => {
    const guard = createKeyGuard({ approvals: createKeyHostApprovals(memoryKv()), demo: () => null })
    expect(await guard.check('guardian', 'G-KEY-123456', ['https://proxy.test/search'])).toEqual(['https://proxy.test'])
    guard.typed('guardian', 'G-KEY-OTHER-1', ['https://proxy.test/search'])
    expect(await guard.check('guardian', 'G-KEY-123456', ['https://proxy.test/search'])).toEqual(['https://proxy.test'])
    guard.typed('guardian', 'G-KEY-123456', ['https://proxy.test/search'])
    expect(await guard.check('guardian', 'G-KEY-123456', ['https://proxy.test/search'])).toEqual([])
  })

  it('a settings-like write cannot forge approvals for a key it does not know', async () => {
    const kv = memoryKv()
    kv.set('keyHostApprovals', { anything: ['wss://evil.test'], [keyFingerprint('polygon', 'guess')]: ['wss://evil.test'] })
    const guard = createKeyGuard({ approvals: createKeyHostApprovals(kv), demo: () => null })
    expect(await guard.check('polygon', 'REAL-KEY-123456', ['wss://evil.test/stocks'])).toEqual(['wss://evil.test'])
  })

  it.each([
    ['electron', /Confirm the host when Newstape asks/],
    ['browser', /type the key again in Settings → API keys/],
  ] as const)('held-back message (%s)', (mode, want) => {
    expect(keyHeldBackMessage('polygon', ['wss://x.test'], mode)).toMatch(/^The stored Polygon key was not sent to wss:\/\/x\.test: it is not an official Polygon host/)
    expect(keyHeldBackMessage('polygon', ['wss://x.test'], mode)).toMatch(want)
  })
})
