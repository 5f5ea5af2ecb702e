import { setMaxListeners } from "node:events";
import { JobTimeoutError } from "../errors.js";
import { timeoutAttempt } from "./create-exchange.js";
import type { GuardCore, JobRun } from "./guard-core.js";
import type { EventSink } from "./recorder.js";
import { newJobState, type JobState } from "./state.js";
import { cancelAndTrack, track } from "./tracker.js";

/** What `fn` gets: the job's key and a signal that aborts when the job times out. */
export interface JobContext {
  readonly key: string;
  readonly signal: AbortSignal;
}

/** Per-call options of `guard.job`. */
export interface JobOptions {
  /** Overrides the guard's timeout for this job, in seconds. */
  readonly timeoutSeconds?: number;
}

/** Reads the next attempt number of a job key from the ledger, where the sink can say. */
async function firstAttempt(core: GuardCore, sink: EventSink | undefined, key: string): Promise<number> {
  const known = core.nextAttemptOf.get(key);
  if (known !== undefined) return known;
  const reader = sink as { jobEvents?: (job: string) => Promise<{ event: { attempt?: number } }[]> } | undefined;
  if (typeof reader?.jobEvents !== "function") return 1;
  let max = 0;
  // A ledger that cannot be read yet does not stop the job (its appends are retried).
  for (const { event } of await reader.jobEvents(key).catch(() => [])) max = Math.max(max, event.attempt ?? 0);
  return max + 1;
}

function remember(core: GuardCore, state: JobState): void {
  if (core.nextAttemptOf.size > 100_000) core.nextAttemptOf.delete(core.nextAttemptOf.keys().next().value!);
  core.nextAttemptOf.set(state.key, state.nextAttempt);
}

/** After `fn` settles: attempts still running are tracked to their end, and cancelled if the job failed. */
function settleOrphans(core: GuardCore, run: JobRun, failed: boolean): void {
  for (const att of run.attempts) {
    if (att.phase !== "running") continue;
    if (failed) cancelAndTrack(core, att);
    else if (!att.finalBody) track(core, att);
  }
}

/**
 * Runs one logical job: every create `fn` makes (through `guard.fetch`) is an attempt of `key`.
 * In guard mode a second call with a key in flight joins the first instead of running again;
 * at the timeout the job's signal aborts, `client_timeout` is recorded and provider jobs are
 * cancelled where possible and tracked to their end. A refusal by the guard is rethrown as its
 * typed error.
 */
export async function runJob<T>(core: GuardCore, sink: EventSink | undefined, key: string, fn: (ctx: JobContext) => Promise<T>, options: JobOptions): Promise<T> {
  let state = core.book.jobs.get(key);
  if (!state) {
    const first = await firstAttempt(core, sink, key);
    state = core.book.jobs.get(key) ?? newJobState(key, false, first);
    core.book.jobs.set(key, state);
  }
  state.runs++;
  const controller = new AbortController();
  // SDKs add a listener to the job's signal for each request of a long poll: not a leak.
  setMaxListeners(0, controller.signal);
  const run: JobRun = { state, signal: controller.signal, attempts: [], timedOut: false };
  const timeoutMs = options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : core.s.timeoutMs;
  const stopTimer = new AbortController();
  const started = core.now();
  const timedOut = new Promise<never>((_, reject) => {
    core.s.clock.sleep(timeoutMs, stopTimer.signal).then(
      () => {
        run.timedOut = true;
        const err = new JobTimeoutError(`failcost guard: job '${key}' timed out after ${(core.now() - started) / 1000} s`, key, (core.now() - started) / 1000);
        for (const att of run.attempts) timeoutAttempt(core, att);
        controller.abort(err);
        reject(err);
      },
      () => undefined,
    );
  });
  let failed = true;
  try {
    const result = await Promise.race([core.als.run(run, () => fn({ key, signal: controller.signal })), timedOut]);
    failed = false;
    return result;
  } catch (e) {
    if (run.timedOut) throw controller.signal.reason;
    const refusal = state.refusal;
    if (refusal) {
      state.refusal = undefined;
      if (refusal !== e) (refusal as { cause?: unknown }).cause ??= e;
      throw refusal;
    }
    throw e;
  } finally {
    stopTimer.abort();
    settleOrphans(core, run, failed);
    // The job's history stays (for the retry policy of a later run) until its attempts age out.
    if (--state.runs === 0) {
      remember(core, state);
      if (state.attempts.length === 0) core.book.jobs.delete(key);
    }
  }
}
