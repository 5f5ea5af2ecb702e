import { isEventProblem, readEvent, type StoredEvent } from "../core/index.js";
import { readJsonLines } from "./read-json-lines.js";

/**
 * The events of a few jobs, read again from event files (for the timelines of an HTML report),
 * in time order per job. Bad lines are skipped here: the audit already reported them.
 * Charges are left out: the audit matched those to attempts by request id.
 */
export async function readJobEvents(files: readonly string[], jobs: ReadonlySet<string>): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  if (jobs.size === 0) return out;
  for (const file of files) {
    await readJsonLines(file, (value) => {
      const job = (value as { job?: unknown } | null)?.job;
      if (typeof job !== "string" || !jobs.has(job)) return;
      const r = readEvent(value);
      if (isEventProblem(r) || r.event.type === "charged") return;
      let list = out.get(job);
      if (!list) out.set(job, (list = []));
      list.push({ event: r.event, micros: r.at.micros });
    });
  }
  for (const list of out.values()) list.sort((a, b) => a.micros - b.micros);
  return out;
}
