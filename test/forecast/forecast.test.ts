import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Forecast } from "../../src/core/forecast/index.js";
import { makeWorkspace, run } from "../reconcile/fixture.js";

const FLAT_POLICY = `provider: flat
currency: USD
sources: ["https://example.test/billing"]
prices:
  "*": { per_job: "0.01", per_second: "0.001", per_request: "0.0001" }
bills:
  succeeded: [per_job]
  failed: [per_job]
  canceled: [per_job, per_second]
  timed_out: [per_job]
  rejected: { "*": [] }
polls: true
`;

const TIMED_POLICY = FLAT_POLICY.replace("succeeded: [per_job]", "succeeded: [per_job, per_second]").replace("failed: [per_job]", "failed: [per_job, per_second]");

const at = (s: number): string => new Date(Date.UTC(2026, 10, 1) + s * 1000).toISOString();

/** `jobs` jobs; the first `failing` fail once (unavailable) and then succeed. Every attempt costs 0.01 under FLAT_POLICY. */
function retryTrial(jobs: number, failing: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let j = 0; j < jobs; j++) {
    const base = { provider: "flat", model: "m", job: `job${j}` };
    const t = j * 100;
    let attempt = 1;
    if (j < failing) {
      out.push({ ...base, attempt, ts: at(t), type: "submitted", input_hash: `in${j}` });
      out.push({ ...base, attempt, ts: at(t + 1), type: "created", request_id: `r${j}a` });
      out.push({ ...base, attempt, ts: at(t + 3), type: "completed", request_id: `r${j}a`, outcome: "failed", error: "unavailable" });
      attempt = 2;
    }
    out.push({ ...base, attempt, ts: at(t + 10), type: "submitted", input_hash: `in${j}` });
    out.push({ ...base, attempt, ts: at(t + 11), type: "created", request_id: `r${j}` });
    out.push({ ...base, attempt, ts: at(t + 15), type: "completed", request_id: `r${j}`, outcome: "succeeded" });
  }
  return out;
}

/** `jobs` jobs that all succeed: 10 s of run time, 12 s from submission to result, 3 polls. */
function slowTrial(jobs: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let j = 0; j < jobs; j++) {
    const base = { provider: "flat", model: "m", job: `job${j}`, attempt: 1 };
    const t = j * 100;
    out.push({ ...base, ts: at(t), type: "submitted" });
    out.push({ ...base, ts: at(t + 1), type: "created", request_id: `r${j}` });
    for (const p of [4, 8, 11]) out.push({ ...base, ts: at(t + p), type: "polled", request_id: `r${j}` });
    out.push({ ...base, ts: at(t + 12), type: "completed", request_id: `r${j}`, outcome: "succeeded", run_seconds: 10 });
  }
  return out;
}

function workspace(policy: string, events: Record<string, unknown>[]): string {
  return makeWorkspace({ "flat.yaml": policy }, events);
}

async function forecastJson(dir: string, ...args: string[]): Promise<Forecast & { seed: string }> {
  const r = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--json", "--runs", "40", ...args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Forecast & { seed: string };
}

describe("forecast", () => {
  it("gives exact expected money where every attempt costs the same, and a band around the waste", async () => {
    const dir = workspace(FLAT_POLICY, retryTrial(700, 70));
    const f = await forecastJson(dir, "--jobs", "1000000", "--seed", "1", "--compare", "retries=0", "retries=3,backoff=full");
    const [trial, none, three] = f.strategies;
    assert.deepEqual(f.strategies.map((s) => s.label), ["as in the trial", "retries=0", "retries=3,backoff=full"]);
    // retries=0: one attempt a job at 0.01 each, whatever happens: 1,000,000 × 0.01.
    assert.equal(none!.billed.expected, "10000");
    assert.equal(none!.attempts_per_job, 1);
    // About 10% of first attempts fail: waste ≈ 0.1 × 10,000 and success ≈ 90%.
    const waste = Number(none!.waste.expected);
    assert.ok(waste > 800 && waste < 1200, `waste ${waste}`);
    assert.ok(Number(none!.waste.p5) < waste && waste < Number(none!.waste.p95));
    assert.ok(none!.success_rate.mean > 0.85 && none!.success_rate.mean < 0.95);
    // Retrying pays for about 1 + p + p² + p³ attempts a job (≈ 1.11) and rescues almost every job.
    assert.ok(Number(three!.billed.expected) > 10_900 && Number(three!.billed.expected) < 11_300, three!.billed.expected);
    assert.ok(three!.success_rate.mean > 0.99);
    // The trial retried once after a failure: about 1.1 attempts a job.
    assert.ok(trial!.attempts_per_job > 1.05 && trial!.attempts_per_job < 1.15);
    assert.equal(Number(trial!.billed.expected), Number(trial!.useful) + Number(trial!.waste.expected));
    assert.equal(trial!.waste_by_cause.unavailable, trial!.waste.expected);
  });

  it("backoff changes time, never money: strategies that differ only in backoff cost exactly the same", async () => {
    const dir = workspace(FLAT_POLICY, retryTrial(700, 70));
    const f = await forecastJson(dir, "--jobs", "1000", "--seed", "1", "--runs", "5", "--compare", "retries=3,backoff=none", "retries=3,backoff=expo", "retries=3,backoff=full", "retries=3,backoff=decorrelated");
    const [, ...kinds] = f.strategies;
    assert.equal(new Set(kinds.map((k) => `${k.billed.expected}/${k.waste.expected}`)).size, 1, kinds.map((k) => k.billed.expected).join(" "));
  });

  it("fits rates per provider and model with intervals, and applies the trial-size rule", async () => {
    const big = await forecastJson(workspace(FLAT_POLICY, retryTrial(700, 70)), "--jobs", "1000", "--seed", "1");
    const g = big.trial[0]!;
    assert.equal(g.jobs, 700);
    assert.equal(g.attempts, 770);
    assert.equal(g.rates["failed:unavailable"]!.count, 70);
    assert.ok(g.rates["failed:unavailable"]!.low < 70 / 770 && 70 / 770 < g.rates["failed:unavailable"]!.high);
    // Waste per job: 70 of 700 jobs waste 0.01 → sd/mean = 3.0021 → n ≥ (1.645 · 3.0021 / 0.2)² = 609.6.
    assert.deepEqual([g.trial_size.needed, g.trial_size.enough, g.trial_size.more], [610, true, 0]);
    assert.equal(big.trial_enough, true);
    const small = await forecastJson(workspace(FLAT_POLICY, retryTrial(400, 40)), "--jobs", "1000", "--seed", "1");
    assert.deepEqual([small.trial[0]!.trial_size.needed, small.trial[0]!.trial_size.enough, small.trial[0]!.trial_size.more], [611, false, 211]);
    assert.equal(small.trial_enough, false);
  });

  it("tells the user when the trial is too small and how many more jobs it needs", async () => {
    const dir = workspace(FLAT_POLICY, slowTrial(50));
    const r = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--jobs", "100000", "--seed", "3", "--runs", "20");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /trial too small for this forecast: no waste in 50 jobs: the failure rate could still be up to 6% \(rule of three\); run about 250 more jobs/);
    assert.match(r.stdout, /The trial is too small to support this forecast/);
    assert.match(r.stdout, /seed 3/);
  });

  it("compares polling with webhooks, and timeouts with and without cancel, priced exactly", async () => {
    const dir = workspace(TIMED_POLICY, slowTrial(50));
    const f = await forecastJson(dir, "--jobs", "1000", "--seed", "5", "--compare", "retries=0", "retries=0,poll=webhook", "retries=0,poll=1", "retries=0,timeout=6", "retries=0,timeout=6,cancel");
    const by = Object.fromEntries(f.strategies.map((s) => [s.label, s]));
    // 0.01 per job + 10 s × 0.001 + 3 polls × 0.0001, for 1,000 jobs.
    assert.equal(by["retries=0"]!.billed.expected, "20.3");
    assert.equal(by["retries=0,poll=webhook"]!.billed.expected, "20");
    assert.equal(by["retries=0,poll=webhook"]!.polls_per_job, 0);
    // Polling every second for 12 s: 12 polls.
    assert.equal(by["retries=0,poll=1"]!.billed.expected, "21.2");
    assert.equal(by["retries=0,poll=1"]!.polls_per_job, 12);
    // Giving up at 6 s leaves the job running: all of it is billed (1 poll made by then), none used.
    assert.equal(by["retries=0,timeout=6"]!.billed.expected, "20.1");
    assert.equal(by["retries=0,timeout=6"]!.waste.expected, "20.1");
    assert.equal(by["retries=0,timeout=6"]!.waste_by_cause.timeout, "20.1");
    assert.equal(by["retries=0,timeout=6"]!.seconds_per_job.mean, 6);
    // Cancelling at 6 s bills the 4 s it ran (0.01 + 0.004 + 1 poll).
    assert.equal(by["retries=0,timeout=6,cancel"]!.billed.expected, "14.1");
  });

  it("is deterministic under --seed", async () => {
    const dir = workspace(FLAT_POLICY, retryTrial(60, 12));
    const args = ["--jobs", "50000", "--seed", "abc", "--compare", "retries=2,backoff=equal"];
    const a = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--json", "--runs", "20", ...args);
    const b = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--json", "--runs", "20", ...args);
    assert.equal(a.stdout, b.stdout);
    const c = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--json", "--runs", "20", ...args.slice(0, 3), "other", ...args.slice(4));
    assert.notEqual(a.stdout, c.stdout);
  });

  it("exits 2 and says where prices come from when no policy prices the trial", async () => {
    const dir = workspace(FLAT_POLICY.replace("provider: flat", "provider: someone-else"), retryTrial(10, 1));
    const r = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--seed", "1");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nothing to simulate: no provider and model of the trial has a policy with prices/);
    // No report is printed for a forecast that did not run; the error names each group and why.
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /\n {2}flat\/m: \S/);
    const json = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--seed", "1", "--json");
    assert.equal(json.code, 2);
    assert.equal(json.stdout, "");
  });

  it("refuses a strategy it cannot read, saying why", async () => {
    const dir = workspace(FLAT_POLICY, retryTrial(10, 1));
    for (const [bad, why] of [
      ["retries=many", /retries=many: expected a whole number/],
      ["backoff=wild", /backoff=wild: expected one of none, expo, full, equal, decorrelated/],
      ["colour=red", /'colour' is not a strategy key/],
      ["cancel", /cancel needs a timeout/],
      ["retries=3,retries=4", /'retries' is given twice/],
      [" ", /an empty strategy/],
    ] as const) {
      const r = await run(dir, "forecast", "--events", "events.jsonl", "--policies", "flat.yaml", "--compare", bad);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, why);
    }
  });
});
