import { CAUSES, compareDecimal, parseDecimal, ZERO, type Breakdown, type Report } from "../core/index.js";
import { formatMoney, percent } from "./money-text.js";
import { alignDecimals, table, type Align } from "./text-table.js";
import { CAUSE_WORDS, checklistRows, describeAnswer, plural } from "./words.js";
import { modelKeyLabel } from "./model-label.js";

/** Lines up the decimal points of column `col` (skipping `skip` header rows). */
function alignColumn(rows: string[][], col: number, skip = 0): string[][] {
  const aligned = alignDecimals(rows.slice(skip).map((r) => r[col] ?? ""));
  return rows.map((r, k) => (k < skip ? r : r.map((c, i) => (i === col ? aligned[k - skip]! : c))));
}

/** A breakdown the terminal report can show. */
export type Dimension = "provider" | "model" | "day";

/** How to draw the terminal report. */
export interface TerminalOptions {
  /** Breakdowns to show; provider is always shown when there is more than one. */
  readonly by?: readonly Dimension[];
  readonly color?: boolean;
}

function bar(share: number, width: number): string {
  const n = Math.round(share * width);
  return "█".repeat(n) + " ".repeat(width - n);
}

function ratio(part: string, whole: string): number {
  // Only the length of a bar: display, not money arithmetic.
  const p = Number(part);
  const w = Number(whole);
  return w > 0 ? Math.max(0, Math.min(1, p / w)) : 0;
}


/**
 * The audit as a person reads it at a glance: totals with the range, waste by cause, the
 * checklist's patterns, breakdowns, the unknown answers the range depends on, the most wasteful
 * jobs with their request ids, and problems.
 */
export function renderTerminalReport(report: Report, options: TerminalOptions = {}): string {
  const c = options.color === true;
  const bold = (s: string): string => (c ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string): string => (c ? `\x1b[2m${s}\x1b[22m` : s);
  const red = (s: string): string => (c ? `\x1b[31m${s}\x1b[39m` : s);
  const money = (v: string): string => formatMoney(v, report.currency);
  const out: string[] = [];
  const heading = (s: string): void => void out.push("", bold(s));
  const providers = Object.keys(report.by_provider);
  const days = Object.keys(report.by_day);
  const span = days.length > 0 ? ` · ${days[0]}${days.length > 1 ? ` → ${days[days.length - 1]}` : ""}` : "";

  out.push(bold(`failcost audit · ${plural(report.jobs, "job")} · ${plural(report.attempts, "attempt")} · ${plural(providers.length, "provider")}${span}`));
  out.push("");
  const hasRange = report.range.billed_high !== report.range.billed_low;
  const totals: string[][] = [
    ["billed", money(report.billed), hasRange ? dim(`up to ${money(report.range.billed_high)} where policies say "unknown" (see below)`) : ""],
    ["useful", money(report.useful), dim(`${percent(report.useful, report.billed)} of billed · ${plural(report.succeeded_jobs, "job")} got an output`)],
    ["waste", red(money(report.waste)), `${percent(report.waste, report.billed)} of billed${report.range.waste_high !== report.range.waste_low ? dim(` · up to ${money(report.range.waste_high)}`) : ""}`],
  ];
  out.push(...table(alignColumn(totals, 1), ["left", "right", "left"], "  ").map((l) => `  ${l}`));

  const causes = CAUSES.map((k) => [k, report.waste_by_cause[k]] as const).filter(([, v]) => v !== "0" && v !== undefined);
  if (causes.length > 0) {
    heading("Waste by cause");
    causes.sort((a, b) => compareDecimal(parseDecimal(b[1])!, parseDecimal(a[1])!));
    const rows = causes.map(([k, v]) => [CAUSE_WORDS[k] ?? k, money(v), bar(ratio(v, report.waste), 20), percent(v, report.waste)]);
    out.push(...table(alignColumn(rows, 1), ["left", "right", "left", "right"], "  ").map((l) => `  ${l}`));
  }

  heading("Checklist");
  const p = report.patterns;
  const checklist = checklistRows(p, report.sdk_retries).map((row) => [row.name, row.what, money(row.cost)]);
  out.push(...table(alignColumn(checklist, 2), ["left", "left", "right"], "  ").map((l) => `  ${l}`));

  const by = new Set<Dimension>(options.by ?? []);
  if (providers.length > 1 || by.size === 0) by.add("provider");
  const breakdown = (title: string, label: string, record: Readonly<Record<string, Breakdown>>, sortByWaste: boolean): void => {
    heading(title);
    let keys = Object.keys(record);
    if (sortByWaste) keys = keys.sort((a, b) => compareDecimal(parseDecimal(record[b]!.waste) ?? ZERO, parseDecimal(record[a]!.waste) ?? ZERO) || a.localeCompare(b));
    const rows = [[label, "jobs", "attempts", "billed", "useful", "waste", "waste %"].map(dim)];
    for (const k of keys) {
      const b = record[k]!;
      const shown = label === "model" ? modelKeyLabel(k) : k;
      rows.push([shown, String(b.jobs), String(b.attempts), money(b.billed), money(b.useful), money(b.waste), percent(b.waste, b.billed)]);
    }
    const aligns: Align[] = ["left", "right", "right", "right", "right", "right", "right"];
    const lined = [3, 4, 5].reduce((r, col) => alignColumn(r, col, 1), rows);
    out.push(...table(lined, aligns, "  ").map((l) => `  ${l}`));
  };
  if (by.has("provider")) breakdown("By provider", "provider", report.by_provider, true);
  if (by.has("model")) breakdown("By model", "model", report.by_model, true);
  if (by.has("day")) breakdown("By day (UTC)", "day", report.by_day, false);

  if (report.unknowns.length > 0) {
    heading('Unknown policy answers: the range depends on these');
    const rows = report.unknowns.map((u) => [u.provider, describeAnswer(u.answer), plural(u.attempts, "attempt"), `could cost ${money(u.could_cost)}`]);
    out.push(...table(rows, ["left", "left", "right", "right"], "  ").map((l) => `  ${l}`));
  }

  if (report.top_jobs.length > 0) {
    heading(`Most wasteful jobs`);
    const rows = [["job", "attempts", "billed", "waste", "causes", "request ids"].map(dim)];
    for (const j of report.top_jobs) {
      const causesText = Object.keys(j.causes).map((k) => CAUSE_WORDS[k] ?? k).join(", ");
      const ids = j.request_ids.length > 3 ? `${j.request_ids.slice(0, 3).join(" ")} +${j.request_ids.length - 3}` : j.request_ids.join(" ");
      rows.push([j.job, String(j.attempts), money(j.billed), money(j.waste), causesText, ids || dim("none")]);
    }
    const lined = [2, 3].reduce((r, col) => alignColumn(r, col, 1), rows);
    out.push(...table(lined, ["left", "right", "right", "right", "left", "left"], "  ").map((l) => `  ${l}`));
  }

  if (report.unmatched_charges.count > 0) {
    heading("Charges with no matching attempt");
    const one = report.unmatched_charges.count === 1;
    out.push(`  ${plural(report.unmatched_charges.count, "charge")} (${money(report.unmatched_charges.amount)}) ${one ? "names a request id no event mentions; it is" : "name request ids no event mentions; they are"} not in billed.`);
  }

  if (report.problems.length > 0) {
    heading(red(`Problems (${report.problems.length})`));
    for (const pr of report.problems.slice(0, 20)) out.push(`  ${pr.file !== undefined ? `${pr.file}:${pr.line}: ` : ""}${pr.why}`);
    if (report.problems.length > 20) out.push(dim(`  … and ${report.problems.length - 20} more (--json lists them all)`));
  }
  out.push("");
  return `${out.join("\n")}\n`;
}
