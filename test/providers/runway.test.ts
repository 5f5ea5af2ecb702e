import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { runwayFormat } from "../../src/providers/index.js";
import { classifyRunwayFailureCode } from "../../src/providers/runway/format.js";
import { goldenFacts } from "./golden.js";

describe("runway format", () => {
  goldenFacts(runwayFormat);

  it("classifies task failureCodes", () => {
    const table: [string | undefined, FailureType][] = [
      ["SAFETY.INPUT.TEXT", "invalid_input"],
      ["SAFETY.INPUT.IMAGE", "invalid_input"],
      ["SAFETY.OUTPUT.VIDEO", "invalid_input"],
      ["INPUT_PREPROCESSING.SAFETY.TEXT", "invalid_input"],
      ["INPUT_PREPROCESSING.INTERNAL", "other"],
      ["INTERNAL.BAD_OUTPUT.CODE01", "quality"],
      ["ASSET.INVALID", "invalid_input"],
      ["INTERNAL", "other"],
      ["SOMETHING.NEW", "other"],
      [undefined, "other"],
    ];
    for (const [code, want] of table) assert.equal(classifyRunwayFailureCode(code), want, String(code));
  });

  it("classifies HTTP errors by Runway's error table", () => {
    const table: [number, FailureType][] = [
      [400, "invalid_input"],
      [401, "auth"],
      [404, "invalid_input"],
      [405, "other"],
      [429, "rate_limit"],
      [502, "unavailable"],
      [503, "unavailable"],
      [504, "unavailable"],
    ];
    for (const [status, want] of table) assert.equal(runwayFormat.classifyError(status, { error: "x" }), want, String(status));
  });

  it("reads a cancelled task as canceled, and says why a body is not a task", () => {
    assert.deepEqual(runwayFormat.readJobObject({ id: "t", status: "CANCELLED", createdAt: "2025-01-01T00:00:00Z" }), { requestId: "t", outcome: "canceled", createdAt: "2025-01-01T00:00:00Z" });
    assert.match(runwayFormat.readJobObject({ error: "Invalid asset" }) as string, /error response/);
    assert.match(runwayFormat.readJobObject({ id: "t", status: "EXPLODED" }) as string, /unknown task status/);
  });
});
