import type { Decimal } from "../decimal.js";
import type { Outcome, Units } from "../event.js";
import type { FailureType } from "../failure-type.js";

/**
 * Everything the audit knows about one attempt, folded from its events (times in µs since the
 * epoch). Built from the attempt table one job at a time, so only a job's worth exists at once.
 */
export interface AttemptView {
  readonly index: number;
  readonly job: string;
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  /** Other model names seen for this attempt (a conflict to report). */
  readonly otherModels: readonly string[] | undefined;
  readonly requestIds: readonly string[] | undefined;
  /** Earliest time of any event about this attempt. */
  readonly start: number;
  readonly submittedAt: number | undefined;
  readonly inputHash: string | undefined;
  readonly unitsAsked: Units | undefined;
  readonly webhookAsked: boolean;
  readonly rejectedAt: number | undefined;
  readonly rejectedStatus: number | undefined;
  readonly rejectedError: FailureType | undefined;
  readonly createdAt: number | undefined;
  /** Poll times, sorted. */
  readonly polls: readonly number[];
  readonly completedAt: number | undefined;
  readonly outcome: Outcome | undefined;
  readonly runSeconds: Decimal | undefined;
  readonly units: Units | undefined;
  readonly completedError: FailureType | undefined;
  readonly timeoutAt: number | undefined;
  readonly cancelAt: number | undefined;
  readonly webhookDelivered: number;
  readonly webhookFailed: number;
  readonly requeuedAt: number | undefined;
  readonly outputRejectedAt: number | undefined;
  readonly outputRejectedError: FailureType | undefined;
}
