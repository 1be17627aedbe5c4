// The app page's Content-Security-Policy: the Electron window and the browser-mode server send the same one.

/** Strict CSP for the app window (also sent as a header for dev-server pages). */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // lightweight-charts and React set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
