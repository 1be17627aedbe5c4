import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { initApi } from './api/client'
import { App } from './app/App'
import { startApp } from './app/bootstrap'
import { installE2eHook } from './app/e2e-hook'
import { useStatusStore } from './features/status/status-store'
import './styles.css'

installE2eHook(window.location.search)
const { api, ws } = initApi((s) => useStatusStore.getState().setConnection(s))
if (ws) useStatusStore.getState().setConnection(ws.state())
startApp(api, ws)

const root = document.getElementById('root')
if (!root) throw new Error('#root missing in index.html')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
