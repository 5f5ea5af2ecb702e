/** The spec's failure types (`error` on rejected, completed and output_rejected events). */
export const FAILURE_TYPES = [
  "rate_limit",
  "invalid_input",
  "timeout",
  "unavailable",
  "quality",
  "webhook",
  "auth",
  "other",
] as const;

/** One of the spec's failure types. */
export type FailureType = (typeof FAILURE_TYPES)[number];

const FAILURE_TYPE_SET: ReadonlySet<string> = new Set(FAILURE_TYPES);

/** True when `value` is one of the spec's failure types. */
export function isFailureType(value: unknown): value is FailureType {
  return typeof value === "string" && FAILURE_TYPE_SET.has(value);
}

/**
 * The failure type an HTTP status means when nothing better is known (spec §2).
 * Returns `undefined` for statuses that are not failures (1xx–3xx) and `other` for the rest.
 */
export function failureTypeOfStatus(status: number): FailureType | undefined {
  if (status < 400) return undefined;
  switch (status) {
    case 429:
      return "rate_limit";
    case 400:
    case 404:
    case 413:
    case 422:
      return "invalid_input";
    case 401:
    case 402:
    case 403:
      return "auth";
    case 408:
    case 504:
      return "timeout";
    case 502:
    case 503:
    case 529:
      return "unavailable";
    default:
      return "other";
  }
}
