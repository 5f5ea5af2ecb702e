/** Exponential backoff settings: the first delay's ceiling and the cap, in milliseconds. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * Full jitter (AWS, "Exponential Backoff And Jitter"; gRPC A6): before retry `n` (1 for the
 * first retry) wait a uniformly random time in [0, min(cap, base · 2^(n−1))). `random` returns
 * [0, 1), passed in so tests are deterministic.
 */
export function fullJitterDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return random() * ceiling;
}
