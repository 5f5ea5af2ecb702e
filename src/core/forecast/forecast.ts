import { CAUSES, type Cause } from "../cause.js";
import { formatUnits, scaleOf, ZERO } from "../decimal.js";
import type { Policy } from "../policy.js";
import { createPriceTable } from "../price-match.js";
import type { Scales } from "../audit/price-attempt.js";
import { readQuantity } from "../audit/quantity.js";
import type { TrialCollector } from "./collect-trial.js";
import type { Prng } from "./prng.js";
import { simulateRun, type GroupModel, type RunTotals } from "./simulate.js";
import { Moments, quantile, wilson, type Interval } from "./stats.js";
import type { Strategy } from "./strategy.js";
import { trialSize, type TrialSize } from "./trial-size.js";
import type { GroupTrial } from "./trial.js";

/** What to forecast. */
export interface ForecastOptions {
  /** N: how many jobs to forecast. */
  readonly jobs: number;
  /** Strategies to compare; the first is usually `AS_IN_TRIAL`. */
  readonly strategies: readonly Strategy[];
  /** Parameter draws (default 100). */
  readonly runs?: number;
  /** Jobs simulated per run at most (default 1000); more are extrapolated (docs/forecast.md). */
  readonly sampleJobs?: number;
}

/** One provider and model as the trial measured it. */
export interface GroupFit {
  readonly provider: string;
  readonly model: string;
  readonly jobs: number;
  readonly attempts: number;
  readonly attempts_per_job: Interval;
  /** Per attempt, each outcome category's rate with its 90% (Wilson) interval. */
  readonly rates: Readonly<Record<string, Interval & { readonly count: number }>>;
  readonly duplicate_rate: Interval;
  readonly run_seconds: Interval | null;
  readonly polls_per_attempt: Interval;
  readonly poll_interval_seconds: number | null;
  readonly client_timeout_seconds: number | null;
  readonly trial_size: TrialSize;
  /** Why this group is left out of the simulation, if it is. */
  readonly skipped?: string;
}

/** A money figure: the expected value (exact) and the p5–p95 band (a statistic, rounded to the money scale). */
export interface MoneyBand {
  readonly expected: string;
  readonly p5: string;
  readonly p95: string;
}

/** One strategy's forecast for N jobs. */
export interface StrategyForecast {
  readonly label: string;
  readonly billed: MoneyBand;
  /** The high figure where a policy answer is `unknown`. */
  readonly billed_high: string;
  readonly useful: string;
  readonly waste: MoneyBand;
  readonly waste_by_cause: Readonly<Partial<Record<Cause, string>>>;
  readonly success_rate: Interval;
  readonly attempts_per_job: number;
  readonly polls_per_job: number;
  readonly seconds_per_job: { readonly mean: number; readonly p95: number };
}

/** The forecast (`forecast --json`). */
export interface Forecast {
  readonly currency: string;
  readonly jobs: number;
  readonly runs: number;
  readonly sample_jobs: number;
  readonly trial: readonly GroupFit[];
  readonly trial_enough: boolean;
  readonly strategies: readonly StrategyForecast[];
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** An interval of a quantity that cannot be negative. */
function nonNegative(i: Interval): Interval {
  return { mean: i.mean, low: Math.max(0, i.low), high: i.high };
}

function fitGroup(t: GroupTrial, skipped: string | undefined): GroupFit {
  const counted = [...t.counts.values()].reduce((a, b) => a + b, 0);
  const rates: Record<string, Interval & { count: number }> = {};
  for (const [c, n] of [...t.counts].sort(([a], [b]) => (a < b ? -1 : 1))) rates[c] = { count: n, ...wilson(n, counted) };
  const run = new Moments();
  const polls = new Moments();
  for (const list of t.samples.values()) {
    for (const s of list) {
      polls.add(s.polls);
      if (s.runSeconds !== undefined) run.add(Number(s.runSeconds.units) / 10 ** s.runSeconds.scale);
    }
  }
  return {
    provider: t.provider,
    model: t.model,
    jobs: t.jobs,
    attempts: t.attempts,
    attempts_per_job: nonNegative(t.attemptsPerJob.interval()),
    rates,
    duplicate_rate: wilson(Math.min(t.duplicates, t.jobs), t.jobs),
    run_seconds: run.n > 0 ? nonNegative(run.interval()) : null,
    polls_per_attempt: nonNegative(polls.interval()),
    poll_interval_seconds: median(t.pollGaps),
    client_timeout_seconds: median(t.waited),
    trial_size: trialSize(t.wastePerJob),
    ...(skipped !== undefined ? { skipped } : {}),
  };
}

/** Decimal places every simulated product needs: prices, quantities, the strategies' timeouts, and charges. */
function scalesFor(models: readonly GroupModel[], strategies: readonly Strategy[], chargeScale: number): Scales {
  let price = 0;
  let qty = 0;
  for (const { policy } of models) {
    for (const { price: p } of policy.prices) {
      for (const d of [p.per_job, p.per_second, p.per_request, ...Object.values(p.per_unit ?? {})]) if (d) price = Math.max(price, scaleOf(d));
      if (p.max_run_seconds) qty = Math.max(qty, scaleOf(p.max_run_seconds));
    }
  }
  for (const { trial } of models) {
    for (const list of trial.samples.values()) {
      for (const s of list) {
        if (s.runSeconds) qty = Math.max(qty, scaleOf(s.runSeconds));
        for (const u of [s.units, s.unitsAsked]) for (const q of Object.values(u ?? {})) qty = Math.max(qty, scaleOf(readQuantity(q) ?? ZERO));
      }
    }
  }
  // A cancel cuts the run time at the timeout, to the microsecond.
  for (const s of strategies) if (s.cancel && s.timeout) qty = Math.max(qty, s.timeout.scale + 6);
  return { price, qty, money: Math.max(price + qty, chargeScale) };
}

/** Σ·N / (runs·M), rounded half away from zero at the money scale: the expected total for N jobs, from exact sums. */
function scaleTotal(sum: bigint, jobs: number, runs: number, perRun: number): bigint {
  const num = sum * BigInt(jobs) * 2n;
  const den = BigInt(runs * perRun) * 2n;
  return num >= 0n ? (num + den / 2n) / den : -((-num + den / 2n) / den);
}

/**
 * The p5 and p95 of the total for N jobs across runs: each run's mean per job (with the
 * simulation's own noise taken out, so only the trial's uncertainty remains) times N, plus the
 * spread of N jobs around it. Exactly the runs' totals when every job was simulated.
 */
function band(runs: readonly RunTotals[], pick: (r: RunTotals) => Moments, exact: (r: RunTotals) => bigint, jobs: number, unit: number, prng: Prng): [number, number] {
  const m = runs[0]!.jobs;
  let totals: number[];
  if (m >= jobs) totals = runs.map((r) => Number(exact(r)) / unit);
  else {
    const means = runs.map((r) => pick(r).mean);
    const grand = new Moments();
    for (const x of means) grand.add(x);
    const noise = runs.reduce((a, r) => a + pick(r).sd ** 2, 0) / runs.length / m;
    const between = grand.sd ** 2;
    const k = between > 0 ? Math.sqrt(Math.max(0, 1 - noise / between)) : 0;
    totals = runs.map((r, i) => jobs * (grand.mean + (means[i]! - grand.mean) * k) + Math.sqrt(jobs) * pick(r).sd * prng.normal(0, 1));
  }
  totals.sort((a, b) => a - b);
  return [quantile(totals, 0.05), quantile(totals, 0.95)];
}

/** A statistic in money, rounded to about four significant digits (at least cents): it is an estimate, not a sum. */
function moneyText(v: number, scale: number): string {
  const digits = v === 0 ? 2 : Math.ceil(-Math.log10(Math.abs(v))) + 3;
  const s = Math.min(scale, Math.max(2, Math.min(digits, 12)));
  return formatUnits(BigInt(Math.round(v * 10 ** s)), s);
}

/**
 * Forecasts N jobs from a trial under each strategy: fits the trial per provider and model,
 * simulates `runs` runs of up to `sampleJobs` jobs with parameters drawn from what the trial
 * supports, and gives the expected billed cost, useful spend and waste (exact, from exact sums)
 * with p5–p95 bands. The same seed gives the same forecast; every strategy sees the same
 * random stream, so differences come from the strategies.
 */
export function forecast(trial: TrialCollector, policies: readonly Policy[], currency: string, options: ForecastOptions, seed: () => Prng): Forecast {
  const byProvider = new Map(policies.map((p) => [p.provider, p]));
  const models: GroupModel[] = [];
  const fits: GroupFit[] = [];
  for (const t of [...trial.groups.values()].sort((a, b) => (a.provider + a.model < b.provider + b.model ? -1 : 1))) {
    const policy = byProvider.get(t.provider);
    const rule = policy ? createPriceTable(policy.prices).lookup(t.model) : undefined;
    let skipped: string | undefined;
    if (!policy) skipped = `no billing policy for '${t.provider}'`;
    else if (policy.currency !== currency) skipped = `the '${t.provider}' policy is in ${policy.currency}, the forecast in ${currency}`;
    else if (!rule) skipped = `no price in the '${t.provider}' policy matches '${t.model}'`;
    else if (t.counts.size === 0) skipped = "no attempt with a known category";
    fits.push(fitGroup(t, skipped));
    if (!skipped) models.push({ trial: t, policy: policy!, price: rule!.price });
  }
  const runs = options.runs ?? 100;
  const perRun = Math.min(options.jobs, options.sampleJobs ?? 1000);
  const scales = scalesFor(models, options.strategies, trial.scale);
  const unit = 10 ** scales.money;
  const money = (v: bigint): string => formatUnits(v, scales.money);
  const strategies: StrategyForecast[] = [];
  for (const strategy of options.strategies) {
    if (models.length === 0) break;
    const prng = seed();
    const results: RunTotals[] = [];
    for (let r = 0; r < runs; r++) results.push(simulateRun(models, strategy, perRun, scales, prng.fork()));
    const sum = (f: (r: RunTotals) => bigint): bigint => results.reduce((a, r) => a + f(r), 0n);
    const expected = (f: (r: RunTotals) => bigint): string => money(scaleTotal(sum(f), options.jobs, runs, perRun));
    const [b5, b95] = band(results, (r) => r.billedPerJob, (r) => r.billedLow, options.jobs, unit, prng);
    const [w5, w95] = band(results, (r) => r.wastePerJob, (r) => r.billedLow - r.useful, options.jobs, unit, prng);
    const byCause: Partial<Record<Cause, string>> = {};
    for (const c of CAUSES) {
      const s = sum((r) => r.wasteByCause.get(c) ?? 0n);
      if (s !== 0n) byCause[c] = money(scaleTotal(s, options.jobs, runs, perRun));
    }
    const rates = results.map((r) => r.succeeded / r.jobs).sort((a, b) => a - b);
    const seconds = results.flatMap((r) => r.seconds).sort((a, b) => a - b);
    const attempts = results.reduce((a, r) => a + r.attempts, 0);
    const polls = results.reduce((a, r) => a + r.polls, 0);
    strategies.push({
      label: strategy.label,
      billed: { expected: expected((r) => r.billedLow), p5: moneyText(b5, scales.money), p95: moneyText(b95, scales.money) },
      billed_high: expected((r) => r.billedHigh),
      useful: expected((r) => r.useful),
      waste: { expected: expected((r) => r.billedLow - r.useful), p5: moneyText(w5, scales.money), p95: moneyText(w95, scales.money) },
      waste_by_cause: byCause,
      success_rate: { mean: rates.reduce((a, b) => a + b, 0) / rates.length, low: quantile(rates, 0.05), high: quantile(rates, 0.95) },
      attempts_per_job: attempts / (runs * perRun),
      polls_per_job: polls / (runs * perRun),
      seconds_per_job: { mean: seconds.reduce((a, b) => a + b, 0) / seconds.length, p95: quantile(seconds, 0.95) },
    });
  }
  return {
    currency,
    jobs: options.jobs,
    runs,
    sample_jobs: perRun,
    trial: fits,
    trial_enough: fits.length > 0 && fits.every((f) => f.skipped !== undefined || f.trial_size.enough),
    strategies,
  };
}
