import type { Prng } from "./prng.js";

/**
 * The backoff algorithms of the AWS Architecture Blog's "Exponential Backoff And Jitter":
 * `none` (retry at once), `expo` (exponential, no jitter), `full`, `equal` and `decorrelated`
 * jitter.
 */
export const BACKOFFS = ["none", "expo", "full", "equal", "decorrelated"] as const;

/** One backoff algorithm. */
export type Backoff = (typeof BACKOFFS)[number];

/** A backoff with its base and cap (any time unit, the same for both). */
export interface BackoffSpec {
  readonly kind: Backoff;
  readonly base: number;
  readonly cap: number;
}

/** A backoff in use by one client: call `delay(n)` for the sleep before retry `n` (from 1). */
export interface BackoffState {
  delay(attempt: number): number;
}

/**
 * Starts a backoff for one client. `attempt` counts failed tries from 1; the sleep is
 * `min(cap, base·2^attempt)`, jittered as the algorithm says; decorrelated jitter keeps its
 * previous sleep (starting at `base`): `min(cap, uniform(base, 3·previous))`.
 */
export function startBackoff(spec: BackoffSpec, prng: Prng): BackoffState {
  const { kind, base, cap } = spec;
  const expo = (n: number): number => Math.min(cap, base * 2 ** n);
  let previous = base;
  switch (kind) {
    case "none":
      return { delay: () => 0 };
    case "expo":
      return { delay: expo };
    case "full":
      return { delay: (n) => prng.uniform(0, expo(n)) };
    case "equal":
      return {
        delay: (n) => {
          const v = expo(n);
          return v / 2 + prng.uniform(0, v / 2);
        },
      };
    case "decorrelated":
      return {
        delay: () => {
          previous = Math.min(cap, prng.uniform(base, previous * 3));
          return previous;
        },
      };
  }
}
