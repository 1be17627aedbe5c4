// The Electron preload: the ONLY file that touches ipcRenderer. It exposes the typed, validated API
// (never ipcRenderer itself) as `window.api`. Built as CommonJS so it runs in a sandboxed renderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createApi, type Transport } from './api'

const ipcTransport: Transport = {
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
  on: (channel, listener) => {
    // Drop the IpcRendererEvent: it carries `sender`, which must not leak into the page.
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => {
      ipcRenderer.removeListener(channel, handler)
    }
  },
}

contextBridge.exposeInMainWorld('api', createApi(ipcTransport))
