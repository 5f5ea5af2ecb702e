import { attemptCost, decimalFromNumber, formatDecimal, type ChargedEvent, type Outcome, type Policy, type Units } from "../core/index.js";
import { isoMicros } from "../guard/event-time.js";

/** The phases a fake job goes through. */
export type FakePhase = "queued" | "running" | "succeeded" | "failed" | "canceled";

/** One job the fake accepted. */
export interface FakeJob {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly createdAt: number;
  /** When it ends on its own (ms since the epoch): a failing job fails halfway. */
  readonly endsAt: number;
  readonly fails: boolean;
  /** What a success delivers. */
  readonly units: Units;
  readonly input: unknown;
  /** A webhook URL the create asked for. */
  readonly webhook: string | undefined;
  canceledAt: number | undefined;
  webhookSent: boolean;
}

/** Where a job is at `now`. */
export function phaseAt(job: FakeJob, now: number): FakePhase {
  if (job.canceledAt !== undefined && job.canceledAt < job.endsAt) return "canceled";
  if (now >= job.endsAt) return job.fails ? "failed" : "succeeded";
  return now - job.createdAt < (job.endsAt - job.createdAt) * 0.1 ? "queued" : "running";
}

/** When the job ended (or ends), whatever happens: its natural end, or its cancel. */
export function endOf(job: FakeJob): number {
  return job.canceledAt !== undefined && job.canceledAt < job.endsAt ? job.canceledAt : job.endsAt;
}

/** Seconds it has run by `now`, to the millisecond (queue time is not run time). */
export function runSecondsAt(job: FakeJob, now: number): number {
  const queued = (job.endsAt - job.createdAt) * 0.1;
  const ran = Math.min(now, endOf(job)) - job.createdAt - queued;
  return Math.max(0, Math.round(ran)) / 1000;
}

/** True once the job has ended by `now`. */
export function isEnded(job: FakeJob, now: number): boolean {
  const p = phaseAt(job, now);
  return p === "succeeded" || p === "failed" || p === "canceled";
}

/**
 * What the fake bills for each job it accepted, under its own policies: a `charged` event per
 * job, as if every job still running runs to its end (its bill arrives later either way).
 */
export function chargesOf(jobs: Iterable<FakeJob>, policies: ReadonlyMap<string, Policy>): ChargedEvent[] {
  const out: ChargedEvent[] = [];
  for (const job of jobs) {
    const policy = policies.get(job.provider);
    if (!policy) continue;
    const end = endOf(job);
    const outcome = phaseAt(job, end) as Outcome;
    const cost = attemptCost(policy, job.model, {
      cls: outcome,
      runSeconds: decimalFromNumber(runSecondsAt(job, end))!,
      ...(outcome === "succeeded" ? { units: job.units } : {}),
    });
    if (typeof cost === "string" || cost.low.units === 0n) continue;
    out.push({ type: "charged", ts: isoMicros(Math.round(end) * 1000), provider: job.provider, model: job.model, request_id: job.id, amount: formatDecimal(cost.low), currency: policy.currency });
  }
  return out;
}
