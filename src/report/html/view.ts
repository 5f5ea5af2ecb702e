import type { AttemptClass, Cause, MoneyText, Report } from "../../core/index.js";

/** What the dashboard shows: a date range (UTC days, both ends included), a provider, a model. */
export interface ViewFilter {
  readonly from?: string;
  readonly to?: string;
  readonly provider?: string;
  readonly model?: string;
}

/** One event on a job's timeline, as text ready to show. */
export interface TimelineEvent {
  /** ISO 8601 UTC with microseconds. */
  readonly at: string;
  readonly micros: number;
  readonly type: string;
  /** Undefined for a charge the audit matched by request id alone. */
  readonly attempt?: number;
  readonly request_id?: string;
  /** The event's other facts as name/value pairs (`http_status`, `outcome`, `amount`…). */
  readonly facts: readonly (readonly [string, string])[];
}

/** One attempt of a job as the audit judged and priced it. */
export interface TimelineAttempt {
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  readonly request_ids: readonly string[];
  readonly start: string;
  readonly outcome: AttemptClass;
  readonly used: boolean;
  readonly duplicate: boolean;
  /** Why its money is waste; undefined for the used attempt. */
  readonly cause?: Cause;
  readonly billed: MoneyText;
  readonly billed_high: MoneyText;
  /** True when a real charge, not the policy's estimate, gave `billed`. */
  readonly charged: boolean;
  readonly polls: number;
  /** The charges the audit matched to it, as timeline events. */
  readonly charges: readonly TimelineEvent[];
}

/** A job's attempts, and (when loaded) its events in time order. */
export interface JobTimeline {
  readonly job: string;
  readonly attempts: readonly TimelineAttempt[];
  readonly events?: readonly TimelineEvent[];
  /** Events left out to keep the page small: the first and last are kept, the gap is before `events[omittedAt]`. */
  readonly omitted?: number;
  readonly omittedAt?: number;
}

/** Waste by cause for each UTC day: `values[i]` belongs to `days[i]`. */
export interface DailyCauses {
  readonly days: readonly string[];
  readonly causes: readonly { readonly cause: Cause; readonly values: readonly MoneyText[] }[];
}

/** A model as events name it, with its provider. */
export interface ModelName {
  readonly provider: string;
  readonly model: string;
}

/** Everything one screen of the dashboard (or one HTML report) shows. */
export interface DashboardView {
  /** Where the events came from, in words (`3 event files`, `ledger failcost.db`). */
  readonly source: string;
  readonly generated_at: string;
  readonly filter: ViewFilter;
  readonly report: Report;
  readonly daily: DailyCauses;
  /** The most wasteful jobs' attempts, in the order of `report.top_jobs`. */
  readonly timelines: readonly JobTimeline[];
  /** Every provider and model in the view, for the filters. */
  readonly models: readonly ModelName[];
  /** Results another command stored (reconciliation, forecast), shown as they are. */
  readonly extras: Readonly<Record<string, unknown>>;
}

/** What the page needs besides the view: static file or live dashboard. */
export interface PageConfig {
  readonly mode: "static" | "live";
  /** Models (and their providers) to offer in the filters, when not the view's own. */
  readonly models?: readonly ModelName[];
  /** How often the live page asks whether the figures changed, in ms. */
  readonly refreshMs?: number;
}

/** The JSON embedded in the page. */
export interface PageData {
  readonly config: PageConfig;
  readonly view?: DashboardView;
  /** The stamp of `view` (live mode), so the first poll hears only about changes. */
  readonly stamp?: string;
}

/** The live dashboard's answer to "what does this filter show now?". */
export interface ViewResponse {
  /** ready: `view` is current; computing: `view`, if any, is older; unchanged: the caller's view is current. */
  readonly status: "ready" | "computing" | "unchanged" | "error";
  /** Identifies the figures; send it back as `known` to hear only about changes. */
  readonly stamp?: string;
  readonly view?: DashboardView;
  /** What is being computed, in words. */
  readonly progress?: string;
  readonly message?: string;
}
