import { parseDecimal } from "./decimal.js";
import { EVENT_TYPES, KINDS, OUTCOMES, type FailcostEvent } from "./event.js";
import { FAILURE_TYPES, isFailureType } from "./failure-type.js";
import { parseTimestamp, type Instant } from "./timestamp.js";

/** A checked event and its parsed time. */
export interface ReadEvent {
  readonly event: FailcostEvent;
  readonly at: Instant;
}

/** Why a value is not an event: one sentence naming the field. */
export interface EventProblem {
  readonly why: string;
}

/** The result of checking one JSON value against spec §2. */
export type ReadEventResult = ReadEvent | EventProblem;

/** True when the result is a problem rather than an event. */
export function isEventProblem(r: ReadEventResult): r is EventProblem {
  return (r as EventProblem).why !== undefined;
}

const TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);
const KIND_SET: ReadonlySet<string> = new Set(KINDS);
const CURRENCY = /^[A-Z]{3}$/;

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? typeof v;
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function needString(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null) return `missing field '${k}'`;
  if (typeof v !== "string" || v === "") return `field '${k}' must be a non-empty string (got ${show(v)})`;
  return undefined;
}

function optString(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v === "") return `field '${k}' must be a non-empty string (got ${show(v)})`;
  return undefined;
}

function optBoolean(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null || typeof v === "boolean") return undefined;
  return `field '${k}' must be true or false (got ${show(v)})`;
}

function optHttpStatus(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 100 || v > 599) {
    return `field '${k}' must be an HTTP status code, 100-599 (got ${show(v)})`;
  }
  return undefined;
}

function optFailure(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null || isFailureType(v)) return undefined;
  return `unknown failure type ${show(v)} in '${k}' (expected one of ${FAILURE_TYPES.join(", ")})`;
}

function nonNegative(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0;
  if (typeof v === "string") {
    const d = parseDecimal(v);
    return d !== undefined && d.units >= 0n;
  }
  return false;
}

function optQuantity(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null || nonNegative(v)) return undefined;
  return `field '${k}' must be a number >= 0 (got ${show(v)})`;
}

function optUnits(v: unknown, k: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) return `field '${k}' must be an object of unit quantities, like {"image": 4} (got ${show(v)})`;
  // A for-in over own keys: no array of entries on the hot path (most events with units have one).
  for (const unit in v) {
    if (!Object.prototype.hasOwnProperty.call(v, unit)) continue;
    const q = (v as Obj)[unit];
    if (!nonNegative(q)) return `field '${k}.${unit}' must be a number >= 0 (got ${show(q)})`;
  }
  return undefined;
}

function checkAttemptFields(o: Obj): string | undefined {
  const a = o.attempt;
  if (a === undefined || a === null) return "missing field 'attempt'";
  if (typeof a !== "number" || !Number.isInteger(a) || a < 1) return `field 'attempt' must be an integer >= 1 (got ${show(a)})`;
  return needString(o.model, "model") ?? needString(o.job, "job") ?? optString(o.request_id, "request_id");
}

function checkTypeFields(o: Obj, type: string): string | undefined {
  switch (type) {
    case "submitted": {
      const kind = o.kind;
      if (kind !== undefined && kind !== null && !(typeof kind === "string" && KIND_SET.has(kind))) {
        return `field 'kind' must be one of ${KINDS.join(", ")} (got ${show(kind)})`;
      }
      return optString(o.input_hash, "input_hash") ?? optString(o.idempotency_key, "idempotency_key") ?? optUnits(o.units, "units") ?? optBoolean(o.webhook, "webhook");
    }
    case "rejected":
      if (!present(o.http_status) && !present(o.error)) return "a rejected event needs 'http_status' or 'error'";
      return optHttpStatus(o.http_status, "http_status") ?? optFailure(o.error, "error");
    case "polled":
      return optHttpStatus(o.http_status, "http_status");
    case "completed": {
      const outcome = o.outcome;
      if (outcome === undefined || outcome === null) return "missing field 'outcome'";
      if (typeof outcome !== "string" || !OUTCOME_SET.has(outcome)) {
        return `field 'outcome' must be one of ${OUTCOMES.join(", ")} (got ${show(outcome)})`;
      }
      return optQuantity(o.run_seconds, "run_seconds") ?? optUnits(o.units, "units") ?? optFailure(o.error, "error");
    }
    case "client_timeout":
      return optQuantity(o.waited_seconds, "waited_seconds");
    case "webhook_delivered":
    case "webhook_failed":
      return optBoolean(o.requeued, "requeued");
    case "output_rejected":
      return optFailure(o.error, "error");
    default:
      return undefined;
  }
}

function checkCharged(o: Obj): string | undefined {
  const bad = needString(o.request_id, "request_id") ?? needString(o.currency, "currency") ?? optString(o.model, "model") ?? optString(o.job, "job");
  if (bad) return bad;
  if (!CURRENCY.test(o.currency as string)) return `field 'currency' must be an ISO 4217 code like "USD" (got ${show(o.currency)})`;
  const amount = o.amount;
  if (amount === undefined || amount === null) return "missing field 'amount'";
  if (typeof amount !== "string") return `field 'amount' must be a decimal string such as "0.05", so it stays exact (got ${show(amount)})`;
  if (parseDecimal(amount) === undefined) return `field 'amount' is not a decimal number (got ${show(amount)})`;
  const a = o.attempt;
  if (a !== undefined && a !== null && (typeof a !== "number" || !Number.isInteger(a) || a < 1)) {
    return `field 'attempt' must be an integer >= 1 (got ${show(a)})`;
  }
  return undefined;
}

/**
 * Checks every field of spec §2 but `ts` (which the caller has read already): the type, the
 * provider, the attempt fields and the type's own fields. Returns why the value is not an event,
 * or undefined. Never throws.
 */
export function checkEventFields(o: Record<string, unknown>): string | undefined {
  const type = o.type;
  if (type === undefined || type === null) return "missing field 'type'";
  if (typeof type !== "string" || !TYPE_SET.has(type)) return `unknown event type ${show(type)}`;
  return needString(o.provider, "provider") ?? (type === "charged" ? checkCharged(o) : (checkAttemptFields(o) ?? checkTypeFields(o, type)));
}

/**
 * Checks one parsed JSON value against spec §2. Unknown extra fields are kept and ignored;
 * `null` counts as absent for optional fields. Never throws.
 */
export function readEvent(value: unknown): ReadEventResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { why: "not a JSON object" };
  const o = value as Obj;
  const type = o.type;
  if (type === undefined || type === null) return { why: "missing field 'type'" };
  if (typeof type !== "string" || !TYPE_SET.has(type)) return { why: `unknown event type ${show(type)}` };
  const ts = o.ts;
  if (ts === undefined || ts === null) return { why: "missing field 'ts'" };
  if (typeof ts !== "string") return { why: `field 'ts' must be an ISO 8601 string (got ${show(ts)})` };
  const at = parseTimestamp(ts);
  if (typeof at === "string") return { why: `field 'ts' ${at} (got ${show(ts)})` };
  const why = checkEventFields(o);
  if (why !== undefined) return { why };
  return { event: o as unknown as FailcostEvent, at };
}
