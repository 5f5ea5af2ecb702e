import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { auditLedger } from "../../src/ledger/audit-ledger.js";
import { openSqliteLedger } from "../../src/ledger/sqlite/open-sqlite-ledger.js";
import { generateEventLines } from "../../bench/generate-events.js";
import { scanAll, stored, tempDir } from "./ledger-fixtures.js";
import { LATE_CHARGE, scenarioEvents, scenarioPolicies } from "./ledger-scenario.js";

const generated = [...generateEventLines({ events: 400, seed: 3, jobPrefix: "gen-" })].map((l) => JSON.parse(l) as Record<string, unknown>);
const events = [...scenarioEvents(), LATE_CHARGE, ...generated].map(stored);
const policies = scenarioPolicies();
const dir = tempDir();

describe("ledger properties", () => {
  it("holds the same events and gives the same audit whatever the order, batching and repeats", async () => {
    const baseline = openSqliteLedger(join(dir, "baseline.db"));
    await baseline.append(events);
    const expectedEvents = await scanAll(baseline);
    const expectedAudit = await auditLedger(baseline, { policies });
    const expectedDay = await auditLedger(baseline, { policies, sinceMicros: Date.parse("2026-11-02T00:00:00Z") * 1000, untilMicros: Date.parse("2026-11-03T00:00:00Z") * 1000 });
    await baseline.close();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }),
        fc.subarray(events),
        async (order, cuts, repeats) => {
          const ledger = openSqliteLedger(join(dir, `run-${++run}.db`));
          try {
            let added = 0;
            let at = 0;
            for (let k = 0; at < order.length; k++) {
              const size = cuts[k % cuts.length]!;
              added += (await ledger.append(order.slice(at, at + size))).added;
              at += size;
            }
            assert.deepEqual(await ledger.append(repeats), { added: 0, known: repeats.length });
            assert.equal(added, expectedEvents.length);
            assert.deepEqual(await scanAll(ledger), expectedEvents);
            assert.deepEqual(await auditLedger(ledger, { policies }), expectedAudit);
            assert.deepEqual(await auditLedger(ledger, { policies, sinceMicros: Date.parse("2026-11-02T00:00:00Z") * 1000, untilMicros: Date.parse("2026-11-03T00:00:00Z") * 1000 }), expectedDay);
          } finally {
            await ledger.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
