import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isEventProblem, parseTimestamp, readEvent } from "../../src/core/index.js";

const base = { ts: "2026-11-01T10:00:00Z", provider: "replicate", model: "m", job: "j", attempt: 1 };

function why(value: unknown): string | undefined {
  const r = readEvent(value);
  return isEventProblem(r) ? r.why : undefined;
}

describe("readEvent", () => {
  it("accepts every event type of the spec", () => {
    const ok = [
      { ...base, type: "submitted", input_hash: "h", idempotency_key: "k", kind: "image", units: { image: 4 } },
      { ...base, type: "rejected", http_status: 429, error: "rate_limit" },
      { ...base, type: "rejected", http_status: 503 },
      { ...base, type: "created", request_id: "r" },
      { ...base, type: "polled", http_status: 200 },
      { ...base, type: "completed", outcome: "succeeded", run_seconds: 1.5, units: { megapixel: 1.05 } },
      { ...base, type: "completed", outcome: "failed", run_seconds: "0.25", error: "other" },
      { ...base, type: "client_timeout", waited_seconds: 30 },
      { ...base, type: "cancel_requested" },
      { ...base, type: "webhook_delivered" },
      { ...base, type: "webhook_failed", requeued: true },
      { ...base, type: "output_rejected", error: "quality" },
      { ts: "2026-11-01T10:00:00Z", provider: "replicate", type: "charged", request_id: "r", amount: "0.05", currency: "USD" },
      { ...base, type: "created", request_id: null, extra_field: { nested: [1, 2] } },
    ];
    for (const e of ok) assert.equal(why(e), undefined, JSON.stringify(e));
  });

  it("names the field and what was wrong", () => {
    const cases: [unknown, string][] = [
      [[1, 2], "not a JSON object"],
      [{ ...base }, "missing field 'type'"],
      [{ ...base, type: "exploded" }, 'unknown event type "exploded"'],
      [{ ...base, type: "created", ts: undefined }, "missing field 'ts'"],
      [{ ...base, type: "created", ts: "yesterday" }, "field 'ts' not an ISO 8601 date-time"],
      [{ ...base, type: "created", ts: "2026-11-01T10:00:00" }, "field 'ts' has no time zone"],
      [{ ...base, type: "created", ts: "2026-02-30T10:00:00Z" }, "field 'ts' is not a real date or time"],
      [{ ...base, type: "created", provider: "" }, "field 'provider' must be a non-empty string"],
      [{ ...base, type: "created", job: undefined }, "missing field 'job'"],
      [{ ...base, type: "created", attempt: 0 }, "field 'attempt' must be an integer >= 1 (got 0)"],
      [{ ...base, type: "created", attempt: "2" }, "field 'attempt' must be an integer >= 1"],
      [{ ...base, type: "created", model: 7 }, "field 'model' must be a non-empty string (got 7)"],
      [{ ...base, type: "completed" }, "missing field 'outcome'"],
      [{ ...base, type: "completed", outcome: "done" }, "field 'outcome' must be one of succeeded, failed, canceled, timed_out"],
      [{ ...base, type: "completed", outcome: "failed", error: "boom" }, 'unknown failure type "boom"'],
      [{ ...base, type: "completed", outcome: "succeeded", run_seconds: -1 }, "field 'run_seconds' must be a number >= 0"],
      [{ ...base, type: "completed", outcome: "succeeded", units: { image: "four" } }, "field 'units.image' must be a number >= 0"],
      [{ ...base, type: "rejected" }, "a rejected event needs 'http_status' or 'error'"],
      [{ ...base, type: "rejected", http_status: 99 }, "field 'http_status' must be an HTTP status code"],
      [{ ...base, type: "submitted", kind: "hologram" }, "field 'kind' must be one of image, video, audio, text"],
      [{ ...base, type: "webhook_failed", requeued: "yes" }, "field 'requeued' must be true or false"],
      [{ ts: base.ts, provider: "p", type: "charged", request_id: "r", amount: 0.05, currency: "USD" }, "field 'amount' must be a decimal string"],
      [{ ts: base.ts, provider: "p", type: "charged", request_id: "r", amount: "5¢", currency: "USD" }, "field 'amount' is not a decimal number"],
      [{ ts: base.ts, provider: "p", type: "charged", request_id: "r", amount: "1", currency: "usd" }, "field 'currency' must be an ISO 4217 code"],
      [{ ts: base.ts, provider: "p", type: "charged", amount: "1", currency: "USD" }, "missing field 'request_id'"],
    ];
    for (const [value, expected] of cases) {
      const w = why(value);
      assert.ok(w?.startsWith(expected), `${JSON.stringify(value)}: got ${w}, expected ${expected}`);
    }
  });
});

describe("parseTimestamp", () => {
  it("reads the forms real logs use, to the same instant", () => {
    const micros = Date.UTC(2026, 10, 1, 10, 0, 0) * 1000;
    const forms: [string, number, number][] = [
      ["2026-11-01T10:00:00Z", micros, 0],
      ["2026-11-01T10:00:00.000Z", micros, 0],
      ["2026-11-01 10:00:00Z", micros, 0],
      ["2026-11-01T12:00:00+02:00", micros, 0],
      ["2026-11-01T05:30:00-0430", micros, 0],
      ["2026-11-01T11:00:00+01", micros, 0],
      ["2026-11-01T10:00:00.123456Z", micros + 123456, 0],
      ["2026-11-01T10:00:00.123456789Z", micros + 123456, 789],
      ["2026-11-01T10:00:00,5Z", micros + 500000, 0],
      ["2026-11-01T10:00Z", micros, 0],
    ];
    for (const [text, us, ns] of forms) assert.deepEqual(parseTimestamp(text), { micros: us, nanos: ns }, text);
  });

  it("refuses what it cannot place in time", () => {
    for (const t of ["2026-11-01", "2026-11-01T10:00:00", "2026-13-01T10:00:00Z", "2026-11-01T25:00:00Z", "11/01/2026 10:00", "2026-11-01T10:00:00+25:00", "2026-11-01T10:00:00.Z"]) {
      assert.equal(typeof parseTimestamp(t), "string", t);
    }
  });

  it("agrees with Date for millisecond times over a range of dates", () => {
    for (let ms = Date.UTC(1999, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 86_400_000 * 37 + 3_600_123) {
      const iso = new Date(ms).toISOString();
      assert.deepEqual(parseTimestamp(iso), { micros: ms * 1000, nanos: 0 }, iso);
    }
  });
});
