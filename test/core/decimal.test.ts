import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDecimal, exactDouble, formatDecimal, mulDecimal, parseDecimal } from "../../src/core/index.js";

describe("decimal", () => {
  it("reads and writes decimal text exactly", () => {
    for (const [text, out] of [
      ["0.1", "0.1"],
      ["12.3400", "12.34"],
      ["-0.5", "-0.5"],
      ["1.5E-7", "0.00000015"],
      ["3", "3"],
      ["0", "0"],
      ["-0.000", "0"],
    ]) {
      assert.equal(formatDecimal(parseDecimal(text!)!), out, text);
    }
  });

  it("refuses what is not a decimal", () => {
    for (const text of ["", "1,5", "$3", "NaN", "0x10", "1.2.3", "."]) assert.equal(parseDecimal(text), undefined, text);
  });

  it("adds and multiplies without binary floating point", () => {
    const sum = addDecimal(parseDecimal("0.1")!, parseDecimal("0.2")!);
    assert.equal(formatDecimal(sum), "0.3");
    assert.equal(formatDecimal(mulDecimal(parseDecimal("0.000725")!, parseDecimal("12.345678")!)), "0.00895061655");
  });

  it("gives the double that is exactly a decimal, and none where a double cannot be", () => {
    assert.equal(exactDouble("7.75"), 7.75);
    assert.equal(exactDouble("8"), 8);
    assert.equal(exactDouble("0.50"), 0.5);
    assert.equal(exactDouble("0.12345678901234567890"), undefined);
    assert.equal(exactDouble("12345678901234567890"), undefined);
    assert.equal(exactDouble("cheap"), undefined);
  });
});
