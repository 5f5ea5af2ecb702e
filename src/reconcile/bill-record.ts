import { decimalFromNumber, parseDecimal, parseTimestamp, type Decimal } from "../core/index.js";
import type { BillField, BillProblem, BillRow, RowOrigin } from "./bill.js";
import type { ColumnPlan } from "./bill-columns.js";

/** Reads one cell of a row by column name (a CSV string, or a JSON value). */
export type CellReader = (column: string) => unknown;

const CURRENCY = /^[A-Z]{3}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v)).trim();
  return s === "" ? undefined : s;
}

function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

/** Reads a time: ISO 8601 with a zone, a date (midnight UTC), or a date-time without zone (read as UTC, with a note). */
function readTime(s: string): { micros: number; noZone: boolean } | string {
  const t = DATE_ONLY.test(s) ? `${s}T00:00:00Z` : s;
  const at = parseTimestamp(t);
  if (typeof at !== "string") return { micros: at.micros, noZone: false };
  if (at === "has no time zone (add Z or an offset)") {
    const utc = parseTimestamp(`${t}Z`);
    if (typeof utc !== "string") return { micros: utc.micros, noZone: true };
  }
  return at;
}

/** What the reader needs besides the cells: the plan, and the currency of bills with no currency column. */
export interface RecordContext {
  readonly plan: ColumnPlan;
  readonly currency: string | undefined;
}

/**
 * Checks one bill row: the amount must be a plain decimal (negative for credits and refunds),
 * the currency an ISO 4217 code, the time a date or date-time. A row that fails is a `bad_row`
 * problem naming its line and column; notes say what was read generously.
 */
export function readBillRecord(cell: CellReader, origin: RowOrigin, ctx: RecordContext): { row?: BillRow; problems: BillProblem[]; badRowId?: string } {
  const problems: BillProblem[] = [];
  const col = (f: BillField): string | undefined => ctx.plan.columns[f];
  const get = (f: BillField): string | undefined => {
    const c = col(f);
    return c === undefined ? undefined : text(cell(c));
  };
  const bad = (field: BillField, why: string): void => {
    problems.push({ origin, column: col(field) ?? field, why: `${col(field) ?? field} (${field}): ${why}`, kind: "bad_row" });
  };

  let amount: Decimal | undefined;
  const rawAmount = cell(col("amount")!);
  const amountText = text(rawAmount);
  if (amountText === undefined) bad("amount", "is empty");
  else {
    amount = typeof rawAmount === "number" ? decimalFromNumber(rawAmount) : parseDecimal(amountText);
    if (!amount) {
      bad("amount", `${show(amountText)} is not a plain decimal number (write 0.0123, no currency sign or thousands separator)`);
    }
  }

  const currencyText = get("currency");
  let currency = currencyText?.toUpperCase();
  if (currency === undefined) {
    if (col("currency") !== undefined) bad("currency", "is empty");
    else currency = ctx.currency;
  } else if (!CURRENCY.test(currency)) {
    bad("currency", `${show(currencyText!)} is not an ISO 4217 code such as USD`);
    currency = undefined;
  }

  let micros: number | undefined;
  let endMicros: number | undefined;
  const timeText = get("time");
  if (timeText !== undefined) {
    const t = readTime(timeText);
    if (typeof t === "string") bad("time", `${show(timeText)} ${t.startsWith("not") ? `is ${t}` : t}`);
    else {
      micros = t.micros;
      if (t.noZone) problems.push({ origin, column: col("time")!, why: `${col("time")} (time): ${show(timeText)} has no time zone; read as UTC`, kind: "note" });
    }
  }
  if (ctx.plan.endColumn !== undefined) {
    const endText = text(cell(ctx.plan.endColumn));
    const t = endText === undefined ? undefined : readTime(endText);
    if (typeof t === "object") endMicros = t.micros;
  }

  let attempt: number | undefined;
  const attemptText = get("attempt");
  if (attemptText !== undefined) {
    attempt = Number(attemptText);
    if (!Number.isInteger(attempt) || attempt < 1) {
      bad("attempt", `${show(attemptText)} is not an attempt number (1, 2, …)`);
      attempt = undefined;
    }
  }
  const job = get("job");
  const fallback = ctx.plan.idFallbackColumn;
  const requestId = get("id") ?? (fallback !== undefined ? text(cell(fallback)) : undefined);
  if (requestId === undefined && (job === undefined || attempt === undefined)) {
    const c = col("id") ?? "id";
    problems.push({ origin, column: c, why: `${c} (id): no request id; the charge cannot be matched to an attempt`, kind: "note" });
  }

  if (problems.some((p) => p.kind === "bad_row") || amount === undefined) return { problems, ...(requestId !== undefined ? { badRowId: requestId } : {}) };
  return {
    row: { origin, requestId, amount, currency, micros, endMicros, provider: get("provider"), model: get("model"), job, attempt },
    problems,
  };
}
