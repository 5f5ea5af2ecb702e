import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readShare } from "../../src/cli/progress.js";

describe("readShare", () => {
  it("is a percentage of a known total, and bytes read where the total is unknown (a pipe) or passed", () => {
    assert.equal(readShare(0, 200), "0%");
    assert.equal(readShare(150, 200), "75%");
    assert.equal(readShare(200, 200), "100%");
    assert.equal(readShare(12_345_678, 0), "12.3 MB");
    assert.equal(readShare(4_500, 0), "5 kB");
    assert.equal(readShare(3_000_000, 1_000_000), "3.0 MB");
  });
});
