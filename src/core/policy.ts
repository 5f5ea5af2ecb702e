import type { Decimal } from "./decimal.js";
import type { FailureType } from "./failure-type.js";

/** The price components of spec §3. */
export const COMPONENTS = ["per_job", "per_second", "per_unit", "per_request"] as const;

/** One price component. */
export type Component = (typeof COMPONENTS)[number];

/** The outcomes a policy's `bills` answers for, besides `rejected`. */
export const BILLED_OUTCOMES = ["succeeded", "failed", "canceled", "timed_out"] as const;

/** One outcome key of `bills`. */
export type BilledOutcome = (typeof BILLED_OUTCOMES)[number];

/** What one outcome is charged: a list of components, or `unknown` where no source says. */
export type BillAnswer = readonly Component[] | "unknown";

/** Prices for the models one glob matches. */
export interface Price {
  readonly per_job?: Decimal;
  readonly per_second?: Decimal;
  readonly per_unit?: Readonly<Record<string, Decimal>>;
  readonly per_request?: Decimal;
  /** The longest a job may run: the high figure for attempts whose outcome never became known. */
  readonly max_run_seconds?: Decimal;
}

/** One `prices` entry, in file order. */
export interface PriceRule {
  readonly pattern: string;
  readonly price: Price;
}

/** Where one answer comes from (issue-level evidence for the checklist). */
export interface Evidence {
  readonly source: string;
  readonly checked?: string;
  readonly quote?: string;
}

/** A billing policy for one provider (spec §3), checked and ready to price with. */
export interface Policy {
  readonly provider: string;
  readonly currency: string;
  readonly checked?: string;
  readonly sources: readonly string[];
  readonly prices: readonly PriceRule[];
  readonly bills: {
    readonly succeeded: BillAnswer;
    readonly failed: BillAnswer;
    readonly canceled: BillAnswer;
    readonly timed_out: BillAnswer;
    /** By failure type; `*` answers for types not listed. */
    readonly rejected: Readonly<Partial<Record<FailureType | "*", BillAnswer>>>;
    /**
     * Failed jobs whose answer depends on the failure type (a moderation refusal free, a
     * server error unknown); `failed` answers for the types not listed here.
     */
    readonly failed_by_type?: Readonly<Partial<Record<FailureType, BillAnswer>>>;
  };
  /** True: each status request costs `per_request`. */
  readonly polls: boolean | "unknown";
  readonly min_poll_seconds?: number;
  /** Does the provider retry failed requests itself at no charge, or document a free retry? */
  readonly free_retries?: boolean | "unknown";
  /** The retry backoff the provider advises, in a few words, or `unknown`. */
  readonly backoff?: string;
  /** True: no source gives (all) this provider's prices; the rest must come from the user. */
  readonly prices_from_user?: boolean;
  /** Per-answer sources, keyed by the answer's path (`bills.failed`, `polls`, …). */
  readonly evidence?: Readonly<Record<string, Evidence>>;
  /** Free text shown with the policy. */
  readonly notes?: string;
  /** The file the policy was read from, for messages. */
  readonly origin?: string;
}
