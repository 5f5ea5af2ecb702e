import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createAudit, parsePolicy, type Policy } from "../../src/core/index.js";
import { SDK_RETRY_RULES } from "../../src/providers/index.js";
import { runCli } from "../support/cli.js";
import { fixtureDir } from "./golden.js";

function policy(raw: object): Policy {
  const r = parsePolicy(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.policy;
}

const at = (ms: number): string => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

describe("a failed job's answer by failure type", () => {
  it("bills each failure type as its policy says, unknown ones as a range", () => {
    const p = policy({
      provider: "acme",
      currency: "USD",
      prices: { "*": { per_second: "0.001", per_job: "0.5" } },
      bills: { succeeded: ["per_second"], failed: { invalid_input: [], unavailable: "unknown", "*": ["per_second"] }, canceled: [], timed_out: [], rejected: [] },
      polls: false,
    });
    assert.deepEqual(p.bills.failed, ["per_second"]);
    assert.deepEqual(p.bills.failed_by_type, { invalid_input: [], unavailable: "unknown" });
    const audit = createAudit({ policies: [p] });
    const base = { provider: "acme", model: "m", attempt: 1 };
    [
      ["moderated", "invalid_input"],
      ["crashed", "other"],
      ["down", "unavailable"],
    ].forEach(([job, error], i) => {
      audit.addValue({ ...base, job, ts: at(i * 1000), type: "submitted" }, { file: "t", line: i * 2 + 1 });
      audit.addValue({ ...base, job, ts: at(i * 1000 + 500), type: "completed", outcome: "failed", run_seconds: 10, error }, { file: "t", line: i * 2 + 2 });
    });
    const r = audit.finish();
    // crashed: 10 s × 0.001; moderated: free; down: unknown, high = per_job + per_second = 0.51.
    assert.equal(r.billed, "0.01");
    assert.equal(r.range.billed_high, "0.52");
    assert.deepEqual(
      r.unknowns.map((u) => [u.answer, u.attempts, u.could_cost]),
      [["bills.failed.unavailable", 1, "0.51"]],
    );
  });
});

describe("sdk_retries", () => {
  it("flags attempts an SDK likely sent on its own, at most its maxRetries in a row", () => {
    const openai = policy({ provider: "openai", currency: "USD", prices: { "*": { per_job: "0.04" } }, bills: { succeeded: ["per_job"], failed: ["per_job"], canceled: [], timed_out: [], rejected: [] }, polls: false });
    const replicate = policy({ provider: "replicate", currency: "USD", prices: { "*": { per_second: "0.001" } }, bills: { succeeded: ["per_second"], failed: [], canceled: [], timed_out: [], rejected: [] }, polls: false });
    const audit = createAudit({ policies: [openai, replicate], sdkRetries: SDK_RETRY_RULES });
    let line = 0;
    const add = (e: object): void => void audit.addValue(e, { file: "t", line: ++line });
    const rejected = (provider: string, job: string, attempt: number, ms: number, http_status?: number): void => {
      add({ provider, model: "m", job, attempt, ts: at(ms), type: "submitted" });
      add({ provider, model: "m", job, attempt, ts: at(ms + 20), type: "rejected", ...(http_status ? { http_status } : { error: "unavailable" }) });
    };
    const succeeded = (provider: string, job: string, attempt: number, ms: number, extra: object = {}): void => {
      add({ provider, model: "m", job, attempt, ts: at(ms), type: "submitted", ...extra });
      add({ provider, model: "m", job, attempt, request_id: `${job}-${attempt}`, ts: at(ms + 10), type: "created" });
      add({ provider, model: "m", job, attempt, request_id: `${job}-${attempt}`, ts: at(ms + 10_000), type: "completed", outcome: "succeeded", run_seconds: 10 });
    };
    // A: a 429, then a new attempt 100 ms later: the openai SDK's retry.
    rejected("openai", "A", 1, 0, 429);
    succeeded("openai", "A", 2, 120);
    // B: a 429, then a new attempt 5 s later: the caller's own retry.
    rejected("openai", "B", 1, 0, 429);
    succeeded("openai", "B", 2, 5000);
    // C: four 500s in a row within milliseconds: the SDK makes only 2 retries.
    for (let k = 1; k <= 4; k++) rejected("openai", "C", k, k * 50, 500);
    succeeded("openai", "C", 5, 260);
    // D: replicate accepted attempt 1, and the same input went again 200 ms later (a lost response).
    succeeded("replicate", "D", 1, 0, { input_hash: "h" });
    succeeded("replicate", "D", 2, 200, { input_hash: "h" });
    // E: a connection error on fal (no status), retried 3 s later within the SDK's backoff.
    rejected("fal", "E", 1, 0);
    succeeded("fal", "E", 2, 3000);
    // F: replicate's SDK does not retry a POST that got a 500.
    rejected("replicate", "F", 1, 0, 500);
    succeeded("replicate", "F", 2, 100);
    const r = audit.finish();
    assert.deepEqual(r.sdk_retries, {
      count: 5,
      cost: "0.05",
      by_provider: { fal: { count: 1, cost: "0" }, openai: { count: 3, cost: "0.04" }, replicate: { count: 1, cost: "0.01" } },
    });
  });

  it("is zero without SDK facts", () => {
    const r = createAudit({ policies: [] }).finish();
    assert.deepEqual(r.sdk_retries, { count: 0, cost: "0", by_provider: {} });
  });
});

describe("failcost audit with shipped policies", () => {
  const tmp = mkdtempSync(join(tmpdir(), "failcost-audit-providers-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const events = readFileSync(join(fixtureDir("replicate"), "import", "list.events.jsonl"), "utf8");

  it("says prices must come from the user when a shipped policy has none", async () => {
    writeFileSync(join(tmp, "events.jsonl"), events);
    const r = await runCli(["audit", "events.jsonl", "--json"], tmp);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { problems: { why: string }[]; sdk_retries: unknown };
    assert.ok(report.problems.some((p) => /no price for model 'black-forest-labs\/flux-dev' in the 'replicate' policy: prices must come from you/.test(p.why)));
    assert.ok(!report.problems.some((p) => /no billing policy for provider 'replicate'/.test(p.why)));
    assert.deepEqual(report.sdk_retries, { count: 0, cost: "0", by_provider: {} });
  });

  it("prices imported events with the user's policy over the shipped one", async () => {
    mkdirSync(join(tmp, "policies"), { recursive: true });
    writeFileSync(
      join(tmp, "policies", "replicate.yaml"),
      'provider: replicate\ncurrency: USD\nprices:\n  "*": { per_second: "0.001" }\nbills:\n  succeeded: [per_second]\n  failed: [per_second]\n  canceled: [per_second]\n  timed_out: []\n  rejected: []\npolls: false\n',
    );
    const r = await runCli(["audit", "events.jsonl", "--json"], tmp);
    const report = JSON.parse(r.stdout) as { billed: string; useful: string; waste: string; waste_by_cause: Record<string, string> };
    // 0.012683 s + 4.75 s (failed) + 40 s (canceled) at 0.001 a second; the aborted one is free.
    assert.equal(report.billed, "0.044762683");
    assert.equal(report.useful, "0.000012683");
    assert.equal(report.waste, "0.04475");
    assert.equal(report.waste_by_cause.other, "0.00475");
    assert.equal(report.waste_by_cause.canceled, "0.04");
  });
});
