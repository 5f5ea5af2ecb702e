import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FailureType } from "../../src/core/index.js";
import { lumaFormat } from "../../src/providers/index.js";
import { classifyLumaReason } from "../../src/providers/luma/format.js";
import { goldenFacts } from "./golden.js";

describe("luma format", () => {
  goldenFacts(lumaFormat);

  it("classifies failure reasons and HTTP errors", () => {
    const reasons: [string | undefined, FailureType][] = [
      ["400: prompt not allowed because advanced moderation failed", "invalid_input"],
      ["Job timed out", "timeout"],
      ["Invalid keyframe image", "invalid_input"],
      ["Internal error", "other"],
      // "generate" holds "rate": no rate limit for that.
      ["Failed to generate video", "other"],
      ["Rate limit exceeded, try again later", "rate_limit"],
      [undefined, "other"],
    ];
    for (const [reason, want] of reasons) assert.equal(classifyLumaReason(reason), want, String(reason));
    const statuses: [number, unknown, FailureType][] = [
      [400, { detail: "Invalid request" }, "invalid_input"],
      [400, { detail: "Prompt failed moderation" }, "invalid_input"],
      [401, { detail: "Invalid API key" }, "auth"],
      [402, { detail: "Insufficient credits" }, "auth"],
      [429, { detail: "Too many requests" }, "rate_limit"],
      [500, { detail: "Internal server error" }, "other"],
    ];
    for (const [status, body, want] of statuses) assert.equal(lumaFormat.classifyError(status, body), want, `${status}`);
  });

  it("says why a body is not a generation", () => {
    assert.match(lumaFormat.readJobObject({ detail: "Not found" }) as string, /error response/);
    assert.match(lumaFormat.readJobObject({ id: "g", state: "melting" }) as string, /unknown generation state/);
  });
});
