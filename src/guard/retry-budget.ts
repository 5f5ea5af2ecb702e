/** gRPC's retry throttling settings (gRFC A6): a token bucket per provider. */
export interface RetryBudgetOptions {
  /** Bucket size; retries stop while tokens are at or below half of it. Default 10. */
  readonly maxTokens: number;
  /** Tokens a success gives back. Default 0.1 (retries stop above ~10% failures). */
  readonly tokenRatio: number;
}

/** The defaults of gRFC A6's example, which the research recommends. */
export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = { maxTokens: 10, tokenRatio: 0.1 };

/**
 * A retry budget like gRPC's retry throttling: each retryable failure costs a token, each
 * success gives back `tokenRatio`, and retries are allowed only while tokens > maxTokens / 2.
 * So when a provider fails for everyone, calls fail fast instead of tripling the load.
 */
export class RetryBudget {
  private tokens: number;

  constructor(private readonly options: RetryBudgetOptions = DEFAULT_RETRY_BUDGET) {
    this.tokens = options.maxTokens;
  }

  /** A retryable failure (rate limit, unavailable, timeout). */
  recordFailure(): void {
    this.tokens = Math.max(0, this.tokens - 1);
  }

  /** A success. */
  recordSuccess(): void {
    this.tokens = Math.min(this.options.maxTokens, this.tokens + this.options.tokenRatio);
  }

  /** True while a retry may be sent. */
  allowsRetry(): boolean {
    return this.tokens > this.options.maxTokens / 2;
  }

  /** Tokens left, for stats and tests. */
  get level(): number {
    return this.tokens;
  }
}
