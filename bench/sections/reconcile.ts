// Reconcile, FOCUS export and forecast on a synthetic ledger: K jobs (10% fail once, 2% are
// duplicates), a bill of K rows (1% off by a cent, 1% unknown). Default K = 20,000;
// `--full`: 200,000. Times are wall clock, in process.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import type { BenchSection } from "../run.js";

const POLICY = `provider: acme
currency: USD
sources: ["https://example.test"]
prices:
  "*": { per_job: "0.002", per_second: "0.000725", max_run_seconds: 300 }
bills:
  succeeded: [per_job, per_second]
  failed: [per_job, per_second]
  canceled: unknown
  timed_out: [per_job, per_second]
  rejected: { "*": [] }
polls: false
`;

/** Writes the synthetic ledger, policy and bill into `dir`. */
export function build(dir: string, jobs: number): void {
  const at = (s: number): string => new Date(Date.UTC(2026, 10, 1) + s * 1000).toISOString();
  const events: string[] = [];
  const bill: string[] = ["prediction_id,cost,currency,created_at"];
  for (let j = 0; j < jobs; j++) {
    const t = (j * 5) % 2_500_000;
    const add = (attempt: number, rid: string, outcome: string, run: number, hash: string): void => {
      const b = { provider: "acme", model: "acme/m", job: `j${j}`, attempt };
      events.push(JSON.stringify({ ...b, ts: at(t + attempt * 20), type: "submitted", input_hash: hash }));
      events.push(JSON.stringify({ ...b, ts: at(t + attempt * 20 + 1), type: "created", request_id: rid }));
      events.push(JSON.stringify({ ...b, ts: at(t + attempt * 20 + 9), type: "completed", request_id: rid, outcome, run_seconds: run, ...(outcome === "failed" ? { error: "unavailable" } : {}) }));
      // 0.002 + run × 0.000725, exactly; 1% of rows a cent off.
      const cost = (2000 + run * 725 + (j % 100 === 7 ? 10000 : 0)) / 1e6;
      bill.push(`${rid},${cost.toFixed(6)},USD,${at(t + attempt * 20 + 9).slice(0, 10)}`);
    };
    let attempt = 1;
    if (j % 10 === 3) add(attempt++, `r${j}x`, "failed", 2, `h${j}`);
    add(attempt, `r${j}`, "succeeded", 4 + (j % 7), j % 50 === 1 ? `h${j - 1}` : `h${j}`);
    if (j % 100 === 5) bill.push(`ghost${j},0.01,USD,${at(t).slice(0, 10)}`);
  }
  mkdirSync(join(dir, "policies"));
  writeFileSync(join(dir, "policies", "acme.yaml"), POLICY);
  writeFileSync(join(dir, "events.jsonl"), `${events.join("\n")}\n`);
  writeFileSync(join(dir, "bill.csv"), `${bill.join("\n")}\n`);
}

async function timed(dir: string, argv: string[]): Promise<{ ms: number; out: string; code: number }> {
  let out = "";
  const io: CliIo = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, cwd: dir, env: {} };
  const t0 = performance.now();
  const code = await main(argv, io);
  return { ms: performance.now() - t0, out, code };
}

export const section: BenchSection = {
  name: "reconcile, FOCUS export and forecast",
  async run(args) {
    const jobs = args.includes("--full") ? 200_000 : 20_000;
    const dir = mkdtempSync(join(tmpdir(), "failcost-bench-rec-"));
    try {
      build(dir, jobs);
      const mb = (f: string): string => (statSync(join(dir, f)).size / 1e6).toFixed(1);
      console.log(`${jobs.toLocaleString("en-US")} jobs: events ${mb("events.jsonl")} MB, bill ${mb("bill.csv")} MB`);
      const rec = await timed(dir, ["reconcile", "--events", "events.jsonl", "--invoice", "bill.csv", "--json", "--charges-out", "charges.jsonl"]);
      const r = JSON.parse(rec.out) as { bill: { rows: number }; totals: Record<string, string>; classes: Record<string, { count: number }> };
      console.log(`reconcile: ${(rec.ms / 1000).toFixed(2)} s for ${r.bill.rows.toLocaleString("en-US")} bill rows (${Math.round(r.bill.rows / (rec.ms / 1000)).toLocaleString("en-US")} rows/s); unexplained ${r.totals.unexplained}; ` + Object.entries(r.classes).map(([k, v]) => `${k} ${v.count}`).join(", "));
      const exp = await timed(dir, ["export", "focus", "--events", "events.jsonl", "--out", "focus.csv"]);
      console.log(`export focus: ${(exp.ms / 1000).toFixed(2)} s, ${mb("focus.csv")} MB`);
      const fc = await timed(dir, ["forecast", "--events", "events.jsonl", "--jobs", "1000000", "--seed", "1", "--json", "--compare", "retries=3,backoff=full", "retries=0", "poll=webhook"]);
      console.log(`forecast of 1,000,000 jobs, 4 strategies, 100 runs of 1,000 jobs: ${(fc.ms / 1000).toFixed(2)} s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
