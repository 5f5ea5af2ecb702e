// Parts of the analysis checked against plain versions of them: the duplicate finder (spec §4)
// against its rule written out, over random logs (groups of every size, hashes shared across
// jobs, ties in submission time, windows on the boundary); the quantity scale against cases.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readEvent, isEventProblem } from "../../src/core/index.js";
import { giveUpFacts } from "../../src/core/audit/attempt-row.js";
import { Collected } from "../../src/core/audit/collect.js";
import { findDuplicates, givenUpAt } from "../../src/core/audit/judge.js";
import type { AttemptTable } from "../../src/core/audit/attempt-table.js";
import { quantityScale } from "../../src/core/audit/quantity.js";
import { randomLog } from "../support/random-log.js";

function tableOf(events: readonly Record<string, unknown>[]): AttemptTable {
  const c = new Collected();
  for (const raw of events) {
    const r = readEvent(raw);
    if (isEventProblem(r)) throw new Error(r.why);
    c.add(r.event, r.at.micros);
  }
  return c.table;
}

/**
 * The rule, row by row: an attempt is a duplicate when another with the same input hash comes
 * before it (by submission time, then job name, then attempt), was submitted at most the window
 * before it, and was given up only after it was submitted.
 */
function reference(t: AttemptTable, windowMicros: number): number[] {
  const sub = (i: number): number => (t.submittedAt[i]! === t.submittedAt[i]! ? t.submittedAt[i] : t.start[i]!);
  const before = (a: number, b: number): boolean => {
    if (sub(a) !== sub(b)) return sub(a) < sub(b);
    const ja = t.jobs.name(t.jobOf[a]!);
    const jb = t.jobs.name(t.jobOf[b]!);
    return ja !== jb ? ja < jb : t.attempt[a]! < t.attempt[b]!;
  };
  const out: number[] = [];
  for (let b = 0; b < t.size; b++) {
    const hash = t.inputHashes.get(b);
    if (hash === undefined) continue;
    for (let a = 0; a < t.size; a++) {
      if (a === b || t.inputHashes.get(a) !== hash || !before(a, b)) continue;
      if (sub(a) >= sub(b) - windowMicros && givenUpAt(giveUpFacts(t, a)) > sub(b)) {
        out.push(b);
        break;
      }
    }
  }
  return out;
}

describe("findDuplicates", () => {
  it("flags exactly the attempts the rule names, for any log and window (windows on the boundary included)", () => {
    fc.assert(
      fc.property(randomLog, fc.nat(), (events, pick) => {
        const t = tableOf(events);
        // Windows that equal the gap between two submissions of one hash test the boundary.
        const windows = [0, 600_000_000];
        for (let a = 0; a < t.size; a++)
          for (let b = 0; b < t.size; b++) if (t.inputHashes.has(a) && t.inputHashes.same(a, b)) windows.push(Math.abs(t.submittedAt[a]! - t.submittedAt[b]!));
        const windowMicros = windows.filter((w) => w === w)[pick % windows.length] ?? 0;
        const flags = findDuplicates(t, windowMicros);
        const got = [...flags.keys()].filter((i) => flags[i] === 1);
        assert.deepEqual(got, reference(t, windowMicros));
      }),
      { numRuns: 300 },
    );
  });
});

describe("quantityScale", () => {
  it("is the most decimal places any run time needs, whatever order they come in", () => {
    const cases: [number[], number][] = [
      [[1.764, 0.5, 2], 3],
      [[0.5, 1.764], 3],
      [[0.1 + 0.2], 17],
      [[1.5, 0.1 + 0.2, 2.25], 17],
      [[1e-7, 0.25], 7],
      [[123.456789, 0.1], 6],
      [[3], 0],
      // Past 10^22 a power of ten is no exact double: the digits decide.
      [[1e-23, 4.128570110106711e-9], 24],
    ];
    for (const [runs, scale] of cases) {
      const events = runs.map((run, k) => ({ ts: "2026-11-01T00:00:00Z", provider: "p", model: "m", job: `j${k}`, attempt: 1, type: "completed", outcome: "succeeded", run_seconds: run }));
      assert.equal(quantityScale(tableOf(events)), scale, runs.join(", "));
    }
  });
});
