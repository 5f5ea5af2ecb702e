import { failureTypeOfStatus, type FailureType, type Outcome } from "../../core/index.js";
import { hashInput, isObject, isoTimeOf, matchTable, shortText, textOf } from "../object-fields.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";

/** Generation states (`Generation.state` in the lumaai SDK). */
const STATE: Readonly<Record<string, { outcome?: Outcome; running?: true }>> = {
  queued: { running: true },
  dreaming: { running: true },
  completed: { outcome: "succeeded" },
  failed: { outcome: "failed" },
};

/** What a `failure_reason` says, most specific first. */
const REASONS: readonly (readonly [RegExp, FailureType])[] = [
  [/moderat|safety|policy|not allowed|blocked/i, "invalid_input"],
  [/timed? ?out|timeout/i, "timeout"],
  [/invalid|keyframe|unsupported|must|too (long|large|short)/i, "invalid_input"],
  [/\brate[ _-]?limit|too many|concurren/i, "rate_limit"],
  [/credit|insufficient|payment/i, "auth"],
];

/** The failure type a Luma `failure_reason` names (`other` where it names none). */
export function classifyLumaReason(reason: string | undefined): FailureType {
  return matchTable(reason, REASONS) ?? "other";
}

/**
 * Reads a Luma generation (a GET, a list item, a callback body). The model is
 * `request.model` where the generation says it.
 */
function readJobObject(obj: unknown): JobObjectFacts | string {
  if (!isObject(obj)) return "not a JSON object";
  const id = textOf(obj.id);
  const state = textOf(obj.state);
  if (id === undefined || state === undefined) {
    if (obj.detail !== undefined) return "an error response (detail), not a generation: read it with its HTTP status";
    return "not a Luma generation (no 'id' and 'state')";
  }
  const meaning = STATE[state];
  if (!meaning) return `unknown generation state '${state}'`;
  const request = isObject(obj.request) ? obj.request : undefined;
  const model = textOf(request?.model);
  const reason = textOf(obj.failure_reason) ?? textOf(obj.state_reason);
  const error = meaning.outcome === "failed" ? classifyLumaReason(reason) : undefined;
  const createdAt = isoTimeOf(obj.created_at);
  // A finished generation's last change is when it finished.
  const completedAt = meaning.outcome ? isoTimeOf(obj.updated_at) : undefined;
  const kind = obj.generation_type === "image" ? "image" : obj.generation_type === "video" ? "video" : undefined;
  const inputHash = request ? hashInput(request) : undefined;
  const errorDetail = meaning.outcome === "failed" ? shortText(reason) : undefined;
  return {
    requestId: id,
    ...(model ? { model } : {}),
    ...(kind ? { kind } : {}),
    ...(meaning.outcome ? { outcome: meaning.outcome } : {}),
    ...(meaning.running ? { running: true } : {}),
    ...(error ? { error } : {}),
    ...(errorDetail ? { errorDetail } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(inputHash ? { inputHash } : {}),
    ...(textOf(request?.callback_url) ? { webhook: true } : {}),
  };
}

/** The failure type of a Luma HTTP error (`{"detail": …}` bodies): its status (spec §2). */
function classifyError(status: number, body: unknown): FailureType {
  const detail = isObject(body) ? textOf(body.detail) : undefined;
  if (status === 400 && detail !== undefined && /moderat|safety|policy/i.test(detail)) return "invalid_input";
  return failureTypeOfStatus(status) ?? "other";
}

/** Luma Dream Machine generations and error responses. */
export const lumaFormat: ProviderFormat = {
  provider: "luma",
  readJobObject,
  classifyError,
};
