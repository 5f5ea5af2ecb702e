import type { ImportSummary } from "./import-objects.js";

const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/**
 * The import's stderr summary: what was written, and everything it could not map or date, so
 * nothing is dropped without a word.
 */
export function renderImportSummary(provider: string, s: ImportSummary, jobFrom: string | undefined): string {
  const out = [`failcost import ${provider}: ${n(s.objects, "object")} read, ${n(s.attempts, "attempt")} in ${n(s.jobs, "job")}, ${n(s.events, "event")} written`];
  const unmapped = Object.entries(s.unmapped);
  if (unmapped.length > 0) out.push(`  could not map (kept out of the events): ${unmapped.map(([f, c]) => `${f} (${n(c, "object")})`).join(", ")}`);
  if (s.undated.created > 0) out.push(`  no creation time: ${n(s.undated.created, "attempt")} dated at the first time the object or its envelope carries`);
  if (s.undated.completed > 0) out.push(`  no completion time: ${n(s.undated.completed, "completion")} dated at the last time the object or its envelope carries`);
  if (s.outcomeNotSeen > 0) out.push(`  outcome not seen: ${n(s.outcomeNotSeen, "provider job")} finished without saying how; no completed event is written (the audit gives a range)`);
  if (s.running > 0) out.push(`  still running: ${n(s.running, "provider job")} with no outcome yet; no completed event is written`);
  if (jobFrom !== undefined && s.noJobField > 0) out.push(`  --job-from ${jobFrom}: ${n(s.noJobField, "object")} had no such field; each of those is its own job`);
  for (const sk of s.skipped) out.push(`  skipped ${n(sk.count, "object")}: ${sk.why} (first at ${sk.first})`);
  for (const c of s.conflicts.slice(0, 20)) out.push(`  conflict: ${c}`);
  if (s.conflicts.length > 20) out.push(`  ... and ${s.conflicts.length - 20} more conflicts`);
  return `${out.join("\n")}\n`;
}

/** True when the import left something out or met a contradiction (for `--strict`). */
export function importHasProblems(s: ImportSummary): boolean {
  return s.skipped.length > 0 || s.conflicts.length > 0;
}
