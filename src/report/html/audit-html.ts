import type { AttemptVisitor, Ledger, Report, StoredEvent } from "../../core/index.js";
import { writeHtmlReport, type JobEventSource } from "./html-report.js";
import { createViewBuilder } from "./view-builder.js";

/** What `failcost audit --html` was asked: the inputs and filters as the user wrote them. */
export interface AuditHtmlOptions {
  /** Event files (as shown to the user) or a ledger name. */
  readonly inputs: readonly string[];
  /** Filters in words, e.g. `{ since: "2026-11-01", provider: "replicate" }`. */
  readonly filters: Readonly<Record<string, string | undefined>>;
  readonly topJobs: number;
  readonly now: Date;
}

/** An HTML report being gathered alongside an audit. */
export interface AuditHtml {
  /** Pass to the audit's finish. */
  readonly visit: AttemptVisitor;
  /** Writes the report once the audit is done; `events` gives the timelines' events. */
  write(path: string, report: Report, events: JobEventSource): Promise<void>;
}

function describe(options: AuditHtmlOptions): string {
  const n = options.inputs.length;
  const what = n <= 3 ? options.inputs.join(", ") : `${options.inputs.slice(0, 2).join(", ")} and ${n - 2} more files`;
  const filters = Object.entries(options.filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`);
  return [what, ...filters].join(" · ");
}

/** Starts the self-contained HTML report of one audit (`failcost audit … --html report.html`). */
export function startAuditHtml(options: AuditHtmlOptions): AuditHtml {
  const builder = createViewBuilder({ source: describe(options), filter: {}, topJobs: options.topJobs, now: options.now.toISOString() });
  return {
    visit: builder.visit,
    write: (path, report, events) => writeHtmlReport(path, builder.build(report), events),
  };
}

/** Timeline events from a ledger: each job's stored events. */
export function ledgerJobEvents(ledger: Pick<Ledger, "jobEvents">): JobEventSource {
  return async (jobs) => {
    const out = new Map<string, StoredEvent[]>();
    for (const job of jobs) out.set(job, await ledger.jobEvents(job));
    return out;
  };
}
