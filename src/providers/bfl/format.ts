import { failureTypeOfStatus, type FailureType } from "../../core/index.js";
import { decimalTextOf, isObject, matchTable, shortText, textOf, unixTimeOf } from "../object-fields.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";

/** `get_result` statuses (BFL's "Errors" page) and what each means for failcost. */
const STATUS: Readonly<Record<string, { outcome?: "succeeded" | "failed"; running?: true; error?: FailureType }>> = {
  Pending: { running: true },
  Ready: { outcome: "succeeded" },
  // Input flagged "before processing began", output flagged "after processing completed":
  // both are the request's content, and "Not charged".
  "Request Moderated": { outcome: "failed", error: "invalid_input" },
  "Content Moderated": { outcome: "failed", error: "invalid_input" },
  Error: { outcome: "failed", error: "other" },
};

/** What a 4xx body's `error`/`detail` text says, where it refines the status. */
const ERROR_TEXT: readonly (readonly [RegExp, FailureType])[] = [
  [/rate_limit|too many|concurren/i, "rate_limit"],
  [/credit|payment|insufficient/i, "auth"],
  [/moderat|flagged/i, "invalid_input"],
];

/**
 * Reads a BFL result (`GET /v1/get_result?id=…`: `{id, status, result, …}`) or a create
 * response (`{id, polling_url}`). `Task not found` says nothing about the outcome.
 */
function readJobObject(obj: unknown): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const id = textOf(obj.id);
  const status = textOf(obj.status);
  if (status === undefined) {
    if (id !== undefined && textOf(obj.polling_url) !== undefined) return { requestId: id, running: true };
    if (textOf(obj.error) !== undefined || obj.detail !== undefined) return "an error response, not a result: read it with its HTTP status";
    return "not a BFL result (no 'status')";
  }
  if (status === "Task not found") return `task ${id ?? "(no id)"} not found or expired: its outcome is not in the object`;
  const meaning = STATUS[status];
  if (!meaning) return `unknown result status '${status}'`;
  const result = isObject(obj.result) ? obj.result : undefined;
  const runSeconds = result ? decimalTextOf(result.duration) : undefined;
  const startedAt = result ? unixTimeOf(result.start_time) : undefined;
  const completedAt = result ? unixTimeOf(result.end_time) : undefined;
  const delivered = meaning.outcome === "succeeded" && result !== undefined && textOf(result.sample) !== undefined;
  const errorDetail = meaning.outcome === "failed" ? shortText(status === "Error" ? (textOf(obj.error) ?? status) : status) : undefined;
  return {
    ...(id ? { requestId: id } : {}),
    kind: "image",
    ...(meaning.outcome ? { outcome: meaning.outcome } : {}),
    ...(meaning.running ? { running: true } : {}),
    ...(runSeconds !== undefined ? { runSeconds } : {}),
    ...(delivered ? { units: { image: 1 } } : {}),
    // A request makes one image ("Pay per image"): what an unfinished one would deliver.
    unitsAsked: { image: 1 },
    ...(meaning.error ? { error: meaning.error } : {}),
    ...(errorDetail ? { errorDetail } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(completedAt ? { completedAt } : {}),
  };
}

/**
 * The failure type of a BFL HTTP error: 402 (insufficient credits) is `auth`, 429 (concurrency
 * limit) `rate_limit`, 422 and 400 the input's; a body's `error` text refines the status.
 */
function classifyError(status: number, body: unknown): FailureType {
  const text = isObject(body) ? [textOf(body.error), textOf(body.message), textOf(body.detail)].filter(Boolean).join(" ") : typeof body === "string" ? body : "";
  return matchTable(text || undefined, ERROR_TEXT) ?? failureTypeOfStatus(status) ?? "other";
}

/** Black Forest Labs (FLUX API) results and error responses. */
export const bflFormat: ProviderFormat = {
  provider: "bfl",
  readJobObject,
  classifyError,
};
