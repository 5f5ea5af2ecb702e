import type { AuditOptions, FailcostEvent } from "../core/index.js";
import { UsageError } from "../errors.js";
import { firstReadOnce, givenFiles } from "../sources/given-files.js";
import { forEachFileEvent, type LineOrigin } from "./event-input.js";

/** The filters of an export, as the audit takes them. */
export type EventFilter = Pick<AuditOptions, "sinceMicros" | "untilMicros" | "provider" | "model">;

interface AttemptSeen {
  start: number;
  provider: string;
  model: string;
}

function filtering(f: EventFilter): boolean {
  return f.sinceMicros !== undefined || f.untilMicros !== undefined || f.provider !== undefined || f.model !== undefined;
}

/**
 * Streams the events of the files that the filter selects, as the ledger's scan does: every
 * event of each job with an attempt that matches (attempts start at their first event), and
 * the charges for those jobs' request ids. Bad lines go to `problem`. Without a filter, one
 * pass; with one, two (the first finds the jobs).
 */
export async function selectFileEvents(
  files: readonly string[],
  cwd: string,
  filter: EventFilter,
  emit: (event: FailcostEvent, value: unknown) => void,
  problem: (origin: LineOrigin, why: string) => void,
): Promise<void> {
  if (!filtering(filter)) {
    await forEachFileEvent(files, cwd, (r, origin) => ("why" in r ? problem(origin, r.why) : emit(r.event, r.value)));
    return;
  }
  // Two passes: a file that can be read only once would give nothing the second time.
  const { paths, nameOf } = givenFiles(cwd, files);
  const once = firstReadOnce(paths);
  if (once !== undefined) throw new UsageError(`--since, --until, --provider and --model read the event files twice, and ${nameOf(once)} is a pipe: save it to a file first`);
  const attempts = new Map<string, AttemptSeen>();
  await forEachFileEvent(files, cwd, (r) => {
    if ("why" in r || r.event.type === "charged") return;
    const e = r.event;
    const key = `${e.job}\u0000${e.attempt}`;
    const seen = attempts.get(key);
    if (!seen) attempts.set(key, { start: r.micros, provider: e.provider, model: e.model });
    else if (r.micros < seen.start) seen.start = r.micros;
  });
  const jobs = new Set<string>();
  for (const [key, a] of attempts) {
    if (filter.sinceMicros !== undefined && a.start < filter.sinceMicros) continue;
    if (filter.untilMicros !== undefined && a.start >= filter.untilMicros) continue;
    if (filter.provider !== undefined && a.provider !== filter.provider) continue;
    if (filter.model !== undefined && a.model !== filter.model) continue;
    jobs.add(key.slice(0, key.indexOf("\u0000")));
  }
  attempts.clear();
  const requests = new Set<string>();
  const held: { event: FailcostEvent; value: unknown }[] = [];
  await forEachFileEvent(files, cwd, (r, origin) => {
    if ("why" in r) return problem(origin, r.why);
    const e = r.event;
    if (e.type === "charged") {
      // A charge may come before the attempt that names its request id: keep it for the end.
      if (requests.has(e.request_id) || (e.job !== undefined && jobs.has(e.job))) emit(e, r.value);
      else held.push({ event: e, value: r.value });
      return;
    }
    if (!jobs.has(e.job)) return;
    if (e.request_id !== undefined && e.request_id !== null) requests.add(e.request_id);
    emit(e, r.value);
  });
  for (const h of held) if (h.event.type === "charged" && requests.has(h.event.request_id)) emit(h.event, h.value);
}
