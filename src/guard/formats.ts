// TEMPORARY: a minimal body reader until the providers' formats (issue 4) land on main; then
// this file becomes a re-export of providerFormat from ../providers/index.js.
import { failureTypeOfStatus, type FailureType, type Outcome } from "../core/index.js";
import type { JobObjectFacts } from "../providers/types.js";
import { isJson, text } from "./shapes/json.js";

type Headers = Readonly<Record<string, string>>;

/** The providers' body format as the guard calls it (response headers included, as issue 4 adds). */
export interface ProviderFormat {
  readonly provider: string;
  readJobObject(obj: unknown, headers?: Headers): JobObjectFacts | string;
  classifyError(status: number, body: unknown, headers?: Headers): FailureType;
}

const REPLICATE_OUTCOMES: Readonly<Record<string, Outcome>> = { succeeded: "succeeded", failed: "failed", canceled: "canceled", aborted: "canceled" };

const replicate: ProviderFormat = {
  provider: "replicate",
  readJobObject(obj) {
    if (!isJson(obj) || !text(obj.id)) return "not a prediction";
    const status = text(obj.status) ?? "";
    const outcome = REPLICATE_OUTCOMES[status];
    const metrics = isJson(obj.metrics) ? obj.metrics : {};
    const run = typeof metrics.predict_time === "number" ? String(metrics.predict_time) : undefined;
    const out = Array.isArray(obj.output) ? obj.output.length : undefined;
    return {
      requestId: text(obj.id)!,
      ...(outcome ? { outcome } : { running: true }),
      ...(run !== undefined ? { runSeconds: run } : {}),
      ...(outcome === "succeeded" && out ? { units: { image: out } } : {}),
      ...(outcome === "failed" ? { error: "other" as FailureType } : {}),
    };
  },
  classifyError: (status) => failureTypeOfStatus(status) ?? "other",
};

const fal: ProviderFormat = {
  provider: "fal",
  readJobObject(obj, headers?: Headers) {
    if (!isJson(obj)) return "not an object";
    const status = text(obj.status);
    if (status === "IN_QUEUE" || status === "IN_PROGRESS") return { requestId: text(obj.request_id) ?? "", running: true };
    if (status === "COMPLETED") return { running: false };
    if (status === "OK") return { requestId: text(obj.request_id) ?? "", outcome: "succeeded" };
    if (status === "ERROR") return { requestId: text(obj.request_id) ?? "", outcome: "failed", error: "other" };
    const id = headers?.["x-fal-request-id"];
    if (id && obj.detail === undefined) return { requestId: id, outcome: "succeeded", ...(Array.isArray(obj.images) ? { units: { image: obj.images.length } } : {}) };
    return "not a fal object";
  },
  classifyError: (status, body) => (status === 422 || (isJson(body) && Array.isArray(body.detail)) ? "invalid_input" : (failureTypeOfStatus(status) ?? "other")),
};

const openai: ProviderFormat = {
  provider: "openai",
  readJobObject(obj, headers?: Headers): JobObjectFacts | string {
    if (!isJson(obj)) return "not an object";
    if (obj.object === "video") {
      const status = text(obj.status);
      const requestId = text(obj.id)!;
      if (status === "completed") return { requestId, outcome: "succeeded", ...(typeof obj.seconds === "string" || typeof obj.seconds === "number" ? { units: { video_second: obj.seconds } } : {}) };
      if (status === "failed") return { requestId, outcome: "failed", error: "other" };
      return { requestId, running: true };
    }
    if (Array.isArray(obj.data)) return { requestId: headers?.["x-request-id"] ?? "", outcome: "succeeded", units: { image: obj.data.length } };
    return { requestId: headers?.["x-request-id"] ?? "", outcome: "succeeded" };
  },
  classifyError(status, body) {
    const code = isJson(body) && isJson(body.error) ? text(body.error.code) : undefined;
    if (code === "moderation_blocked" || code === "content_policy_violation") return "invalid_input";
    return failureTypeOfStatus(status) ?? "other";
  },
};

const FORMATS: Readonly<Record<string, ProviderFormat>> = { replicate, fal, openai };

/** The body format of a provider, or undefined where failcost has none (Runway for now). */
export function formatFor(provider: string): ProviderFormat | undefined {
  return Object.hasOwn(FORMATS, provider) ? FORMATS[provider] : undefined;
}
