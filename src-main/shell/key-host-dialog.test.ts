import { describe, expect, it } from 'vitest'
import { createKeyHostConfirm, keyHostQuestion, type DialogLike } from './key-host-dialog'

describe('key host dialog', () => {
  it('names the service and the host; the safe answer is the default and the cancel', () => {
    const q = keyHostQuestion('polygon', 'wss://feed.example:8443')
    expect(q.message).toBe('Send your stored Polygon API key to wss://feed.example:8443?')
    expect(q.buttons[q.defaultId]).toBe("Don't send")
    expect(q.cancelId).toBe(q.defaultId)
    expect(keyHostQuestion('guardian', 'https://x.test').detail).toMatch(/not an official Guardian host/)
  })

  it.each([
    [0, false],
    [1, true],
    [2, false],
  ])('answer %i → send %s', async (response, want) => {
    const dialog: DialogLike = { showMessageBox: async () => ({ response }) }
    expect(await createKeyHostConfirm(dialog)('polygon', 'wss://x.test')).toBe(want)
  })
})
