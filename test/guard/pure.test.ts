import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDecimal, parseDecimal, parsePolicy, worstCaseCost, attemptCost, type Policy } from "../../src/core/index.js";
import { fullJitterDelay } from "../../src/guard/backoff.js";
import { BudgetBook, budgetPeriod, isBudgetRefusal } from "../../src/guard/budget-book.js";
import { EventClock, isoMicros } from "../../src/guard/event-time.js";
import { canonicalJson, inputHash } from "../../src/guard/input-hash.js";
import { pollDelayMs } from "../../src/guard/poll-schedule.js";
import { retryAfterMs } from "../../src/guard/retry-after.js";
import { RetryBudget } from "../../src/guard/retry-budget.js";
import { decideRetry, DEFAULT_RETRY_POLICY, type LastOutcome } from "../../src/guard/retry-policy.js";

const d = (s: string) => parseDecimal(s)!;

function policy(raw: object): Policy {
  const r = parsePolicy({ provider: "acme", currency: "USD", ...raw });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.policy;
}

describe("backoff and Retry-After", () => {
  it("full jitter stays within [0, min(cap, base · 2^(n−1)))", () => {
    const o = { baseMs: 500, capMs: 30_000 };
    assert.equal(fullJitterDelay(1, o, () => 0), 0);
    assert.equal(fullJitterDelay(1, o, () => 0.5), 250);
    assert.equal(fullJitterDelay(3, o, () => 0.5), 1000);
    assert.equal(fullJitterDelay(10, o, () => 0.5), 15_000); // capped at 30 s
    assert.ok(fullJitterDelay(10, o, () => 0.999999) < 30_000);
  });

  it("reads retry-after-ms, seconds and HTTP dates", () => {
    const h = (m: Record<string, string>) => (name: string) => m[name];
    const now = Date.parse("2026-11-02T09:00:00Z");
    assert.equal(retryAfterMs(h({ "retry-after-ms": "1500", "retry-after": "9" }), now), 1500);
    assert.equal(retryAfterMs(h({ "retry-after": "7" }), now), 7000);
    assert.equal(retryAfterMs(h({ "retry-after": "Mon, 02 Nov 2026 09:00:30 GMT" }), now), 30_000);
    assert.equal(retryAfterMs(h({ "retry-after": "Mon, 02 Nov 2026 08:00:00 GMT" }), now), 0);
    assert.equal(retryAfterMs(h({ "retry-after": "soon" }), now), undefined);
    assert.equal(retryAfterMs(h({}), now), undefined);
  });
});

describe("the retry decision", () => {
  const failed = (failure: "rate_limit" | "invalid_input" | "unavailable" | "auth" | "quality", retryAfter?: number): LastOutcome => ({ kind: "failed", failure, at: 1000, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) });
  const ctx = (last: LastOutcome, next = 2, budgetAllows = true, idempotent = false) => ({ next, last, budgetAllows, idempotent, random: () => 0.5 });

  it("retries rate limits and unavailability after a full-jitter backoff, or exactly Retry-After", () => {
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed("rate_limit"))), { retry: true, notBefore: 1250 });
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed("unavailable"), 3)), { retry: true, notBefore: 1500 });
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed("rate_limit", 7000))), { retry: true, notBefore: 8000 });
  });

  it("never retries invalid input, auth or quality; stops at the cap, the budget, a long Retry-After or a lost response", () => {
    for (const f of ["invalid_input", "auth", "quality"] as const) assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed(f))), { retry: false, why: "not_retryable" });
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed("rate_limit"), 4)), { retry: false, why: "attempts" });
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed("rate_limit"), 2, false)), { retry: false, why: "retry_budget" });
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx(failed("rate_limit", 61_000))), { retry: false, why: "retry_after_too_long" });
    assert.deepEqual(decideRetry(DEFAULT_RETRY_POLICY, ctx({ kind: "unknown", at: 1000 })), { retry: false, why: "outcome_unknown" });
    assert.equal(decideRetry(DEFAULT_RETRY_POLICY, ctx({ kind: "unknown", at: 1000 }, 2, true, true)).retry, true);
  });

  it("the retry budget closes after failures and reopens with successes (gRPC A6)", () => {
    const b = new RetryBudget({ maxTokens: 10, tokenRatio: 0.1 });
    for (let i = 0; i < 4; i++) b.recordFailure();
    assert.equal(b.allowsRetry(), true); // 6 > 5
    b.recordFailure();
    assert.equal(b.allowsRetry(), false); // 5 is not > 5
    for (let i = 0; i < 10; i++) b.recordSuccess();
    assert.equal(b.allowsRetry(), true); // 6 > 5
    for (let i = 0; i < 100; i++) b.recordSuccess();
    assert.equal(b.level, 10);
  });
});

describe("budget arithmetic", () => {
  it("holds worst cases until they would pass a limit, and settles to the cost", () => {
    const book = new BudgetBook({ perDay: d("1.00"), perJob: d("0.70") });
    const k = (job: string) => ({ job, day: "2026-11-02", month: "2026-11" });
    const a = book.reserve(k("a"), d("0.35"));
    const b = book.reserve(k("a"), d("0.35"));
    assert.ok(!isBudgetRefusal(a) && !isBudgetRefusal(b));
    const c = book.reserve(k("a"), d("0.01"));
    assert.ok(isBudgetRefusal(c));
    assert.equal(c.scope, "job");
    assert.equal(formatDecimal(c.used), "0.7");
    const e = book.reserve(k("b"), d("0.31"));
    assert.ok(isBudgetRefusal(e) && e.scope === "day");
    book.settle(a, d("0.05"));
    book.settle(a, d("0.05")); // once only
    assert.deepEqual(book.usage("day:2026-11-02"), { spent: "0.05", held: "0.35" });
    assert.ok(!isBudgetRefusal(book.reserve(k("b"), d("0.31"))));
    assert.deepEqual(book.usage("month:2026-11"), { spent: "0.05", held: "0.66" });
  });

  it("counts earlier spending, and keys days and months in UTC", () => {
    const book = new BudgetBook({ perMonth: d("10") });
    book.addSpent("2026-11-01", "2026-11", d("9.99"));
    assert.ok(isBudgetRefusal(book.reserve({ job: "x", day: "2026-11-02", month: "2026-11" }, d("0.02"))));
    assert.ok(!isBudgetRefusal(book.reserve({ job: "x", day: "2026-12-01", month: "2026-12" }, d("0.02"))));
    assert.deepEqual(budgetPeriod(Date.parse("2026-11-30T23:59:59.999Z")), { day: "2026-11-30", month: "2026-11" });
  });
});

describe("the worst case of an attempt from its policy", () => {
  const fallback = { fallbackRunSeconds: d("600"), maxPolls: 0 };

  it("takes the costliest way it can end: per job, run seconds up to max_run_seconds, units asked", () => {
    const p = policy({
      prices: { "*": { per_job: "0.002", per_second: "0.001", per_unit: { image: "0.01" }, max_run_seconds: 60 } },
      bills: { succeeded: ["per_job", "per_second", "per_unit"], failed: ["per_job", "per_second"], canceled: ["per_second"], timed_out: [], rejected: [] },
      polls: false,
    });
    // succeeded: 0.002 + 60 × 0.001 + 4 × 0.01 = 0.102
    assert.equal(formatDecimal(worstCaseCost(p, "m", { ...fallback, unitsAsked: { image: 4 } }) as never), "0.102");
    // a priced unit the create does not name counts once: 0.002 + 0.06 + 0.01
    assert.equal(formatDecimal(worstCaseCost(p, "m", fallback) as never), "0.072");
  });

  it("bills `unknown` answers with every component but per_unit, and billed polls", () => {
    const p = policy({
      prices: { "*": { per_request: "0.0005", per_second: "0.002" } },
      bills: { succeeded: ["per_request"], failed: "unknown", canceled: [], timed_out: [], rejected: { "*": [] } },
      polls: true,
    });
    // failed unknown: 600 s (fallback) × 0.002 + 0.0005, and 10 polls × 0.0005 = 1.2055
    assert.equal(formatDecimal(worstCaseCost(p, "m", { fallbackRunSeconds: d("600"), maxPolls: 10 }) as never), "1.2055");
  });

  it("says why when no price matches, and prices a finished attempt exactly", () => {
    const p = policy({ prices: { "acme/*": { per_second: "0.0014" } }, bills: { succeeded: ["per_second"], failed: ["per_second"], canceled: ["per_second"], timed_out: [], rejected: [] }, polls: false });
    assert.match(worstCaseCost(p, "other/model", fallback) as string, /no price/);
    const cost = attemptCost(p, "acme/x", { cls: "canceled", runSeconds: d("12.5") });
    assert.ok(typeof cost !== "string");
    assert.equal(formatDecimal(cost.low), "0.0175");
  });
});

describe("small pieces", () => {
  it("hashes inputs by content, whatever the key order; provider and model count", () => {
    assert.equal(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] }), '{"a":[{"x":1,"y":2}],"b":1}');
    assert.equal(inputHash("replicate", "m", { a: 1, b: 2 }), inputHash("replicate", "m", { b: 2, a: 1 }));
    assert.notEqual(inputHash("replicate", "m", { a: 1 }), inputHash("replicate", "n", { a: 1 }));
    assert.match(inputHash("fal", "m", undefined, new Uint8Array([1, 2])), /^sha256:[0-9a-f]{64}$/);
  });

  it("gives every event a later microsecond, and writes it with six decimals", () => {
    const c = new EventClock(() => 1_793_000_000_000.5);
    const [a, b, e] = [c.next(), c.next(), c.next()];
    assert.deepEqual([b - a, e - b], [1, 1]);
    assert.equal(isoMicros(1_793_000_000_123_456), "2026-10-26T07:33:20.123456Z");
  });

  it("polls no faster than min_poll_seconds, growing to a cap", () => {
    const s = { minMs: 2000, maxMs: 5000 };
    assert.deepEqual([0, 1, 2, 3].map((n) => pollDelayMs(n, s)), [2000, 3000, 4500, 5000]);
  });
});
