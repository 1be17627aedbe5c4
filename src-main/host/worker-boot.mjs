// Development/test bootstrap: lets a worker thread run a TypeScript entry through tsx. The packaged app
// starts the bundled JavaScript worker directly and never loads this file.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.__entry)
