import { create } from 'zustand'
import type { StatusSnapshot } from '@domain/status'
import type { ConnectionState } from '../../api/ws-transport'

interface StatusState {
  snapshot: StatusSnapshot | null
  paused: boolean
  /** Browser mode only: the WebSocket to the server. Electron IPC is always "open". */
  connection: ConnectionState
  error: string | null
  setSnapshot(s: StatusSnapshot): void
  setPaused(p: boolean): void
  setConnection(c: ConnectionState): void
  setError(e: string | null): void
}

export const useStatusStore = create<StatusState>()((set) => ({
  snapshot: null,
  paused: false,
  connection: 'open',
  error: null,
  setSnapshot: (snapshot) => set({ snapshot, paused: snapshot.paused }),
  setPaused: (paused) => set({ paused }),
  setConnection: (connection) => set({ connection }),
  setError: (error) => set({ error }),
}))
