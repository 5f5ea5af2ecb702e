// A small, hand-priced data set shared by the reconcile, export and forecast tests.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, type CliRun } from "../support/cli.js";

/** The acme policy: img models pay per job, per second and per image; canceled is unknown. */
export const ACME_POLICY = `provider: acme
currency: USD
checked: 2026-11-01
sources: ["https://docs.acme.example/billing"]
prices:
  "*": { per_second: "0.001" }
  "acme/img-*": { per_job: "0.002", per_second: "0.001", per_unit: { image: "0.01" }, max_run_seconds: 60 }
bills:
  succeeded: [per_job, per_second, per_unit, per_request]
  failed: [per_job, per_second, per_request]
  canceled: unknown
  timed_out: [per_job, per_second]
  rejected: { rate_limit: [], "*": [] }
polls: false
min_poll_seconds: 2
`;

const base = { provider: "acme", model: "acme/img-1" };
const at = (m: number, s = 0): string => `2026-11-01T10:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}Z`;

/**
 * Seven attempts in five jobs. Billed (low) by attempt, hand-computed:
 * j1#1 failed unavailable, 4 s: 0.002 + 0.004 = 0.006 (waste: unavailable)
 * j1#2 succeeded, 3 s, 1 image: 0.002 + 0.003 + 0.01 = 0.015 (used)
 * j2#1 rejected 429: 0 (rate_limit is free)
 * j2#2 succeeded, 2 s, 1 image: 0.014 (used)
 * j3#1 succeeded, 5 s, 1 image, input h3: 0.017 (used)
 * j4#1 same input h3 a minute later, succeeded 5 s: 0.017 (waste: duplicate)
 * j5#1 canceled after 1 s: low 0, high 0.002 + 0.001 = 0.003 (canceled is unknown)
 * billed 0.069, useful 0.046, waste 0.023, high 0.072.
 */
export const ACME_EVENTS: readonly Record<string, unknown>[] = [
  { ...base, ts: at(0), job: "j1", attempt: 1, type: "submitted", input_hash: "h1" },
  { ...base, ts: at(0, 1), job: "j1", attempt: 1, type: "created", request_id: "r1" },
  { ...base, ts: at(0, 6), job: "j1", attempt: 1, type: "completed", request_id: "r1", outcome: "failed", error: "unavailable", run_seconds: 4 },
  { ...base, ts: at(1), job: "j1", attempt: 2, type: "submitted", input_hash: "h1" },
  { ...base, ts: at(1, 1), job: "j1", attempt: 2, type: "created", request_id: "r2" },
  { ...base, ts: at(1, 3), job: "j1", attempt: 2, type: "polled", request_id: "r2" },
  { ...base, ts: at(1, 5), job: "j1", attempt: 2, type: "completed", request_id: "r2", outcome: "succeeded", run_seconds: 3, units: { image: 1 } },
  { ...base, ts: at(2), job: "j2", attempt: 1, type: "submitted", input_hash: "h2" },
  { ...base, ts: at(2, 1), job: "j2", attempt: 1, type: "rejected", http_status: 429 },
  { ...base, ts: at(3), job: "j2", attempt: 2, type: "submitted", input_hash: "h2" },
  { ...base, ts: at(3, 1), job: "j2", attempt: 2, type: "created", request_id: "r4" },
  { ...base, ts: at(3, 4), job: "j2", attempt: 2, type: "completed", request_id: "r4", outcome: "succeeded", run_seconds: 2, units: { image: 1 } },
  { ...base, ts: at(4), job: "j3", attempt: 1, type: "submitted", input_hash: "h3" },
  { ...base, ts: at(4, 1), job: "j3", attempt: 1, type: "created", request_id: "r5" },
  { ...base, ts: at(4, 7), job: "j3", attempt: 1, type: "completed", request_id: "r5", outcome: "succeeded", run_seconds: 5, units: { image: 1 } },
  { ...base, ts: at(5), job: "j4", attempt: 1, type: "submitted", input_hash: "h3" },
  { ...base, ts: at(5, 1), job: "j4", attempt: 1, type: "created", request_id: "r6" },
  { ...base, ts: at(5, 7), job: "j4", attempt: 1, type: "completed", request_id: "r6", outcome: "succeeded", run_seconds: 5, units: { image: 1 } },
  { ...base, ts: at(6), job: "j5", attempt: 1, type: "submitted", input_hash: "h5" },
  { ...base, ts: at(6, 1), job: "j5", attempt: 1, type: "created", request_id: "r7" },
  { ...base, ts: at(6, 2), job: "j5", attempt: 1, type: "cancel_requested", request_id: "r7" },
  { ...base, ts: at(6, 3), job: "j5", attempt: 1, type: "completed", request_id: "r7", outcome: "canceled", run_seconds: 1 },
];

/** A fresh folder with `policies/acme.yaml` and `events.jsonl` (plus any extra files). */
export function makeWorkspace(extra: Record<string, string> = {}, events: readonly unknown[] = ACME_EVENTS): string {
  const dir = mkdtempSync(join(tmpdir(), "failcost-rec-"));
  mkdirSync(join(dir, "policies"));
  writeFileSync(join(dir, "policies", "acme.yaml"), ACME_POLICY);
  writeFileSync(join(dir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs the CLI in-process in `cwd`; returns the exit code and what it wrote. */
export function run(cwd: string, ...argv: string[]): Promise<CliRun> {
  return runCli(argv, cwd);
}
