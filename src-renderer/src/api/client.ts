// Which `api` the renderer talks to: the preload's `window.api` in Electron, else the WebSocket transport
// (browser mode). Stores reach it through `getApi()` so tests can install an API over a fake host.
import { createApi, type NewstapeApi } from '@contract/api'
import { createWsTransport, wsUrlFromLocation, type ConnectionState, type WsTransport } from './ws-transport'

declare global {
  interface Window {
    api?: NewstapeApi
  }
}

let current: NewstapeApi | null = null
let ws: WsTransport | null = null

export const setApi = (api: NewstapeApi): void => {
  current = api
}

export const getApi = (): NewstapeApi => {
  if (!current) throw new Error('API not initialised: call initApi() first')
  return current
}

/** Picks the transport once at startup. */
export const initApi = (onConnection?: (s: ConnectionState) => void): { api: NewstapeApi; ws: WsTransport | null } => {
  if (window.api) {
    current = window.api
    return { api: current, ws: null }
  }
  ws = createWsTransport({ url: wsUrlFromLocation(window.location), onState: onConnection })
  current = createApi(ws)
  return { api: current, ws }
}
