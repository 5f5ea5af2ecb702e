import { isLive, type AttemptState, type JobState } from "./state.js";

const key = (provider: string, requestId: string): string => `${provider}\0${requestId}`;

/**
 * Where the guard finds its attempts and jobs again: by provider request id (polls, cancels,
 * webhooks), by input hash (duplicates), named and input-named jobs, and webhooks that came
 * before their job was known. Finished attempts are forgotten once older than the window, so
 * memory stays bounded.
 */
export class AttemptBook {
  /** Named jobs (`guard.job`) seen within the window. */
  readonly jobs = new Map<string, JobState>();
  /** Jobs named after their input (calls outside `guard.job`), by input hash. */
  readonly autoJobs = new Map<string, JobState>();
  private readonly byRequest = new Map<string, AttemptState>();
  private readonly byInput = new Map<string, AttemptState[]>();
  private readonly doneQueue: AttemptState[] = [];
  private readonly early = new Map<string, { deliver: (att: AttemptState) => void; at: number }>();

  /** Adds a new attempt, findable by its input. */
  add(att: AttemptState): void {
    const list = this.byInput.get(att.inputHash);
    if (list) list.push(att);
    else this.byInput.set(att.inputHash, [att]);
  }

  /** Other attempts with this input still counted on (in flight or succeeded) since `sinceMs`. */
  liveDuplicates(inputHash: string, sinceMs: number): AttemptState[] {
    const list = this.byInput.get(inputHash);
    return list ? list.filter((a) => a.submittedAt >= sinceMs && isLive(a)) : [];
  }

  /** Makes an attempt findable by its provider request id. */
  register(att: AttemptState): void {
    if (att.requestId !== undefined) this.byRequest.set(key(att.provider, att.requestId), att);
  }

  attemptFor(provider: string, requestId: string): AttemptState | undefined {
    return this.byRequest.get(key(provider, requestId));
  }

  /**
   * Keeps a webhook that arrived before the create's response named its job (a fast job can
   * finish first), for five minutes; `applyEarly` delivers it once the attempt is known.
   */
  holdEarly(provider: string, requestId: string, deliver: (att: AttemptState) => void, nowMs: number): void {
    for (const [k, v] of this.early) if (v.at < nowMs - 300_000 || this.early.size > 1000) this.early.delete(k);
    this.early.set(key(provider, requestId), { deliver, at: nowMs });
  }

  /** Delivers a webhook held for this attempt, if one came early. */
  applyEarly(att: AttemptState): void {
    if (att.requestId === undefined || this.early.size === 0) return;
    const k = key(att.provider, att.requestId);
    const held = this.early.get(k);
    if (!held) return;
    this.early.delete(k);
    held.deliver(att);
  }

  /** Notes a finished attempt, to forget it later. */
  finished(att: AttemptState): void {
    this.doneQueue.push(att);
  }

  /** Forgets attempts that finished before `beforeMs`, and jobs with nothing left; `onJobGone` is told of named ones. */
  evict(beforeMs: number, onJobGone: (job: JobState) => void): void {
    while (this.doneQueue.length > 0 && this.doneQueue[0]!.doneAt! < beforeMs) {
      const att = this.doneQueue.shift()!;
      if (att.requestId !== undefined && this.attemptFor(att.provider, att.requestId) === att) this.byRequest.delete(key(att.provider, att.requestId));
      const list = this.byInput.get(att.inputHash);
      if (list) {
        const rest = list.filter((a) => a !== att);
        if (rest.length === 0) this.byInput.delete(att.inputHash);
        else this.byInput.set(att.inputHash, rest);
      }
      const job = att.job;
      if (!job.attempts.every((a) => a.phase === "done" && a.doneAt! < beforeMs)) continue;
      if (job.auto && this.autoJobs.get(att.inputHash) === job) this.autoJobs.delete(att.inputHash);
      if (!job.auto && job.runs === 0 && this.jobs.get(job.key) === job) {
        this.jobs.delete(job.key);
        onJobGone(job);
      }
    }
  }
}
