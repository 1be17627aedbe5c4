// Global shortcuts (pure mapping): `/` adds a symbol, `1`–`4` pick the timeframe, space pauses.
import { TIMEFRAMES, type Timeframe } from '@domain/market'

export type KeyAction = { type: 'focus-add' } | { type: 'timeframe'; timeframe: Timeframe } | { type: 'pause' }

export interface KeyInput {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** The focused element's tag (upper case) and editability: typing in fields is never a shortcut. */
  targetTag: string
  targetEditable: boolean
}

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

export const keyAction = (k: KeyInput): KeyAction | null => {
  if (k.ctrlKey || k.metaKey || k.altKey) return null
  if (TYPING.has(k.targetTag) || k.targetEditable) return null
  if (k.key === '/') return { type: 'focus-add' }
  if (k.key === ' ' && k.targetTag !== 'BUTTON') return { type: 'pause' }
  const n = Number(k.key)
  if (k.key.length === 1 && n >= 1 && n <= TIMEFRAMES.length) return { type: 'timeframe', timeframe: TIMEFRAMES[n - 1]! }
  return null
}
