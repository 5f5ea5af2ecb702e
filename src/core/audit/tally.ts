import { CAUSES, type Cause } from "../cause.js";
import { formatUnits } from "../decimal.js";
import type { Breakdown, Report, UnknownAnswer, WastefulJob } from "../report.js";
import { utcDay } from "../timestamp.js";
import type { AuditedAttempt } from "./analyze.js";

class Slice {
  jobs = 0;
  attempts = 0;
  billed = 0n;
  useful = 0n;
  high = 0n;

  add(a: AuditedAttempt): void {
    this.attempts++;
    this.billed += a.billed;
    this.high += a.high;
    if (a.used) this.useful += a.billed;
  }

  toJSON(scale: number): Breakdown {
    return {
      jobs: this.jobs,
      attempts: this.attempts,
      billed: formatUnits(this.billed, scale),
      useful: formatUnits(this.useful, scale),
      waste: formatUnits(this.billed - this.useful, scale),
      billed_high: formatUnits(this.high, scale),
    };
  }
}

interface TopJob {
  readonly job: string;
  readonly waste: bigint;
  readonly attempts: readonly AuditedAttempt[];
}

function sliceOf(map: Map<string, Slice>, key: string): Slice {
  let s = map.get(key);
  if (!s) {
    s = new Slice();
    map.set(key, s);
  }
  return s;
}

function sortedRecord(map: Map<string, Slice>, scale: number): Record<string, Breakdown> {
  return Object.fromEntries([...map.keys()].sort().map((k) => [k, map.get(k)!.toJSON(scale)]));
}

/** Orders jobs by waste, most first, then by name. */
function byWaste(a: TopJob, b: TopJob): number {
  return b.waste > a.waste ? 1 : b.waste < a.waste ? -1 : a.job < b.job ? -1 : a.job > b.job ? 1 : 0;
}

/** Adds audited jobs up into the report's totals, causes, patterns and breakdowns. */
export class Tally {
  private readonly all = new Slice();
  private readonly byProvider = new Map<string, Slice>();
  /** By provider, then model: both names are shared strings, so no key is built per attempt. */
  private readonly byModel = new Map<string, Map<string, Slice>>();
  private readonly byDay = new Map<string, Slice>();
  private readonly causes = new Map<Cause, bigint>(CAUSES.map((c) => [c, 0n]));
  private wasteHigh = 0n;
  private readonly unknowns = new Map<string, { attempts: number; extra: bigint }>();
  private readonly jobCreation = { count: 0, cost: 0n };
  private readonly partial = { count: 0, cost: 0n };
  private readonly timeouts = { count: 0, client: 0, provider: 0, cost: 0n };
  private readonly duplicates = { count: 0, cost: 0n, jobs: 0 };
  private readonly retries = { retries: 0, jobs: 0, cost: 0n, max: 0, histogram: new Map<number, number>() };
  private readonly polling = { polls: 0, tooClose: 0, whileWebhook: 0, excess: 0, cost: 0n, pollsCost: 0n };
  private succeeded = 0;
  private top: TopJob[] = [];
  private readonly dayCache = new Map<number, string>();

  constructor(
    private readonly scale: number,
    private readonly topJobs: number,
  ) {}

  /** Adds one job's audited attempts (those that passed the filters), in attempt order. */
  addJob(attempts: readonly AuditedAttempt[]): void {
    this.all.jobs++;
    const seen = new Set<Slice>();
    let waste = 0n;
    let used = false;
    let duplicated = false;
    for (const a of attempts) {
      const s = a.state;
      let models = this.byModel.get(s.provider);
      if (!models) {
        models = new Map();
        this.byModel.set(s.provider, models);
      }
      const slices = [sliceOf(this.byProvider, s.provider), sliceOf(models, s.model), sliceOf(this.byDay, this.day(s.start))];
      this.all.add(a);
      for (const slice of slices) {
        slice.add(a);
        if (!seen.has(slice)) {
          seen.add(slice);
          slice.jobs++;
        }
      }
      if (a.used) used = true;
      else {
        waste += a.billed;
        this.wasteHigh += a.high;
        const cause = a.cause ?? "other";
        this.causes.set(cause, this.causes.get(cause)! + a.billed);
      }
      this.addPatterns(a);
      if (a.duplicate) duplicated = true;
    }
    if (used) this.succeeded++;
    if (duplicated) this.duplicates.jobs++;
    const n = attempts.length;
    this.retries.histogram.set(n, (this.retries.histogram.get(n) ?? 0) + 1);
    if (n > this.retries.max) this.retries.max = n;
    if (n > 1) {
      this.retries.retries += n - 1;
      this.retries.jobs++;
      for (let k = 1; k < n; k++) this.retries.cost += attempts[k]!.billed;
    }
    if (waste > 0n) this.keepTop({ job: attempts[0]!.state.job, waste, attempts });
  }

  private keepTop(j: TopJob): void {
    if (this.top.length >= this.topJobs && byWaste(j, this.top[this.top.length - 1]!) >= 0) return;
    this.top.push(j);
    this.top.sort(byWaste);
    if (this.top.length > this.topJobs) this.top.pop();
  }

  private addPatterns(a: AuditedAttempt): void {
    const s = a.state;
    const p = a.priced;
    if (p && a.charged === undefined) {
      for (const u of p.unknowns) {
        const key = `${s.provider}\u0000${u.answer}`;
        const t = this.unknowns.get(key) ?? { attempts: 0, extra: 0n };
        t.attempts++;
        t.extra += u.extra;
        this.unknowns.set(key, t);
      }
      // Component patterns come from the policy's estimate; a real charge does not say its parts.
      if (!a.used && p.perJob > 0n) {
        this.jobCreation.count++;
        this.jobCreation.cost += p.perJob;
      }
      if (a.cls !== "succeeded" && p.perSecond > 0n) {
        this.partial.count++;
        this.partial.cost += p.perSecond;
      }
    }
    if (s.timeoutAt !== undefined || s.outcome === "timed_out") {
      this.timeouts.count++;
      if (s.timeoutAt !== undefined) this.timeouts.client++;
      if (s.outcome === "timed_out") this.timeouts.provider++;
      this.timeouts.cost += a.billed;
    }
    if (a.duplicate) {
      this.duplicates.count++;
      this.duplicates.cost += a.billed;
    }
    const pl = this.polling;
    pl.polls += a.polls;
    pl.tooClose += a.tooClose;
    pl.whileWebhook += a.whileWebhook;
    const excess = a.whileWebhook > 0 ? a.polls : a.tooClose;
    pl.excess += excess;
    if (p && a.charged === undefined) {
      pl.cost += p.pollPrice * BigInt(excess);
      pl.pollsCost += p.pollsLow;
    }
  }

  private day(micros: number): string {
    const key = Math.floor(micros / 86_400_000_000);
    let d = this.dayCache.get(key);
    if (d === undefined) {
      d = utcDay(micros);
      this.dayCache.set(key, d);
    }
    return d;
  }

  private p95(): number {
    const total = this.all.jobs;
    if (total === 0) return 0;
    const rank = Math.ceil(0.95 * total);
    let seen = 0;
    for (const n of [...this.retries.histogram.keys()].sort((a, b) => a - b)) {
      seen += this.retries.histogram.get(n)!;
      if (seen >= rank) return n;
    }
    return this.retries.max;
  }

  /** The report's figures (everything but problems and unmatched charges). */
  totals(currency: string, events: number): Omit<Report, "problems" | "unmatched_charges" | "sdk_retries"> {
    const m = (v: bigint): string => formatUnits(v, this.scale);
    const waste = this.all.billed - this.all.useful;
    const unknowns: UnknownAnswer[] = [...this.unknowns.entries()]
      .map(([key, t]) => ({ key: key.split("\u0000") as [string, string], t }))
      .sort((a, b) => (b.t.extra > a.t.extra ? 1 : b.t.extra < a.t.extra ? -1 : a.key.join().localeCompare(b.key.join())))
      .map(({ key: [provider, answer], t }) => ({ provider, answer, attempts: t.attempts, could_cost: m(t.extra) }));
    const top: WastefulJob[] = this.top.map(({ job, waste: w, attempts }) => {
      const causes = new Map<string, bigint>();
      for (const a of attempts) if (!a.used && a.billed !== 0n) causes.set(a.cause ?? "other", (causes.get(a.cause ?? "other") ?? 0n) + a.billed);
      return {
        job,
        providers: [...new Set(attempts.map((a) => a.state.provider))].sort(),
        models: [...new Set(attempts.map((a) => a.state.model))].sort(),
        attempts: attempts.length,
        billed: m(attempts.reduce((sum, a) => sum + a.billed, 0n)),
        waste: m(w),
        causes: Object.fromEntries([...causes.entries()].map(([c, v]) => [c, m(v)])),
        request_ids: attempts.flatMap((a) => a.state.requestIds ?? []),
      };
    });
    return {
      currency,
      events,
      jobs: this.all.jobs,
      attempts: this.all.attempts,
      succeeded_jobs: this.succeeded,
      billed: m(this.all.billed),
      useful: m(this.all.useful),
      waste: m(waste),
      waste_by_cause: Object.fromEntries(CAUSES.map((c) => [c, m(this.causes.get(c)!)])) as Record<Cause, string>,
      range: { billed_low: m(this.all.billed), billed_high: m(this.all.high), waste_low: m(waste), waste_high: m(this.wasteHigh) },
      patterns: {
        job_creation_charge: { count: this.jobCreation.count, cost: m(this.jobCreation.cost) },
        partial_processing: { count: this.partial.count, cost: m(this.partial.cost) },
        retry_multiplication: {
          count: this.retries.retries,
          retries: this.retries.retries,
          jobs_with_retries: this.retries.jobs,
          // Two decimals, as spec §6's example writes it (151 attempts / 120 jobs: 1.26).
          attempts_per_job_mean: this.all.jobs === 0 ? 0 : Math.round((this.all.attempts * 100) / this.all.jobs) / 100,
          attempts_per_job_p95: this.p95(),
          attempts_per_job_max: this.retries.max,
          cost: m(this.retries.cost),
        },
        timeout_billing: { count: this.timeouts.count, client_timeouts: this.timeouts.client, provider_timeouts: this.timeouts.provider, cost: m(this.timeouts.cost) },
        duplicate_submission: { count: this.duplicates.count, jobs: this.duplicates.jobs, cost: m(this.duplicates.cost) },
        polling_excess: {
          count: this.polling.excess,
          polls: this.polling.polls,
          too_close: this.polling.tooClose,
          while_webhook: this.polling.whileWebhook,
          cost: m(this.polling.cost),
          polls_cost: m(this.polling.pollsCost),
        },
      },
      by_provider: sortedRecord(this.byProvider, this.scale),
      by_model: sortedRecord(new Map([...this.byModel].flatMap(([p, models]) => [...models].map(([m, slice]) => [`${p}/${m}`, slice] as const))), this.scale),
      by_day: sortedRecord(this.byDay, this.scale),
      unknowns,
      top_jobs: top,
    };
  }
}
