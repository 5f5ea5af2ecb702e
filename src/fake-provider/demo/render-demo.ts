import { CAUSES, parseDecimal, subDecimal, formatDecimal, ZERO, type Report } from "../../core/index.js";
import { formatMoney, percent } from "../../report/money-text.js";
import { alignDecimals, table } from "../../report/text-table.js";
import type { DemoResult } from "./run-demo.js";

const CAUSE_WORDS: Record<string, string> = {
  duplicate_submission: "duplicate submissions",
  webhook: "webhook re-runs",
  timeout: "timeouts (orphans billed)",
  rate_limit: "rate limits",
  invalid_input: "invalid input",
  unavailable: "provider unavailable",
  quality: "output rejected",
  auth: "auth / quota",
  other: "failed runs",
  canceled: "canceled",
  superseded: "superseded",
};

function minus(a: string, b: string): string {
  return formatDecimal(subDecimal(parseDecimal(a) ?? ZERO, parseDecimal(b) ?? ZERO));
}

/** The money saved and the figures of both sides, as the demo's `--json`. */
export function demoJson(r: DemoResult): Record<string, unknown> {
  const side = (s: DemoResult["naive"]): Record<string, unknown> => ({
    attempts: s.report.attempts,
    jobs_with_output: s.outputs,
    billed: s.report.billed,
    useful: s.report.useful,
    waste: s.report.waste,
    waste_by_cause: s.report.waste_by_cause,
    retries: s.report.patterns.retry_multiplication.retries,
    polls: s.report.patterns.polling_excess.polls,
    guard: s.guard,
    provider: s.provider,
  });
  const saved: Record<string, string> = { billed: minus(r.naive.report.billed, r.guarded.report.billed), waste: minus(r.naive.report.waste, r.guarded.report.waste) };
  for (const c of CAUSES) saved[c] = minus(r.naive.report.waste_by_cause[c], r.guarded.report.waste_by_cause[c]);
  return { seed: r.seed, jobs: r.jobs, currency: r.naive.report.currency, naive: side(r.naive), guarded: side(r.guarded), saved };
}

/** Both audits side by side: what the guard saved, in money and by cause. */
export function renderDemo(r: DemoResult, color: boolean): string {
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const green = (s: string): string => (color ? `\x1b[32m${s}\x1b[39m` : s);
  const a: Report = r.naive.report;
  const b: Report = r.guarded.report;
  const money = (v: string): string => formatMoney(v, a.currency);
  const saved = (x: string, y: string): string => {
    const d = minus(x, y);
    return d === "0" ? "" : green(money(d));
  };
  const count = (x: number, y: number): string => (x === y ? "" : green(String(x - y)));
  const rows: string[][] = [["", "naive client", "with the guard", "saved"].map(dim)];
  const moneyRows: string[][] = [];
  rows.push(["attempts sent", String(a.attempts), String(b.attempts), count(a.attempts, b.attempts)]);
  rows.push(["retries", String(a.patterns.retry_multiplication.retries), String(b.patterns.retry_multiplication.retries), count(a.patterns.retry_multiplication.retries, b.patterns.retry_multiplication.retries)]);
  rows.push(["status polls", String(a.patterns.polling_excess.polls), String(b.patterns.polling_excess.polls), count(a.patterns.polling_excess.polls, b.patterns.polling_excess.polls)]);
  rows.push(["jobs with an output", `${r.naive.outputs} of ${r.jobs}`, `${r.guarded.outputs} of ${r.jobs}`, ""]);
  moneyRows.push(["billed", money(a.billed), money(b.billed), saved(a.billed, b.billed)]);
  moneyRows.push(["useful", money(a.useful), money(b.useful), ""]);
  moneyRows.push([bold("waste"), bold(money(a.waste)), bold(money(b.waste)), bold(saved(a.waste, b.waste))]);
  const causes = CAUSES.filter((c) => a.waste_by_cause[c] !== "0" || b.waste_by_cause[c] !== "0");
  const causeRows = causes.map((c) => [CAUSE_WORDS[c] ?? c, money(a.waste_by_cause[c]), money(b.waste_by_cause[c]), saved(a.waste_by_cause[c], b.waste_by_cause[c])]);
  // Money columns line their decimal points up (the counts above them are whole numbers).
  for (const block of [moneyRows, causeRows]) {
    for (let col = 1; col <= 3; col++) {
      const aligned = alignDecimals(block.map((r) => r[col]!));
      block.forEach((r, i) => (r[col] = aligned[i]!));
    }
  }
  rows.push(...moneyRows, ["waste share", percent(a.waste, a.billed), percent(b.waste, b.billed), ""]);
  causeRows.unshift(["waste by cause", "naive client", "with the guard", "saved"].map(dim));
  const g = r.guarded.guard;
  const did = [
    `${g.retries} retries after backoff or Retry-After; ${g.refused.retry} retries refused (not worth it, or the retry budget was spent)`,
    `${g.joined} double submits joined the job already in flight; ${g.duplicatesFlagged} identical inputs flagged`,
    `${g.timeouts} client timeouts: ${g.cancels} provider jobs cancelled, ${g.tracked} tracked to their end`,
    `status polls held to the policy's min_poll_seconds (${Math.round(g.pollWaitMs / 1000)} s of waiting in all)`,
  ];
  const out = [
    bold(`failcost demo · seed ${r.seed} · ${r.jobs} jobs on the fake provider (Replicate-, fal- and OpenAI-shaped), same faults on both sides`),
    dim("  priced with the fake provider's own billing rules; run on virtual time"),
    "",
    ...table(rows, ["left", "right", "right", "right"], "  ").map((l) => `  ${l}`),
    "",
    ...table(causeRows, ["left", "right", "right", "right"], "  ").map((l) => `  ${l}`),
    "",
    bold("What the guard did"),
    ...did.map((d) => `  ${d}`),
    "",
  ];
  return `${out.join("\n")}\n`;
}
