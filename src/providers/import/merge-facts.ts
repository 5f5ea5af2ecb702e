import type { JobObjectFacts } from "../types.js";

/**
 * Several objects about one provider job (webhook bodies for `start` then `completed`, a list
 * item and a later GET), merged: the terminal object's outcome, run time, units, error and
 * completion time; the first value seen for the rest. A terminal state never goes back to running.
 */
export function mergeFacts(a: JobObjectFacts, b: JobObjectFacts): { facts: JobObjectFacts; conflict?: string } {
  const terminal = b.outcome !== undefined ? b : a.outcome !== undefined ? a : undefined;
  let conflict: string | undefined;
  if (a.outcome !== undefined && b.outcome !== undefined && a.outcome !== b.outcome) {
    conflict = `reported both ${a.outcome} and ${b.outcome}; the later one (${b.outcome}) is kept`;
  }
  const first = <K extends keyof JobObjectFacts>(k: K): JobObjectFacts[K] => a[k] ?? b[k];
  const fromTerminal = <K extends keyof JobObjectFacts>(k: K): JobObjectFacts[K] => (terminal ? terminal[k] : (b[k] ?? a[k]));
  const unmapped = [...new Set([...(a.unmapped ?? []), ...(b.unmapped ?? [])])];
  const merged: Record<string, unknown> = {
    requestId: first("requestId"),
    model: first("model"),
    outcome: terminal?.outcome,
    running: terminal ? undefined : b.running === false || a.running === false ? false : (b.running ?? a.running),
    runSeconds: fromTerminal("runSeconds") ?? first("runSeconds"),
    timedRunSeconds: fromTerminal("timedRunSeconds") ?? first("timedRunSeconds"),
    units: fromTerminal("units"),
    unitsAsked: first("unitsAsked"),
    error: fromTerminal("error"),
    errorDetail: fromTerminal("errorDetail"),
    createdAt: first("createdAt"),
    startedAt: first("startedAt"),
    completedAt: fromTerminal("completedAt") ?? first("completedAt"),
    unmapped: unmapped.length > 0 ? unmapped : undefined,
    inputHash: first("inputHash"),
    webhook: a.webhook === true || b.webhook === true ? true : undefined,
    kind: first("kind"),
  };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return { facts: merged, ...(conflict ? { conflict } : {}) };
}
