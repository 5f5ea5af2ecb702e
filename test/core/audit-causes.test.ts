// Every cause of spec §4 with hand-computed figures, under the test policy (see support/audit.ts):
// "*": per_job 0.01, per_second 0.001, image 0.04, per_request 0.0005, max_run_seconds 100; polls billed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDecimal, CAUSES, formatDecimal, parseDecimal, ZERO } from "../../src/core/index.js";
import { audit, ev, success } from "../support/audit.js";

const A1 = { job: "a", attempt: 1 };
const A2 = { job: "a", attempt: 2 };

function causesExcept(report: { waste_by_cause: Record<string, string> }, nonZero: Record<string, string>): void {
  for (const c of CAUSES) assert.equal(report.waste_by_cause[c], nonZero[c] ?? "0", c);
}

describe("audit: billed, useful, waste and causes", () => {
  it("a single success with polls is all useful", () => {
    // 0.01 + 8 × 0.001 + 2 × 0.04 + 0.0005 + 3 polls × 0.0005 = 0.1
    const { report } = audit([...success(A1, 0, { run: 8, units: { image: 2 } }), ev(A1, "polled", 3), ev(A1, "polled", 5), ev(A1, "polled", 7)]);
    assert.equal(report.billed, "0.1");
    assert.equal(report.useful, "0.1");
    assert.equal(report.waste, "0");
    assert.equal(report.jobs, 1);
    assert.equal(report.attempts, 1);
    assert.equal(report.succeeded_jobs, 1);
    assert.deepEqual(report.range, { billed_low: "0.1", billed_high: "0.1", waste_low: "0", waste_high: "0" });
    causesExcept(report, {});
    assert.equal(report.patterns.polling_excess.polls, 3);
    assert.equal(report.patterns.polling_excess.count, 0);
    assert.equal(report.patterns.polling_excess.polls_cost, "0.0015");
  });

  it("a failure then a retry: the failure's charge is waste by its failure type", () => {
    const events = [
      ev(A1, "submitted", 0, { input_hash: "h1" }),
      ev(A1, "created", 1, { request_id: "r1" }),
      ev(A1, "completed", 5, { request_id: "r1", outcome: "failed", run_seconds: 3, error: "unavailable" }),
      ...success(A2, 10, { run: 5 }),
    ];
    const { report } = audit(events);
    // failed: 0.01 + 0.003 + 0.0005 = 0.0135; success: 0.01 + 0.005 + 0.04 + 0.0005 = 0.0555
    assert.equal(report.billed, "0.069");
    assert.equal(report.useful, "0.0555");
    assert.equal(report.waste, "0.0135");
    causesExcept(report, { unavailable: "0.0135" });
    const r = report.patterns.retry_multiplication;
    assert.equal(r.retries, 1);
    assert.equal(r.cost, "0.0555");
    assert.equal(r.attempts_per_job_mean, 2);
    assert.equal(r.attempts_per_job_p95, 2);
    assert.equal(r.attempts_per_job_max, 2);
    assert.deepEqual(report.patterns.job_creation_charge, { count: 1, cost: "0.01" });
    assert.deepEqual(report.patterns.partial_processing, { count: 1, cost: "0.003" });
  });

  it("a rate-limited create is billed per_request by this policy", () => {
    const { report } = audit([ev(A1, "submitted", 0), ev(A1, "rejected", 0.2, { http_status: 429, error: "rate_limit" }), ...success(A2, 3, { run: 2 })]);
    // 0.0005 + (0.01 + 0.002 + 0.04 + 0.0005)
    assert.equal(report.billed, "0.053");
    assert.equal(report.waste, "0.0005");
    causesExcept(report, { rate_limit: "0.0005" });
  });

  it("an unknown answer gives a range: low nothing, high every component but per_unit", () => {
    const { report } = audit([ev(A1, "submitted", 0), ev(A1, "rejected", 0.5, { http_status: 422 })]);
    assert.equal(report.billed, "0");
    assert.deepEqual(report.range, { billed_low: "0", billed_high: "0.0105", waste_low: "0", waste_high: "0.0105" });
    assert.deepEqual(report.unknowns, [{ provider: "test", answer: "bills.rejected.invalid_input", attempts: 1, could_cost: "0.0105" }]);
    causesExcept(report, {});
  });

  it("a rejected type the policy does not list uses its '*' answer", () => {
    const { report } = audit([ev(A1, "submitted", 0), ev(A1, "rejected", 0.5, { http_status: 503 })]);
    assert.equal(report.range.billed_high, "0");
    assert.equal(report.unknowns.length, 0);
  });

  it("an outcome that never became known: high is billed as succeeded with max_run_seconds and the units asked", () => {
    const events = [
      ev(A1, "submitted", 0, { input_hash: "h1", units: { image: 1 } }),
      ev(A1, "created", 1, { request_id: "r1" }),
      ev(A1, "client_timeout", 60, { request_id: "r1", waited_seconds: 59 }),
      ...success(A2, 61, { run: 5 }),
    ];
    const { report } = audit(events);
    assert.equal(report.billed, "0.0555");
    assert.equal(report.waste, "0");
    // 0.01 + 100 × 0.001 + 0.04 + 0.0005 = 0.1505
    assert.deepEqual(report.range, { billed_low: "0.0555", billed_high: "0.206", waste_low: "0", waste_high: "0.1505" });
    assert.deepEqual(report.unknowns, [{ provider: "test", answer: "outcome", attempts: 1, could_cost: "0.1505" }]);
    assert.equal(report.patterns.timeout_billing.client_timeouts, 1);
  });

  it("a client timeout whose job still finished and was billed: timeout", () => {
    const events = [
      ev(A1, "submitted", 0, { input_hash: "h1" }),
      ev(A1, "created", 1, { request_id: "r1" }),
      ev(A1, "client_timeout", 20, { request_id: "r1", waited_seconds: 19 }),
      ev(A1, "completed", 30, { request_id: "r1", outcome: "succeeded", run_seconds: 25, units: { image: 1 } }),
      ...success(A2, 21, { run: 5 }),
    ];
    const { report } = audit(events);
    // orphan: 0.01 + 0.025 + 0.04 + 0.0005 = 0.0755
    assert.equal(report.billed, "0.131");
    assert.equal(report.useful, "0.0555");
    causesExcept(report, { timeout: "0.0755" });
    assert.deepEqual(report.patterns.timeout_billing, { count: 1, client_timeouts: 1, provider_timeouts: 0, cost: "0.0755" });
  });

  it("a provider timeout is `unknown` in this policy", () => {
    const { report } = audit([ev(A1, "submitted", 0), ev(A1, "created", 1, { request_id: "r1" }), ev(A1, "completed", 31, { request_id: "r1", outcome: "timed_out", run_seconds: 30 })]);
    assert.equal(report.billed, "0");
    assert.equal(report.range.billed_high, "0.0405");
    assert.equal(report.patterns.timeout_billing.provider_timeouts, 1);
  });

  it("a canceled job pays its run time", () => {
    const events = [ev(A1, "submitted", 0), ev(A1, "created", 1, { request_id: "r1" }), ev(A1, "cancel_requested", 5, { request_id: "r1" }), ev(A1, "completed", 6, { request_id: "r1", outcome: "canceled", run_seconds: 4 })];
    const { report } = audit(events);
    assert.equal(report.billed, "0.004");
    causesExcept(report, { canceled: "0.004" });
    assert.deepEqual(report.patterns.partial_processing, { count: 1, cost: "0.004" });
  });

  it("duplicates: the same input while an earlier attempt is alive; not after it was given up, not outside the window", () => {
    const X = { job: "x", attempt: 1 };
    const Y = { job: "y", attempt: 1 };
    const Z = { job: "z", attempt: 1 };
    const W1 = { job: "w", attempt: 1 };
    const W2 = { job: "w", attempt: 2 };
    const events = [
      ...success(X, 0, { hash: "H" }),
      ...success(Y, 5, { hash: "H" }), // X still in flight: a duplicate
      ...success(Z, 700, { hash: "H" }), // 695 s after Y, 700 s after X: outside the 10-minute window
      ev(W1, "submitted", 0, { input_hash: "H2" }),
      ev(W1, "created", 1, { request_id: "w1" }),
      ev(W1, "completed", 2, { request_id: "w1", outcome: "failed", run_seconds: 0 }),
      ...success(W2, 20, { hash: "H2" }), // a retry after the failure: no duplicate
    ];
    const { report } = audit(events);
    // each success 0.01 + 0.008 + 0.04 + 0.0005 = 0.0585; the failure 0.0105
    assert.equal(report.billed, "0.2445");
    assert.equal(report.useful, "0.1755");
    causesExcept(report, { duplicate_submission: "0.0585", other: "0.0105" });
    assert.deepEqual(report.patterns.duplicate_submission, { count: 1, jobs: 1, cost: "0.0585" });
    assert.equal(report.succeeded_jobs, 3);
  });

  it("duplicates are judged when the later attempt is submitted: an earlier attempt given up only afterwards still makes it a duplicate", () => {
    const P = { job: "p", attempt: 1 };
    const Q = { job: "q", attempt: 1 };
    const R1 = { job: "r", attempt: 1 };
    const R2 = { job: "r", attempt: 2 };
    const S = { job: "s", attempt: 1 };
    const T = { job: "t", attempt: 1 };
    const events = [
      // P in flight when Q is submitted; P fails afterwards: Q is still a duplicate (spec §4).
      ev(P, "submitted", 0, { input_hash: "HP" }),
      ev(P, "created", 1, { request_id: "p1" }),
      ev(P, "completed", 30, { request_id: "p1", outcome: "failed", run_seconds: 0 }),
      ...success(Q, 5, { hash: "HP" }),
      // R's first attempt in flight when the second is sent; the caller times out on it later.
      ev(R1, "submitted", 100, { input_hash: "HR" }),
      ev(R1, "created", 101, { request_id: "r1" }),
      ...success(R2, 120, { hash: "HR" }),
      ev(R1, "client_timeout", 130, { request_id: "r1", waited_seconds: 30 }),
      ev(R1, "completed", 140, { request_id: "r1", outcome: "succeeded", run_seconds: 8, units: { image: 1 } }),
      // S had succeeded when T was submitted; its output is rejected only afterwards.
      ...success(S, 200, { hash: "HS" }),
      ...success(T, 220, { hash: "HS" }),
      ev(S, "output_rejected", 240, { request_id: "s-1", error: "quality" }),
    ];
    const { report } = audit(events);
    assert.deepEqual(report.patterns.duplicate_submission, { count: 3, jobs: 3, cost: "0.1755" });
    // Q, R2 and T are duplicates; P failed, R1 timed out, S's output was rejected: nothing used.
    assert.equal(report.useful, "0");
    assert.equal(report.succeeded_jobs, 0);
    causesExcept(report, { duplicate_submission: "0.1755", other: "0.0105", timeout: "0.0585", quality: "0.0585" });
  });

  it("a retry sent at the instant the earlier attempt was given up is no duplicate", () => {
    const A = { job: "a", attempt: 1 };
    const B = { job: "a", attempt: 2 };
    const events = [ev(A, "submitted", 0, { input_hash: "H" }), ev(A, "created", 1, { request_id: "a1" }), ev(A, "client_timeout", 60, { request_id: "a1", waited_seconds: 60 }), ...success(B, 60, { hash: "H" })];
    assert.equal(audit(events).report.patterns.duplicate_submission.count, 0);
  });

  it("the duplicate window is inclusive and configurable", () => {
    const events = [...success({ job: "x", attempt: 1 }, 0, { hash: "H" }), ...success({ job: "y", attempt: 1 }, 600, { hash: "H" })];
    assert.equal(audit(events).report.patterns.duplicate_submission.count, 1);
    assert.equal(audit(events, { duplicateWindowSeconds: 599 }).report.patterns.duplicate_submission.count, 0);
  });

  it("a provider re-run after a failed webhook with requeued: webhook", () => {
    const events = [
      ev(A1, "submitted", 0, { input_hash: "h1", webhook: true }),
      ev(A1, "created", 1, { request_id: "r1" }),
      ev(A1, "completed", 10, { request_id: "r1", outcome: "succeeded", run_seconds: 8, units: { image: 1 } }),
      ev(A1, "webhook_failed", 12, { request_id: "r1", requeued: true }),
      ev(A2, "created", 13, { request_id: "r2" }),
      ev(A2, "completed", 21, { request_id: "r2", outcome: "succeeded", run_seconds: 8, units: { image: 1 } }),
      ev(A2, "webhook_delivered", 22, { request_id: "r2" }),
    ];
    const { report } = audit(events);
    assert.equal(report.useful, "0.0585");
    causesExcept(report, { webhook: "0.0585" });
  });

  it("an output the caller threw away: quality", () => {
    const events = [...success(A1, 0), ev(A1, "output_rejected", 11, { error: "quality" }), ...success(A2, 12)];
    const { report } = audit(events);
    causesExcept(report, { quality: "0.0585" });
    assert.equal(report.useful, "0.0585");
  });

  it("a second success when another attempt was used: superseded", () => {
    const { report } = audit([...success(A1, 0, { hash: "h1" }), ...success(A2, 2, { hash: "h2" })]);
    causesExcept(report, { superseded: "0.0585" });
  });

  it("auth and other failures, and a failure type read from the HTTP status", () => {
    const B1 = { job: "b", attempt: 1 };
    const C1 = { job: "c", attempt: 1 };
    const events = [
      ev(A1, "submitted", 0),
      ev(A1, "created", 1, { request_id: "r1" }),
      ev(A1, "completed", 2, { request_id: "r1", outcome: "failed", run_seconds: 0, error: "auth" }),
      ev(B1, "submitted", 0),
      ev(B1, "created", 1, { request_id: "rb" }),
      ev(B1, "completed", 2, { request_id: "rb", outcome: "failed" }),
      ev(C1, "submitted", 0),
      ev(C1, "rejected", 1, { http_status: 401 }),
    ];
    const { report, attempts } = audit(events);
    causesExcept(report, { auth: "0.0105", other: "0.0105" });
    assert.equal(attempts.find((a) => a.state.job === "c")!.cause, "auth");
  });

  it("a cancel requested on an attempt still in flight, with a charge: canceled", () => {
    const events = [ev(A1, "submitted", 0), ev(A1, "created", 1, { request_id: "r1" }), ev(A1, "cancel_requested", 3, { request_id: "r1" }), { ts: "2026-11-02T00:00:00Z", provider: "test", request_id: "r1", type: "charged", amount: "0.002", currency: "USD" }];
    causesExcept(audit(events).report, { canceled: "0.002" });
  });

  it("the causes add up to the waste, and billed to useful plus waste", () => {
    const { report } = audit([...success(A1, 0), ev(A1, "output_rejected", 11), ...success(A2, 12), ...success({ job: "d", attempt: 1 }, 13, { hash: `h-a-2` })]);
    const sum = Object.values(report.waste_by_cause).reduce((s, v) => addDecimal(s, parseDecimal(v)!), ZERO);
    assert.equal(formatDecimal(sum), report.waste);
    assert.equal(report.waste, "0.117");
  });
});
