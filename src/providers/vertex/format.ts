import { failureTypeOfStatus, type FailureType } from "../../core/index.js";
import { isObject, presentFields, shortText, textOf } from "../object-fields.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";

/** google.rpc canonical codes, by name and number, and what each means for failcost. */
const RPC: Readonly<Record<string, FailureType>> = {
  INVALID_ARGUMENT: "invalid_input",
  FAILED_PRECONDITION: "invalid_input",
  OUT_OF_RANGE: "invalid_input",
  NOT_FOUND: "invalid_input",
  DEADLINE_EXCEEDED: "timeout",
  RESOURCE_EXHAUSTED: "rate_limit",
  UNAVAILABLE: "unavailable",
  PERMISSION_DENIED: "auth",
  UNAUTHENTICATED: "auth",
  CANCELLED: "other",
  INTERNAL: "other",
  UNKNOWN: "other",
  ABORTED: "other",
  ALREADY_EXISTS: "other",
  UNIMPLEMENTED: "invalid_input",
  DATA_LOSS: "other",
};
const RPC_BY_NUMBER = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"];

/** The failure type of a google.rpc Status (`{code, message, status?}`), if its code is known. */
function rpcFailure(status: unknown): FailureType | undefined {
  if (!isObject(status)) return undefined;
  const name = textOf(status.status) ?? (typeof status.code === "number" ? RPC_BY_NUMBER[status.code] : undefined);
  return name !== undefined ? RPC[name] : undefined;
}

/**
 * The failure type of a Vertex AI HTTP error (`{"error": {code, message, status}}`): the
 * canonical status name first (RESOURCE_EXHAUSTED is a quota / rate limit), then the HTTP status.
 */
function classifyError(status: number, body: unknown): FailureType {
  return (isObject(body) ? rpcFailure(body.error) : undefined) ?? failureTypeOfStatus(status) ?? "other";
}

/**
 * Reads a Vertex AI long-running operation (Veo `predictLongRunning`, then
 * `fetchPredictOperation`): `{name, done, error | response}`.
 */
function readJobObject(obj: unknown): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const name = textOf(obj.name);
  if (name === undefined) return isObject(obj.error) ? "an error response ({error: …}), not an operation: read it with its HTTP status" : "not a Vertex AI operation (no 'name')";
  const model = /\/models\/([^/]+)\//.exec(name)?.[1];
  const base = { requestId: name, ...(model ? { model } : {}) };
  if (obj.done !== true) return { ...base, running: true };
  if (isObject(obj.error)) {
    const errorDetail = shortText(textOf(obj.error.message) ?? textOf(obj.error.status));
    return { ...base, outcome: "failed", error: rpcFailure(obj.error) ?? "other", ...(errorDetail ? { errorDetail } : {}) };
  }
  const response = isObject(obj.response) ? obj.response : {};
  const videos = Array.isArray(response.videos) ? response.videos : Array.isArray(response.generatedSamples) ? response.generatedSamples : undefined;
  const filtered = typeof response.raiMediaFilteredCount === "number" ? response.raiMediaFilteredCount : 0;
  if ((videos === undefined || videos.length === 0) && filtered > 0) {
    // Every video was withheld by the safety filters: nothing delivered, the input's fault.
    const reasons = Array.isArray(response.raiMediaFilteredReasons) ? response.raiMediaFilteredReasons.filter((r) => typeof r === "string").join("; ") : undefined;
    const errorDetail = shortText(reasons || `${filtered} filtered`);
    return { ...base, kind: "video", outcome: "failed", error: "invalid_input", ...(errorDetail ? { errorDetail } : {}) };
  }
  const unmapped = presentFields(response, ["raiMediaFilteredCount", "raiMediaFilteredReasons"]).map((f) => `response.${f}`);
  return {
    ...base,
    kind: "video",
    outcome: "succeeded",
    ...(videos && videos.length > 0 ? { units: { video: videos.length } } : {}),
    ...(unmapped.length > 0 ? { unmapped } : {}),
  };
}

/** Google Vertex AI (Veo, Imagen) operations and error responses. */
export const vertexFormat: ProviderFormat = {
  provider: "vertex",
  readJobObject,
  classifyError,
};
