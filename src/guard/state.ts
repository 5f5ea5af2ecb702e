import type { Kind, Outcome, Units } from "../core/index.js";
import type { Reservation } from "./budget-book.js";
import type { LastOutcome } from "./retry-policy.js";
import type { JobLinks, ProviderShape } from "./shapes/index.js";

/** One logical job as the guard tracks it while it runs. */
export interface JobState {
  readonly key: string;
  /** Named by the guard (a call made outside `guard.job`). */
  readonly auto: boolean;
  nextAttempt: number;
  readonly attempts: AttemptState[];
  /** How the latest given-up attempt ended, for the retry decision. */
  last: LastOutcome | undefined;
  /** Why the guard refused a request of this job (rethrown by `guard.job`). */
  refusal: Error | undefined;
  /** Runs of `guard.job` using this state (record mode lets several share one key). */
  runs: number;
}

/** Where an attempt is: being sent, accepted and running, finished, or lost in transit. */
export type AttemptPhase = "sending" | "running" | "done" | "unknown";

/** One create request and the provider job it made. Headers stay in memory, never in events. */
export interface AttemptState {
  readonly job: JobState;
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  readonly shape: ProviderShape;
  readonly base: string;
  readonly inputHash: string;
  readonly kind: Kind | undefined;
  readonly unitsAsked: Units | undefined;
  readonly submittedAt: number;
  /** The create's headers (auth, API version), to poll or cancel the job later; see `followUpHeaders`. */
  readonly headers: HeadersInit;
  phase: AttemptPhase;
  requestId: string | undefined;
  links: JobLinks | undefined;
  outcome: Outcome | "rejected" | undefined;
  reservation: Reservation | undefined;
  polls: number;
  lastPollAt: number | undefined;
  /** A status said the job ended without saying how (fal): the result tells. */
  endedUnread: boolean;
  cancelRequested: boolean;
  timedOut: boolean;
  /** The caller stopped waiting for the create's response; handle the job when it arrives. */
  abandoned: boolean;
  tracking: boolean;
  /** The final job object a webhook delivered: status requests are answered from it. */
  finalBody: unknown;
  /** The latest job object seen (for `guard.wait`). */
  lastBody: unknown;
  doneAt: number | undefined;
  /** Resolves when the attempt is done (completed or rejected). */
  readonly done: Promise<void>;
  readonly markDone: () => void;
}

/** A new job state. */
export function newJobState(key: string, auto: boolean, firstAttempt: number): JobState {
  return { key, auto, nextAttempt: firstAttempt, attempts: [], last: undefined, refusal: undefined, runs: 0 };
}

/** True when the attempt is still counted on (in flight or succeeded), for duplicates. */
export function isLive(a: AttemptState): boolean {
  if (a.timedOut || a.cancelRequested) return false;
  return a.outcome === undefined || a.outcome === "succeeded";
}

/** True while the attempt is in flight or has succeeded: a new create then is no retry of it. */
export function isBusy(a: AttemptState): boolean {
  return a.phase === "sending" || a.phase === "running" || a.outcome === "succeeded";
}
