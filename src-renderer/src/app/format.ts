// Display formatting (pure).
export const fmtPrice = (v: number | null | undefined): string => (v == null ? '—' : v >= 1000 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(4))

export const fmtSignedPct = (v: number | null | undefined, digits = 2): string =>
  v == null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits)}%`

/** A return as a fraction (0.0123) → "+1.23%". */
export const fmtRet = (r: number | null | undefined): string => (r == null ? '…' : fmtSignedPct(r * 100))

export const fmtVolume = (v: number | null | undefined): string => {
  if (v == null) return '—'
  if (v >= 1e9) return `${(v / 1e9).toFixed(2)}B`
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}K`
  return String(Math.round(v))
}

export const fmtClock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false })

export const fmtDuration = (ms: number): string => {
  if (ms < 0) ms = 0
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} m`
}

export const fmtBytes = (b: number): string =>
  b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(1)} GiB` : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`
