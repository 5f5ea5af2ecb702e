import { failureTypeOfStatus, formatDecimal, parseTimestamp, type FailureType, type Outcome, type Units } from "../../core/index.js";
import { decimalTextOf, hashInput, isObject, isoTimeOf, matchTable, presentFields, shortText, textOf, type JsonObject } from "../object-fields.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";

/** Replicate's prediction statuses and what each means for failcost. */
const STATUS: Readonly<Record<string, { outcome?: Outcome; running?: true; error?: FailureType }>> = {
  starting: { running: true },
  processing: { running: true },
  succeeded: { outcome: "succeeded" },
  failed: { outcome: "failed" },
  canceled: { outcome: "canceled" },
  // "exceeded its deadline before it could start running": the caller's deadline, never run.
  aborted: { outcome: "timed_out", error: "timeout" },
};

/** `metrics` keys that failcost reads; any other metric is reported as not mapped. */
const METRIC_UNITS: Readonly<Record<string, string>> = {
  image_count: "image",
  input_token_count: "input_token",
  output_token_count: "output_token",
};

/**
 * Documented fields that bear on cost but have no place in failcost's events: `total_time`
 * includes queue and setup time (billed on private models), and a `deployment` is billed for
 * its instances' whole online time, not per prediction.
 */
const UNMAPPED = ["metrics.total_time", "deployment"] as const;

/** What a failed prediction's `error` text says, most specific first. */
const ERROR_TEXT: readonly (readonly [RegExp, FailureType])[] = [
  [/throttl|rate limit/i, "rate_limit"],
  [/nsfw|safety|content polic|flagged|moderat/i, "invalid_input"],
  [/timed? ?out|deadline/i, "timeout"],
  [/out of memory|cuda|oom\b/i, "other"],
  [/invalid|not a valid|must be|is required|validation|unsupported|too (large|long|big)/i, "invalid_input"],
];

/** What an HTTP error body's `detail`/`title` says: it can refine the status (spec §2). */
const DETAIL_TEXT: readonly (readonly [RegExp, FailureType])[] = [
  [/throttl|rate limit/i, "rate_limit"],
  [/spend limit|credit|billing|payment/i, "auth"],
  [/unauthenticated|authentication|invalid token|permission/i, "auth"],
];

/** The failure type a failed prediction's `error` text names (`other` where it names none). */
export function classifyReplicateErrorText(text: string | undefined): FailureType {
  return matchTable(text, ERROR_TEXT) ?? "other";
}

function errorTextOf(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (isObject(v)) return textOf(v.detail) ?? textOf(v.message) ?? textOf(v.title);
  return undefined;
}

function unitsOf(metrics: JsonObject): Units | undefined {
  const units: Record<string, string> = {};
  for (const [key, unit] of Object.entries(METRIC_UNITS)) {
    const q = decimalTextOf(metrics[key]);
    if (q !== undefined) units[unit] = q;
  }
  return Object.keys(units).length > 0 ? units : undefined;
}

/** Exact seconds from one ISO time to a later one, as decimal text; undefined if either is missing or they run backwards. */
function secondsBetween(from: string | undefined, to: string | undefined): string | undefined {
  if (from === undefined || to === undefined) return undefined;
  const a = parseTimestamp(from);
  const b = parseTimestamp(to);
  if (typeof a === "string" || typeof b === "string" || b.micros < a.micros) return undefined;
  return formatDecimal({ units: BigInt(b.micros - a.micros), scale: 6 });
}

function readPrediction(obj: unknown): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const id = textOf(obj.id);
  const status = textOf(obj.status);
  if (id === undefined || status === undefined) {
    if (errorTextOf(obj.detail) !== undefined) return "an error response (detail), not a prediction: read it with its HTTP status";
    return "not a Replicate prediction (no 'id' and 'status')";
  }
  const meaning = STATUS[status];
  if (!meaning) return `unknown prediction status '${status}'`;
  const metrics = isObject(obj.metrics) ? obj.metrics : {};
  const unmapped: string[] = presentFields(obj, UNMAPPED);
  for (const k of Object.keys(metrics)) if (k !== "predict_time" && !(k in METRIC_UNITS) && k !== "total_time") unmapped.push(`metrics.${k}`);
  const errorText = errorTextOf(obj.error);
  const error = meaning.error ?? (meaning.outcome === "failed" ? classifyReplicateErrorText(errorText) : undefined);
  const units = meaning.outcome === "succeeded" ? unitsOf(metrics) : undefined;
  const model = textOf(obj.model) ?? textOf(obj.version);
  const createdAt = isoTimeOf(obj.created_at);
  const startedAt = isoTimeOf(obj.started_at);
  const completedAt = isoTimeOf(obj.completed_at);
  const runSeconds = decimalTextOf(metrics.predict_time);
  // A prediction that ran is billed for the time it ran ("Canceled (started running): you pay for
  // the time the prediction ran"): without `predict_time`, that is started_at to completed_at.
  const timedRunSeconds = runSeconds === undefined && meaning.outcome !== undefined && meaning.outcome !== "timed_out" ? secondsBetween(startedAt, completedAt) : undefined;
  const inputHash = obj.data_removed === true ? undefined : hashInput(obj.input);
  const errorDetail = shortText(errorText);
  return {
    requestId: id,
    ...(model !== undefined ? { model } : {}),
    ...(meaning.outcome !== undefined ? { outcome: meaning.outcome } : {}),
    ...(meaning.running ? { running: true } : {}),
    ...(runSeconds !== undefined ? { runSeconds } : {}),
    ...(timedRunSeconds !== undefined ? { timedRunSeconds } : {}),
    ...(units !== undefined ? { units } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(errorDetail !== undefined ? { errorDetail } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(completedAt !== undefined ? { completedAt } : {}),
    ...(unmapped.length > 0 ? { unmapped } : {}),
    ...(inputHash !== undefined ? { inputHash } : {}),
    ...(textOf(obj.webhook) !== undefined ? { webhook: true } : {}),
  };
}

/**
 * The failure type of a Replicate HTTP error. Bodies are `{"detail": "…"}` (a 429:
 * "Request was throttled. Your rate limit resets in ~30s.") or problem JSON with `title`,
 * `detail` and `status`; the text refines the status where it names a throttle or billing.
 */
function classifyError(status: number, body: unknown): FailureType {
  const text = isObject(body) ? [textOf(body.title), errorTextOf(body.detail)].filter(Boolean).join(": ") : typeof body === "string" ? body : undefined;
  return matchTable(text || undefined, DETAIL_TEXT) ?? failureTypeOfStatus(status) ?? "other";
}

/** Replicate predictions (list items, a GET, webhook bodies) and error responses. */
export const replicateFormat: ProviderFormat = {
  provider: "replicate",
  readJobObject: readPrediction,
  classifyError,
};
