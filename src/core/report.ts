import type { SdkRetriesReport } from "./audit/sdk-retries.js";
import type { Cause } from "./cause.js";

/** Money as exact decimal text, e.g. `"12.3456"`. */
export type MoneyText = string;

/** billed / useful / waste for one slice of the data. */
export interface Breakdown {
  readonly jobs: number;
  readonly attempts: number;
  readonly billed: MoneyText;
  readonly useful: MoneyText;
  readonly waste: MoneyText;
  readonly billed_high: MoneyText;
}

/** A problem with the input: a bad line, or something the audit could not price. */
export interface Problem {
  readonly file?: string;
  readonly line?: number;
  readonly why: string;
  readonly provider?: string;
  readonly job?: string;
  /** Internal: a worker's task whose lines are numbered from its range; never in a report. */
  readonly task?: number;
}

/** A policy answer that is `unknown` for cases in the data, and what it could cost. */
export interface UnknownAnswer {
  readonly provider: string;
  /** The answer's path: `bills.canceled`, `bills.rejected.invalid_input`, `polls`, or `outcome` (never became known). */
  readonly answer: string;
  readonly attempts: number;
  /** How much the high figure adds over the low one because of it. */
  readonly could_cost: MoneyText;
}

/** One of the most wasteful jobs. */
export interface WastefulJob {
  readonly job: string;
  readonly providers: readonly string[];
  readonly models: readonly string[];
  readonly attempts: number;
  readonly billed: MoneyText;
  readonly waste: MoneyText;
  readonly causes: Readonly<Partial<Record<Cause, MoneyText>>>;
  readonly request_ids: readonly string[];
}

/** The checklist's patterns as measured figures (spec §5). */
export interface Patterns {
  readonly job_creation_charge: { readonly count: number; readonly cost: MoneyText };
  readonly partial_processing: { readonly count: number; readonly cost: MoneyText };
  readonly retry_multiplication: {
    readonly count: number;
    readonly retries: number;
    readonly jobs_with_retries: number;
    /** Attempts per job, rounded to two decimals (spec §6's example: 1.26). */
    readonly attempts_per_job_mean: number;
    readonly attempts_per_job_p95: number;
    readonly attempts_per_job_max: number;
    readonly cost: MoneyText;
  };
  readonly timeout_billing: { readonly count: number; readonly client_timeouts: number; readonly provider_timeouts: number; readonly cost: MoneyText };
  readonly duplicate_submission: { readonly count: number; readonly jobs: number; readonly cost: MoneyText };
  readonly polling_excess: {
    readonly count: number;
    readonly polls: number;
    readonly too_close: number;
    readonly while_webhook: number;
    readonly cost: MoneyText;
    readonly polls_cost: MoneyText;
  };
}

/** The audit report of spec §6. Keys may be added, never renamed. */
export interface Report {
  readonly currency: string;
  readonly events: number;
  readonly jobs: number;
  readonly attempts: number;
  readonly succeeded_jobs: number;
  readonly billed: MoneyText;
  readonly useful: MoneyText;
  readonly waste: MoneyText;
  readonly waste_by_cause: Readonly<Record<Cause, MoneyText>>;
  readonly range: {
    readonly billed_low: MoneyText;
    readonly billed_high: MoneyText;
    readonly waste_low: MoneyText;
    readonly waste_high: MoneyText;
  };
  readonly patterns: Patterns;
  readonly by_provider: Readonly<Record<string, Breakdown>>;
  readonly by_model: Readonly<Record<string, Breakdown>>;
  readonly by_day: Readonly<Record<string, Breakdown>>;
  readonly unknowns: readonly UnknownAnswer[];
  readonly top_jobs: readonly WastefulJob[];
  readonly unmatched_charges: { readonly count: number; readonly amount: MoneyText };
  /** Attempts an official SDK likely made on its own (retries the caller did not ask for). */
  readonly sdk_retries: SdkRetriesReport;
  readonly problems: readonly Problem[];
}
