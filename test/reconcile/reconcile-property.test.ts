// Invariants of reconciliation, on random bills over the acme fixture's attempts.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDecimal, formatDecimal, parseDecimal, ZERO, type Decimal } from "../../src/core/index.js";
import { RECONCILE_CLASSES, type ReconcileResult } from "../../src/reconcile/reconcile-result.js";
import { makeWorkspace, run } from "./fixture.js";

const IDS = ["r1", "r2", "r4", "r5", "r6", "r7", "ghost1", "ghost2"];
const row = fc.record({ id: fc.constantFrom(...IDS), cents: fc.integer({ min: -500, max: 5000 }), day: fc.integer({ min: 1, max: 3 }) });
const sum = (xs: readonly string[]): Decimal => xs.reduce((t, x) => addDecimal(t, parseDecimal(x)!), ZERO);

describe("reconcile invariants", () => {
  it("the classes partition the bill, unexplained is never negative, and shuffling rows changes nothing", async () => {
    const dir = makeWorkspace();
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.integer(), async (rows, salt) => {
        const lines = rows.map((r) => `${r.id},${(r.cents / 100000).toFixed(5)},USD,2026-11-0${r.day}`);
        writeFileSync(join(dir, "bill.csv"), `request_id,amount,currency,time\n${lines.join("\n")}\n`);
        const a = JSON.parse((await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--json")).stdout) as ReconcileResult;
        const billed = sum(RECONCILE_CLASSES.filter((c) => c !== "missing").map((c) => a.classes[c].billed));
        assert.equal(formatDecimal(billed), a.totals.bill);
        assert.equal(formatDecimal(sum(RECONCILE_CLASSES.map((c) => a.classes[c].unexplained))), a.totals.unexplained);
        assert.ok(!a.totals.unexplained.startsWith("-"));
        for (const c of RECONCILE_CLASSES) assert.ok(!a.classes[c].unexplained.startsWith("-"));
        // Row order does not matter (exact repeats are still counted once).
        const shuffled = [...lines].sort((x, y) => ((x.length * 31 + salt) % 7) - ((y.length * 31 + salt) % 7) || (x < y ? -1 : 1));
        writeFileSync(join(dir, "bill.csv"), `request_id,amount,currency,time\n${shuffled.join("\n")}\n`);
        const b = JSON.parse((await run(dir, "reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--json")).stdout) as ReconcileResult;
        assert.deepEqual(b.totals, a.totals);
        assert.deepEqual(b.classes, a.classes);
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});
