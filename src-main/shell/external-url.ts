/** Only http(s) links leave the app, and only through the system browser. */
export function isSafeExternalUrl(raw: unknown): raw is string {
  if (typeof raw !== 'string' || raw.length > 4096) return false
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return false
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false
  // Credentials in a URL are a phishing tool, never a news link.
  if (u.username !== '' || u.password !== '') return false
  return u.hostname.length > 0
}

/** True when `target` stays on `origin` (scheme, host and port), e.g. Grafana's embedded view. */
export function isSameOrigin(target: string, origin: string): boolean {
  try {
    return new URL(target).origin === new URL(origin).origin
  } catch {
    return false
  }
}
