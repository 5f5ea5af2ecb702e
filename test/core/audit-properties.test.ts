// Invariants of the audit, over random logs: causes add up to the waste; billed is useful plus
// waste and the sum of every attempt's charge; event order and file splits change nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDecimal, compareDecimal, formatDecimal, formatUnits, parseDecimal, ZERO, type Decimal } from "../../src/core/index.js";
import { audit, TEST_POLICY } from "../support/audit.js";
import { randomLog } from "../support/random-log.js";

const policies = [TEST_POLICY, { ...TEST_POLICY, provider: "test2", polls: "unknown" as const }];

function sum(values: Iterable<string>): string {
  let s: Decimal = ZERO;
  for (const v of values) s = addDecimal(s, parseDecimal(v)!);
  return formatDecimal(s);
}

describe("audit properties", () => {
  it("causes add up to the waste exactly; billed = useful + waste = the attempts' charges", () => {
    fc.assert(
      fc.property(randomLog, (events) => {
        const { report, attempts, scale } = audit(events, { policies });
        assert.equal(sum(Object.values(report.waste_by_cause)), report.waste);
        assert.equal(sum([report.useful, report.waste]), report.billed);
        assert.equal(formatUnits(attempts.reduce((s, a) => s + a.billed, 0n), scale), report.billed);
        assert.equal(sum(Object.values(report.by_provider).map((b) => b.billed)), report.billed);
        assert.equal(sum(Object.values(report.by_day).map((b) => b.waste)), report.waste);
        assert.ok(compareDecimal(parseDecimal(report.range.billed_high)!, parseDecimal(report.range.billed_low)!) >= 0);
        assert.ok(compareDecimal(parseDecimal(report.range.waste_high)!, parseDecimal(report.range.waste_low)!) >= 0);
      }),
      { numRuns: 200 },
    );
  });

  it("shuffling the events changes nothing", () => {
    fc.assert(
      fc.property(randomLog, fc.integer(), (events, seed) => {
        const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), { seed, numRuns: 1 })[0]!;
        assert.deepEqual(audit(shuffled, { policies }).report, audit(events, { policies }).report);
      }),
      { numRuns: 150 },
    );
  });
});
