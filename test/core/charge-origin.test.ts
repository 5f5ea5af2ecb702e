// Where a charge was read: the first place of identical charges, counted from the file's start.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Collected } from "../../src/core/audit/collect.js";
import type { ChargedEvent } from "../../src/core/index.js";

const charge = { ts: "2026-11-01T11:00:00Z", provider: "test", type: "charged", request_id: "r1", amount: "0.7", currency: "EUR" } as unknown as ChargedEvent;
const AT = Date.UTC(2026, 10, 1, 11) * 1000;

describe("charge origins", () => {
  it("keep the first place of identical charges read in two byte ranges of one file, in either order", () => {
    for (const order of [0, 1]) {
      const c = new Collected();
      const places = [
        { file: "events.jsonl", line: 50, task: 0 },
        { file: "events.jsonl", line: 10, task: 1 }, // line 110 of the file: range 1 starts after 100 lines
      ];
      for (const o of order === 0 ? places : [...places].reverse()) c.add(charge, AT, o);
      c.renumber(new Map([[0, 0], [1, 100]]));
      assert.deepEqual(
        [...c.charges.values()].flat().map((x) => x.origin),
        [{ file: "events.jsonl", line: 50 }],
        `order ${order}`,
      );
    }
  });

  it("keep the earlier file, and a place over none (a charge from the ledger)", () => {
    const c = new Collected();
    c.add(charge, AT);
    c.add(charge, AT, { file: "b.jsonl", line: 3 });
    c.add(charge, AT, { file: "a.jsonl", line: 9 });
    assert.deepEqual([...c.charges.values()].flat().map((x) => x.origin), [{ file: "a.jsonl", line: 9 }]);
  });
});
