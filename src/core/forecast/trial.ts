import type { AttemptFacts } from "../audit/price-attempt.js";
import type { Moments } from "./stats.js";

/**
 * One attempt of the trial as the simulator replays it: how it ended, what it ran and
 * delivered, how long it took, and what was charged for it, if billing data covered it.
 */
export interface AttemptSample extends AttemptFacts {
  /** From submission to the outcome (or to when the caller stopped waiting), µs. */
  readonly durationMicros: number;
  /** The caller stopped waiting before the outcome (`client_timeout`). */
  readonly clientTimeout: boolean;
  /** The caller threw the output away (`output_rejected`). */
  readonly outputRejected: boolean;
  /** A webhook delivery failed and the provider ran the job again. */
  readonly requeued: boolean;
  /** The real charge (units at `chargeScale`), where billing data covers the attempt. */
  readonly charged: bigint | undefined;
  readonly chargeScale: number;
}

/**
 * The outcome categories the trial's rates are measured in: `succeeded`, `quality` (succeeded,
 * output thrown away), `failed:<type>`, `rejected:<type>`, `canceled`, `timed_out`, and `unknown`
 * (the outcome never became known).
 */
export type Category = string;

/** What the trial measured for one provider and model. */
export interface GroupTrial {
  readonly provider: string;
  readonly model: string;
  jobs: number;
  attempts: number;
  /** Attempts per job. */
  readonly attemptsPerJob: Moments;
  maxAttempts: number;
  /** Attempts in each category (exact counts). */
  readonly counts: Map<Category, number>;
  /** Up to `reservoir` samples per category, for replay. */
  readonly samples: Map<Category, AttemptSample[]>;
  duplicates: number;
  /** Attempts that asked for a webhook, and those whose webhook failed with a re-run. */
  webhookAttempts: number;
  requeues: number;
  /** Seconds between consecutive polls of an attempt (a reservoir). */
  readonly pollGaps: number[];
  /** Seconds the caller waited before a `client_timeout` (a reservoir). */
  readonly waited: number[];
  /** Seconds between an attempt's end and the next attempt's submission (a reservoir). */
  readonly retryGaps: number[];
  /** Failure types the trial retried after. */
  readonly retriedAfter: Set<string>;
  /** Billed and waste per job, as numbers: statistics for the trial-size rule only. */
  readonly wastePerJob: Moments;
  readonly billedPerJob: Moments;
}
