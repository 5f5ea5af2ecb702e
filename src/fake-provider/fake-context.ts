import type { IncomingHttpHeaders } from "node:http";
import type { Units } from "../core/index.js";
import type { Clock } from "../guard/clock.js";
import { canonicalJson } from "../guard/input-hash.js";
import { decideCreate, fakeId, type FakeSettings } from "./fates.js";
import type { FakeJob } from "./fake-jobs.js";

/** A request as the fake's API modules see it. */
export interface FakeRequest {
  readonly method: string;
  /** The path after the provider's prefix (`/predictions/abc`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly json: unknown;
  /** The public base URL of this provider on the fake (for URLs in bodies). */
  readonly base: string;
}

/** What the fake answers. */
export interface FakeReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Hold the answer until `until` (ms since the epoch), then answer `reply(now)` instead. */
  readonly later?: { readonly until: number; readonly reply: (now: number) => FakeReply };
}

/** What the fake counts. */
export interface FakeStats {
  creates: number;
  rejected: Record<string, number>;
  accepted: number;
  polls: number;
  cancels: number;
  webhooks: number;
}

/** The fake's state, shared by its provider APIs. */
export class FakeContext {
  readonly jobs = new Map<string, FakeJob>();
  readonly stats: FakeStats = { creates: 0, rejected: {}, accepted: 0, polls: 0, cancels: 0, webhooks: 0 };
  private readonly seen = new Map<string, number>();

  constructor(
    readonly settings: FakeSettings,
    readonly clock: Clock,
    private readonly onWebhook: (job: FakeJob) => void,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /**
   * Decides a create by its input and how many times that input was asked before: a rejection
   * (its failure type), or a new job.
   */
  create(provider: string, model: string, input: unknown, units: Units, webhook: string | undefined, idLength = 26): FakeJob | "rate_limit" | "unavailable" | "invalid_input" | "auth" {
    this.stats.creates++;
    const key = `${provider}|${model}|${canonicalJson(input)}`;
    const k = this.seen.get(key) ?? 0;
    this.seen.set(key, k + 1);
    const fate = decideCreate(this.settings, key, k);
    if (fate.kind === "reject") {
      this.stats.rejected[fate.failure] = (this.stats.rejected[fate.failure] ?? 0) + 1;
      return fate.failure;
    }
    this.stats.accepted++;
    const now = this.now();
    const job: FakeJob = {
      id: fakeId(this.settings.seed, `${key}#${k}`, idLength),
      provider,
      model,
      createdAt: now,
      endsAt: now + (fate.fails ? Math.round(fate.runMs / 2) : fate.runMs),
      fails: fate.fails,
      units,
      input,
      webhook,
      canceledAt: undefined,
      webhookSent: false,
    };
    this.jobs.set(job.id, job);
    if (webhook) this.onWebhook(job);
    return job;
  }

  /** Cancels a job that has not ended; false if it had. */
  cancel(job: FakeJob): boolean {
    this.stats.cancels++;
    const now = this.now();
    if (now >= job.endsAt || job.canceledAt !== undefined) return false;
    job.canceledAt = now;
    if (job.webhook) this.onWebhook(job);
    return true;
  }

  find(id: string | undefined, provider: string): FakeJob | undefined {
    const job = id === undefined ? undefined : this.jobs.get(id);
    return job && job.provider === provider ? job : undefined;
  }
}

/** A whole number from a JSON field, else the fallback. */
export function whole(v: unknown, fallback: number): number {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : fallback;
}
