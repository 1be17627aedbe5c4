// The Electron side of the contract: one handler per invoke channel, each checking the sender and parsing
// its argument before the core sees it; events go to the main window only. The only module that imports
// ipcMain (passed in by index.ts through `electronIpc()` below, so tests can give a fake).
import { ERROR_CODES, INVOKE_CHANNELS, fail, parseInvokeArg, type EventChannel, type EventPayload, type InvokeChannel, type Response } from '../../src-preload/contract'

export interface IpcEventLike {
  sender: { id: number }
  senderFrame: { url: string; parent?: unknown } | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, arg: unknown) => Promise<unknown>): void
  removeHandler(channel: string): void
}

export interface TrustedRenderer {
  /** webContents id of the main window. */
  webContentsId(): number | null
  /** The URL the window loaded: file://…/index.html, or the dev server's origin. */
  rendererUrl(): string
}

/** Only the main window's top frame, showing our own renderer, may call in. Pure. */
export function isTrustedSender(event: IpcEventLike, trusted: TrustedRenderer): boolean {
  const id = trusted.webContentsId()
  if (id === null || event.sender.id !== id) return false
  const frame = event.senderFrame
  if (!frame || frame.parent) return false
  let got: URL
  let want: URL
  try {
    got = new URL(frame.url)
    want = new URL(trusted.rendererUrl())
  } catch {
    return false
  }
  if (want.protocol === 'file:') return got.protocol === 'file:' && got.pathname === want.pathname
  return got.origin === want.origin
}

export function registerIpc(
  ipcMain: IpcMainLike,
  handle: (channel: InvokeChannel, arg: unknown) => Promise<Response<unknown>>,
  trusted: TrustedRenderer,
  log: (message: string) => void,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, arg) => {
      if (!isTrustedSender(event, trusted)) {
        log(`refused ${channel} from an untrusted sender`)
        return fail('forbidden', 'Not allowed from this page')
      }
      const parsed = parseInvokeArg(channel, arg)
      if (!parsed.ok) return { ok: false, error: parsed.error }
      try {
        return await handle(parsed.channel, parsed.value)
      } catch (e) {
        return fail(ERROR_CODES.internal, e instanceof Error ? e.message : String(e))
      }
    })
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel)
  }
}

export interface WebContentsLike {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

export function createIpcEmitter(target: () => WebContentsLike | null) {
  return <E extends EventChannel>(event: E, payload: EventPayload<E>): void => {
    const wc = target()
    if (wc && !wc.isDestroyed()) wc.send(event, payload)
  }
}
