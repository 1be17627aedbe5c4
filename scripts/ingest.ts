// `npm run ingest -- --demo …`: see src-main/host/ingest-cli.ts.
import { runIngestCli } from '../src-main/host/ingest-cli'

await runIngestCli(process.argv.slice(2))
