/** What the guard did since it started: counts only, for logs, tests and the demo. */
export interface GuardStats {
  /** Create requests sent to providers (attempts). */
  sent: number;
  /** Attempts the guard itself retried after a retryable failure. */
  retries: number;
  /** Requests refused before sending, by reason. */
  refused: { budget: number; retry: number; duplicate: number };
  /** `guard.job` calls that joined one already in flight. */
  joined: number;
  /** Identical inputs flagged (sent anyway). */
  duplicatesFlagged: number;
  /** Status requests sent, and ones answered from a webhook's body without sending. */
  polls: number;
  pollsAnswered: number;
  /** Milliseconds status requests were held back to respect `min_poll_seconds`. */
  pollWaitMs: number;
  timeouts: number;
  cancels: number;
  /** Orphans tracked after their caller gave up. */
  tracked: number;
  webhooks: { accepted: number; refused: number; unmatched: number };
}

/** Zeroed stats. */
export function newStats(): GuardStats {
  return {
    sent: 0,
    retries: 0,
    refused: { budget: 0, retry: 0, duplicate: 0 },
    joined: 0,
    duplicatesFlagged: 0,
    polls: 0,
    pollsAnswered: 0,
    pollWaitMs: 0,
    timeouts: 0,
    cancels: 0,
    tracked: 0,
    webhooks: { accepted: 0, refused: 0, unmatched: 0 },
  };
}
