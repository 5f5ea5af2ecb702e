#!/usr/bin/env node
// Runs every test file under test/ with node:test through tsx. Node 20 does not expand globs
// given to --test, so the files are listed here. Extra arguments are passed to node --test.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const filter = process.env.FAILCOST_TEST_FILTER;
const files = find("test").filter((f) => !filter || f.includes(filter)).sort();
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...process.argv.slice(2), ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
