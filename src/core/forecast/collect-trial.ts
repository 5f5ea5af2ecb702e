import type { AuditedAttempt } from "../audit/analyze.js";
import type { AttemptSample, Category, GroupTrial } from "./trial.js";
import type { Prng } from "./prng.js";
import { Moments } from "./stats.js";

const SECOND = 1_000_000;

/** The category an attempt's outcome is counted in (see `Category`). */
export function categoryOf(a: AuditedAttempt): Category {
  switch (a.cls) {
    case "succeeded":
      return a.state.outputRejectedAt !== undefined ? "quality" : "succeeded";
    case "failed":
    case "rejected":
      return `${a.cls}:${a.failure ?? "other"}`;
    case "pending":
      return "unknown";
    default:
      return a.cls;
  }
}

function sampleOf(a: AuditedAttempt, scale: number): AttemptSample {
  const s = a.state;
  const from = s.submittedAt ?? s.start;
  const endOutcome = s.completedAt ?? s.rejectedAt;
  const end = s.timeoutAt !== undefined && (endOutcome === undefined || s.timeoutAt < endOutcome) ? s.timeoutAt : (endOutcome ?? s.polls[s.polls.length - 1] ?? from);
  return {
    cls: a.cls,
    failure: a.failure,
    runSeconds: s.runSeconds,
    units: s.units,
    unitsAsked: s.unitsAsked,
    polls: a.polls,
    durationMicros: Math.max(0, (endOutcome ?? end) - from),
    clientTimeout: s.timeoutAt !== undefined && (endOutcome === undefined || s.timeoutAt < endOutcome),
    outputRejected: s.outputRejectedAt !== undefined,
    requeued: s.requeuedAt !== undefined,
    charged: a.charged,
    chargeScale: scale,
  };
}

/** Collects a trial from the audit's visit, keeping at most `reservoir` samples of each kind. */
export interface TrialCollector {
  /** Use as the audit's `visit`. */
  add(attempts: readonly AuditedAttempt[], scale: number): void;
  readonly groups: Map<string, GroupTrial>;
  /** Money scale of the audit's amounts (charges in the samples). */
  readonly scale: number;
}

/**
 * Starts collecting a trial. Each job is counted under the provider and model of its first
 * attempt; categories are counted exactly, and samples are kept by reservoir sampling (seeded,
 * so the forecast stays deterministic) to bound memory on a large ledger.
 */
export function createTrialCollector(prng: Prng, reservoir = 5000): TrialCollector {
  const groups = new Map<string, GroupTrial>();
  let scale = 0;
  const keep = <T>(list: T[], seen: number, value: T): void => {
    if (list.length < reservoir) list.push(value);
    else {
      const j = prng.int(seen);
      if (j < reservoir) list[j] = value;
    }
  };
  const seen = new Map<unknown[], number>();
  const offer = <T>(list: T[], value: T): void => {
    const n = (seen.get(list) ?? 0) + 1;
    seen.set(list, n);
    keep(list, n, value);
  };
  const collector: TrialCollector = {
    groups,
    get scale() {
      return scale;
    },
    add(attempts, s) {
      scale = s;
      const first = attempts[0]!.state;
      const key = `${first.provider}\u0000${first.model}`;
      let g = groups.get(key);
      if (!g) {
        g = { provider: first.provider, model: first.model, jobs: 0, attempts: 0, attemptsPerJob: new Moments(), maxAttempts: 0, counts: new Map(), samples: new Map(), duplicates: 0, webhookAttempts: 0, requeues: 0, pollGaps: [], waited: [], retryGaps: [], retriedAfter: new Set(), wastePerJob: new Moments(), billedPerJob: new Moments() };
        groups.set(key, g);
      }
      g.jobs++;
      g.attempts += attempts.length;
      g.attemptsPerJob.add(attempts.length);
      g.maxAttempts = Math.max(g.maxAttempts, attempts.length);
      let billed = 0n;
      let useful = 0n;
      attempts.forEach((a, i) => {
        billed += a.billed;
        if (a.used) useful += a.billed;
        if (a.duplicate) {
          g.duplicates++;
          return; // a duplicate is replayed by the duplicate rate, not as an outcome
        }
        const c = categoryOf(a);
        g.counts.set(c, (g.counts.get(c) ?? 0) + 1);
        let list = g.samples.get(c);
        if (!list) g.samples.set(c, (list = []));
        const sample = sampleOf(a, s);
        offer(list, sample);
        const st = a.state;
        if (st.webhookAsked || st.webhookDelivered > 0 || st.webhookFailed > 0) g.webhookAttempts++;
        if (sample.requeued) g.requeues++;
        for (let k = 1; k < st.polls.length; k++) if (st.polls[k]! > st.polls[k - 1]!) offer(g.pollGaps, (st.polls[k]! - st.polls[k - 1]!) / SECOND);
        if (sample.clientTimeout) offer(g.waited, sample.durationMicros / SECOND);
        const next = attempts[i + 1];
        if (next !== undefined) {
          g.retriedAfter.add(sample.clientTimeout ? "timeout" : (a.failure ?? a.cls));
          const end = (st.submittedAt ?? st.start) + sample.durationMicros;
          const nextStart = next.state.submittedAt ?? next.state.start;
          if (nextStart >= end) offer(g.retryGaps, (nextStart - end) / SECOND);
        }
      });
      const unit = 10 ** s;
      g.billedPerJob.add(Number(billed) / unit);
      g.wastePerJob.add(Number(billed - useful) / unit);
    },
  };
  return collector;
}
