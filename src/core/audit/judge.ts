import type { Cause } from "../cause.js";
import { failureTypeOfStatus, type FailureType } from "../failure-type.js";
import { giveUpFacts } from "./attempt-row.js";
import type { AttemptTable } from "./attempt-table.js";
import type { AttemptView } from "./attempt-view.js";
import type { AttemptClass } from "./price-attempt.js";

/** What spec §4 decides about one attempt, before any money. */
export interface Judgement<S extends AttemptView = AttemptView> {
  readonly state: S;
  readonly cls: AttemptClass;
  readonly failure: FailureType | undefined;
  readonly givenUp: boolean;
  duplicate: boolean;
  used: boolean;
  rerun: boolean;
  cause: Cause | undefined;
  /** Distinct polls, polls closer than `min_poll_seconds`, polls made while a webhook was set. */
  polls: number;
  tooClose: number;
  whileWebhook: number;
}

/** How an attempt ended, for billing. A provider job that exists is never `rejected`. */
export function classify(s: Pick<AttemptView, "outcome" | "rejectedAt" | "createdAt">): AttemptClass {
  if (s.outcome !== undefined) return s.outcome;
  if (s.rejectedAt !== undefined && s.createdAt === undefined) return "rejected";
  return "pending";
}

/** The attempt's failure type (cause rule 4), where it has one. */
export function failureOf(s: AttemptView, cls: AttemptClass): FailureType | undefined {
  if (cls === "rejected") return s.rejectedError ?? (s.rejectedStatus !== undefined ? failureTypeOfStatus(s.rejectedStatus) : undefined) ?? "other";
  if (cls === "failed") return s.completedError ?? "other";
  if (cls === "canceled" || cls === "timed_out") return s.completedError;
  if (s.outputRejectedAt !== undefined) return s.outputRejectedError ?? "quality";
  return undefined;
}

/** What `givenUpAt` reads of an attempt (a whole view, or just these from the table's columns). */
export type GiveUpFacts = Pick<AttemptView, "outcome" | "createdAt" | "rejectedAt" | "completedAt" | "timeoutAt" | "outputRejectedAt">;

/**
 * When the caller stopped counting on the attempt (spec §4, "given up"): the earliest of its
 * rejection (no provider job), a completion other than `succeeded`, a `client_timeout` and an
 * `output_rejected`; Infinity while it has not been given up.
 */
export function givenUpAt(s: GiveUpFacts): number {
  let at = Infinity;
  if (s.timeoutAt !== undefined && s.timeoutAt < at) at = s.timeoutAt;
  if (s.outputRejectedAt !== undefined && s.outputRejectedAt < at) at = s.outputRejectedAt;
  if (s.outcome !== undefined && s.outcome !== "succeeded" && s.completedAt !== undefined && s.completedAt < at) at = s.completedAt;
  if (classify(s) === "rejected" && s.rejectedAt! < at) at = s.rejectedAt!;
  return at;
}

/** True when the caller got the output: it succeeded with no client timeout before completion. */
export function isReceived(s: AttemptView): boolean {
  return s.outcome === "succeeded" && !(s.timeoutAt !== undefined && s.timeoutAt < s.completedAt!);
}

/** True when the attempt timed out for the caller or at the provider (cause rule 3). */
export function isTimedOut(s: AttemptView): boolean {
  return s.outcome === "timed_out" || (s.timeoutAt !== undefined && (s.completedAt === undefined || s.timeoutAt < s.completedAt));
}

/** Counts polls, and those closer than `minPollSeconds` or made while a webhook was set. */
export function measurePolls(s: AttemptView, minPollSeconds: number | undefined): { polls: number; tooClose: number; whileWebhook: number } {
  const times = s.polls;
  if (times.length === 0) return { polls: 0, tooClose: 0, whileWebhook: 0 };
  // `times` holds one entry per distinct poll (the same poll read twice is already one).
  let tooClose = 0;
  const minGap = minPollSeconds === undefined ? 0 : minPollSeconds * 1_000_000;
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! < minGap) tooClose++;
  const webhook = s.webhookAsked || s.webhookDelivered > 0 || s.webhookFailed > 0;
  return { polls: times.length, tooClose, whileWebhook: webhook ? times.length : 0 };
}

/** The cause of an unused attempt's charge: the first rule of spec §4 that holds. */
export function causeOf(j: Judgement): Cause {
  const s = j.state;
  if (j.duplicate) return "duplicate_submission";
  if (j.rerun) return "webhook";
  if (isTimedOut(s)) return "timeout";
  if (j.failure !== undefined) return j.failure;
  if (j.cls === "canceled" || s.cancelAt !== undefined) return "canceled";
  if (j.cls === "succeeded") return "superseded";
  // Still in flight with a charge: nothing above holds.
  return "other";
}

/**
 * Finds duplicates (spec §4): an attempt whose `input_hash` equals that of an earlier attempt,
 * of any job, submitted at most `windowMicros` before it, that was not given up when this one
 * was submitted (it had succeeded or was still in flight then). A retry after the earlier
 * attempt was given up (at the same instant or before) is no duplicate. Returns one flag per
 * attempt of the table.
 */
export function findDuplicates(table: AttemptTable, windowMicros: number): Uint8Array {
  const flags = new Uint8Array(table.size);
  const hashes = table.inputHashes;
  // Group rows by hash without a map of strings: sort (hash prefix, row) packed in one double,
  // then check runs of equal prefixes byte by byte.
  const rowBits = Math.max(1, Math.ceil(Math.log2(table.size + 1)));
  const hashBits = 53 - rowBits;
  const scale = 2 ** rowBits;
  let n = 0;
  const keys = new Float64Array(table.size);
  for (let i = 0; i < table.size; i++) if (hashes.has(i)) keys[n++] = Math.floor(hashes.hash(i) / 2 ** (32 - Math.min(32, hashBits))) * scale + i;
  const sorted = keys.subarray(0, n).sort();
  const sub = (i: number): number => {
    const t = table.submittedAt[i]!;
    return t === t ? t : table.start[i]!;
  };
  const bySubmission = (a: number, b: number): number => {
    const d = sub(a) - sub(b);
    if (d !== 0) return d;
    const ja = table.jobs.name(table.jobOf[a]!);
    const jb = table.jobs.name(table.jobOf[b]!);
    return (ja < jb ? -1 : ja > jb ? 1 : 0) || table.attempt[a]! - table.attempt[b]!;
  };
  for (let k = 0; k < n; ) {
    const prefix = Math.floor(sorted[k]! / scale);
    let e = k + 1;
    while (e < n && Math.floor(sorted[e]! / scale) === prefix) e++;
    if (e - k === 2) {
      // Most groups are one job's two attempts: the later is a duplicate when the earlier was
      // given up only after it was submitted, within the window (markWindow for two rows).
      const a = sorted[k]! - prefix * scale;
      const b = sorted[k + 1]! - prefix * scale;
      if (hashes.same(a, b)) {
        const [x, y] = bySubmission(a, b) <= 0 ? [a, b] : [b, a];
        if (sub(x) >= sub(y) - windowMicros && givenUpAt(giveUpFacts(table, x)) > sub(y)) flags[y] = 1;
      }
    } else if (e - k > 2) {
      let rows = Array.from(sorted.subarray(k, e), (v) => v - prefix * scale);
      while (rows.length > 1) {
        const head = rows[0]!;
        const group: number[] = [];
        const rest: number[] = [];
        for (const r of rows) (hashes.same(r, head) ? group : rest).push(r);
        markWindow(group.sort(bySubmission), table, windowMicros, sub, flags);
        rows = rest;
      }
    }
    k = e;
  }
  return flags;
}

/**
 * Within one group of equal hashes in submission order: an attempt is a duplicate when an
 * earlier one in the window was given up only after it was submitted. The latest give-up time
 * in the window comes from a deque kept in decreasing order (a sliding-window maximum), so a
 * group of any size is one pass.
 */
function markWindow(list: readonly number[], table: AttemptTable, windowMicros: number, sub: (i: number) => number, flags: Uint8Array): void {
  const givenUp = list.map((i) => givenUpAt(giveUpFacts(table, i)));
  const deque: number[] = []; // positions in `list`, their give-up times decreasing
  let head = 0;
  for (let k = 0; k < list.length; k++) {
    const t = sub(list[k]!);
    while (head < deque.length && sub(list[deque[head]!]!) < t - windowMicros) head++;
    if (head < deque.length && givenUp[deque[head]!]! > t) flags[list[k]!] = 1;
    while (deque.length > head && givenUp[deque[deque.length - 1]!]! <= givenUp[k]!) deque.pop();
    deque.push(k);
  }
}

/**
 * Within one job (attempts sorted by number): marks the used attempt, the earliest that
 * succeeded, is no duplicate, and whose output was received and kept; and marks provider
 * re-runs after a `webhook_failed` with `requeued: true` on the attempt before.
 */
export function markJob(attempts: readonly Judgement[]): void {
  let usedFound = false;
  for (let i = 0; i < attempts.length; i++) {
    const j = attempts[i]!;
    const s = j.state;
    if (!usedFound && j.cls === "succeeded" && !j.duplicate && isReceived(s) && s.outputRejectedAt === undefined) {
      j.used = true;
      usedFound = true;
    }
    if (i > 0 && attempts[i - 1]!.state.requeuedAt !== undefined) j.rerun = true;
  }
  for (const j of attempts) if (!j.used) j.cause = causeOf(j);
}
