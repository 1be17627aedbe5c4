// Pure tray model: the menu template and tooltip are functions of the status, so the tray and the window
// always show the same paused state (both render from the one StatusSnapshot).
import type { StatusSnapshot } from '../domain/status'

export interface TrayItem {
  id: 'status' | 'pause' | 'resume' | 'show' | 'quit' | 'separator'
  label: string
  enabled: boolean
}

export function feedLabel(s: StatusSnapshot): string {
  if (s.paused) return 'Paused'
  switch (s.feed.state) {
    case 'live':
      return `Live · ${Math.round(s.feed.msgsPerSec).toLocaleString('en-US')} msg/s`
    case 'reconnecting':
      return 'Reconnecting'
    case 'auth_failed':
      return 'Polygon key rejected'
    case 'max_connections':
      return 'Key in use elsewhere'
    default:
      return s.feed.state.charAt(0).toUpperCase() + s.feed.state.slice(1).replace('_', ' ')
  }
}

export function kafkaLabel(s: StatusSnapshot): string {
  const k = s.kafka
  if (k.state === 'disabled') return 'Kafka off'
  if (k.state === 'spooling' || k.state === 'spool_full') return `Kafka ${k.state.replace('_', ' ')} (${k.spooledRecords.toLocaleString('en-US')})`
  return `Kafka ${k.state}`
}

export function trayTooltip(s: StatusSnapshot): string {
  return `Newstape — ${feedLabel(s)} — ${kafkaLabel(s)}`
}

export function trayMenuModel(s: StatusSnapshot): TrayItem[] {
  return [
    { id: 'status', label: `${feedLabel(s)} · ${kafkaLabel(s)}`, enabled: false },
    { id: 'separator', label: '', enabled: false },
    s.paused
      ? { id: 'resume', label: 'Resume streams', enabled: true }
      : { id: 'pause', label: 'Pause streams', enabled: true },
    { id: 'show', label: 'Show window', enabled: true },
    { id: 'separator', label: '', enabled: false },
    { id: 'quit', label: 'Quit Newstape', enabled: true },
  ]
}
