import type { AttemptEvent, FailureType } from "../../core/index.js";
import { completedFields } from "../completed-fields.js";
import { quantities } from "../quantity.js";
import { earliest, latest, micros } from "./times.js";
import type { JobObjectFacts } from "../types.js";

/** One attempt to write: a provider job's merged facts, or a refused create request. */
export interface ImportedAttempt {
  readonly job: string;
  readonly model: string;
  /** Where it was read, for messages. */
  readonly at?: string;
  readonly facts?: JobObjectFacts;
  readonly rejected?: { readonly at: string; readonly status: number; readonly error: FailureType };
  /** When the caller first and last received an object about it (envelopes). */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

/** The events of some attempts, and what had to be dated at another time than its own. */
export interface AttemptEvents {
  readonly events: AttemptEvent[];
  readonly attempts: number;
  readonly jobs: number;
  readonly undated: { created: number; completed: number };
  /** Attempts with no time at all: not written. */
  readonly undatable: readonly ImportedAttempt[];
}

/** When an attempt started: its creation time, else the earliest time anything says about it. */
function startOf(a: ImportedAttempt): string | undefined {
  const f = a.facts;
  return a.rejected?.at ?? f?.createdAt ?? earliest(a.firstSeen, f?.startedAt, f?.completedAt, a.lastSeen);
}

/**
 * Writes each attempt's events: `submitted` and `created` at its creation time, `completed`
 * (only where an outcome was seen) at its completion time, or `rejected`. Attempts of a job are
 * numbered by start time, then request id. A time an object does not carry is taken from
 * another time it carries (its creation, the time it was received) and counted as undated.
 */
export function attemptEvents(provider: string, attempts: readonly ImportedAttempt[]): AttemptEvents {
  const undated = { created: 0, completed: 0 };
  const undatable: ImportedAttempt[] = [];
  const byJob = new Map<string, { a: ImportedAttempt; start: string }[]>();
  for (const a of attempts) {
    const start = startOf(a);
    if (start === undefined) {
      undatable.push(a);
      continue;
    }
    const list = byJob.get(a.job) ?? [];
    list.push({ a, start });
    byJob.set(a.job, list);
  }
  const events: AttemptEvent[] = [];
  let count = 0;
  for (const job of [...byJob.keys()].sort()) {
    const list = byJob.get(job)!;
    list.sort((x, y) => micros(x.start) - micros(y.start) || (x.a.facts?.requestId ?? "").localeCompare(y.a.facts?.requestId ?? ""));
    list.forEach(({ a, start }, i) => {
      count++;
      const f = a.facts;
      const base = { provider, model: a.model, job, attempt: i + 1, ...(f?.requestId ? { request_id: f.requestId } : {}) };
      if (a.rejected) {
        events.push({ ts: start, ...base, type: "rejected", http_status: a.rejected.status, error: a.rejected.error });
        return;
      }
      if (!f) return;
      if (f.createdAt === undefined) undated.created++;
      events.push({
        ts: start,
        ...base,
        type: "submitted",
        ...(f.inputHash ? { input_hash: f.inputHash } : {}),
        ...(f.kind ? { kind: f.kind } : {}),
        ...(f.webhook ? { webhook: true } : {}),
        ...(f.unitsAsked ? { units: quantities(f.unitsAsked) } : {}),
      });
      if (f.requestId) events.push({ ts: start, ...base, type: "created" });
      if (f.outcome === undefined) return;
      const end = f.completedAt ?? latest(a.lastSeen, f.startedAt, start)!;
      if (f.completedAt === undefined) undated.completed++;
      // The provider's own compute seconds where any object gave them, else the object's times.
      const runSeconds = f.runSeconds ?? f.timedRunSeconds;
      events.push({ ts: end, ...base, type: "completed", ...completedFields(f.outcome, { ...f, runSeconds }) });
    });
  }
  return { events, attempts: count, jobs: byJob.size, undated, undatable };
}
