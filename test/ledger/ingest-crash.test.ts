// A real crash: the real command line ingesting a large file is killed with SIGKILL once it has
// committed some batches; a re-run must complete the ledger exactly (nothing lost, nothing
// doubled), and the audit of the ledger must equal the audit of the file.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { auditLedger } from "../../src/ledger/audit-ledger.js";
import { openLedger } from "../../src/ledger/open-ledger.js";
import { auditFiles } from "../../src/sources/audit-files.js";
import { examplePolicies, generatedFile, tempDir, us, withoutReadCounts } from "./ledger-fixtures.js";
import { freshPgTarget, TEST_PG } from "./pg-schemas.js";
import { runCli, startCli } from "./spawn-cli.js";

async function crashAndResume(target: string, file: string, total: number, batch = 500): Promise<void> {
  const watcher = await openLedger(target);
  let before: number;
  try {
    const child = startCli(["ingest", "--db", target, "--batch", String(batch), file]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Kill it as soon as its first transaction has committed.
    for (let waited = 0; (await watcher.changeCount()) === 0 && waited < 120_000; waited += 5) await sleep(5);
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    before = (await watcher.stats()).events;
  } finally {
    await watcher.close();
  }
  assert.ok(before >= batch && before < total, `killed mid-ingest (${before} of ${total} events committed)`);

  const resumed = await runCli(["ingest", "--db", target, "--json", file]);
  assert.equal(resumed.code, 0, resumed.stderr);
  const { ledger: _name, ...counts } = JSON.parse(resumed.stdout) as Record<string, unknown>;
  assert.deepEqual(counts, { events: total, new: total - before, known: before, problems: [] });

  const ledger = await openLedger(target);
  try {
    assert.equal((await ledger.stats()).events, total);
    const policies = await examplePolicies();
    assert.deepEqual(await auditLedger(ledger, { policies }), await auditFiles([file], { policies }));
    // The attempt index is whole too: a filtered audit (read through it) matches as well.
    const morning = { policies, sinceMicros: us("2026-11-01T00:20:00Z"), untilMicros: us("2026-11-01T00:40:00Z") };
    assert.deepEqual(withoutReadCounts(await auditLedger(ledger, morning)), withoutReadCounts(await auditFiles([file], morning)));
  } finally {
    await ledger.close();
  }
}

describe("ingest killed with SIGKILL", () => {
  const dir = tempDir();
  const large = generatedFile(dir, "large.jsonl", 45_000, 9, { jobGapMs: 1000 });

  it("leaves an SQLite ledger that a re-run completes exactly", async () => {
    const { path, lines } = await large;
    await crashAndResume(join(dir, "crash.db"), path, lines.length);
  });

  it("leaves an SQLite ledger that a re-run completes exactly, killed while its writer thread writes", async () => {
    const { path, lines } = await large;
    // Batches of 2,000 events or more are written on the writer thread.
    await crashAndResume(join(dir, "crash-writer.db"), path, lines.length, 5000);
  });

  it("leaves a PostgreSQL ledger that a re-run completes exactly", { skip: TEST_PG === undefined ? "set FAILCOST_TEST_PG" : false }, async () => {
    const { path, lines } = await large;
    await crashAndResume(freshPgTarget().url, path, lines.length);
  });
});
