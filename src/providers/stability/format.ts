import { failureTypeOfStatus, type FailureType } from "../../core/index.js";
import { isObject, matchTable, textOf } from "../object-fields.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";

/** Stability error `name`s (bodies `{id, name, errors: […]}`), and what each means. */
const NAMES: readonly (readonly [RegExp, FailureType])[] = [
  [/content_moderation|moderat/i, "invalid_input"],
  [/rate_limit|too_many/i, "rate_limit"],
  [/payment|credit|unauthori[sz]ed|forbidden|permission/i, "auth"],
  [/bad_request|invalid|not_found|payload_too_large|unprocessable/i, "invalid_input"],
];

/**
 * The failure type of a Stability HTTP error: the body's `name` first (a 403
 * `content_moderation` is the request's content, not a missing permission), then the status.
 */
function classifyError(status: number, body: unknown): FailureType {
  const name = isObject(body) ? textOf(body.name) : undefined;
  return matchTable(name, NAMES) ?? failureTypeOfStatus(status) ?? "other";
}

/**
 * Reads a Stability async result: `{id, status: "in-progress"}` while it runs, then a body with
 * `finish_reason` (`SUCCESS`, `CONTENT_FILTERED`), or a create response `{id}`.
 */
function readJobObject(obj: unknown): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const id = textOf(obj.id);
  if (Array.isArray(obj.errors) || textOf(obj.name) !== undefined) return "an error response ({name, errors}), not a result: read it with its HTTP status";
  const finish = textOf(obj.finish_reason);
  if (finish === "SUCCESS") return { ...(id ? { requestId: id } : {}), outcome: "succeeded" };
  if (finish === "CONTENT_FILTERED") return { ...(id ? { requestId: id } : {}), outcome: "failed", error: "invalid_input", errorDetail: finish };
  if (finish !== undefined) return `unknown finish_reason '${finish}'`;
  if (id !== undefined && (obj.status === "in-progress" || obj.status === undefined)) return { requestId: id, running: true };
  return "not a Stability result (no 'id' or 'finish_reason')";
}

/** Stability AI async results and error responses. */
export const stabilityFormat: ProviderFormat = {
  provider: "stability",
  readJobObject,
  classifyError,
};
