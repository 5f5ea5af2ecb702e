import type { FailureType } from "../core/index.js";
import { fullJitterDelay, type BackoffOptions } from "./backoff.js";

/** How the guard retries a job's create request. */
export interface RetryPolicy {
  /** Attempts per job, the first included (SRE book, AWS: 3). */
  readonly maxAttempts: number;
  /** Failure types worth another attempt; invalid input, auth and quality never are. */
  readonly retryOn: readonly FailureType[];
  readonly backoff: BackoffOptions;
  /** A `Retry-After` longer than this ends the job instead of waiting. */
  readonly maxRetryAfterMs: number;
  /**
   * Retry a create whose response was lost (the provider may have created the job). Off by
   * default: none of the supported providers takes an idempotency key, so it may be billed twice.
   */
  readonly retryUnknownOutcome: boolean;
}

/**
 * The research's suggested defaults: full jitter from 500 ms capped at 30 s, 3 attempts, and
 * retries for rate limits, unavailability, timeouts and other server errors (500 is `other`).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  retryOn: ["rate_limit", "unavailable", "timeout", "other"],
  backoff: { baseMs: 500, capMs: 30_000 },
  maxRetryAfterMs: 60_000,
  retryUnknownOutcome: false,
};

/** How a job's latest attempt ended, as far as retrying is concerned. */
export type LastOutcome =
  | { readonly kind: "failed"; readonly failure: FailureType; readonly at: number; readonly retryAfterMs?: number }
  /** Sent, and the response was lost: the provider may have the job. */
  | { readonly kind: "unknown"; readonly at: number };

/** Why a retry is refused. */
export const RETRY_REFUSALS = ["attempts", "not_retryable", "retry_budget", "retry_after_too_long", "outcome_unknown"] as const;

/** One reason a retry is refused. */
export type RetryRefusal = (typeof RETRY_REFUSALS)[number];

/** Whether to send attempt `next` after `last`, and when (ms since the epoch). */
export type RetryDecision = { readonly retry: true; readonly notBefore: number } | { readonly retry: false; readonly why: RetryRefusal };

/** What the decision needs besides the policy. */
export interface RetryContext {
  /** The attempt about to be sent (2 for the first retry). */
  readonly next: number;
  readonly last: LastOutcome;
  /** The provider's retry budget allows a retry now. */
  readonly budgetAllows: boolean;
  /** The attempt may be sent with an idempotency key, so a lost response is safe to retry. */
  readonly idempotent: boolean;
  readonly random: () => number;
}

/**
 * Decides a retry: within the attempt cap, only for retryable failure types, only while the
 * retry budget allows, after the server's `Retry-After` where given (too long ends the job),
 * else after a full-jitter backoff counted from the failure.
 */
export function decideRetry(policy: RetryPolicy, ctx: RetryContext): RetryDecision {
  if (ctx.next > policy.maxAttempts) return { retry: false, why: "attempts" };
  const { last } = ctx;
  if (last.kind === "unknown") {
    if (!policy.retryUnknownOutcome && !ctx.idempotent) return { retry: false, why: "outcome_unknown" };
  } else if (!policy.retryOn.includes(last.failure)) {
    return { retry: false, why: "not_retryable" };
  }
  if (!ctx.budgetAllows) return { retry: false, why: "retry_budget" };
  if (last.kind === "failed" && last.retryAfterMs !== undefined) {
    if (last.retryAfterMs > policy.maxRetryAfterMs) return { retry: false, why: "retry_after_too_long" };
    return { retry: true, notBefore: last.at + last.retryAfterMs };
  }
  return { retry: true, notBefore: last.at + fullJitterDelay(ctx.next - 1, policy.backoff, ctx.random) };
}
