/** The causes waste is split into (spec §4), in the order they are tried. */
export const CAUSES = [
  "duplicate_submission",
  "webhook",
  "timeout",
  "rate_limit",
  "invalid_input",
  "unavailable",
  "quality",
  "auth",
  "other",
  "canceled",
  "superseded",
] as const;

/** One cause of waste. */
export type Cause = (typeof CAUSES)[number];
