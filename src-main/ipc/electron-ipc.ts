// Binds the adapter to Electron's real ipcMain. Kept apart so the adapter stays testable without Electron.
import { ipcMain } from 'electron'
import type { IpcMainLike } from './ipc-main-adapter'

export const electronIpc = (): IpcMainLike => ipcMain as unknown as IpcMainLike
