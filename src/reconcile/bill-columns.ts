import { FileError, UsageError } from "../errors.js";
import { BILL_FIELDS, type BillField } from "./bill.js";

/** Column names each field is found under when `--map` does not name one (compared loosely). */
const ALIASES: Readonly<Record<BillField, readonly string[]>> = {
  id: ["request_id", "requestid", "x_requestid", "prediction_id", "generation_id", "task_id", "job_id", "id", "request", "prediction"],
  amount: ["amount", "cost", "billed_cost", "charge", "total_cost", "total", "price", "usd"],
  currency: ["currency", "billing_currency", "currency_code"],
  time: ["ts", "time", "timestamp", "created_at", "created", "date", "usage_date", "start_time", "started_at"],
  provider: ["provider", "service_provider_name", "provider_name"],
  model: ["model", "x_model", "model_name"],
  job: ["job", "x_job"],
  attempt: ["attempt", "x_attempt"],
};

/** What FOCUS columns give each field (a FOCUS bill is known by BilledCost and ChargePeriodStart). */
const FOCUS_COLUMNS: Readonly<Record<BillField, readonly string[]>> = {
  id: ["x_RequestId", "ResourceId"],
  amount: ["BilledCost"],
  currency: ["BillingCurrency"],
  time: ["ChargePeriodStart"],
  provider: ["ServiceProviderName", "ProviderName"],
  model: ["x_Model"],
  job: ["x_Job"],
  attempt: ["x_Attempt"],
};

/** Which column gives each field, and what else the bill has. */
export interface ColumnPlan {
  readonly columns: Readonly<Partial<Record<BillField, string>>>;
  readonly focus: boolean;
  /** FOCUS only: the end of the charge period. */
  readonly endColumn?: string;
  /** FOCUS only: where a row's `x_RequestId` is empty, its `ResourceId` names the request. */
  readonly idFallbackColumn?: string;
  readonly ignored: readonly string[];
}

/** Reads `--map id=prediction_id,amount=cost` (repeatable) into field → column. */
export function parseColumnMap(values: readonly string[] | undefined): Partial<Record<BillField, string>> {
  const map: Partial<Record<BillField, string>> = {};
  for (const v of values ?? []) {
    for (const pair of v.split(",")) {
      if (pair.trim() === "") continue;
      const eq = pair.indexOf("=");
      const field = pair.slice(0, eq).trim();
      const column = pair.slice(eq + 1).trim();
      if (eq < 0 || column === "") throw new UsageError(`--map ${JSON.stringify(pair)}: expected FIELD=COLUMN, e.g. --map id=prediction_id,amount=cost`);
      if (!(BILL_FIELDS as readonly string[]).includes(field)) throw new UsageError(`--map ${JSON.stringify(pair)}: unknown field '${field}' (fields: ${BILL_FIELDS.join(", ")})`);
      map[field as BillField] = column;
    }
  }
  return map;
}

const loose = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Decides which column gives each field: `--map` first (a named column must exist), then
 * FOCUS's columns, then common names. The request id and the amount are required: a bill
 * without them is refused with its columns listed and how to name them.
 */
export function planColumns(header: readonly string[], map: Partial<Record<BillField, string>>, file: string): ColumnPlan {
  const present = new Set(header);
  for (const [field, column] of Object.entries(map)) {
    if (!present.has(column)) throw new FileError(`${file}: --map ${field}=${column}: the bill has no column '${column}' (its columns: ${header.join(", ")})`, file);
  }
  const focus = present.has("BilledCost") && present.has("ChargePeriodStart");
  const byLoose = new Map<string, string>();
  for (const h of header) if (!byLoose.has(loose(h))) byLoose.set(loose(h), h);
  const columns: Partial<Record<BillField, string>> = {};
  for (const field of BILL_FIELDS) {
    const mapped = map[field];
    if (mapped !== undefined) {
      columns[field] = mapped;
      continue;
    }
    const names = focus ? FOCUS_COLUMNS[field] : ALIASES[field];
    const found = focus ? names.find((n) => present.has(n)) : names.map((n) => byLoose.get(loose(n))).find((c) => c !== undefined);
    if (found !== undefined && !Object.values(columns).includes(found)) columns[field] = found;
  }
  // A request id is needed, unless the bill names the job and attempt instead.
  const byAttempt = columns.job !== undefined && columns.attempt !== undefined;
  const missing = (["id", "amount"] as const).filter((f) => columns[f] === undefined && !(f === "id" && byAttempt));
  if (missing.length > 0) {
    const what = missing.map((f) => (f === "id" ? "the request id" : "the amount")).join(" and ");
    const hint = missing.map((f) => `${f}=COLUMN`).join(",");
    throw new FileError(`${file}: cannot tell which column holds ${what}; the bill's columns are: ${header.join(", ") || "(none)"}. Name them with --map ${hint}`, file);
  }
  const endColumn = focus && present.has("ChargePeriodEnd") ? "ChargePeriodEnd" : undefined;
  const idFallbackColumn = focus && map.id === undefined && columns.id === "x_RequestId" && present.has("ResourceId") ? "ResourceId" : undefined;
  const used = new Set<string>([...Object.values(columns), ...(endColumn ? [endColumn] : []), ...(idFallbackColumn ? [idFallbackColumn] : [])]);
  return { columns, focus, ...(endColumn ? { endColumn } : {}), ...(idFallbackColumn ? { idFallbackColumn } : {}), ignored: focus ? [] : header.filter((h) => !used.has(h)) };
}
