import { failureTypeOfStatus, type FailureType, type Units } from "../../core/index.js";
import { decimalTextOf, headerOf, isObject, matchTable, presentFields, shortText, textOf, type JsonObject } from "../object-fields.js";
import type { Headers, JobObjectFacts, ProviderFormat } from "../types.js";

/**
 * fal's request error types (`error_type` in the body, `X-Fal-Error-Type` header), from its
 * "Request Error Types" reference, and what each means for failcost.
 */
const REQUEST_ERROR_TYPES: Readonly<Record<string, FailureType>> = {
  request_timeout: "timeout",
  startup_timeout: "timeout",
  runner_scheduling_failure: "unavailable",
  runner_connection_timeout: "unavailable",
  runner_disconnected: "unavailable",
  runner_connection_refused: "unavailable",
  runner_connection_error: "unavailable",
  runner_incomplete_response: "unavailable",
  runner_server_error: "other",
  // Imported as canceled requests (readErrorAsJob); "other" only where a caller asks for a type.
  client_disconnected: "other",
  client_cancelled: "other",
  bad_request: "invalid_input",
  internal_error: "other",
};

/**
 * fal's model error types (`detail[].type`): a content checker's refusal and validation errors
 * are the input's fault; the few server-side ones are named here, any other type is the input's.
 */
const MODEL_ERROR_TYPES: readonly (readonly [RegExp, FailureType])[] = [
  [/^internal_server_error$/, "other"],
  [/timeout/, "timeout"],
  [/^downstream_service_(error|unavailable)$/, "unavailable"],
  [/./, "invalid_input"],
];

/** Documented fields that bear on cost but do not map: fal's own retry of the request. */
const UNMAPPED = ["gateway_request_id"] as const;

/** The `detail[].type` values of a model error body. */
function detailTypes(body: unknown): string[] {
  if (!isObject(body) || !Array.isArray(body.detail)) return [];
  return body.detail.flatMap((d) => (isObject(d) && typeof d.type === "string" ? [d.type] : []));
}

/** A request error's type: the body's `error_type`, else the `X-Fal-Error-Type` header. */
function requestErrorType(body: unknown, headers: Headers | undefined): string | undefined {
  return (isObject(body) ? textOf(body.error_type) : undefined) ?? headerOf(headers, "x-fal-error-type");
}

/**
 * The failure type of a fal HTTP error: a request error's `error_type` (or `X-Fal-Error-Type`)
 * first, then the model errors' `detail[].type`, then the status (spec §2). A 504 with
 * `X-Fal-Request-Timeout-Type: user` is the caller's own timeout.
 */
function classifyError(status: number, body: unknown, headers?: Headers): FailureType {
  const requestType = requestErrorType(body, headers);
  if (requestType !== undefined && REQUEST_ERROR_TYPES[requestType]) return REQUEST_ERROR_TYPES[requestType];
  const types = detailTypes(body);
  if (types.length > 0) {
    // Server-side types win over the input's: a retry could succeed.
    const found = types.map((t) => matchTable(t, MODEL_ERROR_TYPES)!);
    return found.find((f) => f !== "invalid_input") ?? "invalid_input";
  }
  return failureTypeOfStatus(status) ?? "other";
}

/** The HTTP status in a webhook's `error` text ("Invalid status code: 422"). */
function statusInText(text: string | undefined): number | undefined {
  const m = text ? /\b([45]\d\d)\b/.exec(text) : null;
  return m ? Number(m[1]) : undefined;
}

/** Units delivered, from `x-fal-billable-units` where known, else the images in the payload. */
function unitsOf(payload: unknown, headers: Headers | undefined): Units | undefined {
  const billable = decimalTextOf(headerOf(headers, "x-fal-billable-units"));
  if (billable !== undefined) return { billable_unit: billable };
  if (isObject(payload) && Array.isArray(payload.images) && payload.images.length > 0) return { image: payload.images.length };
  return undefined;
}

function readWebhook(obj: JsonObject, headers: Headers | undefined, requestId: string): JobObjectFacts {
  const ok = obj.status === "OK";
  const errorText = textOf(obj.error);
  const unmapped = presentFields(obj, [...UNMAPPED, "payload_error"]);
  const base = { requestId, ...(unmapped.length > 0 ? { unmapped } : {}) };
  if (ok) {
    const units = unitsOf(obj.payload, headers);
    return { ...base, outcome: "succeeded", ...(units ? { units } : {}) };
  }
  const error = classifyError(statusInText(errorText) ?? 500, obj.payload, headers);
  const errorDetail = shortText(errorText);
  return { ...base, outcome: "failed", error, ...(errorDetail ? { errorDetail } : {}) };
}

function readStatus(obj: JsonObject): JobObjectFacts {
  const status = obj.status as string;
  const requestId = textOf(obj.request_id);
  const runSeconds = isObject(obj.metrics) ? decimalTextOf(obj.metrics.inference_time) : undefined;
  const base = { ...(requestId ? { requestId } : {}), ...(runSeconds !== undefined ? { runSeconds } : {}) };
  if (status === "IN_QUEUE" || status === "IN_PROGRESS") return { ...base, running: true };
  // COMPLETED says the request ended, not how: an error surfaces only on the result fetch,
  // unless the status carries it.
  const errorText = textOf(obj.error);
  if (errorText !== undefined) {
    const error = classifyError(statusInText(errorText) ?? 500, obj, undefined);
    return { ...base, outcome: "failed", error, errorDetail: shortText(errorText)! };
  }
  return { ...base, running: false };
}

/** The model id in a queue URL (`https://queue.fal.run/fal-ai/flux/dev/requests/<id>/status`). */
function modelOfUrl(v: unknown): string | undefined {
  const url = textOf(v);
  const m = url ? /^https?:\/\/[^/]+\/(.+?)\/requests\/[^/]+/.exec(url) : null;
  return m?.[1];
}

/**
 * Reads a fal queue submit response, a status (`IN_QUEUE`, `IN_PROGRESS`, `COMPLETED`), a
 * webhook body (`status: OK | ERROR`), or a result body when the response headers name its
 * request (`x-fal-request-id`).
 */
function readJobObject(obj: unknown, headers?: Headers): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const status = textOf(obj.status);
  const model = modelOfUrl(obj.status_url) ?? modelOfUrl(obj.response_url);
  const withModel = (f: JobObjectFacts): JobObjectFacts => (model && !f.model ? { ...f, model } : f);
  // A webhook body names its request, or the delivery's headers do.
  const webhookId = textOf(obj.request_id) ?? headerOf(headers, "x-fal-request-id");
  if (webhookId !== undefined && (status === "OK" || status === "ERROR")) return withModel(readWebhook(obj, headers, webhookId));
  if (status === "OK" || status === "ERROR") return "a webhook body without 'request_id' (nor an x-fal-request-id header)";
  if (status === "IN_QUEUE" || status === "IN_PROGRESS" || status === "COMPLETED") return withModel(readStatus(obj));
  if (textOf(obj.request_id) !== undefined && status === undefined) return withModel({ requestId: textOf(obj.request_id)!, running: true });
  if (status !== undefined) return `unknown fal status '${status}'`;
  const requestId = headerOf(headers, "x-fal-request-id");
  if (requestId !== undefined && !Array.isArray(obj.detail) && obj.error_type === undefined) {
    const units = unitsOf(obj, headers);
    return { requestId, outcome: "succeeded", ...(units ? { units } : {}) };
  }
  if (obj.detail !== undefined || obj.error_type !== undefined) return "an error response (detail), not a request: read it with its HTTP status";
  return "not a fal queue response, status or webhook body (no 'request_id')";
}

/** Request error types that end a request the caller gave up on, not a refusal. */
const CALLER_ENDED = new Set(["client_cancelled", "client_disconnected"]);

/**
 * A `client_cancelled` or `client_disconnected` error (HTTP 499) ends a request that fal had
 * accepted: the caller cancelled it or went away. That is a canceled request, billed as fal
 * bills cancellations (no source says: unknown), not a refused one.
 */
function readErrorAsJob(_status: number, body: unknown, headers?: Headers): JobObjectFacts | undefined {
  const type = requestErrorType(body, headers);
  if (type === undefined || !CALLER_ENDED.has(type)) return undefined;
  const requestId = (isObject(body) ? textOf(body.request_id) : undefined) ?? headerOf(headers, "x-fal-request-id");
  return { ...(requestId ? { requestId } : {}), outcome: "canceled", errorDetail: type };
}

/** fal queue submit responses, statuses, webhook bodies and results, and error responses. */
export const falFormat: ProviderFormat = {
  provider: "fal",
  readJobObject,
  classifyError,
  readErrorAsJob,
};
