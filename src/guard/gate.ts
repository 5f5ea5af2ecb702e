import { decimalFromNumber, formatDecimal, worstCaseCost, type Units } from "../core/index.js";
import { BudgetExceededError, DuplicateInputError, GuardRefusal, RetryRefusedError } from "../errors.js";
import { budgetPeriod, isBudgetRefusal, type Reservation } from "./budget-book.js";
import { abortReason } from "./clock.js";
import type { GuardCore } from "./guard-core.js";
import { decideRetry, type RetryRefusal } from "./retry-policy.js";
import { isBusy, type JobState } from "./state.js";

/** What a create asks for, as the gate sees it. */
export interface GateRequest {
  readonly provider: string;
  readonly model: string;
  readonly inputHash: string;
  readonly unitsAsked: Units | undefined;
  readonly idempotent: boolean;
  /** The caller's signal and the job's: a backoff wait ends when either aborts. */
  readonly signal: AbortSignal | undefined;
}

/** Let through, with what `book` made of it; or refused, with the error to report. */
export type GateResult<T> = { readonly ok: true; readonly booked: T } | { readonly ok: false; readonly error: GuardRefusal };

const RETRY_WORDS: Record<RetryRefusal, string> = {
  attempts: "the attempt cap is reached",
  not_retryable: "the last failure is not worth retrying",
  retry_budget: "the provider's retry budget is spent (too many failures lately)",
  retry_after_too_long: "the provider asked to wait longer than the policy allows",
  outcome_unknown: "the last attempt's response was lost and the provider may have the job (no idempotency key)",
};

function lastWords(job: JobState): string {
  const last = job.last;
  if (!last) return "";
  return last.kind === "unknown" ? " (last: response lost)" : ` (last: ${last.failure})`;
}

/** Waits for `ms` on the guard's clock, ending early if the caller, the job or the guard is done. */
async function wait(core: GuardCore, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return;
  const signals = [core.closing.signal, ...(signal ? [signal] : [])];
  await core.s.clock.sleep(ms, signals.length === 1 ? signals[0] : AbortSignal.any(signals));
}

/** The retry policy's verdict on the next attempt of a job whose last attempt was given up. */
async function checkRetry(core: GuardCore, job: JobState, req: GateRequest): Promise<GuardRefusal | undefined> {
  const made = job.attempts.length;
  const policy = core.s.retryPolicy;
  if (made >= policy.maxAttempts) {
    return new RetryRefusedError(`failcost guard: job '${job.key}' not sent again: ${RETRY_WORDS.attempts} (${policy.maxAttempts})${lastWords(job)}`, job.key, "attempts");
  }
  if (made === 0 || !job.last || job.attempts.some(isBusy)) return undefined;
  const decision = decideRetry(policy, {
    next: made + 1,
    last: job.last,
    budgetAllows: core.bucket(req.provider).allowsRetry(),
    idempotent: req.idempotent,
    random: core.s.random,
  });
  if (!decision.retry) return new RetryRefusedError(`failcost guard: job '${job.key}' not retried: ${RETRY_WORDS[decision.why]}${lastWords(job)}`, job.key, decision.why);
  await wait(core, decision.notBefore - core.now(), req.signal);
  return undefined;
}

function checkDuplicate(core: GuardCore, job: JobState, req: GateRequest): GuardRefusal | undefined {
  const other = core.book.liveDuplicates(req.inputHash, core.now() - core.s.duplicateWindowMs)[0];
  if (!other) return undefined;
  const otherJob = other.job.key;
  if (core.s.duplicateAction === "refuse") {
    return new DuplicateInputError(`failcost guard: job '${job.key}' not sent: the same input is in flight or done in job '${otherJob}'`, job.key, otherJob);
  }
  core.stats.duplicatesFlagged++;
  core.notice({ kind: "duplicate_input", job: job.key, otherJob, inputHash: req.inputHash });
  return undefined;
}

function reserve(core: GuardCore, job: JobState, req: GateRequest): Reservation | GuardRefusal | undefined {
  const book = core.s.budget;
  if (!book) return undefined;
  const policy = core.policyFor(req.provider);
  const worst = policy
    ? worstCaseCost(policy, req.model, {
        ...(req.unitsAsked ? { unitsAsked: req.unitsAsked } : {}),
        fallbackRunSeconds: decimalFromNumber(core.s.timeoutMs / 1000)!,
        maxPolls: Math.ceil(core.s.timeoutMs / core.s.minPollMs) + 1,
      })
    : `no billing policy for provider '${req.provider}'`;
  if (typeof worst === "string") {
    if (core.s.unpriced === "allow") {
      core.notice({ kind: "unpriced", provider: req.provider, model: req.model, why: worst });
      return undefined;
    }
    return new GuardRefusal(`failcost guard: job '${job.key}' not sent: ${worst}, so the budget cannot be checked (set budget.unpriced: "allow" to send anyway)`, "budget", job.key);
  }
  const r = book.reserve({ job: job.key, ...budgetPeriod(core.now()) }, worst);
  if (!isBudgetRefusal(r)) return r;
  const [limit, used, asked] = [formatDecimal(r.limit), formatDecimal(r.used), formatDecimal(r.asked)];
  return new BudgetExceededError(
    `failcost guard: job '${job.key}' not sent: the ${r.scope} budget ${limit} would be exceeded (${used} spent or held, this attempt may cost up to ${asked})`,
    job.key,
    r.scope,
    limit,
    used,
    asked,
  );
}

/**
 * Everything checked before a create is sent, in this order: the attempt cap and the retry
 * policy (waiting out the backoff or `Retry-After`), duplicates, then the budget (holding the
 * worst case last, so nothing is held while waiting). In `record` mode everything passes.
 * What passes is booked by `book`, with the money held for it, in the same step as the checks
 * after the wait: a create of the same input a moment later finds it in the book. A caller who
 * gave up during the wait gets its abort, and nothing is booked or held.
 */
export async function gate<T>(core: GuardCore, job: JobState, req: GateRequest, book: (reservation: Reservation | undefined) => T): Promise<GateResult<T>> {
  if (core.s.mode !== "record") {
    const retry = await checkRetry(core, job, req);
    if (retry) return { ok: false, error: retry };
  }
  if (req.signal?.aborted) throw abortReason(req.signal);
  if (core.s.mode === "record") return { ok: true, booked: book(undefined) };
  const dup = checkDuplicate(core, job, req);
  if (dup) return { ok: false, error: dup };
  const held = reserve(core, job, req);
  if (held instanceof GuardRefusal) return { ok: false, error: held };
  return { ok: true, booked: book(held) };
}
