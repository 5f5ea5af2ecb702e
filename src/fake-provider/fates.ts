import { createHash } from "node:crypto";

/** Shares (0 to 1) of create requests that meet each fate. */
export interface FailureRates {
  /** 429 with Retry-After (transient: a retry may pass). */
  readonly rate_limit: number;
  /** 503 (transient). */
  readonly unavailable: number;
  /** 422 / 400 (the same input always fails). */
  readonly invalid_input: number;
  /** 401 (the same input always fails). */
  readonly auth: number;
  /** Accepted, then the job fails halfway through its run. */
  readonly failed: number;
  /** Accepted, and the job runs for `slowSeconds` instead of `runSeconds`. */
  readonly slow: number;
}

/** How the fake behaves; every random choice is drawn from `seed`. */
export interface FakeSettings {
  readonly seed: number;
  readonly rates: FailureRates;
  /** A job's run time, in seconds of the fake's clock: [min, max]. */
  readonly runSeconds: readonly [number, number];
  readonly slowSeconds: readonly [number, number];
  /** Each response's latency in milliseconds: [min, max]. */
  readonly latencyMs: readonly [number, number];
  /** The Retry-After of a 429, in seconds. */
  readonly retryAfterSeconds: number;
}

/** Nothing fails, jobs take 1–5 s, responses 5–20 ms. */
export const DEFAULT_FAKE_SETTINGS: FakeSettings = {
  seed: 1,
  rates: { rate_limit: 0, unavailable: 0, invalid_input: 0, auth: 0, failed: 0, slow: 0 },
  runSeconds: [1, 5],
  slowSeconds: [60, 120],
  latencyMs: [5, 20],
  retryAfterSeconds: 1,
};

/**
 * A number in [0, 1) that depends only on the seed, a label and a key: the fake's fates follow
 * from what is asked (and how often it was asked), not from arrival order, so concurrent runs
 * with the same seed meet the same fates.
 */
export function draw(seed: number, label: string, key: string): number {
  const h = createHash("sha256").update(`${seed}|${label}|${key}`).digest();
  return h.readUIntBE(0, 6) / 2 ** 48;
}

/** A value in [min, max] from a draw. */
export function between([min, max]: readonly [number, number], u: number): number {
  return min + (max - min) * u;
}

/** What happens to a create request. */
export type CreateFate =
  | { readonly kind: "reject"; readonly failure: "rate_limit" | "unavailable" | "invalid_input" | "auth" }
  | { readonly kind: "accept"; readonly runMs: number; readonly fails: boolean; readonly slow: boolean };

/**
 * The fate of the `k`-th create (0 first) of an input: invalid input and auth failures hold for
 * every try of the input; rate limits and unavailability are drawn per try; an accepted job's
 * run time (whole milliseconds), failure and slowness too.
 */
export function decideCreate(s: FakeSettings, input: string, k: number): CreateFate {
  const r = s.rates;
  const per = `${input}#${k}`;
  if (draw(s.seed, "auth", input) < r.auth) return { kind: "reject", failure: "auth" };
  if (draw(s.seed, "invalid", input) < r.invalid_input) return { kind: "reject", failure: "invalid_input" };
  if (draw(s.seed, "rate", per) < r.rate_limit) return { kind: "reject", failure: "rate_limit" };
  if (draw(s.seed, "unavailable", per) < r.unavailable) return { kind: "reject", failure: "unavailable" };
  const slow = draw(s.seed, "slow", per) < r.slow;
  const fails = !slow && draw(s.seed, "fail", per) < r.failed;
  const seconds = between(slow ? s.slowSeconds : s.runSeconds, draw(s.seed, "run", per));
  return { kind: "accept", runMs: Math.max(1, Math.round(seconds * 1000)), fails, slow };
}

/** A request id drawn from the seed: `length` characters of [a-z0-9]. */
export function fakeId(seed: number, key: string, length = 26): string {
  const h = createHash("sha256").update(`${seed}|id|${key}`).digest();
  let out = "";
  for (let i = 0; out.length < length; i++) out += "abcdefghijklmnopqrstuvwxyz0123456789"[h[i % h.length]! % 36]!;
  return out;
}

/** A seeded sequence of numbers in [0, 1), for jitter that repeats under a seed. */
export function seededRandom(seed: number): () => number {
  let n = 0;
  return () => draw(seed, "random", String(n++));
}
