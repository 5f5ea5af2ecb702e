import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { bflFormat } from "../../src/providers/index.js";
import { goldenFacts, readFixture } from "./golden.js";

describe("bfl format", () => {
  goldenFacts(bflFormat);

  it("classifies HTTP errors", () => {
    const table: [number, unknown, FailureType][] = [
      [429, { error: "rate_limit_exceeded", message: "Too many concurrent requests", retry_after: 5 }, "rate_limit"],
      [402, { detail: "Insufficient credits" }, "auth"],
      [403, { detail: "Forbidden" }, "auth"],
      [422, { detail: [{ loc: ["body", "width"], msg: "must be a multiple of 16", type: "value_error" }] }, "invalid_input"],
      [400, { detail: "Bad request" }, "invalid_input"],
      [500, {}, "other"],
      [503, "Service Unavailable", "unavailable"],
    ];
    for (const [status, body, want] of table) assert.equal(bflFormat.classifyError(status, body), want, `${status} ${JSON.stringify(body)}`);
  });

  it("never keeps the prompt a result echoes", () => {
    assert.ok(!JSON.stringify(bflFormat.readJobObject(readFixture("bfl", "ready.json"))).includes("lantern"));
  });

  it("does not invent an outcome for a task not found", () => {
    assert.match(bflFormat.readJobObject({ id: "x", status: "Task not found" }) as string, /not found or expired/);
    assert.deepEqual(bflFormat.readJobObject({ id: "x", status: "Pending" }), { requestId: "x", kind: "image", running: true, unitsAsked: { image: 1 } });
  });
});
