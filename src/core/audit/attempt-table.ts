import { decimalFromNumber, parseDecimal, scaleOf, unitsAt, unitsOfNumber, ZERO, type Decimal } from "../decimal.js";
import { OUTCOMES, type AttemptEvent, type Units } from "../event.js";
import { FAILURE_TYPES, type FailureType } from "../failure-type.js";
import type { AttemptView } from "./attempt-view.js";
import { readQuantity } from "./quantity.js";

const NONE = Number.NaN;

function grow<T extends Float64Array | Int32Array | Uint8Array | Uint16Array>(a: T, size: number, fill?: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

function failureCode(t: FailureType | undefined | null): number {
  return t === undefined || t === null ? 0 : FAILURE_TYPES.indexOf(t) + 1;
}

function failureOfCode(c: number): FailureType | undefined {
  return c === 0 ? undefined : FAILURE_TYPES[c - 1];
}

function scaleOfNumber(v: number): number {
  const text = String(v);
  if (text.includes("e")) return scaleOf(decimalFromNumber(v) ?? ZERO);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** True when `at` should replace `current` as the earliest time (NaN means none yet). */
function isEarlier(at: number, current: number): boolean {
  return current !== current || at < current;
}

/** Rare per-attempt facts, kept aside so the common columns stay small. */
interface Extras {
  otherModels?: string[];
  otherRequestIds?: string[];
  /** run_seconds text that a double cannot hold exactly. */
  runText?: string;
}

const FLOAT_COLUMNS = ["start", "submittedAt", "hashAt", "unitsAskedAt", "rejectedAt", "createdAt", "completedAt", "timeoutAt", "cancelAt", "requeuedAt", "outputRejectedAt", "runSeconds"] as const;
const INDEX_COLUMNS = ["units", "unitsAsked", "pollHead", "nextInJob"] as const;

/**
 * All attempts seen so far, one column per fact (typed arrays), so memory grows by about a
 * hundred bytes per attempt plus its request id and input hash, whatever the number of events.
 * Events fold in any order, and tables built from parts of a log merge into the same table the
 * whole log gives: every field keeps the earliest time, or the latest terminal state, with
 * deterministic tie-breaks.
 */
export class AttemptTable {
  size = 0;
  private cap = 0;
  // Times in µs since the epoch; NaN where the event was not seen.
  start = new Float64Array(0);
  submittedAt = new Float64Array(0);
  /** When the input hash and the asked units were given (earliest submitted event carrying them). */
  hashAt = new Float64Array(0);
  unitsAskedAt = new Float64Array(0);
  rejectedAt = new Float64Array(0);
  createdAt = new Float64Array(0);
  completedAt = new Float64Array(0);
  timeoutAt = new Float64Array(0);
  cancelAt = new Float64Array(0);
  requeuedAt = new Float64Array(0);
  outputRejectedAt = new Float64Array(0);
  runSeconds = new Float64Array(0);
  attempt = new Int32Array(0);
  jobOf = new Int32Array(0);
  nextInJob = new Int32Array(0);
  provider = new Uint16Array(0);
  model = new Int32Array(0);
  units = new Int32Array(0);
  unitsAsked = new Int32Array(0);
  pollHead = new Int32Array(0);
  webhookDelivered = new Int32Array(0);
  webhookFailed = new Int32Array(0);
  rejectedStatus = new Uint16Array(0);
  outcome = new Uint8Array(0);
  rejectedError = new Uint8Array(0);
  completedError = new Uint8Array(0);
  outputRejectedError = new Uint8Array(0);
  webhookAsked = new Uint8Array(0);
  requestId: (string | undefined)[] = [];
  inputHash: (string | undefined)[] = [];
  readonly extras = new Map<number, Extras>();

  // Polls: a linked list per attempt in two flat arrays.
  pollTime = new Float64Array(1024);
  pollNext = new Int32Array(1024);
  polls = 0;

  // Jobs: name → head of its attempt list.
  readonly jobIndex = new Map<string, number>();
  readonly jobNames: string[] = [];
  jobHead = new Int32Array(1024);

  // Interned names and unit sets.
  readonly providers: string[] = [];
  private readonly providerIds = new Map<string, number>();
  readonly models: string[] = [];
  private readonly modelIds = new Map<string, number>();
  readonly unitSets: Units[] = [];
  /** Each unit set's JSON text, its identity. */
  readonly unitKeys: string[] = [];
  private readonly unitIds = new Map<string, number>();
  private readonly unitIdsByObject = new Map<Units, number>();

  private ensure(): void {
    if (this.size < this.cap) return;
    const cap = Math.max(1024, this.cap * 2);
    for (const k of FLOAT_COLUMNS) this[k] = grow(this[k], cap, NONE);
    for (const k of INDEX_COLUMNS) this[k] = grow(this[k], cap, -1);
    for (const k of ["attempt", "jobOf", "model", "webhookDelivered", "webhookFailed"] as const) this[k] = grow(this[k], cap);
    for (const k of ["provider", "rejectedStatus"] as const) this[k] = grow(this[k], cap);
    for (const k of ["outcome", "rejectedError", "completedError", "outputRejectedError", "webhookAsked"] as const) this[k] = grow(this[k], cap);
    this.cap = cap;
  }

  private intern(name: string, ids: Map<string, number>, names: string[]): number {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  }

  /** The id of a unit set, shared by every attempt with the same units. */
  unitSet(u: Units | undefined | null): number {
    if (u === undefined || u === null) return -1;
    // Readers that share one object for equal units (the line scanner) skip the JSON text.
    const known = this.unitIdsByObject.get(u);
    if (known !== undefined) return known;
    const key = JSON.stringify(u);
    let id = this.unitIds.get(key);
    if (id === undefined) {
      id = this.unitSets.length;
      this.unitSets.push(u);
      this.unitKeys.push(key);
      this.unitIds.set(key, id);
    }
    if (Object.isFrozen(u)) this.unitIdsByObject.set(u, id);
    return id;
  }

  private extra(i: number): Extras {
    let x = this.extras.get(i);
    if (!x) {
      x = {};
      this.extras.set(i, x);
    }
    return x;
  }

  /** The row of (job, attempt), created on first sight with the given provider and model. */
  row(job: string, attempt: number, provider: string, model: string, at: number): number {
    let j = this.jobIndex.get(job);
    if (j === undefined) {
      j = this.jobNames.length;
      this.jobNames.push(job);
      this.jobIndex.set(job, j);
      if (j >= this.jobHead.length) this.jobHead = grow(this.jobHead, this.jobHead.length * 2);
      this.jobHead[j] = -1;
    } else {
      for (let i = this.jobHead[j]!; i !== -1; i = this.nextInJob[i]!) if (this.attempt[i] === attempt) return i;
    }
    this.ensure();
    const i = this.size++;
    this.start[i] = at;
    this.attempt[i] = attempt;
    this.jobOf[i] = j;
    this.nextInJob[i] = this.jobHead[j]!;
    this.jobHead[j] = i;
    this.provider[i] = this.intern(provider, this.providerIds, this.providers);
    this.model[i] = this.intern(model, this.modelIds, this.models);
    this.requestId.push(undefined);
    this.inputHash.push(undefined);
    return i;
  }

  /** Notes a provider for row `i`; returns a conflict message when it names a second one. */
  noteProvider(i: number, job: string, attempt: number, provider: string): string | undefined {
    const id = this.providerIds.get(provider);
    if (id === this.provider[i]) return undefined;
    const kept = this.providers[this.provider[i]!]!;
    const keep = provider < kept ? provider : kept;
    this.provider[i] = this.intern(keep, this.providerIds, this.providers);
    return `attempt ${attempt} of job '${job}' names two providers ('${kept}' and '${provider}'); kept '${keep}'`;
  }

  /** Notes a model for row `i`: the smallest name is kept (independent of order), others reported. */
  noteModel(i: number, model: string): void {
    const current = this.models[this.model[i]!]!;
    if (model === current) return;
    const x = this.extra(i);
    const other = model < current ? current : model;
    if (model < current) this.model[i] = this.intern(model, this.modelIds, this.models);
    if (!x.otherModels) x.otherModels = [other];
    else if (!x.otherModels.includes(other)) x.otherModels.push(other);
  }

  /** Notes a request id for row `i`. */
  noteRequestId(i: number, rid: string): void {
    const cur = this.requestId[i];
    if (cur === undefined) this.requestId[i] = rid;
    else if (cur !== rid) {
      const x = this.extra(i);
      if (!x.otherRequestIds) x.otherRequestIds = [rid];
      else if (!x.otherRequestIds.includes(rid)) x.otherRequestIds.push(rid);
    }
  }

  /** A `submitted` fact: the earliest time; the hash and asked units of the earliest event carrying each. */
  noteSubmitted(i: number, at: number, hash: string | undefined, unitsId: number, webhook: boolean): void {
    if (isEarlier(at, this.submittedAt[i]!)) this.submittedAt[i] = at;
    if (hash !== undefined && (isEarlier(at, this.hashAt[i]!) || (at === this.hashAt[i] && hash < this.inputHash[i]!))) {
      this.hashAt[i] = at;
      this.inputHash[i] = hash;
    }
    if (unitsId !== -1 && (isEarlier(at, this.unitsAskedAt[i]!) || (at === this.unitsAskedAt[i] && this.unitKeys[unitsId]! < this.unitKeys[this.unitsAsked[i]!]!))) {
      this.unitsAskedAt[i] = at;
      this.unitsAsked[i] = unitsId;
    }
    if (webhook) this.webhookAsked[i] = 1;
  }

  /** A `rejected` fact: the earliest one wins; on a tie, the larger status and error. */
  noteRejected(i: number, at: number, status: number, errorCode: number): void {
    const cur = this.rejectedAt[i]!;
    if (isEarlier(at, cur) || (at === cur && (status > this.rejectedStatus[i]! || (status === this.rejectedStatus[i] && errorCode > this.rejectedError[i]!)))) {
      this.rejectedAt[i] = at;
      this.rejectedStatus[i] = status;
      this.rejectedError[i] = errorCode;
    }
  }

  /** A `completed` fact: the latest terminal report wins; on a tie, the greater outcome name, then run seconds, then error. */
  noteCompleted(i: number, at: number, outcomeCode: number, run: number, runText: string | undefined, unitsId: number, errorCode: number): void {
    const cur = this.completedAt[i]!;
    if (cur === cur && at <= cur) {
      if (at < cur) return;
      const a = OUTCOMES[outcomeCode - 1]!;
      const b = OUTCOMES[this.outcome[i]! - 1]!;
      if (a !== b) {
        if (a < b) return;
      } else {
        const r0 = this.runSeconds[i]!;
        const mine = run === run ? run : -1;
        const theirs = r0 === r0 ? r0 : -1;
        if (mine < theirs || (mine === theirs && errorCode <= this.completedError[i]!)) return;
      }
    }
    this.completedAt[i] = at;
    this.outcome[i] = outcomeCode;
    this.runSeconds[i] = run;
    const x = this.extras.get(i);
    if (runText !== undefined) this.extra(i).runText = runText;
    else if (x) delete x.runText;
    this.units[i] = unitsId;
    this.completedError[i] = errorCode;
  }

  /** An `output_rejected` fact: the earliest wins; on a tie, the larger error. */
  noteOutputRejected(i: number, at: number, errorCode: number): void {
    const cur = this.outputRejectedAt[i]!;
    if (isEarlier(at, cur) || (at === cur && errorCode > this.outputRejectedError[i]!)) {
      this.outputRejectedAt[i] = at;
      this.outputRejectedError[i] = errorCode;
    }
  }

  /** A `polled` fact. */
  notePoll(i: number, at: number): void {
    if (this.polls === this.pollTime.length) {
      this.pollTime = grow(this.pollTime, this.polls * 2);
      this.pollNext = grow(this.pollNext, this.polls * 2);
    }
    const p = this.polls++;
    this.pollTime[p] = at;
    this.pollNext[p] = this.pollHead[i]!;
    this.pollHead[i] = p;
  }

  /** Keeps the earlier of two times in a column. */
  noteEarliest(column: Float64Array, i: number, at: number): void {
    if (isEarlier(at, column[i]!)) column[i] = at;
  }

  /**
   * Folds one checked attempt event in. Returns a conflict to report (two providers for one
   * attempt), or undefined.
   */
  add(e: AttemptEvent, at: number): string | undefined {
    const i = this.row(e.job, e.attempt, e.provider, e.model, at);
    if (at < this.start[i]!) this.start[i] = at;
    const conflict = this.noteProvider(i, e.job, e.attempt, e.provider);
    this.noteModel(i, e.model);
    if (e.request_id !== undefined && e.request_id !== null) this.noteRequestId(i, e.request_id);
    switch (e.type) {
      case "submitted":
        this.noteSubmitted(i, at, e.input_hash ?? undefined, this.unitSet(e.units), e.webhook === true);
        break;
      case "rejected":
        this.noteRejected(i, at, e.http_status ?? 0, failureCode(e.error));
        break;
      case "created":
        this.noteEarliest(this.createdAt, i, at);
        break;
      case "polled":
        this.notePoll(i, at);
        break;
      case "completed": {
        const v = e.run_seconds;
        let run = NONE;
        let runText: string | undefined;
        if (typeof v === "number") run = v;
        else if (typeof v === "string") {
          run = Number(v);
          // Keep the text where the double would not give back the same decimal.
          const d = parseDecimal(v);
          const back = decimalFromNumber(run);
          if (!d || !back || d.units * 10n ** BigInt(back.scale) !== back.units * 10n ** BigInt(d.scale)) runText = v;
        }
        this.noteCompleted(i, at, OUTCOMES.indexOf(e.outcome) + 1, run, runText, this.unitSet(e.units), failureCode(e.error));
        break;
      }
      case "client_timeout":
        this.noteEarliest(this.timeoutAt, i, at);
        break;
      case "cancel_requested":
        this.noteEarliest(this.cancelAt, i, at);
        break;
      case "webhook_delivered":
        this.webhookDelivered[i]!++;
        break;
      case "webhook_failed":
        this.webhookFailed[i]!++;
        if (e.requeued === true) this.noteEarliest(this.requeuedAt, i, at);
        break;
      case "output_rejected":
        this.noteOutputRejected(i, at, failureCode(e.error));
        break;
    }
    return conflict;
  }

  /** Request ids of attempt `i` beyond the first (a conflict), if any. */
  otherRequestIds(i: number): readonly string[] | undefined {
    return this.extras.get(i)?.otherRequestIds;
  }

  /** The most decimal places any run time or unit quantity needs. */
  quantityScale(): number {
    let s = 0;
    for (let i = 0; i < this.size; i++) {
      const v = this.runSeconds[i]!;
      if (v === v && !Number.isInteger(v)) s = Math.max(s, scaleOfNumber(v));
    }
    for (const x of this.extras.values()) if (x.runText !== undefined) s = Math.max(s, scaleOf(parseDecimal(x.runText) ?? ZERO));
    for (const u of this.unitSets) for (const q of Object.values(u)) s = Math.max(s, scaleOf(readQuantity(q) ?? ZERO));
    return s;
  }

  /** True when the caller stopped counting on attempt `i` (spec §4, "given up"). */
  givenUp(i: number): boolean {
    const outcome = this.outcome[i]!;
    if (outcome !== 0) return outcome !== 1 || this.timeoutAt[i] === this.timeoutAt[i] || this.outputRejectedAt[i] === this.outputRejectedAt[i];
    if (this.rejectedAt[i] === this.rejectedAt[i] && this.createdAt[i] !== this.createdAt[i]) return true;
    return this.timeoutAt[i] === this.timeoutAt[i] || this.outputRejectedAt[i] === this.outputRejectedAt[i];
  }

  /** The attempt indices of job number `j`. */
  attemptsOfJob(j: number): number[] {
    const out: number[] = [];
    for (let i = this.jobHead[j]!; i !== -1; i = this.nextInJob[i]!) out.push(i);
    return out;
  }

  /** Poll times of attempt `i`, unsorted. */
  pollTimes(i: number): number[] {
    const out: number[] = [];
    for (let p = this.pollHead[i]!; p !== -1; p = this.pollNext[p]!) out.push(this.pollTime[p]!);
    return out;
  }

  /** A readable view of attempt `i`. */
  view(i: number): AttemptRow {
    return new AttemptRow(this, i);
  }
}

function time(a: Float64Array, i: number): number | undefined {
  const v = a[i]!;
  return v === v ? v : undefined;
}

/**
 * One attempt read out of the table: plain fields, except the run time, which is turned into an
 * exact decimal only when asked for (most readers price from `runUnits`).
 */
export class AttemptRow implements AttemptView {
  readonly index: number;
  readonly job: string;
  readonly attempt: number;
  readonly providerId: number;
  readonly modelId: number;
  readonly provider: string;
  readonly model: string;
  readonly otherModels: readonly string[] | undefined;
  readonly requestIds: readonly string[] | undefined;
  readonly start: number;
  readonly submittedAt: number | undefined;
  readonly inputHash: string | undefined;
  readonly unitsAsked: Units | undefined;
  readonly webhookAsked: boolean;
  readonly rejectedAt: number | undefined;
  readonly rejectedStatus: number | undefined;
  readonly rejectedError: FailureType | undefined;
  readonly createdAt: number | undefined;
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

  constructor(t: AttemptTable, i: number) {
    const x = t.extras.get(i);
    const rid = t.requestId[i];
    const o = t.outcome[i]!;
    this.index = i;
    this.job = t.jobNames[t.jobOf[i]!]!;
    this.attempt = t.attempt[i]!;
    this.providerId = t.provider[i]!;
    this.modelId = t.model[i]!;
    this.provider = t.providers[this.providerId]!;
    this.model = t.models[this.modelId]!;
    this.otherModels = x?.otherModels ? [...x.otherModels].sort() : undefined;
    this.requestIds = rid === undefined ? undefined : x?.otherRequestIds ? [rid, ...x.otherRequestIds].sort() : [rid];
    this.start = t.start[i]!;
    this.submittedAt = time(t.submittedAt, i);
    this.inputHash = t.inputHash[i];
    this.unitsAsked = t.unitsAsked[i] === -1 ? undefined : t.unitSets[t.unitsAsked[i]!];
    this.webhookAsked = t.webhookAsked[i] === 1;
    this.rejectedAt = time(t.rejectedAt, i);
    this.rejectedStatus = t.rejectedStatus[i] === 0 ? undefined : t.rejectedStatus[i];
    this.rejectedError = failureOfCode(t.rejectedError[i]!);
    this.createdAt = time(t.createdAt, i);
    this.polls = t.pollHead[i] === -1 ? NO_POLLS : t.pollTimes(i).sort((a, b) => a - b);
    this.completedAt = time(t.completedAt, i);
    this.outcome = o === 0 ? undefined : OUTCOMES[o - 1];
    this.units = t.units[i] === -1 ? undefined : t.unitSets[t.units[i]!];
    this.completedError = failureOfCode(t.completedError[i]!);
    this.timeoutAt = time(t.timeoutAt, i);
    this.cancelAt = time(t.cancelAt, i);
    this.webhookDelivered = t.webhookDelivered[i]!;
    this.webhookFailed = t.webhookFailed[i]!;
    this.requeuedAt = time(t.requeuedAt, i);
    this.outputRejectedAt = time(t.outputRejectedAt, i);
    this.outputRejectedError = failureOfCode(t.outputRejectedError[i]!);
    this.run = t.runSeconds[i]!;
    this.runText = x?.runText;
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

const NO_POLLS: readonly number[] = Object.freeze([]);
