import { decimalFromNumber, parseDecimal, unitsAt, unitsOfNumber, type Decimal } from "../decimal.js";
import { OUTCOMES, type Units } from "../event.js";
import type { FailureType } from "../failure-type.js";
import { failureOfCode, WEBHOOK_ASKED } from "./attempt-codes.js";
import type { AttemptTable } from "./attempt-table.js";
import type { GiveUpFacts } from "./judge.js";

function time(a: Float64Array, i: number): number | undefined {
  const v = a[i]!;
  return v === v ? v : undefined;
}

const NO_POLLS: readonly number[] = Object.freeze([]);

const outcomeOf = (t: AttemptTable, i: number): (typeof OUTCOMES)[number] | undefined => {
  const o = t.outcome[i]!;
  return o === 0 ? undefined : OUTCOMES[o - 1];
};

/** What `givenUpAt` reads of attempt `i`, straight from the table's columns (no whole row). */
export function giveUpFacts(t: AttemptTable, i: number): GiveUpFacts {
  const x = t.rareIfAny(i);
  return { outcome: outcomeOf(t, i), createdAt: time(t.createdAt, i), rejectedAt: x?.rejectedAt, completedAt: time(t.completedAt, i), timeoutAt: x?.timeoutAt, outputRejectedAt: x?.outputRejectedAt };
}

/**
 * The times of attempt `i`'s distinct polls, sorted. A poll is its time and HTTP status: the
 * same poll read twice (a line repeated, or in two files) counts once; two polls at the same
 * time with different answers are two.
 */
function distinctPollTimes(t: AttemptTable, i: number): number[] {
  // The list runs newest read first: polls read in time order come out in reverse.
  const times: number[] = [];
  let descending = true;
  for (let p = t.pollHead[i]!; p !== -1; p = t.pollNext[p]!) {
    const at = t.pollTime[p]!;
    if (times.length > 0 && at > times[times.length - 1]!) descending = false;
    times.push(at);
  }
  if (descending) times.reverse();
  else times.sort((a, b) => a - b);
  let tie = false;
  for (let k = 1; k < times.length && !tie; k++) tie = times[k] === times[k - 1];
  if (!tie) return times;
  // Rare: polls at one time, told apart by their statuses.
  const polls: [number, number][] = [];
  for (let p = t.pollHead[i]!; p !== -1; p = t.pollNext[p]!) polls.push([t.pollTime[p]!, t.pollStatus[p]!]);
  polls.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (let k = 0; k < polls.length; k++) if (k === 0 || polls[k]![0] !== polls[k - 1]![0] || polls[k]![1] !== polls[k - 1]![1]) out.push(polls[k]![0]);
  return out;
}

/**
 * Everything the audit knows about one attempt, folded from its events (times in µs since the
 * epoch), read out of the attempt table one job at a time, so only a job's worth exists at once.
 * Plain fields, except the run time, which is turned into an exact decimal only when asked for
 * (the audit prices from `runUnits`).
 */
export class AttemptRow {
  readonly index: number;
  readonly job: string;
  readonly attempt: number;
  readonly providerId: number;
  readonly modelId: number;
  readonly provider: string;
  readonly model: string;
  /** Other model names seen for this attempt (a conflict to report). */
  readonly otherModels: readonly string[] | undefined;
  /** True when events named more than one request id for this attempt (a conflict to report). */
  readonly severalRequestIds: boolean;
  /** Earliest time of any event about this attempt. */
  readonly start: number;
  readonly submittedAt: number | undefined;
  readonly unitsAsked: Units | undefined;
  readonly webhookAsked: boolean;
  readonly rejectedAt: number | undefined;
  readonly rejectedStatus: number | undefined;
  readonly rejectedError: FailureType | undefined;
  readonly createdAt: number | undefined;
  /** The times of its distinct polls (time and status), sorted; two at one time where their statuses differ. */
  readonly polls: readonly number[];
  readonly completedAt: number | undefined;
  readonly outcome: (typeof OUTCOMES)[number] | undefined;
  readonly units: Units | undefined;
  readonly completedError: FailureType | undefined;
  readonly timeoutAt: number | undefined;
  readonly cancelAt: number | undefined;
  readonly webhookDelivered: number;
  readonly webhookFailed: number;
  readonly requeuedAt: number | undefined;
  readonly outputRejectedAt: number | undefined;
  readonly outputRejectedError: FailureType | undefined;
  private readonly run: number;
  private readonly runText: string | undefined;
  private runDecimal: Decimal | undefined | null = null;
  // Request ids and the input hash are made into strings only when asked for (most reports never ask).
  private readonly table: AttemptTable;
  private ids: readonly string[] | undefined | null = null;

  constructor(t: AttemptTable, i: number, job?: string) {
    const x = t.rareIfAny(i);
    this.table = t;
    this.index = i;
    this.job = job ?? t.jobs.name(t.jobOf[i]!);
    this.attempt = t.attempt[i]!;
    this.providerId = t.provider[i]!;
    this.modelId = t.model[i]!;
    this.provider = t.providers[this.providerId]!;
    this.model = t.models[this.modelId]!;
    this.otherModels = x?.otherModels ? [...x.otherModels].sort() : undefined;
    this.severalRequestIds = t.requestIds.has(i) && x?.otherRequestIds !== undefined && x.otherRequestIds.length > 0;
    this.start = t.start[i]!;
    this.submittedAt = time(t.submittedAt, i);
    this.unitsAsked = t.unitsAsked[i] === -1 ? undefined : t.unitSets[t.unitsAsked[i]!];
    this.webhookAsked = (t.flags[i]! & WEBHOOK_ASKED) !== 0;
    this.rejectedAt = x?.rejectedAt;
    this.rejectedStatus = x?.rejectedStatus === 0 ? undefined : x?.rejectedStatus;
    this.rejectedError = failureOfCode(x?.rejectedError ?? 0);
    this.createdAt = time(t.createdAt, i);
    this.polls = t.pollHead[i] === -1 ? NO_POLLS : distinctPollTimes(t, i);
    this.completedAt = time(t.completedAt, i);
    this.outcome = outcomeOf(t, i);
    this.units = t.units[i] === -1 ? undefined : t.unitSets[t.units[i]!];
    this.completedError = failureOfCode(t.completedError[i]!);
    this.timeoutAt = x?.timeoutAt;
    this.cancelAt = x?.cancelAt;
    this.webhookDelivered = x?.webhookDelivered ?? 0;
    this.webhookFailed = x?.webhookFailed ?? 0;
    this.requeuedAt = x?.requeuedAt;
    this.outputRejectedAt = x?.outputRejectedAt;
    this.outputRejectedError = failureOfCode(x?.outputRejectedError ?? 0);
    this.run = t.runSeconds[i]!;
    this.runText = x?.runText;
  }

  /** Its request ids, sorted (one unless events disagreed), or undefined before the provider gave one. */
  get requestIds(): readonly string[] | undefined {
    if (this.ids === null) {
      const rid = this.table.requestIds.get(this.index);
      const others = this.table.rareIfAny(this.index)?.otherRequestIds;
      this.ids = rid === undefined ? undefined : others ? [rid, ...others].sort() : [rid];
    }
    return this.ids;
  }

  /** The hash of the request payload its `submitted` event gave. */
  get inputHash(): string | undefined {
    return this.table.inputHashes.get(this.index);
  }

  /** Provider-reported compute seconds, exact. */
  get runSeconds(): Decimal | undefined {
    if (this.runDecimal === null) {
      this.runDecimal = this.runText !== undefined ? parseDecimal(this.runText) : this.run === this.run ? decimalFromNumber(this.run) : undefined;
    }
    return this.runDecimal;
  }

  /** The run seconds as whole units of 10^-scale (exact), or undefined. */
  runUnits(scale: number): bigint | undefined {
    if (this.runText !== undefined) return unitsAt(parseDecimal(this.runText)!, scale);
    return this.run === this.run ? unitsOfNumber(this.run, scale) : undefined;
  }
}
