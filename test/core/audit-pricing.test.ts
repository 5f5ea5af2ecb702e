// Policy branches, `charged` overrides and the patterns, each with a hand-computed figure.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { audit, charged, ev, policy, success, TEST_POLICY } from "../support/audit.js";

const A1 = { job: "a", attempt: 1 };
const A2 = { job: "a", attempt: 2 };

describe("audit: policy branches", () => {
  it("the most specific model pattern wins whole: an exact name, then more literal characters", () => {
    const cheap = { job: "c", attempt: 1, model: "test/cheap-x" };
    const special = { job: "s", attempt: 1, model: "test/cheap-special" };
    const { report } = audit([...success(cheap, 0, { run: 10 }), ...success(special, 0, { run: 10 })]);
    // test/cheap-* has only per_second 0.0001 (× 10 s); test/cheap-special only per_job 1
    assert.equal(report.by_model["test/test/cheap-x"]!.billed, "0.001");
    assert.equal(report.by_model["test/test/cheap-special"]!.billed, "1");
  });

  it("a provider with no policy is a problem, not a silent zero", () => {
    const { report } = audit([...success({ job: "o", attempt: 1, provider: "other" }, 0)]);
    assert.equal(report.billed, "0");
    assert.ok(report.problems.some((p) => p.why.includes("no billing policy for provider 'other'") && p.provider === "other"));
    // A provider spelled in capitals names no policy; the problem says which one it would have.
    const shouted = audit([...success({ job: "s", attempt: 1, provider: "Test" }, 0)]).report;
    assert.ok(shouted.problems.some((p) => p.why === "no billing policy for provider 'Test': 1 attempt is not priced; providers match exactly, and the policy is for 'test': write the events' provider as that"));
  });

  it("a model no price matches is a problem", () => {
    const p = policy({ provider: "test", currency: "USD", prices: { "test/only": { per_job: "1" } }, bills: { succeeded: ["per_job"] } });
    const { report } = audit([...success(A1, 0)], { policies: [p] });
    assert.ok(report.problems.some((x) => x.why.includes("no price in the 'test' policy matches model 'test/img'")));
  });

  it("a bills answer left out is unknown", () => {
    const p = policy({ provider: "test", currency: "USD", prices: { "*": { per_job: "0.5" } }, bills: { succeeded: ["per_job"] } });
    const { report } = audit([ev(A1, "submitted", 0), ev(A1, "created", 1, { request_id: "r" }), ev(A1, "completed", 2, { request_id: "r", outcome: "failed" })], { policies: [p] });
    assert.equal(report.billed, "0");
    assert.equal(report.range.billed_high, "0.5");
    assert.equal(report.unknowns[0]!.answer, "bills.failed");
  });

  it("a rejected answer given as a plain list covers every failure type", () => {
    const p = policy({ provider: "test", currency: "USD", prices: { "*": { per_request: "0.25" } }, bills: { rejected: ["per_request"] } });
    const { report } = audit([ev(A1, "submitted", 0), ev(A1, "rejected", 1, { http_status: 500 })], { policies: [p] });
    assert.equal(report.billed, "0.25");
    assert.equal(report.waste_by_cause.other, "0.25");
  });

  it("polls: unknown puts poll charges in the high figure only", () => {
    const p = policy({ provider: "test", currency: "USD", prices: { "*": { per_request: "0.001" } }, bills: { succeeded: [] }, polls: "unknown" });
    const { report } = audit([...success(A1, 0), ev(A1, "polled", 2), ev(A1, "polled", 4)], { policies: [p] });
    assert.equal(report.billed, "0");
    assert.equal(report.range.billed_high, "0.002");
    assert.deepEqual(report.unknowns, [{ provider: "test", answer: "polls", attempts: 1, could_cost: "0.002" }]);
  });

  it("units the price list does not name are a problem; a model priced by time is not", () => {
    const { report } = audit([...success(A1, 0, { units: { image: 1, audio_second: 3 } })]);
    assert.ok(report.problems.some((x) => x.why.includes("no per_unit price for 'audio_second'")));
    const timed = audit([...success({ job: "t", attempt: 1, model: "test/cheap-1" }, 0, { units: { image: 1 } })]).report;
    assert.equal(timed.problems.length, 0);
  });

  it("money is exact: products of prices and quantities keep every digit", () => {
    const p = policy({ provider: "test", currency: "USD", prices: { "*": { per_second: "0.000725", per_unit: { megapixel: "0.0125" } } }, bills: { succeeded: ["per_second", "per_unit"] } });
    const { report } = audit([...success(A1, 0, { run: 12.345678, units: { megapixel: 1.05 } })], { policies: [p] });
    // 0.000725 × 12.345678 = 0.00895061655; 0.0125 × 1.05 = 0.013125
    assert.equal(report.billed, "0.02207561655");
  });
});

describe("audit: charged events", () => {
  it("a charge replaces the estimate, polls included, and removes the range", () => {
    const events = [ev(A1, "submitted", 0), ev(A1, "created", 1, { request_id: "r1" }), ev(A1, "polled", 2), ev(A1, "completed", 31, { request_id: "r1", outcome: "timed_out", run_seconds: 30 }), charged("r1", "0.02")];
    const { report } = audit(events);
    assert.equal(report.billed, "0.02");
    assert.equal(report.range.billed_high, "0.02");
    assert.equal(report.unknowns.length, 0);
    assert.equal(report.waste_by_cause.timeout, "0.02");
  });

  it("several charges for one attempt add up, refunds included; the same charge read twice counts once", () => {
    const events = [...success(A1, 0, { rid: "r1" }), charged("r1", "0.5"), charged("r1", "-0.1", 90_000), charged("r1", "0.5")];
    assert.equal(audit(events).report.billed, "0.4");
  });

  it("a charge that names a job and attempt but an unknown request id goes to that attempt", () => {
    const events = [ev(A1, "submitted", 0), ev(A1, "rejected", 1, { http_status: 429 }), charged("gw-77", "0.3", 90_000, { job: "a", attempt: 1 })];
    const { report } = audit(events);
    assert.equal(report.billed, "0.3");
    assert.equal(report.unmatched_charges.count, 0);
  });

  it("a charge that matches nothing is reported, not billed", () => {
    const { report } = audit([...success(A1, 0), charged("ghost", "1.25")]);
    assert.equal(report.billed, "0.0585");
    assert.deepEqual(report.unmatched_charges, { count: 1, amount: "1.25" });
    assert.ok(report.problems.some((p) => p.why === "1 charge (1.25 USD) matches no attempt's request id: it is not in billed"));
    const two = audit([...success(A1, 0), charged("ghost", "1.25"), charged("ghost-2", "0.5")]).report;
    assert.ok(two.problems.some((p) => p.why === "2 charges (1.75 USD) match no attempt's request id: they are not in billed"));
    const euro = audit([...success(A1, 0), charged("ghost", "1.25", 86_400, { currency: "EUR" })]).report;
    assert.ok(euro.problems.some((p) => p.why === "1 charge (in another currency) matches no attempt's request id: it is not in billed"));
    const mixed = audit([...success(A1, 0), charged("ghost", "1.25", 86_400, { currency: "EUR" }), charged("ghost-2", "0.5")]).report;
    assert.ok(mixed.problems.some((p) => p.why === "2 charges (0.5 USD and 1 in other currencies) match no attempt's request id: they are not in billed"));
  });

  it("a charge in another currency is a problem and the estimate stays", () => {
    const { report } = audit([...success(A1, 0, { rid: "r1" }), charged("r1", "9", 90_000, { currency: "EUR" })]);
    assert.equal(report.billed, "0.0585");
    assert.ok(report.problems.some((p) => p.why.includes("EUR") && p.why.includes("is not in USD")));
  });
});

describe("audit: patterns", () => {
  it("polling excess: polls closer than min_poll_seconds, and every poll while a webhook was set", () => {
    const B1 = { job: "b", attempt: 1 };
    const events = [
      ...success(A1, 0),
      ev(A1, "polled", 2),
      ev(A1, "polled", 3), // 1 s after the last: too close
      ev(A1, "polled", 6),
      ev(B1, "submitted", 0, { webhook: true }),
      ev(B1, "created", 1, { request_id: "rb" }),
      ev(B1, "polled", 3),
      ev(B1, "polled", 6),
      ev(B1, "completed", 10, { request_id: "rb", outcome: "succeeded", run_seconds: 8, units: { image: 1 } }),
      ev(B1, "webhook_delivered", 10),
    ];
    const p = audit(events).report.patterns.polling_excess;
    assert.deepEqual(p, { count: 3, polls: 5, too_close: 1, while_webhook: 2, cost: "0.0015", polls_cost: "0.0025" });
  });

  it("polls at the same time with different answers are distinct polls; the same poll read twice is one", () => {
    const events = [
      ...success(A1, 0),
      ev(A1, "polled", 2, { http_status: 200 }),
      ev(A1, "polled", 2, { http_status: 200 }), // the same line again: one poll
      ev(A1, "polled", 2, { http_status: 429 }), // another answer in the same second: another poll
      ev(A1, "polled", 3, { http_status: 200 }),
    ];
    const p = audit(events).report.patterns.polling_excess;
    // Polls at 2 s (200), 2 s (429), 3 s: gaps 0 and 1 s, both under min_poll_seconds.
    assert.equal(p.polls, 3);
    assert.equal(p.too_close, 2);
  });

  it("job creation charge: per_job on attempts not used", () => {
    const events = [ev(A1, "submitted", 0), ev(A1, "created", 1, { request_id: "r1" }), ev(A1, "completed", 2, { request_id: "r1", outcome: "failed", run_seconds: 1 }), ...success(A2, 3)];
    assert.deepEqual(audit(events).report.patterns.job_creation_charge, { count: 1, cost: "0.01" });
  });

  it("an attempt with a real charge is left out of the component patterns (its polls counted, not priced)", () => {
    const A3 = { job: "a", attempt: 3 };
    const failed = (ref: { job: string; attempt: number }, t: number, rid: string): Record<string, unknown>[] => [
      ev(ref, "submitted", t),
      ev(ref, "created", t + 1, { request_id: rid }),
      ev(ref, "polled", t + 1.5, { request_id: rid }),
      ev(ref, "completed", t + 2, { request_id: rid, outcome: "failed", run_seconds: 1 }),
    ];
    const events = [...failed(A1, 0, "r1"), ...failed(A2, 3, "r2"), charged("r2", "0.7", 9), ...success(A3, 10)];
    const { patterns } = audit(events).report;
    // Only attempt 1 is priced from the policy: one per_job (0.01) and one second (0.001 a second).
    assert.deepEqual(patterns.job_creation_charge, { count: 1, cost: "0.01" });
    assert.equal(patterns.partial_processing.count, 1);
    assert.equal(patterns.polling_excess.polls, 2);
  });

  it("retry multiplication: attempts per job, p95 by nearest rank, and what the retries cost", () => {
    const events: Record<string, unknown>[] = [];
    for (let j = 0; j < 19; j++) events.push(...success({ job: `one-${j}`, attempt: 1 }, j));
    for (let n = 1; n <= 3; n++) {
      const ref = { job: "three", attempt: n };
      events.push(ev(ref, "submitted", 100 + n), ev(ref, "rejected", 100.5 + n, { http_status: 429 }));
    }
    const r = audit(events).report.patterns.retry_multiplication;
    assert.equal(r.retries, 2);
    assert.equal(r.jobs_with_retries, 1);
    assert.equal(r.attempts_per_job_mean, 22 / 20);
    assert.equal(r.attempts_per_job_p95, 1);
    assert.equal(r.attempts_per_job_max, 3);
    assert.equal(r.cost, "0.001"); // two rate-limited retries × per_request 0.0005
  });

  it("attempts per job: the mean with two decimals, as spec §6 writes 151 / 120 (1.26)", () => {
    const events = [...success({ job: "a", attempt: 1 }, 0), ...success({ job: "b", attempt: 1 }, 10)];
    for (let n = 1; n <= 2; n++) events.push(ev({ job: "c", attempt: n }, "submitted", 20 + n), ev({ job: "c", attempt: n }, "rejected", 20.5 + n, { http_status: 429 }));
    assert.equal(audit(events).report.patterns.retry_multiplication.attempts_per_job_mean, 1.33); // 4 / 3
  });

  it("the ten most wasteful jobs, with their request ids", () => {
    const events: Record<string, unknown>[] = [];
    for (let j = 0; j < 12; j++) {
      const ref = { job: `j${String(j).padStart(2, "0")}`, attempt: 1 };
      events.push(ev(ref, "submitted", j), ev(ref, "created", j + 0.5, { request_id: `req-${j}` }), ev(ref, "completed", j + 1, { request_id: `req-${j}`, outcome: "failed", run_seconds: j }));
    }
    const top = audit(events).report.top_jobs;
    assert.equal(top.length, 10);
    assert.equal(top[0]!.job, "j11");
    assert.equal(top[0]!.waste, "0.0215"); // 0.01 + 11 × 0.001 + 0.0005
    assert.deepEqual(top[0]!.request_ids, ["req-11"]);
    assert.deepEqual(top[0]!.causes, { other: "0.0215" });
  });

  it("breakdowns by provider, model and day", () => {
    const { report } = audit([...success(A1, 0), ...success({ job: "n", attempt: 1 }, 86_400)]);
    assert.deepEqual(Object.keys(report.by_day), ["2026-11-01", "2026-11-02"]);
    assert.deepEqual(report.by_provider.test, { jobs: 2, attempts: 2, billed: "0.117", useful: "0.117", waste: "0", billed_high: "0.117" });
    assert.equal(report.by_model["test/test/img"]!.attempts, 2);
  });

  it("filters by time, provider and model count only matching attempts, judging whole jobs", () => {
    const events = [...success(A1, 0, { hash: "H" }), ...success({ job: "b", attempt: 1 }, 86_400 + 5, { hash: "H2" })];
    const since = Date.UTC(2026, 10, 2) * 1000;
    assert.equal(audit(events, { sinceMicros: since }).report.jobs, 1);
    assert.equal(audit(events, { untilMicros: since }).report.billed, "0.0585");
    assert.equal(audit(events, { provider: "nobody" }).report.jobs, 0);
    assert.equal(audit(events, { model: "test/img" }).report.jobs, 2);
  });

  it("the report uses the policies' currency", () => {
    assert.equal(audit([...success(A1, 0)], { policies: [{ ...TEST_POLICY, currency: "EUR" }] }).report.currency, "EUR");
  });
});
