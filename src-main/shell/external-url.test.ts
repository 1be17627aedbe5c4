import { describe, expect, it } from 'vitest'
import { isSafeExternalUrl, isSameOrigin } from './external-url'

describe('isSafeExternalUrl', () => {
  it.each([
    ['https://www.theguardian.com/business/2026/nov/28/x', true],
    ['http://example.com/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['smb://host/share', false],
    ['https://user:pw@evil.example/', false],
    ['not a url', false],
    ['', false],
    [42, false],
    [null, false],
    ['https://x.com/' + 'a'.repeat(5000), false],
  ])('%s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok)
  })
})

describe('isSameOrigin', () => {
  it.each([
    ['http://127.0.0.1:3000/d/abc', 'http://127.0.0.1:3000', true],
    ['http://127.0.0.1:3001/d/abc', 'http://127.0.0.1:3000', false],
    ['https://127.0.0.1:3000/', 'http://127.0.0.1:3000', false],
    ['http://evil.example/', 'http://127.0.0.1:3000', false],
    ['garbage', 'http://127.0.0.1:3000', false],
  ])('%s on %s → %s', (t, o, ok) => {
    expect(isSameOrigin(t, o)).toBe(ok)
  })
})
