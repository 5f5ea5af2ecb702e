import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { replicateFormat } from "../../src/providers/index.js";
import { classifyReplicateErrorText } from "../../src/providers/replicate/format.js";
import { goldenFacts, readFixture } from "./golden.js";

describe("replicate format", () => {
  goldenFacts(replicateFormat);

  it("classifies HTTP errors from status and body", () => {
    const table: [number, unknown, FailureType][] = [
      [429, { detail: "Request was throttled. Your rate limit resets in ~30s." }, "rate_limit"],
      [429, {}, "rate_limit"],
      [402, { title: "Insufficient credit", detail: "You have insufficient credit to run this model.", status: 402 }, "auth"],
      [401, { detail: "You did not pass a valid authentication token" }, "auth"],
      [403, { detail: "You do not have permission to use this model" }, "auth"],
      [404, { title: "Not found", detail: "The requested resource could not be found." }, "invalid_input"],
      [422, { title: "Input validation failed", detail: "- input.width: Must be less than or equal to 1440", status: 422 }, "invalid_input"],
      [500, "internal server error", "other"],
      [502, undefined, "unavailable"],
      [503, { detail: "Service Unavailable" }, "unavailable"],
      [504, null, "timeout"],
      // A throttle text wins over a status that says something else.
      [403, { detail: "Request was throttled." }, "rate_limit"],
    ];
    for (const [status, body, want] of table) assert.equal(replicateFormat.classifyError(status, body), want, `${status} ${JSON.stringify(body)}`);
  });

  it("classifies failed predictions' error text", () => {
    const table: [string | undefined, FailureType][] = [
      ["NSFW content detected. Try running it again, or try a different prompt.", "invalid_input"],
      ["Prediction timed out", "timeout"],
      ["CUDA out of memory. Tried to allocate 2.00 GiB", "other"],
      ["Invalid value for input 'width': must be a multiple of 8", "invalid_input"],
      ["something broke", "other"],
      [undefined, "other"],
    ];
    for (const [text, want] of table) assert.equal(classifyReplicateErrorText(text), want, String(text));
  });

  it("takes a prediction's run time from started_at to completed_at where metrics has no predict_time (a canceled one is billed for it)", () => {
    const base = { id: "p1", model: "owner/m", created_at: "2024-01-01T16:22:00.000000Z", started_at: "2024-01-01T16:22:02.000000Z", completed_at: "2024-01-01T16:22:12.500001Z", metrics: {} };
    assert.equal((replicateFormat.readJobObject({ ...base, status: "canceled" }) as { runSeconds?: string }).runSeconds, "10.500001");
    // predict_time, where given, is what Replicate bills.
    assert.equal((replicateFormat.readJobObject({ ...base, status: "canceled", metrics: { predict_time: 9.8 } }) as { runSeconds?: string }).runSeconds, "9.8");
    // Never started (no started_at), or aborted before it could start: no run time.
    const { started_at: _unused, ...neverStarted } = base;
    assert.equal((replicateFormat.readJobObject({ ...neverStarted, status: "canceled" }) as { runSeconds?: string }).runSeconds, undefined);
    assert.equal((replicateFormat.readJobObject({ ...base, status: "aborted" }) as { runSeconds?: string }).runSeconds, undefined);
  });

  it("says why an object is not a prediction", () => {
    assert.match(replicateFormat.readJobObject([1]) as string, /not a JSON object/);
    assert.match(replicateFormat.readJobObject({ detail: "Request was throttled." }) as string, /error response/);
    assert.match(replicateFormat.readJobObject({ id: "x", status: "exploded" }) as string, /unknown prediction status 'exploded'/);
  });

  it("hashes the input whatever its key order, and never keeps it", () => {
    const a = replicateFormat.readJobObject({ id: "a", status: "starting", input: { prompt: "p", seed: 1 } });
    const b = replicateFormat.readJobObject({ id: "b", status: "starting", input: { seed: 1, prompt: "p" } });
    const c = replicateFormat.readJobObject({ id: "c", status: "starting", input: { seed: 2, prompt: "p" } });
    assert.equal((a as { inputHash: string }).inputHash, (b as { inputHash: string }).inputHash);
    assert.notEqual((a as { inputHash: string }).inputHash, (c as { inputHash: string }).inputHash);
    assert.ok(!JSON.stringify(a).includes('"p"'));
  });

  it("keeps unknown fields quiet", () => {
    const obj = { ...(readFixture("replicate", "succeeded.json") as object), brand_new_field: { x: 1 } };
    const facts = replicateFormat.readJobObject(obj) as { unmapped?: string[] };
    assert.deepEqual(facts.unmapped, ["metrics.total_time"]);
  });
});
