import { OUTCOMES, type Units } from "../event.js";
import { HAS_RARE, WEBHOOK_ASKED, type RareFacts } from "./attempt-codes.js";
import { AttemptRow } from "./attempt-row.js";
import { growable, growTo } from "./growable.js";
import { JobIndex } from "./job-index.js";
import { StringColumn } from "./string-column.js";

const NONE = Number.NaN;

const grow = growTo;

/** A bigger capacity: a quarter more, so a full table wastes little memory. */
function nextCapacity(cap: number): number {
  return Math.max(1024, Math.ceil(cap * 1.25));
}

/** True when `at` should replace `current` as the earliest time (NaN or undefined: none yet). */
function isEarlier(at: number, current: number | undefined): boolean {
  return current === undefined || current !== current || at < current;
}

/**
 * All attempts seen so far, one column per common fact (typed arrays, about 75 bytes an
 * attempt) plus its request id and input hash; rare facts sit in a map beside them. Memory grows
 * with attempts, never with events. Events fold in any order, and tables built from parts of a
 * log merge into the table of the whole: every fact keeps the earliest time, or the latest
 * terminal state, with deterministic tie-breaks. `foldEvent` (fold-event.ts) maps the spec's
 * events onto these facts.
 */
export class AttemptTable {
  size = 0;
  // Times in µs since the epoch; NaN where the event was not seen.
  start: Float64Array<ArrayBufferLike> = growable(Float64Array);
  submittedAt: Float64Array<ArrayBufferLike> = growable(Float64Array);
  createdAt: Float64Array<ArrayBufferLike> = growable(Float64Array);
  completedAt: Float64Array<ArrayBufferLike> = growable(Float64Array);
  runSeconds: Float64Array<ArrayBufferLike> = growable(Float64Array);
  attempt: Int32Array<ArrayBufferLike> = growable(Int32Array);
  jobOf: Int32Array<ArrayBufferLike> = growable(Int32Array);
  nextInJob: Int32Array<ArrayBufferLike> = growable(Int32Array);
  model: Int32Array<ArrayBufferLike> = growable(Int32Array);
  units: Int32Array<ArrayBufferLike> = growable(Int32Array);
  unitsAsked: Int32Array<ArrayBufferLike> = growable(Int32Array);
  pollHead: Int32Array<ArrayBufferLike> = growable(Int32Array);
  provider: Uint16Array<ArrayBufferLike> = growable(Uint16Array);
  outcome: Uint8Array<ArrayBufferLike> = growable(Uint8Array);
  completedError: Uint8Array<ArrayBufferLike> = growable(Uint8Array);
  flags: Uint8Array<ArrayBufferLike> = growable(Uint8Array);
  /** Request ids and input hashes, compact (bytes in one buffer; hashes packed two hex digits a byte). */
  requestIds = new StringColumn();
  inputHashes = new StringColumn(true);
  readonly rare = new Map<number, RareFacts>();

  // Polls: a linked list per attempt in flat arrays (time, HTTP status or 0, next).
  pollTime: Float64Array<ArrayBufferLike> = growable(Float64Array);
  pollStatus: Uint16Array<ArrayBufferLike> = growable(Uint16Array);
  pollNext: Int32Array<ArrayBufferLike> = growable(Int32Array);
  polls = 0;

  // Jobs: name → number → head of its attempt list.
  jobs = new JobIndex();
  jobHead: Int32Array<ArrayBufferLike> = growTo(growable(Int32Array), 1024);

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
  private lastUnits: Units | undefined = undefined;
  private lastUnitsId = -1;

  /** Adds an empty row (its facts unset) and returns it; the caller fills its job, attempt, provider and model. */
  addRow(): number {
    // Every column is as long as `start`: that length is the capacity.
    if (this.size === this.start.length) this.growRows(nextCapacity(this.start.length));
    return this.size++;
  }

  private growRows(cap: number): void {
    for (const k of ["start", "submittedAt", "createdAt", "completedAt", "runSeconds"] as const) this[k] = grow(this[k], cap, NONE);
    for (const k of ["units", "unitsAsked", "pollHead", "nextInJob"] as const) this[k] = grow(this[k], cap, -1);
    for (const k of ["attempt", "jobOf", "model"] as const) this[k] = grow(this[k], cap);
    this.provider = grow(this.provider, cap);
    for (const k of ["outcome", "completedError", "flags"] as const) this[k] = grow(this[k], cap);
    this.requestIds.reserve(cap);
    this.inputHashes.reserve(cap);
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
    // Readers that share one object for equal units (the line scanner) skip the JSON text, and
    // most often give the same object as the last time.
    if (u === this.lastUnits) return this.lastUnitsId;
    const known = this.unitIdsByObject.get(u);
    if (known !== undefined) {
      this.lastUnits = u;
      this.lastUnitsId = known;
      return known;
    }
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

  /** The rare facts of row `i`, made on first need. */
  rareOf(i: number): RareFacts {
    let x = this.rareIfAny(i);
    if (!x) {
      x = {};
      this.rare.set(i, x);
      this.flags[i]! |= HAS_RARE;
    }
    return x;
  }

  /** The rare facts of row `i`, if it has any (a flag bit, not a map lookup, for most rows). */
  rareIfAny(i: number): RareFacts | undefined {
    return (this.flags[i]! & HAS_RARE) === 0 ? undefined : this.rare.get(i);
  }

  // The last row found: consecutive events of one attempt (the usual case) skip the lookup.
  private lastJob: string | undefined = undefined;
  private lastAttempt = 0;
  private lastRow = -1;

  /** The row of (job, attempt), created on first sight with the given provider and model. */
  row(job: string, attempt: number, provider: string, model: string, at: number): number {
    if (job === this.lastJob && attempt === this.lastAttempt) return this.lastRow;
    const i = this.findOrAddRow(job, attempt, provider, model, at);
    this.lastJob = job;
    this.lastAttempt = attempt;
    this.lastRow = i;
    return i;
  }

  private findOrAddRow(job: string, attempt: number, provider: string, model: string, at: number): number {
    let j = this.jobs.get(job);
    if (j === -1) j = this.newJob(job);
    else {
      for (let i = this.jobHead[j]!; i !== -1; i = this.nextInJob[i]!) if (this.attempt[i] === attempt) return i;
    }
    const i = this.addRow();
    this.start[i] = at;
    this.attempt[i] = attempt;
    this.jobOf[i] = j;
    this.nextInJob[i] = this.jobHead[j]!;
    this.jobHead[j] = i;
    this.provider[i] = this.intern(provider, this.providerIds, this.providers);
    this.model[i] = this.intern(model, this.modelIds, this.models);
    return i;
  }

  /** Adds job `name`, not yet in the table, with no attempts; returns its number. */
  newJob(name: string): number {
    const j = this.jobs.add(name);
    if (j >= this.jobHead.length) this.jobHead = grow(this.jobHead, nextCapacity(this.jobHead.length));
    this.jobHead[j] = -1;
    return j;
  }

  /** The ids of provider and model names (added where new), to map another table's ids onto this one's. */
  providerId(name: string): number {
    return this.intern(name, this.providerIds, this.providers);
  }

  /** See providerId. */
  modelId(name: string): number {
    return this.intern(name, this.modelIds, this.models);
  }

  /** Notes a provider for row `i`; returns a conflict message when it names a second one. */
  noteProvider(i: number, job: string, attempt: number, provider: string): string | undefined {
    if (provider === this.providers[this.provider[i]!]) return undefined;
    const id = this.providerIds.get(provider);
    if (id === this.provider[i]) return undefined;
    const kept = this.providers[this.provider[i]!]!;
    const keep = provider < kept ? provider : kept;
    this.provider[i] = this.intern(keep, this.providerIds, this.providers);
    // Named in order, so the message does not depend on which event came first.
    const other = keep === kept ? provider : kept;
    return `attempt ${attempt} of job '${job}' names two providers ('${keep}' and '${other}'); kept '${keep}'`;
  }

  /** Notes a model for row `i`: the smallest name is kept (independent of order), others reported. */
  noteModel(i: number, model: string): void {
    const current = this.models[this.model[i]!]!;
    if (model === current) return;
    const x = this.rareOf(i);
    const other = model < current ? current : model;
    if (model < current) this.model[i] = this.intern(model, this.modelIds, this.models);
    if (!x.otherModels) x.otherModels = [other];
    else if (!x.otherModels.includes(other)) x.otherModels.push(other);
  }

  private lastRidRow = -1;
  private lastRid = "";

  /** Notes a request id for row `i`. */
  noteRequestId(i: number, rid: string): void {
    // Most events repeat the request id of the event before, about the same attempt.
    if (i === this.lastRidRow && rid === this.lastRid) return;
    this.lastRidRow = i;
    this.lastRid = rid;
    if (!this.requestIds.has(i)) this.requestIds.set(i, rid);
    else if (!this.requestIds.equals(i, rid)) {
      const x = this.rareOf(i);
      if (!x.otherRequestIds) x.otherRequestIds = [rid];
      else if (!x.otherRequestIds.includes(rid)) x.otherRequestIds.push(rid);
    }
  }

  /** When the input hash of row `i` was given (the submitted time unless noted apart). */
  hashAt(i: number): number {
    return !this.inputHashes.has(i) ? NONE : (this.rareIfAny(i)?.hashAt ?? this.submittedAt[i]!);
  }

  /** When the asked units of row `i` were given. */
  unitsAskedAt(i: number): number {
    return this.unitsAsked[i] === -1 ? NONE : (this.rareIfAny(i)?.unitsAskedAt ?? this.submittedAt[i]!);
  }

  /** A `submitted` fact: the earliest time; the hash and asked units of the earliest event carrying each. */
  noteSubmitted(i: number, at: number, hash: string | undefined, unitsId: number, webhook: boolean): void {
    const hashAt = this.hashAt(i);
    const unitsAt0 = this.unitsAskedAt(i);
    if (isEarlier(at, this.submittedAt[i])) {
      // The hash and units keep their own times when the submit time moves before them.
      if (hashAt === hashAt && hashAt !== at) this.rareOf(i).hashAt = hashAt;
      if (unitsAt0 === unitsAt0 && unitsAt0 !== at) this.rareOf(i).unitsAskedAt = unitsAt0;
      this.submittedAt[i] = at;
    }
    if (hash !== undefined && (isEarlier(at, hashAt) || (at === hashAt && hash < this.inputHashes.get(i)!))) {
      this.inputHashes.set(i, hash);
      this.setTimeOf(i, "hashAt", at);
    }
    if (unitsId !== -1 && (isEarlier(at, unitsAt0) || (at === unitsAt0 && this.unitKeys[unitsId]! < this.unitKeys[this.unitsAsked[i]!]!))) {
      this.unitsAsked[i] = unitsId;
      this.setTimeOf(i, "unitsAskedAt", at);
    }
    if (webhook) this.flags[i]! |= WEBHOOK_ASKED;
  }

  /** Records the time a hash or units were given: apart only when it is not the submit time. */
  private setTimeOf(i: number, key: "hashAt" | "unitsAskedAt", at: number): void {
    if (at === this.submittedAt[i]) {
      const x = this.rareIfAny(i);
      if (x) delete x[key];
    } else this.rareOf(i)[key] = at;
  }

  /** A `rejected` fact: the earliest one wins; on a tie, the larger status and error. */
  noteRejected(i: number, at: number, status: number, errorCode: number): void {
    const x = this.rareOf(i);
    const cur = x.rejectedAt;
    if (isEarlier(at, cur) || (at === cur && (status > x.rejectedStatus! || (status === x.rejectedStatus && errorCode > x.rejectedError!)))) {
      x.rejectedAt = at;
      x.rejectedStatus = status;
      x.rejectedError = errorCode;
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
    if (runText !== undefined) this.rareOf(i).runText = runText;
    else {
      const x = this.rareIfAny(i);
      if (x) delete x.runText;
    }
    this.units[i] = unitsId;
    this.completedError[i] = errorCode;
  }

  /** An `output_rejected` fact: the earliest wins; on a tie, the larger error. */
  noteOutputRejected(i: number, at: number, errorCode: number): void {
    const x = this.rareOf(i);
    const cur = x.outputRejectedAt;
    if (isEarlier(at, cur) || (at === cur && errorCode > x.outputRejectedError!)) {
      x.outputRejectedAt = at;
      x.outputRejectedError = errorCode;
    }
  }

  /** Keeps the earliest time of a rare fact. */
  noteRareTime(i: number, key: "timeoutAt" | "cancelAt" | "requeuedAt", at: number): void {
    const x = this.rareOf(i);
    if (isEarlier(at, x[key])) x[key] = at;
  }

  /** Adds webhook deliveries and failures. */
  noteWebhooks(i: number, delivered: number, failed: number): void {
    if (delivered === 0 && failed === 0) return;
    const x = this.rareOf(i);
    x.webhookDelivered = (x.webhookDelivered ?? 0) + delivered;
    x.webhookFailed = (x.webhookFailed ?? 0) + failed;
  }

  /** A `polled` fact: its time and HTTP status (0: none given). */
  notePoll(i: number, at: number, status: number): void {
    if (this.polls === this.pollTime.length) {
      const cap = nextCapacity(this.polls);
      this.pollTime = grow(this.pollTime, cap);
      this.pollStatus = grow(this.pollStatus, cap);
      this.pollNext = grow(this.pollNext, cap);
    }
    const p = this.polls++;
    this.pollTime[p] = at;
    this.pollStatus[p] = status;
    this.pollNext[p] = this.pollHead[i]!;
    this.pollHead[i] = p;
  }

  /** Keeps the earlier of two times in a column. */
  noteEarliest(column: Float64Array, i: number, at: number): void {
    if (isEarlier(at, column[i])) column[i] = at;
  }

  /** Request ids of attempt `i` beyond the first (a conflict), if any. */
  otherRequestIds(i: number): readonly string[] | undefined {
    return this.rareIfAny(i)?.otherRequestIds;
  }

  /** The attempt indices of job number `j`. */
  attemptsOfJob(j: number): number[] {
    const out: number[] = [];
    for (let i = this.jobHead[j]!; i !== -1; i = this.nextInJob[i]!) out.push(i);
    return out;
  }

  /** A readable view of attempt `i`; `job`, when given, is its job's name (read once for all a job's attempts). */
  view(i: number, job?: string): AttemptRow {
    return new AttemptRow(this, i, job);
  }
}

