import type { MoneyText } from "../core/index.js";

/** The classes a charge or an attempt falls into when a bill meets the ledger. */
export const RECONCILE_CLASSES = ["matched", "mismatch", "failed", "duplicate", "unknown", "missing"] as const;

/** One class: matched, amount mismatch, charged for a failed attempt, charged for a duplicate, unknown to the ledger, missing from the bill. */
export type ReconcileClass = (typeof RECONCILE_CLASSES)[number];

/** One request id (or one attempt the bill left out), as reconciled. */
export interface ReconcileItem {
  readonly class: ReconcileClass;
  readonly request_id: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  readonly job: string | null;
  readonly attempt: number | null;
  /** How the attempt ended (`failed`, `succeeded`…), or null when the ledger never saw it. */
  readonly outcome: string | null;
  /** The waste cause of an attempt that was not used. */
  readonly cause: string | null;
  /** The bill's net amount for this request id (0 for `missing`). */
  readonly billed: MoneyText;
  /** The policy's estimate, low and high (equal unless an answer is `unknown`); null when unpriced or unknown to the ledger. */
  readonly estimate_low: MoneyText | null;
  readonly estimate_high: MoneyText | null;
  /** What the ledger already had charged for the attempt (an earlier bill), shown beside; the comparison is always with the estimate. */
  readonly ledger_charge: MoneyText | null;
  /** billed − the nearer end of the estimate (0 inside it). */
  readonly difference: MoneyText;
  /** True when the difference is within the tolerance. */
  readonly agrees: boolean;
  /** Where the bill has it: `bill.csv:7`, …; empty for `missing`. */
  readonly rows: readonly string[];
}

/** A class's count and money. */
export interface ClassTotals {
  readonly count: number;
  readonly billed: MoneyText;
  readonly estimate_low: MoneyText;
  readonly estimate_high: MoneyText;
  /** Σ |difference| of its items outside the tolerance. */
  readonly unexplained: MoneyText;
}

/** A problem with the bill, naming file, line and column. */
export interface ReconcileProblem {
  readonly file?: string;
  readonly line?: number;
  readonly column?: string;
  readonly kind: "bad_row" | "duplicate_row" | "note" | "ledger";
  readonly why: string;
}

/** The whole reconciliation (`reconcile --json`). */
export interface ReconcileResult {
  readonly currency: string;
  readonly bill: {
    readonly file: string;
    readonly format: string;
    readonly rows: number;
    readonly columns: Readonly<Record<string, string>>;
    readonly ignored_columns: readonly string[];
  };
  /** The span whose attempts the bill should cover (for `missing`), ISO 8601. */
  readonly period: { readonly start: string | null; readonly end: string | null };
  /** Providers whose attempts the bill should cover. */
  readonly providers: readonly string[];
  readonly tolerance: string;
  readonly totals: {
    readonly bill: MoneyText;
    /** The ledger's estimate for what the bill covers (matched attempts and missing ones), low and high. */
    readonly estimate_low: MoneyText;
    readonly estimate_high: MoneyText;
    /** bill − estimate (low), signed. */
    readonly net_difference: MoneyText;
    /** Σ |difference| of every item outside the tolerance: what `--fail-over` checks. */
    readonly unexplained: MoneyText;
  };
  readonly classes: Readonly<Record<ReconcileClass, ClassTotals>>;
  /** Rows in another currency than the ledger's: not reconciled, by currency. */
  readonly other_currency: { readonly count: number; readonly amounts: Readonly<Record<string, MoneyText>> };
  /** Rows with a negative amount (credits, refunds), netted into their request id. */
  readonly credits: { readonly count: number; readonly amount: MoneyText };
  /** Attempts the policy could not price (`unknown`) that the bill did not charge. */
  readonly unknown_not_billed: number;
  readonly items: readonly ReconcileItem[];
  readonly problems: readonly ReconcileProblem[];
  /** Bad rows: the reconciliation is incomplete and nothing is written back. */
  readonly bad_rows: number;
  readonly duplicate_rows: number;
}
