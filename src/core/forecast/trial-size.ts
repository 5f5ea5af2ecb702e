import { Z90, type Moments } from "./stats.js";

/** Whether a trial supports a forecast, and if not, how many more jobs it needs. */
export interface TrialSize {
  readonly jobs: number;
  readonly enough: boolean;
  /** Jobs the rule asks for in all. */
  readonly needed: number;
  readonly more: number;
  /** The rule's reading, in a sentence. */
  readonly why: string;
}

/** The precision the rule asks for: the 90% interval of mean waste per job within ±20% of it. */
export const TARGET_PRECISION = 0.2;
/** Fewer jobs than this never support a forecast (the normal approximation needs them). */
export const MIN_JOBS = 30;
/** With no waste seen: 0 failures in 300 jobs bounds the failure rate under 1% (rule of three, 95%). */
export const NO_WASTE_JOBS = 300;

/**
 * The trial-size rule (docs/forecast.md): a trial supports a forecast when it has at least 30
 * jobs and the 90% interval of the mean waste per job is within ±20% of the mean, that is
 * n ≥ (1.645 · sd / (0.2 · mean))². When it saw no waste at all, it needs 300 jobs (the rule
 * of three: no failure in 300 jobs bounds the failure rate under 1% at 95%).
 */
export function trialSize(wastePerJob: Moments): TrialSize {
  const n = wastePerJob.n;
  const mean = wastePerJob.mean;
  let needed: number;
  let why: string;
  if (mean <= 0) {
    needed = NO_WASTE_JOBS;
    why = `no waste in ${n} jobs: the failure rate could still be up to ${n > 0 ? `${Math.min(100, Math.round(300 / n))}%` : "100%"} (rule of three)`;
  } else {
    const cv = wastePerJob.sd / mean;
    needed = Math.max(MIN_JOBS, Math.ceil(((Z90 * cv) / TARGET_PRECISION) ** 2));
    const precision = n > 1 ? (Z90 * cv) / Math.sqrt(n) : Infinity;
    why = `mean waste per job known to ±${Number.isFinite(precision) ? Math.round(precision * 100) : "∞"}% (90%); ±${TARGET_PRECISION * 100}% needs ${needed} jobs`;
  }
  const enough = n >= needed;
  return { jobs: n, enough, needed, more: Math.max(0, needed - n), why };
}
