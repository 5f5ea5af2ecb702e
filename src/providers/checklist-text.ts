import { table } from "../report/text-table.js";
import { CHECKLIST_QUESTIONS, sdkWarning, type ChecklistRow } from "./checklist.js";

/** A row of the table with where its policy came from. */
export interface ShownRow extends ChecklistRow {
  readonly origin: "shipped" | "yours";
  readonly file?: string;
  readonly checked?: string;
}

/** Numbers each distinct source once, in order of first use. */
class Footnotes {
  private readonly numbers = new Map<string, number>();
  readonly list: { n: number; source: string; checked?: string }[] = [];

  mark(source: string, checked: string | undefined): number {
    let n = this.numbers.get(source);
    if (n === undefined) {
      n = this.list.length + 1;
      this.numbers.set(source, n);
      this.list.push({ n, source, ...(checked ? { checked } : {}) });
    }
    return n;
  }
}

/**
 * The checklist as a table: providers × the cost review's questions, each answer with a
 * footnote per source (`no [2]`), `unknown` where no source says; then the footnotes.
 */
export function renderChecklist(rows: readonly ShownRow[]): string {
  const notes = new Footnotes();
  const header = ["provider", ...CHECKLIST_QUESTIONS.map((q) => q.column)];
  const body = rows.map((r) => [
    r.origin === "yours" ? `${r.provider} (yours)` : r.provider,
    ...CHECKLIST_QUESTIONS.map((q) => {
      const a = r.answers[q.key];
      const marks = [...new Set(a.evidence.map((e) => notes.mark(e.source, e.checked)))];
      return marks.length > 0 ? `${a.answer} ${marks.map((m) => `[${m}]`).join("")}` : a.answer;
    }),
  ]);
  const out: string[] = ["The cost review's questions, provider by provider:", ""];
  for (const q of CHECKLIST_QUESTIONS) out.push(`  ${q.column.padEnd(14)}${q.question}`);
  out.push("", ...table([header, ...body], header.map(() => "left")), "");
  out.push("unknown: no source says (the audit gives a range). varies: depends on the failure type (failcost policies show <provider>).");
  const missing = rows.filter((r) => r.answers.prices.answer === "missing" || r.answers.prices.answer.endsWith("models")).map((r) => r.provider);
  if (missing.length > 0) out.push(`Prices missing (they must come from you, in a policy file per provider): ${missing.join(", ")}.`);
  const sdk = rows.filter((r) => r.sdk).map((r) => r.provider);
  if (sdk.length > 0) out.push(`SDKs that retry on their own: ${sdk.join(", ")} (failcost policies show <provider>).`);
  if (notes.list.length > 0) {
    out.push("", "Sources:");
    for (const f of notes.list) out.push(`  [${f.n}] ${f.source}${f.checked ? ` (checked ${f.checked})` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

/** One provider's answers in full, each with its source, date checked and quote; then SDK warnings. */
export function renderPolicyShow(row: ShownRow, notes: string | undefined): string {
  const out: string[] = [`${row.provider}: ${row.origin === "shipped" ? "the policy failcost ships" : "your policy"}${row.file ? ` (${row.file})` : ""}${row.checked ? `, sources checked ${row.checked}` : ""}`, ""];
  for (const q of CHECKLIST_QUESTIONS) {
    const a = row.answers[q.key];
    out.push(q.question, `  ${a.detail}${a.evidence.length === 0 && a.answer === "unknown" ? " (no source says)" : ""}`);
    for (const e of a.evidence) {
      out.push(`  source: ${e.source}${e.checked ? ` (checked ${e.checked})` : ""}${a.evidence.length > 1 ? ` [${e.path}]` : ""}`);
      if (e.quote) out.push(`    "${e.quote}"`);
    }
  }
  if (row.answers.prices.answer === "missing" || row.answers.prices.answer.endsWith("models")) {
    out.push("", `Prices must come from you: write a policy file for '${row.provider}' with prices (start from this one: failcost policies show ${row.provider} --yaml > policies/${row.provider}.yaml) (failcost reads ./policies by default). Your file replaces this policy whole.`);
  }
  if (row.sdk) out.push("", `Warning: ${sdkWarning(row.sdk)}`, `  source: ${row.sdk.source} (checked ${row.sdk.checked})`);
  if (notes) out.push("", `Notes: ${notes}`);
  return `${out.join("\n")}\n`;
}
