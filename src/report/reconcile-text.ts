import type { ReconcileClass, ReconcileItem, ReconcileResult } from "../reconcile/reconcile-result.js";
import { formatMoney } from "./money-text.js";
import { table } from "./text-table.js";

const CLASS_WORDS: Record<ReconcileClass, string> = {
  matched: "matched",
  mismatch: "amount mismatches",
  failed: "charges for failed attempts",
  duplicate: "charges for duplicates",
  unknown: "charges the ledger never saw",
  missing: "attempts the bill left out",
};

const LISTED = 10;

function itemLine(i: ReconcileItem, money: (s: string) => string): string[] {
  const estimate = i.estimate_low === null ? "–" : i.estimate_low === i.estimate_high ? money(i.estimate_low) : `${money(i.estimate_low)}–${money(i.estimate_high!)}`;
  const who = i.job === null ? "(not in the ledger)" : `${i.job} #${i.attempt} ${i.outcome}${i.cause ? ` (${i.cause})` : ""}`;
  return [`    ${i.request_id ?? "(no id)"}`, who, money(i.billed), estimate, money(i.difference), i.rows.slice(0, 2).join(", ") + (i.rows.length > 2 ? ", …" : "")];
}

/** The reconciliation as a person reads it: the classes with their money, the totals, the items to look at, and problems. */
export function renderReconcile(r: ReconcileResult, written: string | undefined): string {
  const money = (s: string): string => formatMoney(s, r.currency);
  const out: string[] = [];
  // A day where the bound is midnight UTC, else the time to the second.
  const when = (iso: string): string => (/T00:00:00(\.0+)?Z$/.test(iso) ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`);
  const period = r.period.start !== null ? `, ${when(r.period.start)} – ${when(r.period.end!)} (end exclusive)` : "";
  out.push(`Reconciliation of ${r.bill.file} (${r.bill.format}, ${r.bill.rows.toLocaleString("en-US")} rows) with the ledger, ${r.currency}${period}`);
  if (r.providers.length > 0) out.push(`providers: ${r.providers.join(", ")}; tolerance ${r.tolerance}`);
  out.push("");
  const rows: string[][] = [["", "count", "bill", "estimate", "unexplained"]];
  for (const c of Object.keys(CLASS_WORDS) as ReconcileClass[]) {
    const t = r.classes[c];
    const est = t.estimate_low === t.estimate_high ? money(t.estimate_low) : `${money(t.estimate_low)}–${money(t.estimate_high)}`;
    rows.push([`  ${CLASS_WORDS[c]}`, t.count.toLocaleString("en-US"), c === "missing" ? "–" : money(t.billed), c === "unknown" ? "–" : est, money(t.unexplained)]);
  }
  rows.push(["  total", "", money(r.totals.bill), r.totals.estimate_low === r.totals.estimate_high ? money(r.totals.estimate_low) : `${money(r.totals.estimate_low)}–${money(r.totals.estimate_high)}`, money(r.totals.unexplained)]);
  out.push(...table(rows, ["left", "right", "right", "right", "right"]));
  out.push("");
  out.push(`bill − estimate: ${money(r.totals.net_difference)}; unexplained difference (outside the tolerance): ${money(r.totals.unexplained)}`);
  if (r.credits.count > 0) out.push(`credits and refunds: ${r.credits.count} rows, ${money(r.credits.amount)} (netted into their request ids)`);
  if (r.other_currency.count > 0) out.push(`not reconciled: ${r.other_currency.count} rows in other currencies (${Object.entries(r.other_currency.amounts).map(([c, v]) => formatMoney(v, c)).join(", ")})`);
  if (r.unknown_not_billed > 0) out.push(`${r.unknown_not_billed} attempts the policy could not price (unknown) were not charged by the bill`);
  for (const c of ["mismatch", "failed", "duplicate", "unknown", "missing"] as const) {
    const list = r.items.filter((i) => i.class === c);
    if (list.length === 0) continue;
    out.push("", `${CLASS_WORDS[c]} (${list.length}${list.length > LISTED ? `, first ${LISTED}` : ""}):`);
    out.push(...table([["    request id", "attempt", "bill", "estimate", "difference", "where"], ...list.slice(0, LISTED).map((i) => itemLine(i, money))], ["left", "left", "right", "right", "right", "left"]));
  }
  const problems = r.problems.filter((p) => p.kind !== "note");
  const notes = r.problems.filter((p) => p.kind === "note");
  if (problems.length > 0) {
    out.push("", `problems (${problems.length}):`);
    for (const p of problems.slice(0, 20)) out.push(`  ${p.why}`);
    if (problems.length > 20) out.push(`  ... and ${problems.length - 20} more (see --json)`);
  }
  if (notes.length > 0) {
    out.push("", "notes:");
    for (const p of notes.slice(0, 10)) out.push(`  ${p.why}`);
    if (notes.length > 10) out.push(`  ... and ${notes.length - 10} more (see --json)`);
  }
  if (written !== undefined) out.push("", written);
  return `${out.join("\n")}\n`;
}
