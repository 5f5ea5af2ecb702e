import type { Forecast, GroupFit, Interval, StrategyForecast } from "../core/forecast/index.js";
import { formatMoney } from "./money-text.js";
import { table } from "./text-table.js";
import { modelLabel } from "./model-label.js";

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(x >= 10 ? 1 : 2));
const range = (i: Interval, f: (x: number) => string): string => `${f(i.mean)} (${f(i.low)}–${f(i.high)})`;

function fitLines(f: GroupFit): string[] {
  const name = modelLabel(f.provider, f.model);
  const out = [`  ${name}: ${f.jobs} jobs, ${f.attempts} attempts, ${range(f.attempts_per_job, num)} attempts a job`];
  if (f.skipped) return [...out, `    left out of the simulation: ${f.skipped}`];
  out.push(`    outcomes per attempt: ${Object.entries(f.rates).map(([c, r]) => `${c} ${range(r, pct)}`).join(", ")}`);
  const extras = [`duplicates per job ${range(f.duplicate_rate, pct)}`, `polls an attempt ${range(f.polls_per_attempt, num)}`];
  if (f.run_seconds) extras.unshift(`run seconds ${range(f.run_seconds, num)}`);
  if (f.poll_interval_seconds !== null) extras.push(`polled every ${num(f.poll_interval_seconds)} s`);
  if (f.client_timeout_seconds !== null) extras.push(`client timeout after ${num(f.client_timeout_seconds)} s`);
  out.push(`    ${extras.join("; ")}`);
  const t = f.trial_size;
  out.push(t.enough ? `    trial size: enough (${t.why})` : `    ! trial too small for this forecast: ${t.why}; run about ${t.more} more jobs`);
  return out;
}

/** The forecast as a person reads it: what the trial measured, then the strategies side by side (the command prints none without strategies). */
export function renderForecast(f: Forecast, seed: string): string {
  const money = (s: string): string => formatMoney(s, f.currency);
  const band = (b: { p5: string; p95: string }): string => `${money(b.p5)} – ${money(b.p95)}`;
  const trialJobs = f.trial.reduce((a, g) => a + g.jobs, 0);
  const out = [`Forecast of ${f.jobs.toLocaleString("en-US")} jobs from a trial of ${trialJobs.toLocaleString("en-US")} jobs, ${f.currency} (seed ${seed}, ${f.runs} runs of ${f.sample_jobs.toLocaleString("en-US")} jobs)`, "", "Trial (90% intervals)"];
  for (const g of f.trial) out.push(...fitLines(g));
  if (!f.trial_enough) out.push("", "The trial is too small to support this forecast: the bands below are wide, and may still be too narrow. See docs/forecast.md for the rule.");
  const s = f.strategies;
  const row = (label: string, cell: (x: StrategyForecast) => string): string[] => [label, ...s.map(cell)];
  const rows = [
    ["", ...s.map((x) => x.label)],
    row("billed (expected)", (x) => money(x.billed.expected)),
    row("  p5 – p95", (x) => band(x.billed)),
  ];
  if (s.some((x) => x.billed_high !== x.billed.expected)) rows.push(row("  if every unknown is billed", (x) => money(x.billed_high)));
  rows.push(row("useful", (x) => money(x.useful)), row("waste (expected)", (x) => money(x.waste.expected)), row("  p5 – p95", (x) => band(x.waste)));
  const causes = [...new Set(s.flatMap((x) => Object.keys(x.waste_by_cause)))].sort();
  for (const c of causes) rows.push(row(`  ${c.replace("_", " ")}`, (x) => money(x.waste_by_cause[c as keyof typeof x.waste_by_cause] ?? "0")));
  rows.push(
    row("jobs with an output", (x) => `${pct(x.success_rate.mean)} (${pct(x.success_rate.low)}–${pct(x.success_rate.high)})`),
    row("attempts a job", (x) => num(x.attempts_per_job)),
    row("polls a job", (x) => num(x.polls_per_job)),
    row("seconds a job (mean, p95)", (x) => `${num(x.seconds_per_job.mean)}, ${num(x.seconds_per_job.p95)}`),
  );
  out.push("", ...table(rows, ["left", ...s.map(() => "right" as const)]));
  out.push("", "Expected figures are exact sums scaled to the jobs asked for; p5 – p95 bands carry the trial's uncertainty.");
  return `${out.join("\n")}\n`;
}
