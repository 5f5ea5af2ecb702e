import { failureTypeOfStatus, type FailureType, type Outcome, type Units } from "../../core/index.js";
import { decimalTextOf, headerOf, isObject, matchTable, presentFields, shortText, textOf, unixTimeOf, type JsonObject } from "../object-fields.js";
import type { Headers, JobObjectFacts, ProviderFormat } from "../types.js";

/** Video job statuses (`Video.status` in the openai SDK). */
const VIDEO_STATUS: Readonly<Record<string, { outcome?: Outcome; running?: true }>> = {
  queued: { running: true },
  in_progress: { running: true },
  completed: { outcome: "succeeded" },
  failed: { outcome: "failed" },
};

/** Codes that name the content policy (a refused prompt or output). */
const CONTENT_POLICY = /moderation|content_policy|safety|sentinel/;

/**
 * OpenAI error codes and types, most specific first. Both `rate_limit_exceeded` and
 * `insufficient_quota` come as 429, but only the first passes with time: an exhausted quota
 * or a billing limit needs the account fixed, so it is `auth`, not `rate_limit`.
 */
const CODES: readonly (readonly [RegExp, FailureType])[] = [
  [/^(insufficient_quota|billing_hard_limit_reached|billing_not_active|access_terminated)$/, "auth"],
  [/^rate_limit_exceeded$|^(requests|tokens|images)$/, "rate_limit"],
  [/^(invalid_api_key|invalid_organization|unsupported_country_region_territory|model_not_found_or_no_access)$/, "auth"],
  [CONTENT_POLICY, "invalid_input"],
  [/timeout|timed_out/, "timeout"],
  [/^(engine_overloaded|service_unavailable|overloaded)/, "unavailable"],
  [/^invalid_request_error$|^invalid_|_invalid$|not_found|unsupported|too_(large|long)/, "invalid_input"],
  [/^authentication_error$|^permission_error$/, "auth"],
];

/** Documented fields that bear on cost but do not map to events. */
const VIDEO_UNMAPPED = ["size", "remixed_from_video_id"] as const;
const IMAGE_UNMAPPED = ["size", "quality", "background"] as const;

/** The `error` object of an error body (`{"error": {message, type, param, code}}`) or a video. */
function errorOf(v: unknown): JsonObject | undefined {
  if (!isObject(v)) return undefined;
  return isObject(v.error) ? v.error : undefined;
}

/** The failure type an OpenAI error's `code` (then `type`) names, if any. */
export function classifyOpenAiCode(error: JsonObject | undefined): FailureType | undefined {
  if (!error) return undefined;
  return matchTable(textOf(error.code), CODES) ?? matchTable(textOf(error.type), CODES);
}

/**
 * The failure type of an OpenAI HTTP error: the body's `error.code` then `error.type` refine
 * the status (a 429 `insufficient_quota` is `auth`), else spec §2's mapping. A 401 or 403 is
 * `auth` whatever its body's generic type (a missing key comes as `invalid_request_error`),
 * unless its code names the content policy.
 */
function classifyError(status: number, body: unknown): FailureType {
  const error = errorOf(body);
  if (status === 401 || status === 403) return CONTENT_POLICY.test(textOf(error?.code) ?? "") ? "invalid_input" : "auth";
  // A generic `server_error` names no type: its status says more (a 503 is `unavailable`).
  return classifyOpenAiCode(error) ?? failureTypeOfStatus(status) ?? "other";
}

function readVideo(obj: JsonObject): JobObjectFacts | string {
  const status = textOf(obj.status);
  const meaning = status ? VIDEO_STATUS[status] : undefined;
  if (!meaning) return `unknown video status '${status ?? "(none)"}'`;
  const error = isObject(obj.error) ? obj.error : undefined;
  const failure = meaning.outcome === "failed" ? (classifyOpenAiCode(error) ?? "other") : undefined;
  const seconds = decimalTextOf(obj.seconds);
  const units: Units | undefined = meaning.outcome === "succeeded" && seconds !== undefined ? { video_second: seconds } : undefined;
  const createdAt = unixTimeOf(obj.created_at);
  const completedAt = unixTimeOf(obj.completed_at);
  const unmapped = presentFields(obj, VIDEO_UNMAPPED);
  const model = textOf(obj.model);
  const errorDetail = shortText(error ? (textOf(error.code) ?? textOf(error.message)) : undefined);
  return {
    requestId: textOf(obj.id)!,
    kind: "video",
    ...(model ? { model } : {}),
    ...(meaning.outcome ? { outcome: meaning.outcome } : {}),
    ...(meaning.running ? { running: true } : {}),
    ...(units ? { units } : {}),
    ...(seconds !== undefined ? { unitsAsked: { video_second: seconds } } : {}),
    ...(failure ? { error: failure } : {}),
    ...(errorDetail ? { errorDetail } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(unmapped.length > 0 ? { unmapped } : {}),
  };
}

/**
 * An Images API response (`{created, data: […], usage?}`): synchronous, so it is a success
 * when it exists. gpt-image models bill tokens (`usage`), older ones per image. The body has no
 * id; the `x-request-id` header names the request where the caller kept it.
 */
function readImages(obj: JsonObject, headers: Headers | undefined): JobObjectFacts {
  const usage = isObject(obj.usage) ? obj.usage : undefined;
  const inTokens = usage ? decimalTextOf(usage.input_tokens) : undefined;
  const outTokens = usage ? decimalTextOf(usage.output_tokens) : undefined;
  const count = Array.isArray(obj.data) ? obj.data.length : 0;
  const units: Units | undefined =
    inTokens !== undefined || outTokens !== undefined
      ? { ...(inTokens !== undefined ? { input_token: inTokens } : {}), ...(outTokens !== undefined ? { output_token: outTokens } : {}) }
      : count > 0
        ? { image: count }
        : undefined;
  const requestId = headerOf(headers, "x-request-id");
  const completedAt = unixTimeOf(obj.created);
  const unmapped = presentFields(obj, IMAGE_UNMAPPED);
  return {
    ...(requestId ? { requestId } : {}),
    kind: "image",
    outcome: "succeeded",
    ...(units ? { units } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(unmapped.length > 0 ? { unmapped } : {}),
  };
}

/** Reads an OpenAI video job object, or an Images API response. */
function readJobObject(obj: unknown, headers?: Headers): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  if (obj.object === "video" || (textOf(obj.id) !== undefined && typeof obj.status === "string")) return readVideo(obj);
  if (typeof obj.created === "number" && Array.isArray(obj.data)) return readImages(obj, headers);
  if (errorOf(obj)) return "an error response ({error: …}), not a job: read it with its HTTP status";
  return "not an OpenAI video job or Images response";
}

/** OpenAI video jobs, Images API responses and error bodies. */
export const openaiFormat: ProviderFormat = {
  provider: "openai",
  readJobObject,
  classifyError,
};
