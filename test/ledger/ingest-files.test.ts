import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { AppendResult, Ledger, StoredEvent } from "../../src/core/index.js";
import { isFileError } from "../../src/errors.js";
import { ingestFiles } from "../../src/ledger/ingest-files.js";
import { generatedFile, tempDir } from "./ledger-fixtures.js";

/** A ledger that only takes appends, slowly, and remembers how many were in flight at once. */
function slowLedger(fail?: Error | ((batch: number) => Error | undefined)): Ledger & { batches: number[]; maxInFlight: number; committed: number } {
  let inFlight = 0;
  let appends = 0;
  const ledger = {
    batches: [] as number[],
    maxInFlight: 0,
    /** Events in committed batches so far. */
    committed: 0,
    async append(events: readonly StoredEvent[]): Promise<AppendResult> {
      const n = ++appends;
      inFlight++;
      ledger.maxInFlight = Math.max(ledger.maxInFlight, inFlight);
      await sleep(5);
      inFlight--;
      const error = typeof fail === "function" ? fail(n) : fail;
      if (error) throw error;
      ledger.batches.push(events.length);
      ledger.committed += events.length;
      return { added: events.length, known: 0 };
    },
  };
  return ledger as unknown as Ledger & { batches: number[]; maxInFlight: number; committed: number };
}

describe("ingestFiles", () => {
  it("reads the next batch while one is written, never more: two appends in flight at most, none larger than asked", async () => {
    const { path, lines } = await generatedFile(tempDir(), "events.jsonl", 20_000, 4);
    const ledger = slowLedger();
    const r = await ingestFiles(ledger, [path], { batchSize: 700 });
    assert.equal(r.added, lines.length);
    assert.equal(ledger.maxInFlight, 2);
    assert.ok(ledger.batches.every((n) => n <= 700));
    assert.equal(ledger.batches.reduce((a, b) => a + b, 0), lines.length);
  });

  it("counts a batch in its progress only once the ledger has committed it, and never a batch that failed", async () => {
    const { path } = await generatedFile(tempDir(), "events.jsonl", 5000, 4);
    const ledger = slowLedger();
    const seen: [number, number][] = [];
    const r = await ingestFiles(ledger, [path], { batchSize: 500, onProgress: (_read, _total, added) => seen.push([added, ledger.committed]) });
    assert.ok(seen.length >= 2);
    for (const [added, committed] of seen) assert.equal(added, committed);
    assert.equal(r.added, ledger.committed);

    const down = new Error("the database went away");
    const failing = slowLedger((n) => (n === 3 ? down : undefined));
    const reported: number[] = [];
    await assert.rejects(ingestFiles(failing, [path], { batchSize: 500, onProgress: (_read, _total, added) => reported.push(added) }), (e) => e === down);
    assert.ok(reported.length > 0 && Math.max(...reported) <= 1000, `progress counted a batch that was not committed: ${reported.join(", ")}`);
  });

  it("passes the ledger's own error on, not as a file error", async () => {
    const { path } = await generatedFile(tempDir(), "events.jsonl", 2000, 4);
    const down = new Error("the database went away");
    await assert.rejects(ingestFiles(slowLedger(down), [path], { batchSize: 500 }), (e) => e === down && !isFileError(e));
  });
});
