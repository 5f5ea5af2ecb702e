import type { Units } from "../event.js";
import type { AttemptTable } from "./attempt-table.js";

/**
 * The parts of an attempt table that another table can absorb: an AttemptTable itself, or the
 * same fields sent from a worker thread (typed arrays transferred, strings cloned).
 */
export type TableState = Pick<
  AttemptTable,
  | "size"
  | "start"
  | "submittedAt"
  | "hashAt"
  | "unitsAskedAt"
  | "rejectedAt"
  | "createdAt"
  | "completedAt"
  | "timeoutAt"
  | "cancelAt"
  | "requeuedAt"
  | "outputRejectedAt"
  | "runSeconds"
  | "attempt"
  | "jobOf"
  | "provider"
  | "model"
  | "units"
  | "unitsAsked"
  | "pollHead"
  | "webhookDelivered"
  | "webhookFailed"
  | "rejectedStatus"
  | "outcome"
  | "rejectedError"
  | "completedError"
  | "outputRejectedError"
  | "webhookAsked"
  | "requestId"
  | "inputHash"
  | "pollTime"
  | "pollNext"
  | "jobNames"
  | "providers"
  | "models"
  | "unitSets"
> & { readonly extras: ReadonlyMap<number, { otherModels?: string[]; otherRequestIds?: string[]; runText?: string }> };

/**
 * Folds every attempt of `src` into `dst`, exactly as if `dst` had read `src`'s events itself:
 * each fact keeps its earliest time or latest terminal state, polls and webhook counts add up.
 * Returns the conflicts found (an attempt naming two providers).
 */
export function absorbTable(dst: AttemptTable, src: TableState): string[] {
  const conflicts: string[] = [];
  const unitMap = src.unitSets.map((u: Units) => dst.unitSet(u));
  const unitsOf = (id: number): number => (id === -1 ? -1 : unitMap[id]!);
  const has = (v: number): boolean => v === v;
  for (let r = 0; r < src.size; r++) {
    const job = src.jobNames[src.jobOf[r]!]!;
    const attempt = src.attempt[r]!;
    const provider = src.providers[src.provider[r]!]!;
    const model = src.models[src.model[r]!]!;
    const i = dst.row(job, attempt, provider, model, src.start[r]!);
    dst.noteEarliest(dst.start, i, src.start[r]!);
    const conflict = dst.noteProvider(i, job, attempt, provider);
    if (conflict) conflicts.push(conflict);
    dst.noteModel(i, model);
    const x = src.extras.get(r);
    for (const m of x?.otherModels ?? []) dst.noteModel(i, m);
    const rid = src.requestId[r];
    if (rid !== undefined) dst.noteRequestId(i, rid);
    for (const other of x?.otherRequestIds ?? []) dst.noteRequestId(i, other);
    if (has(src.submittedAt[r]!)) dst.noteSubmitted(i, src.submittedAt[r]!, undefined, -1, src.webhookAsked[r] === 1);
    if (has(src.hashAt[r]!)) dst.noteSubmitted(i, src.hashAt[r]!, src.inputHash[r], -1, false);
    if (has(src.unitsAskedAt[r]!)) dst.noteSubmitted(i, src.unitsAskedAt[r]!, undefined, unitsOf(src.unitsAsked[r]!), false);
    if (has(src.rejectedAt[r]!)) dst.noteRejected(i, src.rejectedAt[r]!, src.rejectedStatus[r]!, src.rejectedError[r]!);
    if (has(src.createdAt[r]!)) dst.noteEarliest(dst.createdAt, i, src.createdAt[r]!);
    if (has(src.completedAt[r]!)) dst.noteCompleted(i, src.completedAt[r]!, src.outcome[r]!, src.runSeconds[r]!, x?.runText, unitsOf(src.units[r]!), src.completedError[r]!);
    if (has(src.timeoutAt[r]!)) dst.noteEarliest(dst.timeoutAt, i, src.timeoutAt[r]!);
    if (has(src.cancelAt[r]!)) dst.noteEarliest(dst.cancelAt, i, src.cancelAt[r]!);
    if (has(src.requeuedAt[r]!)) dst.noteEarliest(dst.requeuedAt, i, src.requeuedAt[r]!);
    if (has(src.outputRejectedAt[r]!)) dst.noteOutputRejected(i, src.outputRejectedAt[r]!, src.outputRejectedError[r]!);
    for (let p = src.pollHead[r]!; p !== -1; p = src.pollNext[p]!) dst.notePoll(i, src.pollTime[p]!);
    dst.webhookDelivered[i]! += src.webhookDelivered[r]!;
    dst.webhookFailed[i]! += src.webhookFailed[r]!;
  }
  return conflicts;
}
