// The real command line, run from source in its own process (for tests that kill it or run
// several at once): node --import tsx test/ledger/run-cli.ts ingest …
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
