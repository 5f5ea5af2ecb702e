// Invariants of the audit, over random logs: causes add up to the waste; billed is useful plus
// waste and the sum of every attempt's charge; event order and file splits change nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDecimal, compareDecimal, formatDecimal, formatUnits, parseDecimal, ZERO, type Decimal } from "../../src/core/index.js";
import { createAudit, type AttemptView } from "../../src/core/index.js";
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

/** Audits events split into parts, each read by its own audit, the parts absorbed into the first. */
function auditInParts(parts: readonly (readonly (readonly [Record<string, unknown>, number])[])[]): { report: unknown; attempts: unknown[] } {
  const audits = parts.map((events) => {
    const a = createAudit({ policies });
    for (const [e, line] of events) a.addValue(e, { file: "events.jsonl", line });
    return a;
  });
  for (const other of audits.slice(1)) audits[0]!.absorb(other.part().part);
  const attempts: unknown[] = [];
  // An attempt as a reader sees it: its fields and getters, not where it sits in the table.
  const view = (s: AttemptView): Record<string, unknown> => {
    const { index: _index, table: _table, ids: _ids, runDecimal: _runDecimal, providerId: _p, modelId: _m, ...fields } = s as AttemptView & Record<string, unknown>;
    return { ...fields, requestIds: s.requestIds, inputHash: s.inputHash, runSeconds: s.runSeconds };
  };
  const report = audits[0]!.finish((list) => attempts.push(...list.map((a) => ({ ...a, state: view(a.state) }))));
  // Jobs are visited in the order the merged table holds them: compare them as a set.
  const key = (a: unknown): string => JSON.stringify([(a as { state: AttemptView }).state.job, (a as { state: AttemptView }).state.attempt]);
  return { report, attempts: attempts.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}

describe("audit parts merged", () => {
  it("absorbing parts gives the report and attempts of one audit, however the events are split (by job or not)", () => {
    fc.assert(
      fc.property(randomLog, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 64, maxLength: 64 }), fc.boolean(), (events, picks, byJob) => {
        const parts: [Record<string, unknown>, number][][] = [[], [], []];
        events.forEach((e, k) => {
          // By job: every event of a job in one part (the whole-job copy); else event by event.
          const key = byJob ? (typeof e.job === "string" ? Number(e.job.slice(4)) : 0) : k;
          parts[picks[key % picks.length]!]!.push([e, k + 1]);
        });
        assert.deepEqual(auditInParts(parts), auditInParts([events.map((e, k) => [e, k + 1] as const)]));
      }),
      { numRuns: 200 },
    );
  });
});

describe("audit parts merged: conflicts", () => {
  const usd = { ...TEST_POLICY, provider: "test" };
  const eur = { ...TEST_POLICY, provider: "zeta", currency: "EUR" };
  const at = (s: number): string => new Date(Date.UTC(2026, 10, 1, 10, 0, s)).toISOString();
  const first = { ts: at(0), provider: "alpha", model: "m", job: "J", attempt: 1, type: "submitted" };
  const second = { ts: at(5), provider: "zeta", model: "m", job: "J", attempt: 1, type: "completed", outcome: "succeeded", run_seconds: 1 };
  const filler = { ts: at(1), provider: "unpriced", model: "m", job: "K", attempt: 1, type: "submitted" };
  const run = (parts: readonly Record<string, unknown>[][]) => {
    const audits = parts.map((events) => {
      const a = createAudit({ policies: [usd, eur] });
      events.forEach((e, k) => a.addValue(e, { file: "events.jsonl", line: k + 1 }));
      return a;
    });
    for (const other of audits.slice(1)) audits[0]!.absorb(other.part().part);
    return audits[0]!.finish();
  };

  it("an attempt naming two providers: the same report read whole, in either order, or merged from parts (currency, problem and its job)", () => {
    const whole = run([[first, filler, second]]);
    assert.equal(whole.currency, "USD");
    assert.deepEqual(run([[second, filler, first]]), whole);
    assert.deepEqual(run([[first, filler], [second]]), whole);
    assert.deepEqual(run([[second], [filler, first]]), whole);
    const conflict = whole.problems.find((p) => p.why.includes("names two providers"));
    assert.equal(conflict?.job, "J");
  });
});
