import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { replicateFormat } from "../../src/providers/index.js";
import { classifyReplicateErrorText } from "../../src/providers/replicate/format.js";
import { runCli } from "../support/cli.js";
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
    type Run = { runSeconds?: string; timedRunSeconds?: string };
    assert.equal((replicateFormat.readJobObject({ ...base, status: "canceled" }) as Run).timedRunSeconds, "10.500001");
    // predict_time, where given, is what Replicate bills.
    const billed = replicateFormat.readJobObject({ ...base, status: "canceled", metrics: { predict_time: 9.8 } }) as Run;
    assert.deepEqual([billed.runSeconds, billed.timedRunSeconds], ["9.8", undefined]);
    // Never started (no started_at), or aborted before it could start: no run time.
    const { started_at: _unused, ...neverStarted } = base;
    assert.equal((replicateFormat.readJobObject({ ...neverStarted, status: "canceled" }) as Run).timedRunSeconds, undefined);
    assert.equal((replicateFormat.readJobObject({ ...base, status: "aborted" }) as Run).timedRunSeconds, undefined);
  });

  it("imports the billed predict_time of a prediction whatever the order of its objects, the times only where none gives it", async () => {
    const base = { id: "p1", model: "owner/m", created_at: "2024-01-01T16:22:00.000000Z", started_at: "2024-01-01T16:22:02.000000Z", completed_at: "2024-01-01T16:22:12.500001Z", status: "canceled" };
    const dir = mkdtempSync(join(tmpdir(), "failcost-replicate-"));
    const runOf = async (objects: unknown[]): Promise<unknown> => {
      writeFileSync(join(dir, "p.jsonl"), objects.map((o) => JSON.stringify(o)).join("\n") + "\n");
      const r = await runCli(["import", "replicate", "p.jsonl"], dir);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; run_seconds?: unknown }).find((e) => e.type === "completed")!.run_seconds;
    };
    const exact = { ...base, metrics: { predict_time: 9.8 } };
    const timed = { ...base, metrics: {} };
    assert.equal(await runOf([exact, timed]), 9.8);
    assert.equal(await runOf([timed, exact]), 9.8);
    assert.equal(await runOf([timed]), 10.500001);
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
