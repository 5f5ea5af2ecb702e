import { AsyncLocalStorage } from "node:async_hooks";
import { setMaxListeners } from "node:events";
import { attemptCost, failureTypeOfStatus, parseDecimal, type AttemptEvent, type Decimal, type FailureType, type Outcome, type Policy, type Units } from "../core/index.js";
import { completedFields } from "../providers/completed-fields.js";
import type { JobObjectFacts } from "../providers/types.js";
import type { BudgetBook } from "./budget-book.js";
import type { Clock } from "./clock.js";
import { EventClock, isoMicros } from "./event-time.js";
import { attemptEvent, type EventExtra } from "./events.js";
import { formatFor, type ProviderFormat } from "./formats.js";
import type { GuardNotice } from "./options.js";
import type { Recorder } from "./recorder.js";
import { RetryBudget, type RetryBudgetOptions } from "./retry-budget.js";
import type { RetryPolicy } from "./retry-policy.js";
import type { EndpointTable, ProviderShape } from "./shapes/index.js";
import { AttemptBook } from "./attempt-book.js";
import { isBusy, newJobState, type AttemptState, type JobState } from "./state.js";
import type { GuardStats } from "./stats.js";

/** The guard's settings once defaults are applied. */
export interface GuardSettings {
  readonly mode: "guard" | "record";
  readonly clock: Clock;
  readonly random: () => number;
  readonly baseFetch: typeof fetch;
  readonly table: EndpointTable;
  readonly retryPolicy: RetryPolicy;
  readonly retryBudget: RetryBudgetOptions;
  readonly budget: BudgetBook | undefined;
  readonly unpriced: "refuse" | "allow";
  readonly duplicateWindowMs: number;
  readonly duplicateAction: "flag" | "refuse";
  readonly timeoutMs: number;
  readonly minPollMs: number;
  readonly maxPollMs: number;
  readonly trackMs: number;
  readonly idempotencyHeaders: Readonly<Record<string, string>>;
  readonly recordInputs: boolean;
  readonly recorder: Recorder | undefined;
  readonly onEvent: ((e: AttemptEvent) => void) | undefined;
  readonly onNotice: ((n: GuardNotice) => void) | undefined;
}

/** One run of `guard.job` (the async context of everything `fn` does). */
export interface JobRun {
  readonly state: JobState;
  readonly signal: AbortSignal;
  readonly attempts: AttemptState[];
  timedOut: boolean;
}

/** What an attempt ended as, for `complete`. */
export interface Completion {
  readonly outcome: Outcome;
  readonly runSeconds?: string;
  readonly units?: Units;
  readonly error?: FailureType;
}

/**
 * The guard's state and the bookkeeping every exchange shares: events, attempts by request id
 * and by input, jobs, retry budgets and budget settlement. The exchanges themselves live in
 * their own modules.
 */
export class GuardCore {
  readonly als = new AsyncLocalStorage<JobRun>();
  readonly book = new AttemptBook();
  /** The next attempt number of named jobs seen before (a key run again continues). */
  readonly nextAttemptOf = new Map<string, number>();
  readonly closing = new AbortController();
  private readonly eventClock: EventClock;
  private readonly retryBudgets = new Map<string, RetryBudget>();
  private policies = new Map<string, Policy>();

  constructor(
    readonly s: GuardSettings,
    readonly stats: GuardStats,
  ) {
    this.eventClock = new EventClock(() => s.clock.now());
    // Every tracked orphan waits on this signal: any number of listeners is expected, not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  now(): number {
    return this.s.clock.now();
  }

  setPolicies(policies: readonly Policy[]): void {
    this.policies = new Map(policies.map((p) => [p.provider, p]));
  }

  policyFor(provider: string): Policy | undefined {
    return this.policies.get(provider);
  }

  formatFor(provider: string): ProviderFormat | undefined {
    return formatFor(provider);
  }

  bucket(provider: string): RetryBudget {
    let b = this.retryBudgets.get(provider);
    if (!b) this.retryBudgets.set(provider, (b = new RetryBudget(this.s.retryBudget)));
    return b;
  }

  notice(n: GuardNotice): void {
    this.s.onNotice?.(n);
  }

  /** Records one event about an attempt, now. */
  record(att: AttemptState, type: AttemptEvent["type"], extra?: EventExtra): void {
    const micros = this.eventClock.next();
    const event = attemptEvent(att, type, isoMicros(micros), extra);
    this.s.recorder?.record(event, micros);
    this.s.onEvent?.(event);
  }

  /** The job a create belongs to: the `guard.job` in progress, else one named after its input. */
  jobFor(inputHash: string): JobState {
    const run = this.als.getStore();
    if (run) return run.state;
    const prev = this.book.autoJobs.get(inputHash);
    // A call outside guard.job with the same input right after one that was given up (or whose
    // response was lost) is its retry, as an SDK's own retries are.
    if (prev?.last && !prev.attempts.some(isBusy) && this.now() - prev.last.at < this.s.duplicateWindowMs) return prev;
    const suffix = Math.floor(this.s.random() * 36 ** 6).toString(36).padStart(6, "0");
    const job = newJobState(`auto-${inputHash.slice(7, 19)}-${suffix}`, true, 1);
    this.book.autoJobs.set(inputHash, job);
    return job;
  }

  /** The job run in progress, if any. */
  currentRun(): JobRun | undefined {
    return this.als.getStore();
  }

  /** Starts tracking a new attempt of `job`. */
  newAttempt(job: JobState, fields: { provider: string; model: string; shape: ProviderShape; base: string; inputHash: string; kind: AttemptState["kind"]; unitsAsked: Units | undefined; headers: HeadersInit }): AttemptState {
    this.book.evict(this.now() - Math.max(this.s.duplicateWindowMs, 60_000), (job) => this.s.budget?.forgetJob(job.key));
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    const att: AttemptState = {
      job,
      attempt: job.nextAttempt++,
      ...fields,
      submittedAt: this.now(),
      phase: "sending",
      requestId: undefined,
      links: undefined,
      outcome: undefined,
      reservation: undefined,
      polls: 0,
      lastPollAt: undefined,
      endedUnread: false,
      cancelRequested: false,
      timedOut: false,
      abandoned: false,
      tracking: false,
      finalBody: undefined,
      lastBody: undefined,
      doneAt: undefined,
      done,
      markDone,
    };
    job.attempts.push(att);
    this.currentRun()?.attempts.push(att);
    this.book.add(att);
    return att;
  }

  /** The provider refused the create (or it never left): records it, settles, remembers why. */
  rejected(att: AttemptState, status: number | undefined, failure: FailureType, retryAfterMs?: number): void {
    att.outcome = "rejected";
    this.record(att, "rejected", { ...(status !== undefined ? { http_status: status } : {}), error: failure });
    this.settle(att, "rejected", { failure });
    att.job.last = { kind: "failed", failure, at: this.now(), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    if (this.s.retryPolicy.retryOn.includes(failure)) this.bucket(att.provider).recordFailure();
    this.finish(att);
  }

  /** The provider reports the job ended: records `completed` once, settles the budget. */
  complete(att: AttemptState, c: Completion): void {
    if (att.phase === "done") return;
    att.outcome = c.outcome;
    this.record(att, "completed", completedFields(c.outcome, c));
    this.settle(att, c.outcome, { failure: c.error, runSeconds: c.runSeconds, units: c.units });
    if (c.outcome !== "succeeded") {
      const failure = c.error ?? (c.outcome === "timed_out" || att.timedOut ? "timeout" : "other");
      att.job.last = { kind: "failed", failure, at: this.now() };
    }
    this.finish(att);
  }

  /** A completion from what a provider's job object says, where it says the job ended. */
  completeFrom(att: AttemptState, facts: JobObjectFacts): boolean {
    if (facts.outcome === undefined) return false;
    const outcome = facts.outcome === "failed" && att.cancelRequested ? "canceled" : facts.outcome;
    this.complete(att, {
      outcome,
      ...((facts.runSeconds ?? facts.timedRunSeconds) !== undefined ? { runSeconds: facts.runSeconds ?? facts.timedRunSeconds } : {}),
      ...(facts.units !== undefined && outcome === "succeeded" ? { units: facts.units } : {}),
      ...(facts.error !== undefined && outcome !== "succeeded" ? { error: facts.error } : {}),
    });
    return true;
  }

  /** The failure type of an error response, by the provider's format where there is one. */
  classify(provider: string, status: number, json: unknown, headers: Readonly<Record<string, string>>): FailureType {
    const format = formatFor(provider);
    return format ? format.classifyError(status, json, headers) : (failureTypeOfStatus(status) ?? "other");
  }

  private settle(att: AttemptState, cls: Outcome | "rejected", facts: { failure?: FailureType | undefined; runSeconds?: string | undefined; units?: Units | undefined }): void {
    const r = att.reservation;
    if (!r || !this.s.budget) return;
    const policy = this.policyFor(att.provider);
    let amount = r.amount;
    if (policy) {
      const run = facts.runSeconds !== undefined ? parseRun(facts.runSeconds) : undefined;
      const cost = attemptCost(policy, att.model, {
        cls,
        ...(facts.failure !== undefined ? { failure: facts.failure } : {}),
        ...(run !== undefined ? { runSeconds: run } : {}),
        ...(facts.units !== undefined ? { units: facts.units } : {}),
        ...(att.unitsAsked !== undefined ? { unitsAsked: att.unitsAsked } : {}),
        polls: att.polls,
      });
      if (typeof cost !== "string") amount = cost.high;
    }
    this.s.budget.settle(r, amount);
  }

  private finish(att: AttemptState): void {
    att.phase = "done";
    att.doneAt = this.now();
    att.markDone();
    this.book.finished(att);
  }

}

function parseRun(text: string): Decimal | undefined {
  const d = parseDecimal(text);
  return d && d.units >= 0n ? d : undefined;
}
