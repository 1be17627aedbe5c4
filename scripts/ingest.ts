// `npm run ingest -- --demo …`: see src-main/app/ingest-cli.ts.
import { runIngestCli } from '../src-main/app/ingest-cli'

await runIngestCli(process.argv.slice(2))
