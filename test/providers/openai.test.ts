import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { openaiFormat } from "../../src/providers/index.js";
import { runCli } from "../support/cli.js";
import { goldenFacts } from "./golden.js";

const err = (code: string | null, type: string, message = "m"): unknown => ({ error: { message, type, param: null, code } });

describe("openai format", () => {
  goldenFacts(openaiFormat);

  it("classifies HTTP errors: rate_limit_exceeded is a rate limit, insufficient_quota is not", () => {
    const table: [number, unknown, FailureType][] = [
      [429, err("rate_limit_exceeded", "tokens", "Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM)"), "rate_limit"],
      [429, err("rate_limit_exceeded", "requests"), "rate_limit"],
      [429, err("insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details."), "auth"],
      [400, err("billing_hard_limit_reached", "invalid_request_error"), "auth"],
      [400, err("moderation_blocked", "invalid_request_error", "Your request was rejected by the safety system."), "invalid_input"],
      [400, err("content_policy_violation", "invalid_request_error"), "invalid_input"],
      [400, err(null, "invalid_request_error", "Invalid size"), "invalid_input"],
      [400, err("invalid_value", "invalid_request_error"), "invalid_input"],
      [401, err("invalid_api_key", "invalid_request_error", "Incorrect API key provided"), "auth"],
      [403, err("unsupported_country_region_territory", "request_forbidden"), "auth"],
      // No key: a 401 whose type is the generic invalid_request_error; no access to a model: 403.
      [401, err(null, "invalid_request_error", "You didn't provide an API key."), "auth"],
      [403, err("model_not_found", "invalid_request_error", "Project does not have access to model"), "auth"],
      [403, err("moderation_blocked", "invalid_request_error"), "invalid_input"],
      [404, err("model_not_found", "invalid_request_error"), "invalid_input"],
      [500, err(null, "server_error", "The server had an error while processing your request."), "other"],
      [503, err(null, "server_error", "The server is overloaded."), "unavailable"],
      [503, err(null, "service_unavailable"), "unavailable"],
      [503, {}, "unavailable"],
      [429, "Too Many Requests", "rate_limit"],
      [408, undefined, "timeout"],
      [409, undefined, "other"],
    ];
    for (const [status, body, want] of table) assert.equal(openaiFormat.classifyError(status, body), want, `${status} ${JSON.stringify(body)}`);
  });

  it("names the request of an Images response by its x-request-id header", () => {
    const facts = openaiFormat.readJobObject({ created: 1713833628, data: [{ url: "u" }, { url: "v" }] }, { "x-request-id": "req_abc" });
    assert.deepEqual(facts, { requestId: "req_abc", kind: "image", outcome: "succeeded", units: { image: 2 }, completedAt: "2024-04-23T00:53:48.000Z" });
  });

  it("imports a bare Images response (no envelope) as one succeeded attempt, not as a list of its images", async () => {
    const dir = mkdtempSync(join(tmpdir(), "failcost-openai-"));
    writeFileSync(join(dir, "images.jsonl"), `${JSON.stringify({ created: 1713833628, data: [{ b64_json: "aaa" }, { b64_json: "bbb" }], usage: { input_tokens: 50, output_tokens: 50 } })}\n`);
    const r = await runCli(["import", "openai", "images.jsonl", "--model", "gpt-image-1"], dir);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; outcome?: string; units?: unknown });
    assert.deepEqual(events.map((e) => e.type), ["submitted", "completed"]);
    assert.equal(events[1]!.outcome, "succeeded");
    assert.deepEqual(events[1]!.units, { input_token: 50, output_token: 50 });
  });

  it("says why an object is not a job", () => {
    assert.match(openaiFormat.readJobObject(err("rate_limit_exceeded", "requests")) as string, /error response/);
    assert.match(openaiFormat.readJobObject({ id: "video_1", object: "video", status: "weird" }) as string, /unknown video status 'weird'/);
    assert.match(openaiFormat.readJobObject({ hello: 1 }) as string, /not an OpenAI/);
  });
});
