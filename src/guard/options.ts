import type { Ledger, Policy } from "../core/index.js";
import type { Clock } from "./clock.js";
import type { EventSink } from "./recorder.js";
import type { RetryBudgetOptions } from "./retry-budget.js";
import type { RetryPolicy } from "./retry-policy.js";

/** Something the guard noticed that the caller may want to log (never a prompt or a key). */
export type GuardNotice =
  | { readonly kind: "duplicate_input"; readonly job: string; readonly otherJob: string; readonly inputHash: string }
  | { readonly kind: "unpriced"; readonly provider: string; readonly model: string; readonly why: string }
  | { readonly kind: "webhook_unmatched"; readonly provider: string; readonly requestId: string }
  | { readonly kind: "record_error"; readonly message: string }
  | { readonly kind: "cancel_failed"; readonly provider: string; readonly requestId: string; readonly message: string }
  | { readonly kind: "ledger_upgrade"; readonly from: number; readonly to: number };

/** Spending limits, exact decimal text in the policies' currency (`"50.00"`). */
export interface BudgetOptions {
  readonly perJob?: string;
  readonly perDay?: string;
  readonly perMonth?: string;
  /**
   * What to do with a model no policy prices while a budget is set: `refuse` (default: a budget
   * that cannot be checked does not hold) or `allow` (send it, with an `unpriced` notice).
   */
  readonly unpriced?: "refuse" | "allow";
  /** Count what the ledger already holds for this month against the budgets (default true). */
  readonly fromLedger?: boolean;
}

/** How `createGuard` is set up. Every field is optional. */
export interface GuardOptions {
  /**
   * Where events go: a Ledger, anything with its `append`, or a ledger target (a file path
   * for SQLite, `postgres://…`). Without one, events are kept only for `onEvent`.
   */
  readonly ledger?: Ledger | EventSink | string;
  /**
   * Billing policies: parsed ones (used as given), or files and folders to load over the shipped
   * ones (as the CLI's `--policies`). Default: the shipped policies, which carry no prices.
   */
  readonly policies?: readonly Policy[] | readonly string[];
  readonly budget?: BudgetOptions;
  /** `guard` (default) protects and records; `record` only records (no retries, refusals, cancels or waits). */
  readonly mode?: "guard" | "record";
  readonly retry?: Partial<RetryPolicy>;
  /** The per-provider retry budget (gRPC's retry throttling). */
  readonly retryBudget?: Partial<RetryBudgetOptions>;
  readonly duplicates?: {
    /** How long an identical input counts as a duplicate, in seconds (default 600, as the audit). */
    readonly windowSeconds?: number;
    /** `flag` (default): send it and tell `onNotice`; `refuse`: do not send it. */
    readonly action?: "flag" | "refuse";
  };
  /** A job's timeout in seconds (default 600); `guard.job` options can override it. */
  readonly timeoutSeconds?: number;
  readonly polling?: {
    /** The shortest gap between two status requests for one job, in seconds, where the policy sets none (default 1). */
    readonly minPollSeconds?: number;
    /** The longest gap the guard's own poller waits, in seconds (default 30). */
    readonly maxPollSeconds?: number;
    /** How long an orphan is tracked after its job gave up on it, in seconds (default 3600). */
    readonly trackSeconds?: number;
  };
  /** More base URLs mapped to provider shapes (`{"http://127.0.0.1:8080/replicate/v1": "replicate"}`). */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Idempotency headers to send per provider, where a provider or proxy supports one. */
  readonly idempotencyHeaders?: Readonly<Record<string, string>>;
  /** Store create inputs in clear on `submitted` events (`input`). Off by default: only a hash is kept. */
  readonly recordInputs?: boolean;
  /** The fetch the guard sends with (default globalThis.fetch). */
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Randomness in [0, 1) for backoff jitter (default Math.random). */
  readonly random?: () => number;
  readonly onNotice?: (notice: GuardNotice) => void;
  /** Sees every event as it is recorded. */
  readonly onEvent?: (event: import("../core/index.js").AttemptEvent) => void;
  /** Recorder batching: most events per append (default 500) and longest wait in ms (default 25). */
  readonly batch?: { readonly size?: number; readonly flushMs?: number };
}
