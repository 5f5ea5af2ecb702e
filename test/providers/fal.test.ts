import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { falFormat, type Headers } from "../../src/providers/index.js";
import { runCli } from "../support/cli.js";
import { goldenFacts } from "./golden.js";

describe("fal format", () => {
  goldenFacts(falFormat);

  it("classifies HTTP errors from error_type, detail types, headers and status", () => {
    const table: [number, unknown, Headers | undefined, FailureType][] = [
      [422, { detail: [{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }] }, undefined, "invalid_input"],
      [422, { detail: [{ loc: ["body", "prompt"], msg: "The content was flagged by a content checker.", type: "content_policy_violation" }] }, undefined, "invalid_input"],
      [500, { detail: [{ loc: ["body"], msg: "Internal error", type: "internal_server_error" }] }, undefined, "other"],
      [504, { detail: [{ loc: ["body"], msg: "Generation timed out", type: "generation_timeout" }] }, undefined, "timeout"],
      [502, { detail: [{ loc: ["body"], msg: "Upstream failed", type: "downstream_service_error" }] }, undefined, "unavailable"],
      [504, { detail: "Request timed out", error_type: "request_timeout" }, undefined, "timeout"],
      [504, { detail: "Runner did not start", error_type: "startup_timeout" }, undefined, "timeout"],
      [503, { detail: "No runner", error_type: "runner_scheduling_failure" }, undefined, "unavailable"],
      [503, { detail: "Runner gone", error_type: "runner_disconnected" }, undefined, "unavailable"],
      [502, { detail: "Incomplete", error_type: "runner_incomplete_response" }, undefined, "unavailable"],
      [500, { detail: "Runner error", error_type: "runner_server_error" }, undefined, "other"],
      [400, { detail: "Bad timeout header", error_type: "bad_request" }, undefined, "invalid_input"],
      [499, { detail: "Client went away", error_type: "client_disconnected" }, undefined, "other"],
      [503, "Service Unavailable", { "X-Fal-Error-Type": "runner_connection_refused" }, "unavailable"],
      [504, "", { "x-fal-request-timeout-type": "user" }, "timeout"],
      [429, { detail: "Too many concurrent requests" }, undefined, "rate_limit"],
      [401, { detail: "Unauthorized" }, undefined, "auth"],
      [403, { detail: "Forbidden" }, undefined, "auth"],
      [404, { detail: "Application not found" }, undefined, "invalid_input"],
      [500, null, undefined, "other"],
    ];
    for (const [status, body, headers, want] of table) assert.equal(falFormat.classifyError(status, body, headers), want, `${status} ${JSON.stringify(body)}`);
  });

  it("takes x-fal-billable-units over counting images", () => {
    const body = { request_id: "r1", status: "OK", payload: { images: [{ url: "a" }, { url: "b" }] } };
    assert.deepEqual((falFormat.readJobObject(body) as { units: unknown }).units, { image: 2 });
    assert.deepEqual((falFormat.readJobObject(body, { "x-fal-billable-units": "1.05" }) as { units: unknown }).units, { billable_unit: "1.05" });
  });

  it("reads a result body when the headers name its request", () => {
    const facts = falFormat.readJobObject({ images: [{ url: "a" }], seed: 1 }, { "x-fal-request-id": "r9", "x-fal-billable-units": "2" });
    assert.deepEqual(facts, { requestId: "r9", outcome: "succeeded", units: { billable_unit: "2" } });
    assert.match(falFormat.readJobObject({ images: [] }) as string, /no 'request_id'/);
  });

  it("reads a webhook body whose request is named only by the delivery's header", () => {
    const facts = falFormat.readJobObject({ status: "OK", payload: { images: [{ url: "a" }] } }, { "x-fal-request-id": "r7" });
    assert.deepEqual(facts, { requestId: "r7", outcome: "succeeded", units: { image: 1 } });
    assert.match(falFormat.readJobObject({ status: "OK", payload: {} }) as string, /webhook body without 'request_id'/);
  });

  it("never reads COMPLETED as a success: the outcome is not in a status", () => {
    const facts = falFormat.readJobObject({ status: "COMPLETED", request_id: "r2" });
    assert.deepEqual(facts, { requestId: "r2", running: false });
  });

  it("reads an error carried by a COMPLETED status", () => {
    const facts = falFormat.readJobObject({ status: "COMPLETED", request_id: "r3", error: "Invalid status code: 422", error_type: "bad_request" });
    assert.deepEqual(facts, { requestId: "r3", outcome: "failed", error: "invalid_input", errorDetail: "Invalid status code: 422" });
  });

  it("imports a request the caller cancelled (499 client_cancelled) as canceled, not as a refusal fal does not bill", async () => {
    assert.deepEqual(falFormat.readErrorAsJob!(499, { detail: "Client cancelled", error_type: "client_cancelled" }, { "x-fal-request-id": "req-9" }), { requestId: "req-9", outcome: "canceled", errorDetail: "client_cancelled" });
    assert.deepEqual(falFormat.readErrorAsJob!(499, {}, { "x-fal-error-type": "client_disconnected" }), { outcome: "canceled", errorDetail: "client_disconnected" });
    assert.equal(falFormat.readErrorAsJob!(500, { error_type: "runner_server_error" }, undefined), undefined);
    const dir = mkdtempSync(join(tmpdir(), "failcost-fal-"));
    const envelope = { status: 499, received_at: "2026-11-01T10:00:05Z", model: "fal-ai/flux/dev", headers: { "x-fal-request-id": "req-9" }, body: { detail: "Client cancelled the request", error_type: "client_cancelled" } };
    writeFileSync(join(dir, "errors.jsonl"), `${JSON.stringify(envelope)}\n`);
    const r = await runCli(["import", "fal", "errors.jsonl"], dir);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; outcome?: string; request_id?: string });
    assert.deepEqual(events.map((e) => [e.type, e.outcome ?? null, e.request_id]), [["submitted", null, "req-9"], ["created", null, "req-9"], ["completed", "canceled", "req-9"]]);
  });

  it("says why an object is not a fal object", () => {
    assert.match(falFormat.readJobObject("x") as string, /not a JSON object/);
    assert.match(falFormat.readJobObject({ status: "FAILED", request_id: "r" }) as string, /unknown fal status 'FAILED'/);
    assert.match(falFormat.readJobObject({ detail: "Request timed out", error_type: "request_timeout" }) as string, /error response/);
  });
});
