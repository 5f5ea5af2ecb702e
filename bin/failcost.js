#!/usr/bin/env node
// The CLI is compiled by `npm install` (the prepare script) into dist/.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
