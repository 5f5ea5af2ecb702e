import type { Cause } from "../cause.js";
import { pow10, unitsAt, type Decimal } from "../decimal.js";
import type { Policy, Price } from "../policy.js";
import { priceAttempt, type Scales } from "../audit/price-attempt.js";
import { startBackoff, type BackoffState } from "./backoff.js";
import type { Prng } from "./prng.js";
import { beta, dirichlet, Moments, pick } from "./stats.js";
import { DEFAULT_RETRY_ON, type Strategy } from "./strategy.js";
import type { AttemptSample, GroupTrial } from "./trial.js";

/** One provider and model to simulate: its trial, its policy and price, and its share of the jobs. */
export interface GroupModel {
  readonly trial: GroupTrial;
  readonly policy: Policy;
  readonly price: Price;
}

/** What one simulated run of `jobs` jobs cost, exactly, and how it went. */
export interface RunTotals {
  readonly jobs: number;
  billedLow: bigint;
  billedHigh: bigint;
  useful: bigint;
  readonly wasteByCause: Map<Cause, bigint>;
  /** Billed and waste per job, as numbers (statistics only). */
  readonly billedPerJob: Moments;
  readonly wastePerJob: Moments;
  succeeded: number;
  attempts: number;
  polls: number;
  /** Seconds from the first submission to the result or giving up, per job. */
  readonly seconds: number[];
}

const SECOND = 1_000_000;

/** One run's parameters for a group: outcome probabilities, bootstrapped samples, rates. */
interface Drawn {
  readonly categories: string[];
  readonly probabilities: number[];
  readonly pools: AttemptSample[][];
  readonly duplicateRate: number;
  readonly requeueRate: number;
}

/** Samples for the unobserved failure category: the trial's successes, as failures (see docs/forecast.md). */
function unseenFailures(t: GroupTrial): AttemptSample[] {
  const base = t.samples.get("succeeded") ?? [...t.samples.values()][0] ?? [];
  return base.map((s) => ({ ...s, cls: "failed", failure: "other", units: undefined, outputRejected: false }));
}

/**
 * Draws one run's parameters from what the trial supports: outcome rates from a Dirichlet
 * posterior (Jeffreys prior, plus an unseen `failed:other` when the trial saw no failure at
 * all), samples by a bootstrap, and duplicate and webhook re-run rates from Beta posteriors
 * (zero when the trial saw none).
 */
export function drawParameters(t: GroupTrial, prng: Prng): Drawn {
  const categories = [...t.counts.keys()].sort();
  const alpha = categories.map((c) => t.counts.get(c)! + 0.5);
  const pools = categories.map((c) => t.samples.get(c)!);
  if (!categories.some((c) => c !== "succeeded")) {
    categories.push("failed:other");
    alpha.push(0.5);
    pools.push(unseenFailures(t));
  }
  const boot = pools.map((pool) => Array.from({ length: pool.length }, () => pool[prng.int(pool.length)]!));
  const nonDup = Math.max(0, t.jobs - t.duplicates);
  return {
    categories,
    probabilities: dirichlet(alpha, prng),
    pools: boot,
    // Duplicates come from the caller's own code, which the trial ran: none seen, none forecast.
    duplicateRate: t.duplicates > 0 ? beta(t.duplicates + 0.5, nonDup + 0.5, prng) : 0,
    requeueRate: t.requeues > 0 ? beta(t.requeues + 0.5, t.webhookAttempts - t.requeues + 0.5, prng) : 0,
  };
}

/** A strategy resolved against one group's trial: every knob has a value. */
interface Resolved {
  readonly attempts: number;
  readonly retryOn: ReadonlySet<string>;
  readonly backoff: ((prng: Prng) => BackoffState) | undefined;
  readonly poll: number | "webhook" | undefined;
  readonly timeout: Decimal | undefined;
  readonly cancel: boolean;
}

function resolve(s: Strategy, t: GroupTrial): Resolved {
  const retryOn = s.retryOn ?? (t.retriedAfter.size > 0 && s.retries === undefined ? [...t.retriedAfter] : DEFAULT_RETRY_ON);
  const set = new Set<string>(retryOn);
  if (set.has("other")) ["canceled", "unknown"].forEach((x) => set.add(x));
  return {
    attempts: s.retries !== undefined ? s.retries + 1 : Math.max(1, t.maxAttempts),
    retryOn: set,
    backoff: s.backoff !== undefined ? (prng) => startBackoff({ kind: s.backoff!, base: s.base ?? 0.5, cap: s.cap ?? 30 }, prng) : undefined,
    poll: s.poll,
    timeout: s.timeout,
    cancel: s.cancel === true,
  };
}

/** The run time a provider bills when the caller cancels at `timeout` into a `duration`: what ran before the cancel. */
function runUntilCancel(run: Decimal | undefined, durationMicros: number, timeout: Decimal): Decimal | undefined {
  if (run === undefined) return undefined;
  // The job queues first and runs last: cut the run by (duration − timeout), never below 0.
  const cut = { units: BigInt(durationMicros) * pow10(timeout.scale) - timeout.units * 1_000_000n, scale: timeout.scale + 6 };
  const s = Math.max(run.scale, cut.scale);
  const left = unitsAt(run, s) - unitsAt(cut, s);
  return { units: left > 0n ? left : 0n, scale: s };
}

interface SimAttempt {
  low: bigint;
  high: bigint;
  /** The caller got and kept the output. */
  ok: boolean;
  /** Why it failed, for the retry decision and the cause. */
  failure: string;
  seconds: number;
  polls: number;
  requeued: boolean;
  timedOut: boolean;
}

/**
 * Simulates one run of `jobs` jobs under a strategy, with parameters drawn for this run.
 * Each attempt replays a sampled trial attempt, changed only where the strategy says
 * (polling, timeout and cancel), and is priced by the core's `priceAttempt`, or by its real
 * charge when the strategy leaves it unchanged. Money is exact; times are numbers.
 */
export function simulateRun(models: readonly GroupModel[], strategy: Strategy, jobs: number, scales: Scales, prng: Prng): RunTotals {
  const weights = models.map((m) => m.trial.jobs);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / totalWeight);
  const drawn = models.map((m) => drawParameters(m.trial, prng));
  // Waiting times draw from their own stream, so strategies that differ only in backoff see the
  // same outcomes (common random numbers): backoff changes time, never money.
  const timing = prng.fork();
  const resolved = models.map((m) => resolve(strategy, m.trial));
  const gaps = models.map((m) => m.trial.retryGaps);
  const totals: RunTotals = { jobs, billedLow: 0n, billedHigh: 0n, useful: 0n, wasteByCause: new Map(), billedPerJob: new Moments(), wastePerJob: new Moments(), succeeded: 0, attempts: 0, polls: 0, seconds: [] };
  const unit = 10 ** scales.money;

  const attemptOf = (g: number): SimAttempt => {
    const m = models[g]!;
    const d = drawn[g]!;
    const r = resolved[g]!;
    const c = pick(d.probabilities, prng);
    const pool = d.pools[c]!;
    const s = pool[prng.int(pool.length)]!;
    let cls = s.cls;
    let run = s.runSeconds;
    let timedOut = s.clientTimeout;
    let seconds = s.durationMicros / SECOND;
    if (r.timeout !== undefined) {
      const limit = Number(r.timeout.units) / 10 ** r.timeout.scale;
      timedOut = cls !== "rejected" && (cls === "pending" || seconds > limit);
      if (timedOut) {
        seconds = limit;
        if (r.cancel) {
          run = runUntilCancel(run, s.durationMicros, r.timeout);
          cls = "canceled";
        }
      }
    }
    // Polls as in the trial stop when the caller stops waiting: the share made before the timeout.
    let polls = timedOut && r.timeout !== undefined && s.durationMicros > 0 ? Math.floor((s.polls * seconds * SECOND) / s.durationMicros) : s.polls;
    if (r.poll === "webhook") polls = 0;
    else if (r.poll !== undefined) polls = cls === "rejected" ? 0 : Math.max(1, Math.ceil(seconds / r.poll));
    const changed = cls !== s.cls || run !== s.runSeconds;
    const priced = priceAttempt(m.policy, m.price, { cls, failure: s.failure, runSeconds: run, units: s.units, unitsAsked: s.unitsAsked, polls }, scales);
    let low = priced.low;
    let high = priced.high;
    if (s.charged !== undefined && !changed) {
      low = s.charged * pow10(scales.money - s.chargeScale) + priced.pollPrice * BigInt(polls - s.polls);
      high = low;
    }
    const ok = cls === "succeeded" && !timedOut && !s.outputRejected;
    const failure = timedOut || cls === "timed_out" ? "timeout" : cls === "pending" ? "unknown" : cls === "canceled" ? "canceled" : (s.failure ?? "other");
    // Webhook re-runs: as sampled when polling is as in the trial; at the trial's webhook re-run rate under poll=webhook; none when polling.
    const requeued = r.poll === undefined ? s.requeued : r.poll === "webhook" && prng.next() < d.requeueRate;
    return { low, high, ok, failure, seconds, polls, requeued, timedOut };
  };

  const addWaste = (cause: Cause, v: bigint): void => {
    if (v !== 0n) totals.wasteByCause.set(cause, (totals.wasteByCause.get(cause) ?? 0n) + v);
  };

  for (let j = 0; j < jobs; j++) {
    const g = pick(shares, prng);
    const r = resolved[g]!;
    const backoff = r.backoff?.(timing);
    let billed = 0n;
    let used = 0n;
    let done = false;
    let seconds = 0;
    for (let n = 1; n <= r.attempts && !done; n++) {
      const a = attemptOf(g);
      totals.attempts++;
      totals.polls += a.polls;
      seconds += a.seconds;
      billed += a.low;
      totals.billedHigh += a.high;
      if (a.requeued) {
        // The provider ran the job again after a failed webhook: billed again, wasted.
        const again = attemptOf(g);
        totals.attempts++;
        billed += again.low;
        totals.billedHigh += again.high;
        addWaste("webhook", again.low);
      }
      if (a.ok) {
        used = a.low;
        done = true;
        break;
      }
      addWaste((a.failure === "unknown" ? "timeout" : a.failure) as Cause, a.low);
      if (!r.retryOn.has(a.failure)) break;
      if (n < r.attempts) {
        const gapList = gaps[g]!;
        seconds += backoff ? backoff.delay(n) : gapList.length > 0 ? gapList[timing.int(gapList.length)]! : 0;
      }
    }
    if (prng.next() < drawn[g]!.duplicateRate) {
      // A duplicate submission of the same job: billed, never used.
      const dup = attemptOf(g);
      totals.attempts++;
      billed += dup.low;
      totals.billedHigh += dup.high;
      addWaste("duplicate_submission", dup.low);
    }
    if (done) totals.succeeded++;
    totals.billedLow += billed;
    totals.useful += used;
    totals.billedPerJob.add(Number(billed) / unit);
    totals.wastePerJob.add(Number(billed - used) / unit);
    totals.seconds.push(seconds);
  }
  return totals;
}
