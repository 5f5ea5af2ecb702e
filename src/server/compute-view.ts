import { createAudit, type Ledger, type Policy, type SdkRetryRule } from "../core/index.js";
import { filterAuditOptions } from "../report/html/filter.js";
import type { DashboardView, ViewFilter } from "../report/html/view.js";
import { createViewBuilder } from "../report/html/view-builder.js";
import { compactCount } from "../cli/progress.js";

/** What the dashboard's figures depend on besides the events. */
export interface ViewComputeOptions {
  readonly policies: readonly Policy[];
  /** What each provider's SDK retries on its own (as `failcost audit` uses them). */
  readonly sdkRetries?: readonly SdkRetryRule[];
  readonly duplicateWindowSeconds?: number;
  readonly topJobs?: number;
  /** The ledger, in words, for the page's title line. */
  readonly source: string;
}

/**
 * The view of a filter, from the ledger as it is now: the audit of the matching jobs (every
 * event of each, so judging sees whole jobs), its daily causes and top jobs' attempts.
 */
export async function computeView(ledger: Ledger, options: ViewComputeOptions, filter: ViewFilter, progress?: (words: string) => void, now = new Date()): Promise<DashboardView> {
  const range = filterAuditOptions(filter);
  const builder = createViewBuilder({ source: options.source, filter, now: now.toISOString(), ...(options.topJobs !== undefined ? { topJobs: options.topJobs } : {}) });
  const audit = createAudit({ policies: options.policies, ...(options.sdkRetries !== undefined ? { sdkRetries: options.sdkRetries } : {}), ...range, ...(options.duplicateWindowSeconds !== undefined ? { duplicateWindowSeconds: options.duplicateWindowSeconds } : {}), ...(options.topJobs !== undefined ? { topJobs: options.topJobs } : {}) });
  let read = 0;
  await ledger.scan(range, (e) => {
    audit.addEvent(e.event, e.micros);
    if (++read % 65536 === 0) progress?.(`reading events: ${compactCount(read)}`);
  });
  progress?.(`judging and pricing the attempts of ${compactCount(read)} events`);
  return builder.build(audit.finish(builder.visit));
}
