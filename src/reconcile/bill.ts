import type { Decimal } from "../core/index.js";

/** The fields failcost reads from a bill; `--map field=column` names the column of each. */
export const BILL_FIELDS = ["id", "amount", "currency", "time", "provider", "model", "job", "attempt"] as const;

/** One field of a bill row. */
export type BillField = (typeof BILL_FIELDS)[number];

/** Where a row sits in its file: a line (CSV, JSON Lines) or an item number (a JSON array). */
export interface RowOrigin {
  readonly file: string;
  readonly line: number;
  readonly unit: "line" | "item";
}

/** One charge line of a bill, checked. */
export interface BillRow {
  readonly origin: RowOrigin;
  /** The provider's request id (prediction id, request id…); undefined where the row has none. */
  readonly requestId: string | undefined;
  /** Exact; negative for credits and refunds. */
  readonly amount: Decimal;
  /** ISO 4217; undefined where the bill has no currency column (read as the report's currency). */
  readonly currency: string | undefined;
  /** The charge's time (µs since the epoch), where the bill gives one. */
  readonly micros: number | undefined;
  /** The end of the charge period (FOCUS `ChargePeriodEnd`), where given. */
  readonly endMicros: number | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  /** The job and attempt, where the bill names them (failcost's own FOCUS export does): they match a row without a request id. */
  readonly job: string | undefined;
  readonly attempt: number | undefined;
}

/** What is wrong or worth saying about one row, naming its file, line and field. */
export interface BillProblem {
  readonly origin: RowOrigin;
  /** The bill's column the problem is in, where it is about one. */
  readonly column?: string;
  readonly why: string;
  /** `bad_row`: not read (reconciliation incomplete); `duplicate_row`: counted once; `note`: read, with a remark. */
  readonly kind: "bad_row" | "duplicate_row" | "note";
}

/** A bill as read: its rows, the problems, and which column gave which field. */
export interface Bill {
  readonly file: string;
  readonly format: "csv" | "focus" | "json" | "jsonl";
  readonly rows: readonly BillRow[];
  readonly problems: readonly BillProblem[];
  /** The column each field was read from. */
  readonly columns: Readonly<Partial<Record<BillField, string>>>;
  /** Columns present in the bill that failcost does not read (listed, never silently dropped). */
  readonly ignoredColumns: readonly string[];
  /** How many rows the file had (good, bad and duplicates). */
  readonly rowCount: number;
  /** Request ids of bad rows, where readable: on the bill, though unread, so never `missing`. */
  readonly badRowIds?: readonly string[];
}

/** Where a row is, as people read it: `bill.csv:7` or `bill.json item 3`. */
export function describeOrigin(o: RowOrigin): string {
  return o.unit === "line" ? `${o.file}:${o.line}` : `${o.file} item ${o.line}`;
}
