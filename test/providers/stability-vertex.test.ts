import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { stabilityFormat, vertexFormat } from "../../src/providers/index.js";
import { goldenFacts } from "./golden.js";

describe("stability format", () => {
  goldenFacts(stabilityFormat);

  it("classifies HTTP errors by the body's name, then the status", () => {
    const table: [number, unknown, FailureType][] = [
      [403, { id: "e1", name: "content_moderation", errors: ["Your request was flagged by our content moderation system."] }, "invalid_input"],
      [400, { id: "e2", name: "bad_request", errors: ["aspect_ratio: invalid"] }, "invalid_input"],
      [402, { id: "e3", name: "payment_required", errors: ["insufficient credits"] }, "auth"],
      [429, { id: "e4", name: "rate_limit_exceeded", errors: ["slow down"] }, "rate_limit"],
      [403, {}, "auth"],
      [500, { id: "e5", name: "internal_error", errors: ["oops"] }, "other"],
    ];
    for (const [status, body, want] of table) assert.equal(stabilityFormat.classifyError(status, body), want, `${status} ${JSON.stringify(body)}`);
  });
});

describe("vertex format", () => {
  goldenFacts(vertexFormat);

  it("classifies HTTP errors by the canonical status", () => {
    const table: [number, unknown, FailureType][] = [
      [429, { error: { code: 429, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" } }, "rate_limit"],
      [400, { error: { code: 400, message: "bad", status: "INVALID_ARGUMENT" } }, "invalid_input"],
      [400, { error: { code: 400, message: "billing disabled", status: "FAILED_PRECONDITION" } }, "invalid_input"],
      [403, { error: { code: 403, message: "denied", status: "PERMISSION_DENIED" } }, "auth"],
      [503, { error: { code: 503, message: "later", status: "UNAVAILABLE" } }, "unavailable"],
      [504, { error: { code: 504, message: "slow", status: "DEADLINE_EXCEEDED" } }, "timeout"],
      [500, { error: { code: 500, message: "oops", status: "INTERNAL" } }, "other"],
      [502, "Bad Gateway", "unavailable"],
    ];
    for (const [status, body, want] of table) assert.equal(vertexFormat.classifyError(status, body), want, `${status} ${JSON.stringify(body)}`);
  });

  it("reads an operation whose every video was filtered as failed for its input, and one with some filtered as the videos it gave", () => {
    const name = "projects/p/locations/l/publishers/google/models/veo-3.0-generate-001/operations/op2";
    const allFiltered = vertexFormat.readJobObject({ name, done: true, response: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: ["Veo could not generate videos ... Support codes: 58061214"] } });
    assert.deepEqual(allFiltered, { requestId: name, model: "veo-3.0-generate-001", kind: "video", outcome: "failed", error: "invalid_input", errorDetail: "Veo could not generate videos ... Support codes: 58061214" });
    const someFiltered = vertexFormat.readJobObject({ name, done: true, response: { raiMediaFilteredCount: 1, videos: [{ gcsUri: "gs://b/v.mp4" }] } }) as { outcome: string; units: unknown };
    assert.equal(someFiltered.outcome, "succeeded");
    assert.deepEqual(someFiltered.units, { video: 1 });
  });

  it("reads a running operation as running", () => {
    assert.deepEqual(vertexFormat.readJobObject({ name: "projects/p/locations/l/publishers/google/models/veo-2.0-generate-001/operations/o1" }), {
      requestId: "projects/p/locations/l/publishers/google/models/veo-2.0-generate-001/operations/o1",
      model: "veo-2.0-generate-001",
      running: true,
    });
  });
});
