import type { AttemptEvent, FailureType } from "../../core/index.js";
import type { JobObjectFacts, ProviderFormat } from "../types.js";
import { fieldOf, unwrap } from "./envelope.js";
import { mergeFacts } from "./merge-facts.js";
import type { ReadObject } from "./read-objects.js";
import { earliest, latest } from "./times.js";
import { attemptEvents, type ImportedAttempt } from "./to-events.js";

/** How to import. */
export interface ImportOptions {
  readonly format: ProviderFormat;
  /** The model of every object (overrides what the objects say: a Replicate object may name only a version). */
  readonly model?: string;
  /** A dotted field naming the job (in the envelope, else the body): `input.job_id`. */
  readonly jobFrom?: string;
  /** The input's name, for job names of objects without a request id. */
  readonly source: string;
}

/** What an import did and could not do, for the stderr summary. */
export interface ImportSummary {
  readonly objects: number;
  readonly attempts: number;
  readonly jobs: number;
  readonly events: number;
  /** Objects left out, grouped by why, with the first place each happened. */
  readonly skipped: readonly { readonly why: string; readonly count: number; readonly first: string }[];
  /** Fields present that failcost could not map to events, and how many objects had each. */
  readonly unmapped: Readonly<Record<string, number>>;
  /** Attempts with no creation (or completion) time of their own: dated at another time they carry. */
  readonly undated: { readonly created: number; readonly completed: number };
  /** Provider jobs still running in the input, and finished ones whose outcome the input does not say. */
  readonly running: number;
  readonly outcomeNotSeen: number;
  /** Objects without the `--job-from` field: each is its own job. */
  readonly noJobField: number;
  /** Contradictions between objects about one provider job. */
  readonly conflicts: readonly string[];
}

/** An import in progress: add objects in any order, then finish once. */
export interface Importer {
  add(o: ReadObject): void;
  /** Notes an input line that was not JSON. */
  skip(at: string, why: string): void;
  finish(): { events: AttemptEvent[]; summary: ImportSummary };
}

interface Pending {
  facts: JobObjectFacts;
  at: string;
  job: string | undefined;
  model: string | undefined;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
}

/**
 * Imports a provider's objects into events (spec §2). Objects about the same provider job are
 * merged; each provider job is one attempt; attempts of one job (`--job-from`) are numbered by
 * time. An outcome is written only where an object says it; a time only where one is carried.
 */
export function createImporter(options: ImportOptions): Importer {
  const { format } = options;
  const byRequest = new Map<string, Pending>();
  const loose: Pending[] = [];
  const rejected: ImportedAttempt[] = [];
  const skipped = new Map<string, { count: number; first: string }>();
  const unmapped = new Map<string, number>();
  const conflicts: string[] = [];
  let objects = 0;
  let noJobField = 0;

  const skip = (at: string, why: string): void => {
    const s = skipped.get(why);
    if (s) s.count++;
    else skipped.set(why, { count: 1, first: `${options.source}: ${at}` });
  };
  const jobOf = (raw: unknown, body: unknown): string | undefined => {
    // Without --job-from, an envelope's own `job` names the job.
    if (!options.jobFrom) return raw !== body ? fieldOf(raw, "job") : undefined;
    const job = fieldOf(raw, options.jobFrom) ?? fieldOf(body, options.jobFrom);
    if (job === undefined) noJobField++;
    return job;
  };

  return {
    skip,
    add({ value, at }) {
      objects++;
      const env = unwrap(value);
      // --model names every object's model (a Replicate object may carry only a version hash).
      const model = options.model ?? env.model;
      const ended = env.status !== undefined && env.status >= 400 ? format.readErrorAsJob?.(env.status, env.body, env.headers) : undefined;
      if (env.status !== undefined && env.status >= 400 && ended === undefined) {
        if (env.receivedAt === undefined) return skip(at, "an error response with no time (add received_at to the envelope)");
        const m = model;
        if (m === undefined) return skip(at, "no model: give --model");
        const error: FailureType = format.classifyError(env.status, env.body, env.headers);
        rejected.push({ job: jobOf(env.raw, env.body) ?? `${options.source}:${at.replace(/^(line|item) /, "")}`, model: m, at, rejected: { at: env.receivedAt, status: env.status, error } });
        return;
      }
      const facts = ended ?? format.readJobObject(env.body, env.headers);
      if (typeof facts === "string") return skip(at, facts);
      if (ended !== undefined && env.receivedAt === undefined) return skip(at, "an error response with no time (add received_at to the envelope)");
      for (const f of facts.unmapped ?? []) unmapped.set(f, (unmapped.get(f) ?? 0) + 1);
      const job = jobOf(env.raw, env.body);
      const entry: Pending = { facts, at, job, model: model ?? facts.model, firstSeen: env.receivedAt, lastSeen: env.receivedAt };
      if (facts.requestId === undefined) {
        loose.push(entry);
        return;
      }
      const prior = byRequest.get(facts.requestId);
      if (!prior) {
        byRequest.set(facts.requestId, entry);
        return;
      }
      const { facts: merged, conflict } = mergeFacts(prior.facts, facts);
      if (conflict) conflicts.push(`${options.source}: ${at}: ${format.provider} job ${facts.requestId} ${conflict}`);
      prior.facts = merged;
      prior.job ??= job;
      prior.model ??= entry.model;
      prior.firstSeen = earliest(prior.firstSeen, env.receivedAt);
      prior.lastSeen = latest(prior.lastSeen, env.receivedAt);
    },
    finish() {
      const attempts: ImportedAttempt[] = [...rejected];
      let running = 0;
      let outcomeNotSeen = 0;
      for (const p of [...byRequest.values(), ...loose]) {
        if (p.model === undefined) {
          skip(p.at, "no model in the object: give --model");
          continue;
        }
        if (p.facts.outcome === undefined && p.facts.running === false) outcomeNotSeen++;
        else if (p.facts.outcome === undefined) running++;
        const fallbackJob = p.facts.requestId ?? `${options.source}:${p.at.replace(/^(line|item) /, "")}`;
        attempts.push({ job: p.job ?? fallbackJob, model: p.model, at: p.at, facts: p.facts, ...(p.firstSeen ? { firstSeen: p.firstSeen } : {}), ...(p.lastSeen ? { lastSeen: p.lastSeen } : {}) });
      }
      const out = attemptEvents(format.provider, attempts);
      for (const s of out.undatable) skip(s.at ?? "", "no time at all in the object (wrap it with received_at)");
      return {
        events: out.events,
        summary: {
          objects,
          attempts: out.attempts,
          jobs: out.jobs,
          events: out.events.length,
          skipped: [...skipped.entries()].map(([why, s]) => ({ why, ...s })),
          unmapped: Object.fromEntries([...unmapped.entries()].sort()),
          undated: out.undated,
          running,
          outcomeNotSeen,
          noJobField,
          conflicts,
        },
      };
    },
  };
}
