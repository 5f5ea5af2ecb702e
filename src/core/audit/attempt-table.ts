import { decimalFromNumber, parseDecimal, scaleOf, ZERO, type Decimal } from "../decimal.js";
import { OUTCOMES, type AttemptEvent, type Units } from "../event.js";
import { FAILURE_TYPES, type FailureType } from "../failure-type.js";
import type { AttemptView } from "./attempt-view.js";
import { readQuantity } from "./quantity.js";

function scaleOfNumber(v: number): number {
  const text = String(v);
  if (text.includes("e")) return scaleOf(decimalFromNumber(v) ?? ZERO);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

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

function earlier(current: number, at: number): number {
  return current !== current || at < current ? at : current; // NaN (none) or later: take `at`
}

/** Rare per-attempt facts, kept aside so the common columns stay small. */
interface Extras {
  otherModels?: string[];
  otherRequestIds?: string[];
  /** run_seconds text that a double cannot hold exactly. */
  runText?: string;
}

/**
 * All attempts seen so far, one column per fact (typed arrays), so memory grows by about a
 * hundred bytes per attempt plus its request id and input hash, whatever the number of events.
 * Events fold in any order: every field keeps the earliest time, or the latest terminal state.
 */
export class AttemptTable {
  size = 0;
  private cap = 0;
  // Times in µs since the epoch; NaN where the event was not seen.
  start = new Float64Array(0);
  submittedAt = new Float64Array(0);
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
  private readonly extras = new Map<number, Extras>();

  // Polls: a linked list per attempt in two flat arrays.
  private pollTime = new Float64Array(1024);
  private pollNext = new Int32Array(1024);
  private polls = 0;

  // Jobs: name → head of its attempt list.
  readonly jobIndex = new Map<string, number>();
  readonly jobNames: string[] = [];
  jobHead = new Int32Array(1024);

  // Interned names and unit sets.
  readonly providers: string[] = [];
  private readonly providerIds = new Map<string, number>();
  readonly models: string[] = [];
  private readonly modelIds = new Map<string, number>();
  private readonly unitSets: Units[] = [];
  private readonly unitIds = new Map<string, number>();

  private ensure(): void {
    if (this.size < this.cap) return;
    const cap = Math.max(1024, this.cap * 2);
    for (const k of ["start", "submittedAt", "rejectedAt", "createdAt", "completedAt", "timeoutAt", "cancelAt", "requeuedAt", "outputRejectedAt", "runSeconds"] as const) {
      this[k] = grow(this[k], cap, NONE);
    }
    for (const k of ["units", "unitsAsked", "pollHead", "nextInJob"] as const) this[k] = grow(this[k], cap, -1);
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

  private unitSet(u: Units | undefined | null): number {
    if (u === undefined || u === null) return -1;
    const key = JSON.stringify(u);
    let id = this.unitIds.get(key);
    if (id === undefined) {
      id = this.unitSets.length;
      this.unitSets.push(u);
      this.unitIds.set(key, id);
    }
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

  /** The attempt's row, created on first sight. */
  private rowFor(e: AttemptEvent, at: number): number {
    let j = this.jobIndex.get(e.job);
    if (j === undefined) {
      j = this.jobNames.length;
      this.jobNames.push(e.job);
      this.jobIndex.set(e.job, j);
      if (j >= this.jobHead.length) this.jobHead = grow(this.jobHead, this.jobHead.length * 2);
      this.jobHead[j] = -1;
    } else {
      for (let i = this.jobHead[j]!; i !== -1; i = this.nextInJob[i]!) if (this.attempt[i] === e.attempt) return i;
    }
    this.ensure();
    const i = this.size++;
    this.start[i] = at;
    this.attempt[i] = e.attempt;
    this.jobOf[i] = j;
    this.nextInJob[i] = this.jobHead[j]!;
    this.jobHead[j] = i;
    this.provider[i] = this.intern(e.provider, this.providerIds, this.providers);
    this.model[i] = this.intern(e.model, this.modelIds, this.models);
    this.requestId.push(undefined);
    this.inputHash.push(undefined);
    return i;
  }

  /**
   * Folds one checked attempt event in. Returns a conflict to report (two providers for one
   * attempt), or undefined.
   */
  add(e: AttemptEvent, at: number): string | undefined {
    const i = this.rowFor(e, at);
    let conflict: string | undefined;
    if (at < this.start[i]!) this.start[i] = at;
    const providerId = this.providerIds.get(e.provider);
    if (providerId !== this.provider[i]) {
      const kept = this.providers[this.provider[i]!]!;
      const keep = e.provider < kept ? e.provider : kept;
      conflict = `attempt ${e.attempt} of job '${e.job}' names two providers ('${kept}' and '${e.provider}'); kept '${keep}'`;
      this.provider[i] = this.intern(keep, this.providerIds, this.providers);
    }
    const model = this.models[this.model[i]!]!;
    if (e.model !== model) {
      // Keep the smallest name so the choice is independent of event order; report the conflict.
      const x = this.extra(i);
      const other = e.model < model ? model : e.model;
      if (e.model < model) this.model[i] = this.intern(e.model, this.modelIds, this.models);
      if (!x.otherModels) x.otherModels = [other];
      else if (!x.otherModels.includes(other)) x.otherModels.push(other);
    }
    const rid = e.request_id;
    if (rid !== undefined && rid !== null) {
      const cur = this.requestId[i];
      if (cur === undefined) this.requestId[i] = rid;
      else if (cur !== rid) {
        const x = this.extra(i);
        if (!x.otherRequestIds) x.otherRequestIds = [rid];
        else if (!x.otherRequestIds.includes(rid)) x.otherRequestIds.push(rid);
      }
    }
    switch (e.type) {
      case "submitted": {
        const first = !(this.submittedAt[i]! <= at);
        if (first) this.submittedAt[i] = at;
        if (e.input_hash !== undefined && e.input_hash !== null && (first || this.inputHash[i] === undefined)) this.inputHash[i] = e.input_hash;
        if (e.units !== undefined && e.units !== null && (first || this.unitsAsked[i] === -1)) this.unitsAsked[i] = this.unitSet(e.units);
        if (e.webhook === true) this.webhookAsked[i] = 1;
        break;
      }
      case "rejected":
        if (!(this.rejectedAt[i]! <= at)) {
          this.rejectedAt[i] = at;
          this.rejectedStatus[i] = e.http_status ?? 0;
          this.rejectedError[i] = failureCode(e.error);
        }
        break;
      case "created":
        this.createdAt[i] = earlier(this.createdAt[i]!, at);
        break;
      case "polled": {
        if (this.polls === this.pollTime.length) {
          this.pollTime = grow(this.pollTime, this.polls * 2);
          this.pollNext = grow(this.pollNext, this.polls * 2);
        }
        const p = this.polls++;
        this.pollTime[p] = at;
        this.pollNext[p] = this.pollHead[i]!;
        this.pollHead[i] = p;
        break;
      }
      case "completed": {
        // The latest terminal report wins; on a tie, the greater outcome name, so order never matters.
        const cur = this.completedAt[i]!;
        const code = OUTCOMES.indexOf(e.outcome) + 1;
        const later = cur !== cur || at > cur || (at === cur && e.outcome > OUTCOMES[this.outcome[i]! - 1]!);
        if (later) {
          this.completedAt[i] = at;
          this.outcome[i] = code;
          this.setRunSeconds(i, e.run_seconds);
          this.units[i] = this.unitSet(e.units);
          this.completedError[i] = failureCode(e.error);
        }
        break;
      }
      case "client_timeout":
        this.timeoutAt[i] = earlier(this.timeoutAt[i]!, at);
        break;
      case "cancel_requested":
        this.cancelAt[i] = earlier(this.cancelAt[i]!, at);
        break;
      case "webhook_delivered":
        this.webhookDelivered[i]!++;
        break;
      case "webhook_failed":
        this.webhookFailed[i]!++;
        if (e.requeued === true) this.requeuedAt[i] = earlier(this.requeuedAt[i]!, at);
        break;
      case "output_rejected":
        if (!(this.outputRejectedAt[i]! <= at)) {
          this.outputRejectedAt[i] = at;
          this.outputRejectedError[i] = failureCode(e.error);
        }
        break;
    }
    return conflict;
  }

  private setRunSeconds(i: number, v: number | string | undefined | null): void {
    const x = this.extras.get(i);
    if (x) delete x.runText;
    if (v === undefined || v === null) {
      this.runSeconds[i] = NONE;
    } else if (typeof v === "number") {
      this.runSeconds[i] = v;
    } else {
      const n = Number(v);
      this.runSeconds[i] = n;
      // Keep the text where the double would not give back the same decimal.
      const d = parseDecimal(v);
      const back = decimalFromNumber(n);
      if (!d || !back || d.units * 10n ** BigInt(back.scale) !== back.units * 10n ** BigInt(d.scale)) this.extra(i).runText = v;
    }
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

  /** A readable view of attempt `i`. */
  view(i: number): AttemptView {
    const t = (a: Float64Array): number | undefined => {
      const v = a[i]!;
      return v === v ? v : undefined;
    };
    const x = this.extras.get(i);
    const rid = this.requestId[i];
    const polls: number[] = [];
    for (let p = this.pollHead[i]!; p !== -1; p = this.pollNext[p]!) polls.push(this.pollTime[p]!);
    polls.sort((a, b) => a - b);
    const run = this.runSeconds[i]!;
    let runSeconds: Decimal | undefined;
    if (x?.runText !== undefined) runSeconds = parseDecimal(x.runText);
    else if (run === run) runSeconds = decimalFromNumber(run);
    const o = this.outcome[i]!;
    return {
      index: i,
      job: this.jobNames[this.jobOf[i]!]!,
      attempt: this.attempt[i]!,
      provider: this.providers[this.provider[i]!]!,
      model: this.models[this.model[i]!]!,
      otherModels: x?.otherModels,
      requestIds: rid === undefined ? undefined : x?.otherRequestIds ? [rid, ...x.otherRequestIds] : [rid],
      start: this.start[i]!,
      submittedAt: t(this.submittedAt),
      inputHash: this.inputHash[i],
      unitsAsked: this.unitsAsked[i] === -1 ? undefined : this.unitSets[this.unitsAsked[i]!],
      webhookAsked: this.webhookAsked[i] === 1,
      rejectedAt: t(this.rejectedAt),
      rejectedStatus: this.rejectedStatus[i] === 0 ? undefined : this.rejectedStatus[i],
      rejectedError: failureOfCode(this.rejectedError[i]!),
      createdAt: t(this.createdAt),
      polls,
      completedAt: t(this.completedAt),
      outcome: o === 0 ? undefined : (OUTCOMES[o - 1]),
      runSeconds,
      units: this.units[i] === -1 ? undefined : this.unitSets[this.units[i]!],
      completedError: failureOfCode(this.completedError[i]!),
      timeoutAt: t(this.timeoutAt),
      cancelAt: t(this.cancelAt),
      webhookDelivered: this.webhookDelivered[i]!,
      webhookFailed: this.webhookFailed[i]!,
      requeuedAt: t(this.requeuedAt),
      outputRejectedAt: t(this.outputRejectedAt),
      outputRejectedError: failureOfCode(this.outputRejectedError[i]!),
    };
  }
}
