// The compact string column: whatever is stored (hex packed two digits a byte, Latin-1 a byte a
// character, anything else aside) reads back as stored, and rows compare as their strings do.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { StringColumn } from "../../src/core/audit/string-column.js";

const value = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{0,40}$/),
  fc.stringMatching(/^[0-9a-fA-F]{1,12}$/),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ minLength: 120, maxLength: 300 }),
  fc.constantFrom("", "a", "ab", "0", "00", "ff", "é", "\u00ff", "\u0100", "req-1"),
);

describe("StringColumn", () => {
  for (const hex of [false, true]) {
    it(`reads back what was set, in any order of sets and overwrites (hex: ${hex})`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat({ max: 15 }), value), { maxLength: 60 }), (sets) => {
          const c = new StringColumn(hex);
          c.reserve(16);
          const expected = new Map<number, string>();
          for (const [i, s] of sets) {
            c.set(i, s);
            expected.set(i, s);
          }
          const copy = new StringColumn(hex);
          copy.reserve(16);
          for (let i = 0; i < 16; i++) {
            const s = expected.get(i);
            assert.equal(c.get(i), s);
            assert.equal(c.has(i), s !== undefined);
            if (s !== undefined) assert.ok(c.equals(i, s));
            copy.copyRow(i, c, i);
            assert.equal(copy.get(i), s);
            for (let j = 0; j < 16; j++) {
              const same = expected.get(j) === s;
              assert.equal(c.same(i, j), same);
              if (same) assert.equal(c.hash(i), c.hash(j));
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
