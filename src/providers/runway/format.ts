import { failureTypeOfStatus, type FailureType, type Outcome } from "../../core/index.js";
import { isObject, isoTimeOf, matchTable, shortText, textOf } from "../object-fields.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";

/** Task statuses (`@runwayml/sdk` tasks.ts). */
const STATUS: Readonly<Record<string, { outcome?: Outcome; running?: true }>> = {
  PENDING: { running: true },
  THROTTLED: { running: true },
  RUNNING: { running: true },
  SUCCEEDED: { outcome: "succeeded" },
  FAILED: { outcome: "failed" },
  CANCELLED: { outcome: "canceled" },
};

/**
 * `failureCode` families from Runway's "Task Failures" page, most specific first. Moderation
 * of an input or an output is the request's content (`invalid_input`: "You should not retry
 * these generations"); INTERNAL.BAD_OUTPUT is output rejected "for quality or system error
 * reasons".
 */
const FAILURE_CODES: readonly (readonly [RegExp, FailureType])[] = [
  [/^SAFETY\./, "invalid_input"],
  [/^INPUT_PREPROCESSING\.SAFETY/, "invalid_input"],
  [/^INTERNAL\.BAD_OUTPUT/, "quality"],
  [/^ASSET\./, "invalid_input"],
  [/^INPUT_PREPROCESSING\./, "other"],
  [/^INTERNAL/, "other"],
];

/** The failure type a Runway task `failureCode` names (`other` where it names none). */
export function classifyRunwayFailureCode(code: string | undefined): FailureType {
  return matchTable(code, FAILURE_CODES) ?? "other";
}

/** Reads a Runway task (`GET /v1/tasks/{id}`). Tasks carry no completion time. */
function readJobObject(obj: unknown): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const id = textOf(obj.id);
  const status = textOf(obj.status);
  if (id === undefined || status === undefined) {
    if (textOf(obj.error) !== undefined) return "an error response ({error: …}), not a task: read it with its HTTP status";
    return "not a Runway task (no 'id' and 'status')";
  }
  const meaning = STATUS[status];
  if (!meaning) return `unknown task status '${status}'`;
  const code = textOf(obj.failureCode);
  const error = meaning.outcome === "failed" ? classifyRunwayFailureCode(code) : undefined;
  const createdAt = isoTimeOf(obj.createdAt);
  const model = textOf(obj.model);
  const errorDetail = shortText(code ?? textOf(obj.failure));
  return {
    requestId: id,
    ...(model ? { model } : {}),
    ...(meaning.outcome ? { outcome: meaning.outcome } : {}),
    ...(meaning.running ? { running: true } : {}),
    ...(error ? { error } : {}),
    ...(errorDetail && meaning.outcome === "failed" ? { errorDetail } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
}

/**
 * The failure type of a Runway HTTP error: its status (400 bad input, 401 key, 429 rate limit,
 * 502/503 shedding load, 504 overloaded: Runway's "API Errors" table).
 */
function classifyError(status: number): FailureType {
  if (status === 504) return "unavailable";
  return failureTypeOfStatus(status) ?? "other";
}

/** Runway tasks and error responses. */
export const runwayFormat: ProviderFormat = {
  provider: "runway",
  readJobObject,
  classifyError,
};
