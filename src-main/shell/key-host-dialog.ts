// The desktop app's confirmation before a stored API key goes to a host that is not an official one: a modal
// main-process dialog that names the host. The renderer cannot answer it. Electron's `dialog` is behind
// DialogLike so the question and the answer mapping are tested without Electron.
import type { SecretName } from '../app/secrets'

export interface DialogLike {
  showMessageBox(options: {
    type: 'warning'
    buttons: string[]
    defaultId: number
    cancelId: number
    title: string
    message: string
    detail: string
    noLink: boolean
  }): Promise<{ response: number }>
}

export function keyHostQuestion(name: SecretName, origin: string): Parameters<DialogLike['showMessageBox']>[0] {
  const svc = name === 'polygon' ? 'Polygon' : 'Guardian'
  return {
    type: 'warning',
    buttons: ["Don't send", `Send my ${svc} key`],
    defaultId: 0,
    cancelId: 0,
    title: 'Send your API key to this host?',
    message: `Send your stored ${svc} API key to ${origin}?`,
    detail: `${origin} is not an official ${svc} host. Whoever runs it will be able to use your key. Send it only if you run this server yourself or trust it completely. Newstape remembers your answer for this key and this host.`,
    noLink: true,
  }
}

/** Confirm function for the app core: true only when the user picked "Send". */
export function createKeyHostConfirm(dialog: DialogLike): (name: SecretName, origin: string) => Promise<boolean> {
  return async (name, origin) => {
    const { response } = await dialog.showMessageBox(keyHostQuestion(name, origin))
    return response === 1
  }
}
