import type { Units } from "../event.js";
import { HAS_RARE, WEBHOOK_ASKED, type RareFacts } from "./attempt-codes.js";
import { AttemptTable } from "./attempt-table.js";
import { growable, growTo } from "./growable.js";
import { JobIndex } from "./job-index.js";
import { StringColumn, type StringColumnState } from "./string-column.js";

/** The typed-array columns of a table, in the order a worker sends them. */
export const TABLE_COLUMNS = ["start", "submittedAt", "createdAt", "completedAt", "runSeconds", "attempt", "jobOf", "model", "units", "unitsAsked", "pollHead", "provider", "outcome", "completedError", "flags", "pollTime", "pollStatus", "pollNext"] as const;

/**
 * The parts of an attempt table that another table can absorb: an AttemptTable itself, or the
 * same fields sent from a worker thread (typed arrays transferred, strings cloned).
 */
export type TableState = Pick<AttemptTable, "size" | (typeof TABLE_COLUMNS)[number] | "providers" | "models" | "unitSets"> & {
  readonly rare: ReadonlyMap<number, RareFacts>;
  readonly requestIds: StringColumnState;
  readonly inputHashes: StringColumnState;
  readonly jobNames: StringColumnState;
  readonly jobCount: number;
};

/** A table's state trimmed to its size, and the buffers to transfer it to another thread. */
export function tableState(t: AttemptTable): { state: TableState; transfer: ArrayBuffer[] } {
  const rids = t.requestIds.state(t.size);
  const hashes = t.inputHashes.state(t.size);
  const jobs = t.jobs.state();
  const state: Record<string, unknown> = {
    size: t.size,
    requestIds: rids.state,
    inputHashes: hashes.state,
    jobNames: jobs.state,
    jobCount: t.jobs.count,
    providers: t.providers,
    models: t.models,
    unitSets: t.unitSets,
    rare: t.rare,
  };
  const transfer: ArrayBuffer[] = [...rids.transfer, ...hashes.transfer, ...jobs.transfer];
  for (const k of TABLE_COLUMNS) {
    const a = t[k];
    const n = k === "pollTime" || k === "pollStatus" || k === "pollNext" ? t.polls : t.size;
    const trimmed = a.slice(0, n);
    state[k] = trimmed;
    transfer.push(trimmed.buffer);
  }
  return { state: state as unknown as TableState, transfer };
}

/**
 * Folds every attempt of `src` into `dst`, exactly as if `dst` had read `src`'s events itself:
 * each fact keeps its earliest time or latest terminal state, polls and webhook counts add up.
 * Returns the conflicts found (an attempt naming two providers), with their jobs.
 */
export function absorbTable(dst: AttemptTable, src: TableState): { why: string; job: string }[] {
  const conflicts: { why: string; job: string }[] = [];
  const unitMap = src.unitSets.map((u: Units) => dst.unitSet(u));
  const unitsOf = (id: number): number => (id === -1 ? -1 : unitMap[id]!);
  const has = (v: number): boolean => v === v;
  const jobNames = StringColumn.fromState(src.jobNames, false);
  const requestIds = StringColumn.fromState(src.requestIds, false);
  const inputHashes = StringColumn.fromState(src.inputHashes, true);
  // A job this table has not seen is taken over whole: its rows are copied as they are (no
  // strings made), which is what folding them in one by one would give. Most jobs of a worker's
  // byte ranges are its own.
  // Names are added here only as a copied row needs them, as folding adds only names it keeps.
  const providerIds = src.providers.map(() => -1);
  const modelIds = src.models.map(() => -1);
  const taken = new Int32Array(src.jobCount).fill(-1); // the job's number here, where taken over
  for (let j = 0; j < src.jobCount; j++) {
    const name = jobNames.get(j)!;
    if (dst.jobs.get(name) === -1) taken[j] = dst.newJob(name);
  }
  for (let r = 0; r < src.size; r++) {
    const tj = taken[src.jobOf[r]!]!;
    if (tj !== -1) {
      const p = src.provider[r]!;
      const m = src.model[r]!;
      if (providerIds[p] === -1) providerIds[p] = dst.providerId(src.providers[p]!);
      if (modelIds[m] === -1) modelIds[m] = dst.modelId(src.models[m]!);
      copyRow(dst, src, r, tj, providerIds, modelIds, unitMap, requestIds, inputHashes);
      continue;
    }
    const job = jobNames.get(src.jobOf[r]!)!;
    const attempt = src.attempt[r]!;
    const provider = src.providers[src.provider[r]!]!;
    const model = src.models[src.model[r]!]!;
    const i = dst.row(job, attempt, provider, model, src.start[r]!);
    dst.noteEarliest(dst.start, i, src.start[r]!);
    const conflict = dst.noteProvider(i, job, attempt, provider);
    if (conflict) conflicts.push({ why: conflict, job });
    dst.noteModel(i, model);
    const x = (src.flags[r]! & HAS_RARE) === 0 ? undefined : src.rare.get(r);
    for (const m of x?.otherModels ?? []) dst.noteModel(i, m);
    const rid = requestIds.get(r);
    if (rid !== undefined) dst.noteRequestId(i, rid);
    for (const other of x?.otherRequestIds ?? []) dst.noteRequestId(i, other);
    const submitted = src.submittedAt[r]!;
    if (has(submitted)) {
      dst.noteSubmitted(i, submitted, undefined, -1, (src.flags[r]! & WEBHOOK_ASKED) !== 0);
      const hash = inputHashes.get(r);
      if (hash !== undefined) dst.noteSubmitted(i, x?.hashAt ?? submitted, hash, -1, false);
      if (src.unitsAsked[r] !== -1) dst.noteSubmitted(i, x?.unitsAskedAt ?? submitted, undefined, unitsOf(src.unitsAsked[r]!), false);
    }
    if (has(src.createdAt[r]!)) dst.noteEarliest(dst.createdAt, i, src.createdAt[r]!);
    if (has(src.completedAt[r]!)) dst.noteCompleted(i, src.completedAt[r]!, src.outcome[r]!, src.runSeconds[r]!, x?.runText, unitsOf(src.units[r]!), src.completedError[r]!);
    if (x) {
      if (x.rejectedAt !== undefined) dst.noteRejected(i, x.rejectedAt, x.rejectedStatus ?? 0, x.rejectedError ?? 0);
      if (x.timeoutAt !== undefined) dst.noteRareTime(i, "timeoutAt", x.timeoutAt);
      if (x.cancelAt !== undefined) dst.noteRareTime(i, "cancelAt", x.cancelAt);
      if (x.requeuedAt !== undefined) dst.noteRareTime(i, "requeuedAt", x.requeuedAt);
      if (x.outputRejectedAt !== undefined) dst.noteOutputRejected(i, x.outputRejectedAt, x.outputRejectedError ?? 0);
      dst.noteWebhooks(i, x.webhookDelivered ?? 0, x.webhookFailed ?? 0);
    }
    for (let p = src.pollHead[r]!; p !== -1; p = src.pollNext[p]!) dst.notePoll(i, src.pollTime[p]!, src.pollStatus[p]!);
  }
  return conflicts;
}

/**
 * Appends row `r` of another table to `dst` as a new attempt of job `j` (a job `dst` had not
 * seen, so folding the row in would give exactly the row): its columns are copied as they are,
 * provider, model and unit ids mapped through the given arrays, its polls and rare facts copied.
 * No string is made.
 */
function copyRow(dst: AttemptTable, src: TableState, r: number, j: number, providerIds: readonly number[], modelIds: readonly number[], unitIds: readonly number[], requestIds: StringColumn, inputHashes: StringColumn): void {
  const i = dst.addRow();
  dst.start[i] = src.start[r]!;
  dst.submittedAt[i] = src.submittedAt[r]!;
  dst.createdAt[i] = src.createdAt[r]!;
  dst.completedAt[i] = src.completedAt[r]!;
  dst.runSeconds[i] = src.runSeconds[r]!;
  dst.attempt[i] = src.attempt[r]!;
  dst.jobOf[i] = j;
  dst.nextInJob[i] = dst.jobHead[j]!;
  dst.jobHead[j] = i;
  dst.provider[i] = providerIds[src.provider[r]!]!;
  dst.model[i] = modelIds[src.model[r]!]!;
  const u = src.units[r]!;
  dst.units[i] = u === -1 ? -1 : unitIds[u]!;
  const ua = src.unitsAsked[r]!;
  dst.unitsAsked[i] = ua === -1 ? -1 : unitIds[ua]!;
  dst.outcome[i] = src.outcome[r]!;
  dst.completedError[i] = src.completedError[r]!;
  dst.flags[i] = src.flags[r]!;
  dst.requestIds.copyRow(i, requestIds, r);
  dst.inputHashes.copyRow(i, inputHashes, r);
  if ((src.flags[r]! & HAS_RARE) !== 0) {
    const x = src.rare.get(r)!;
    dst.rare.set(i, { ...x, ...(x.otherModels ? { otherModels: [...x.otherModels] } : {}), ...(x.otherRequestIds ? { otherRequestIds: [...x.otherRequestIds] } : {}) });
  }
  // The list comes out in reverse; poll order does not matter (the row sorts its polls).
  for (let p = src.pollHead[r]!; p !== -1; p = src.pollNext[p]!) dst.notePoll(i, src.pollTime[p]!, src.pollStatus[p]!);
}

/**
 * A table made from another thread's state, taking its arrays as they are (no copy): the
 * indexes the state does not carry (jobs, names, unit sets, job lists) are rebuilt.
 */
export function tableFromState(state: TableState): AttemptTable {
  const t = new AttemptTable();
  t.size = state.size;
  for (const k of ["start", "submittedAt", "createdAt", "completedAt", "runSeconds"] as const) t[k] = state[k];
  for (const k of ["attempt", "jobOf", "model", "units", "unitsAsked", "pollHead"] as const) t[k] = state[k];
  t.provider = state.provider;
  for (const k of ["outcome", "completedError", "flags"] as const) t[k] = state[k];
  t.requestIds = StringColumn.fromState(state.requestIds, false);
  t.inputHashes = StringColumn.fromState(state.inputHashes, true);
  for (const [i, x] of state.rare) t.rare.set(i, x);
  t.pollTime = state.pollTime;
  t.pollStatus = state.pollStatus;
  t.pollNext = state.pollNext;
  t.polls = state.pollTime.length;
  for (const name of state.providers) t.providerId(name);
  for (const name of state.models) t.modelId(name);
  for (const u of state.unitSets) t.unitSet(u);
  t.jobs = JobIndex.fromState(state.jobNames, state.jobCount);
  t.jobHead = growTo(growable(Int32Array), Math.max(1024, state.jobCount), -1);
  t.nextInJob = growTo(growable(Int32Array), state.size);
  for (let i = 0; i < state.size; i++) {
    const j = state.jobOf[i]!;
    t.nextInJob[i] = t.jobHead[j]!;
    t.jobHead[j] = i;
  }
  return t;
}
