import { CAUSES, formatInstant, formatUnits, utcDay, type AuditedAttempt, type AttemptVisitor, type Cause, type Report } from "../../core/index.js";
import type { DailyCauses, DashboardView, JobTimeline, ModelName, TimelineAttempt, ViewFilter } from "./view.js";

/** What the builder needs besides the audit: where the events came from and the filter. */
export interface ViewBuilderOptions {
  readonly source: string;
  readonly filter: ViewFilter;
  /** How many wasteful jobs to keep timelines for: the audit's `topJobs` (default 10). */
  readonly topJobs?: number;
  /** The time the view is made (ISO 8601); passed in so the builder stays pure. */
  readonly now: string;
}

/** Gathers what the report does not hold (daily causes, top jobs' attempts) while an audit finishes. */
export interface ViewBuilder {
  /** Pass to `audit.finish(visit)`. */
  readonly visit: AttemptVisitor;
  /** The view, once the audit has finished with `report`. */
  build(report: Report, extras?: Readonly<Record<string, unknown>>): DashboardView;
}

interface Kept {
  readonly job: string;
  readonly waste: bigint;
  readonly attempts: readonly TimelineAttempt[];
}

/** The same order as the report's top jobs: most waste first, then by name. */
function byWaste(a: Kept, b: Kept): number {
  return b.waste > a.waste ? 1 : b.waste < a.waste ? -1 : a.job < b.job ? -1 : a.job > b.job ? 1 : 0;
}

function summarize(a: AuditedAttempt, scale: number): TimelineAttempt {
  const s = a.state;
  return {
    attempt: s.attempt,
    provider: s.provider,
    model: s.model,
    request_ids: s.requestIds ?? [],
    start: formatInstant(s.start),
    outcome: a.cls,
    used: a.used,
    duplicate: a.duplicate,
    ...(a.used ? {} : { cause: a.cause ?? "other" }),
    billed: formatUnits(a.billed, scale),
    billed_high: formatUnits(a.high, scale),
    charged: a.charged !== undefined,
    polls: a.polls,
    charges: a.charges.map((c) => ({
      at: formatInstant(c.at),
      micros: c.at,
      type: "charged",
      attempt: s.attempt,
      request_id: c.requestId,
      facts: [
        ["amount", c.amountText],
        ["currency", c.currency],
      ],
    })),
  };
}

/**
 * Starts collecting a dashboard view alongside an audit: waste by cause for each UTC day (by the
 * attempt's first event, as the report's `by_day`), and the attempts of the most wasteful jobs
 * for their timelines. Money stays exact: bigint units at the audit's scale, printed once.
 */
export function createViewBuilder(options: ViewBuilderOptions): ViewBuilder {
  const limit = options.topJobs ?? 10;
  const days = new Map<string, Map<Cause, bigint>>();
  const dayNames = new Map<number, string>();
  let top: Kept[] = [];
  let scale = 0;
  const models = new Map<string, ModelName>();
  const dayOf = (micros: number): string => {
    const k = Math.floor(micros / 86_400_000_000);
    let d = dayNames.get(k);
    if (d === undefined) dayNames.set(k, (d = utcDay(micros)));
    return d;
  };
  const visit: AttemptVisitor = (attempts, s) => {
    scale = s;
    let waste = 0n;
    for (const a of attempts) {
      const key = `${a.state.provider}\u0000${a.state.model}`;
      if (!models.has(key)) models.set(key, { provider: a.state.provider, model: a.state.model });
      if (a.used) continue;
      waste += a.billed;
      const day = dayOf(a.state.start);
      let causes = days.get(day);
      if (!causes) days.set(day, (causes = new Map<Cause, bigint>()));
      const cause = a.cause ?? "other";
      causes.set(cause, (causes.get(cause) ?? 0n) + a.billed);
    }
    if (waste <= 0n || attempts.length === 0) return;
    const job = attempts[0]!.state.job;
    if (top.length >= limit && byWaste({ job, waste, attempts: [] }, top[top.length - 1]!) >= 0) return;
    top.push({ job, waste, attempts: attempts.map((a) => summarize(a, s)) });
    top.sort(byWaste);
    if (top.length > limit) top = top.slice(0, limit);
  };
  return {
    visit,
    build(report, extras = {}) {
      const kept = new Map(top.map((k) => [k.job, k]));
      const timelines: JobTimeline[] = report.top_jobs.map((j) => ({ job: j.job, attempts: kept.get(j.job)?.attempts ?? [] }));
      return { source: options.source, generated_at: options.now, filter: options.filter, report, daily: dailyCauses(days, Object.keys(report.by_day), scale), timelines, models: [...models.keys()].sort().map((k) => models.get(k)!), extras };
    },
  };
}

/** Every day the report has attempts on (waste or not), so the chart's gaps are real zeros. */
function dailyCauses(days: Map<string, Map<Cause, bigint>>, reportDays: readonly string[], scale: number): DailyCauses {
  const names = [...new Set([...reportDays, ...days.keys()])].sort();
  const none: Map<Cause, bigint> = new Map();
  const causes = CAUSES.filter((c) => names.some((d) => (days.get(d)?.get(c) ?? 0n) !== 0n)).map((cause) => ({
    cause,
    values: names.map((d) => formatUnits((days.get(d) ?? none).get(cause) ?? 0n, scale)),
  }));
  return { days: names, causes };
}
